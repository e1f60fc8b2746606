//! `dsync events`: list, show, export, import and prune the event store.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use globset::Glob;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::cli::events::{EventsAction, EventsArgs, ExportArgs, ImportArgs, ListArgs, PruneArgs};
use crate::commands::Context;
use crate::error::{Error, Exit, Result};
use crate::store::{list_captures, load_capture, Body, Capture, Store};

pub fn run(args: EventsArgs, ctx: &Context) -> Result<Exit> {
    let dir = ctx.config.store_dir(args.store.as_deref()).value;
    match args.action {
        EventsAction::List(a) => list(&dir, a, ctx),
        EventsAction::Show(a) => show(&dir, &a.event, ctx),
        EventsAction::Export(a) => export(&dir, a, ctx),
        EventsAction::Import(a) => import(&dir, a, ctx),
        EventsAction::Prune(a) => prune(&dir, a, ctx),
    }
}

fn load_all(dir: &Path) -> Result<Vec<(PathBuf, Capture)>> {
    list_captures(dir)?
        .into_iter()
        .map(|p| load_capture(&p).map(|c| (p, c)))
        .collect()
}

/// `resource` of the body: who or what changed. Cryptr events carry it under
/// `data.resource` (`type`, `id`, and the before/after in `changes`): a user
/// is named by its email, a group by its name, else by the resource id. Older
/// or other shapes fall back to `data.id` / `resource_id`.
fn resource(c: &Capture) -> String {
    let Body::Utf8(text) = &c.body else {
        return "-".into();
    };
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return "-".into();
    };
    let data = v.get("data").unwrap_or(&Value::Null);
    if let Some(r) = data.get("resource").filter(|r| r.is_object()) {
        let changes = r.get("changes");
        // The identity may sit in the new values (provision, update), the
        // previous ones (deprovision) or on the resource itself.
        let snapshots = [
            changes.and_then(|c| c.get("new_values")),
            changes.and_then(|c| c.get("previous_values")),
            Some(r),
        ];
        let field = |names: &[&str]| {
            snapshots.iter().flatten().find_map(|s| {
                names
                    .iter()
                    .find_map(|n| s.get(*n).and_then(Value::as_str))
                    .filter(|x| !x.is_empty())
            })
        };
        let kind = r.get("type").and_then(Value::as_str);
        let name = match kind {
            Some("group") => field(&["display_name", "name"]),
            _ => field(&["email", "display_name", "name"]),
        };
        let ident = name.or_else(|| r.get("id").and_then(Value::as_str));
        return match (kind, ident) {
            (Some(kind), Some(ident)) => format!("{kind} {ident}"),
            (None, Some(ident)) => ident.to_string(),
            (Some(kind), None) => kind.to_string(),
            (None, None) => "-".into(),
        };
    }
    let id = data
        .get("id")
        .or_else(|| v.get("resource_id"))
        .and_then(Value::as_str);
    id.unwrap_or("-").to_string()
}

fn verification(c: &Capture) -> String {
    c.verification
        .as_ref()
        .map(|v| v.status.clone())
        .unwrap_or_else(|| "-".into())
}

fn list(dir: &Path, a: ListArgs, ctx: &Context) -> Result<Exit> {
    let matcher = match &a.event {
        Some(g) => Some(
            Glob::new(g)
                .map_err(|e| Error::usage(format!("--event {g:?} is not a valid glob: {e}")))?
                .compile_matcher(),
        ),
        None => None,
    };
    let now = Utc::now();
    for (_, c) in load_all(dir)? {
        let code = c.code().unwrap_or_else(|| "-".into());
        if matcher.as_ref().is_some_and(|m| !m.is_match(&code)) {
            continue;
        }
        let age = (now - c.received_at).to_std().unwrap_or_default();
        if a.since.is_some_and(|s| age > s) || a.until.is_some_and(|u| age < u) {
            continue;
        }
        if ctx.global.json {
            ctx.out.json_line(&json!({
                "id": c.id, "received_at": c.received_at, "code": code,
                "resource": resource(&c), "verification": verification(&c), "size": c.size,
            }))?;
        } else {
            ctx.out.line(format!(
                "{}  {:<24}  {:<38}  {:<9}  {}",
                c.received_at.format("%Y-%m-%d %H:%M:%S"),
                code,
                resource(&c),
                verification(&c),
                c.size
            ))?;
        }
    }
    Ok(Exit::Success)
}

/// A capture by file path, id, or unique id prefix.
fn find(dir: &Path, wanted: &str) -> Result<Capture> {
    let as_path = Path::new(wanted);
    if as_path.is_file() {
        return load_capture(as_path);
    }
    let hits: Vec<_> = load_all(dir)?
        .into_iter()
        .filter(|(_, c)| c.id.starts_with(wanted))
        .collect();
    match hits.len() {
        1 => Ok(hits.into_iter().next().unwrap().1),
        0 => Err(Error::usage(format!(
            "no event {wanted:?} in {} (see `dsync events list`)",
            dir.display()
        ))),
        n => Err(Error::usage(format!(
            "{n} events start with {wanted:?}; give more of the id"
        ))),
    }
}

fn show(dir: &Path, wanted: &str, ctx: &Context) -> Result<Exit> {
    let c = find(dir, wanted)?;
    if ctx.global.json {
        ctx.out.json_line(&c)?;
        return Ok(Exit::Success);
    }
    let p = &ctx.out.out;
    ctx.out.line(p.bold(&format!(
        "{} {} {}  ({})",
        c.method,
        c.path,
        c.code().unwrap_or_default(),
        c.id
    )))?;
    for (name, value) in &c.headers {
        ctx.out.line(format!("{}: {value}", p.cyan(name)))?;
    }
    ctx.out.line("")?;
    let body = c.body.to_bytes()?;
    match serde_json::from_slice::<Value>(&body) {
        Ok(v) => ctx
            .out
            .line(serde_json::to_string_pretty(&v).map_err(Error::io)?)?,
        Err(_) => ctx.out.line(String::from_utf8_lossy(&body))?,
    }
    if let Some(diff) = crate::diff::render_event(&body, *p) {
        ctx.out.line("")?;
        ctx.out.line(diff)?;
    }
    Ok(Exit::Success)
}

/// Consistent stand-ins: the same input always maps to the same output
/// within one key, so diffs between redacted events still line up.
pub struct Redactor {
    key: Vec<u8>,
}

impl Redactor {
    pub fn new(key: &[u8]) -> Redactor {
        Redactor { key: key.to_vec() }
    }

    fn tag(&self, text: &str) -> String {
        let mut h = Sha256::new();
        h.update(&self.key);
        h.update(text.as_bytes());
        hex::encode(&h.finalize()[..5])
    }

    fn kind(key: &str) -> Option<&'static str> {
        let k = key.to_ascii_lowercase();
        if k.contains("email") || k == "username" || k == "user_name" {
            Some("email")
        } else if k.contains("phone") {
            Some("phone")
        } else if k.contains("address")
            || [
                "street",
                "locality",
                "region",
                "postal_code",
                "postalcode",
                "formatted",
            ]
            .contains(&k.as_str())
        {
            Some("address")
        } else if k.contains("name") {
            Some("name")
        } else {
            None
        }
    }

    fn stand_in(&self, kind: &str, text: &str) -> String {
        let tag = self.tag(text);
        match kind {
            "email" if text.contains('@') => format!("user-{tag}@example.invalid"),
            "phone" => format!(
                "+1555{:07}",
                u64::from_str_radix(&tag, 16).unwrap_or(0) % 10_000_000
            ),
            _ => format!("{kind}-{tag}"),
        }
    }

    /// Redact every string under a personal-data key, whatever its depth.
    pub fn value(&self, v: &mut Value, kind: Option<&'static str>) {
        match v {
            Value::String(s) => {
                if let Some(kind) = kind {
                    *s = self.stand_in(kind, s);
                } else if s.contains('@') && s.contains('.') && !s.contains(' ') {
                    *s = self.stand_in("email", s);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(i, kind)),
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    self.value(child, kind.or_else(|| Redactor::kind(k)));
                }
            }
            _ => {}
        }
    }

    /// A capture with personal data pseudonymised and signature headers dropped.
    /// The body is re-serialised: it was going to be altered anyway, and no
    /// signature remains that it should match.
    pub fn capture(&self, mut c: Capture) -> Capture {
        c.headers
            .retain(|(name, _)| !name.to_ascii_lowercase().contains("signature"));
        if let Body::Utf8(text) = &c.body {
            if let Ok(mut v) = serde_json::from_str::<Value>(text) {
                self.value(&mut v, None);
                let redacted = v.to_string();
                c.size = redacted.len() as u64;
                c.body = Body::Utf8(redacted);
            }
        }
        c.remote_addr = None;
        c.verification = None;
        c
    }
}

fn export(dir: &Path, a: ExportArgs, ctx: &Context) -> Result<Exit> {
    let key: [u8; 32] = rand::random();
    let redactor = Redactor::new(&key);
    let mut text = Vec::new();
    let mut count = 0;
    for (_, c) in load_all(dir)? {
        let c = if a.redact { redactor.capture(c) } else { c };
        serde_json::to_writer(&mut text, &c).map_err(Error::io)?;
        text.push(b'\n');
        count += 1;
    }
    write_atomic(&a.out, &text)?;
    ctx.out
        .info(format!("exported {count} events to {}", a.out.display()));
    if ctx.global.json {
        ctx.out
            .json_line(&json!({"exported": count, "out": a.out}))?;
    }
    Ok(Exit::Success)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("ndjson.tmp");
    let mut f = std::fs::File::create(&tmp)
        .map_err(|e| Error::io(anyhow::anyhow!("cannot write {}: {e}", tmp.display())))?;
    f.write_all(bytes)?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn import(dir: &Path, a: ImportArgs, ctx: &Context) -> Result<Exit> {
    let text = std::fs::read_to_string(&a.bundle)
        .map_err(|e| Error::input(anyhow::anyhow!("cannot read {}: {e}", a.bundle.display())))?;
    // Parse the whole bundle first: a bad line imports nothing.
    let mut captures = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let c = Capture::from_slice(line.as_bytes()).map_err(|e| {
            Error::usage(format!(
                "{} line {}: not a dsync capture ({e})",
                a.bundle.display(),
                n + 1
            ))
        })?;
        captures.push(c);
    }
    let existing: std::collections::HashSet<String> =
        load_all(dir)?.into_iter().map(|(_, c)| c.id).collect();
    let store = Store::open(dir)?;
    let (mut added, mut skipped) = (0, 0);
    for c in captures {
        if existing.contains(&c.id) {
            skipped += 1;
            continue;
        }
        store.save(&c)?;
        added += 1;
    }
    ctx.out
        .info(format!("imported {added} events ({skipped} already there)"));
    if ctx.global.json {
        ctx.out
            .json_line(&json!({"imported": added, "skipped": skipped}))?;
    }
    Ok(Exit::Success)
}

fn prune(dir: &Path, a: PruneArgs, ctx: &Context) -> Result<Exit> {
    let all = load_all(dir)?;
    let now = Utc::now();
    let doomed: Vec<&PathBuf> = match (a.older_than, a.keep) {
        (Some(age), _) => all
            .iter()
            .filter(|(_, c)| (now - c.received_at).to_std().unwrap_or_default() > age)
            .map(|(p, _)| p)
            .collect(),
        (None, Some(keep)) => {
            let cut = all.len().saturating_sub(keep);
            all[..cut].iter().map(|(p, _)| p).collect()
        }
        (None, None) => return Err(Error::usage("pass --older-than DURATION or --keep N")),
    };
    for path in &doomed {
        std::fs::remove_file(path)?;
    }
    ctx.out.info(format!("deleted {} events", doomed.len()));
    if ctx.global.json {
        ctx.out.json_line(&json!({"deleted": doomed.len()}))?;
    }
    Ok(Exit::Success)
}
