//! `dsync events`: list, show, export, import and prune the event store.
//!
//! Every reader queries the database (filters become SQL, rows are
//! streamed); files stay first-class at the edges: `show` takes a capture
//! file, `export --format files` writes one, `import` reads bundles and the
//! folders of the pre-database store.

mod redact;

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::cli::events::{
    EventsAction, EventsArgs, ExportArgs, ExportFormat, FilterArgs, ImportArgs, ListArgs, PruneArgs,
};
use crate::commands::Context;
use crate::error::{Error, Exit, Result, ResultExt};
use crate::store::captures::{self, Query};
use crate::store::{self, Capture, Store};

pub use redact::{redact_key, Redactor, KEY_FILE};

pub fn run(args: EventsArgs, ctx: &Context) -> Result<Exit> {
    let dir = ctx.config.store_dir(args.store.as_deref()).value;
    match args.action {
        EventsAction::List(a) => list(&dir, a, ctx),
        EventsAction::Show(a) => show(&dir, &a.event, a.body, ctx),
        EventsAction::Export(a) => export(&dir, a, ctx),
        EventsAction::Import(a) => import(&dir, a, ctx),
        EventsAction::Prune(a) => prune(&dir, a, ctx),
    }
}

/// The store in `dir` for reading, or `None` when it has no database yet
/// (nothing captured: an empty listing, not an error). A folder of old
/// capture files is refused with the import command to run.
pub fn open_existing(dir: &Path, ctx: &Context) -> Result<Option<Store>> {
    if !dir.join(store::DB_FILE).exists() && store::legacy_captures(dir).is_none() {
        if let Some(hint) = store::legacy_hint(dir) {
            ctx.out.warn(hint);
        }
        return Ok(None);
    }
    let s = Store::open(dir)?;
    if let Some(hint) = store::legacy_hint(dir) {
        ctx.out.warn(hint);
    }
    Ok(Some(s))
}

/// `--since` / `--until` (of `events` and `replay`): an RFC 3339 time, or a
/// duration before now. A duration past the representable dates is a usage
/// error, not a panic.
pub fn parse_time(flag: &str, text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let ago = crate::cli::parse_duration(text).map_err(|e| {
        Error::usage(format!(
            "invalid {flag} {text:?}: use a duration ago (2h, 7d) or an RFC 3339 time ({e})"
        ))
    })?;
    chrono::Duration::from_std(ago)
        .ok()
        .and_then(|ago| Utc::now().checked_sub_signed(ago))
        .ok_or_else(|| Error::usage(format!("invalid {flag} {text:?}: too long ago")))
}

/// The filters as a store query.
pub fn query_from(f: &FilterArgs) -> Result<Query> {
    if let Some(glob) = &f.event {
        super::code_glob("--event", glob)?;
    }
    Ok(Query {
        code: f.event.clone(),
        verification: f.verification.clone(),
        status: f.status,
        resource: f.resource.clone(),
        text: f.search.clone(),
        source: f.source.clone(),
        since: f
            .since
            .as_deref()
            .map(|t| parse_time("--since", t))
            .transpose()?,
        until: f
            .until
            .as_deref()
            .map(|t| parse_time("--until", t))
            .transpose()?,
        ..Query::default()
    })
}

fn list(dir: &Path, a: ListArgs, ctx: &Context) -> Result<Exit> {
    let mut q = query_from(&a.filter)?;
    let Some(store) = open_existing(dir, ctx)? else {
        return Ok(Exit::Success);
    };
    let conn = store.connection()?;
    q.before = a.before;
    q.oldest_first = a.reverse;
    // One more than shown, to say whether there are more.
    q.limit = (a.limit > 0).then(|| a.limit.saturating_add(1));
    let (mut shown, mut last, mut more) = (0u64, None, false);
    captures::for_each_summary(&conn, &q, |s| {
        if a.limit > 0 && shown == a.limit {
            more = true;
            return Ok(());
        }
        shown += 1;
        last = Some(s.rowid);
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        if ctx.global.json {
            ctx.out.json_line(&json!({
                "rowid": s.rowid, "id": s.id, "received_at": s.received_at,
                "code": dash(&s.code), "resource": dash(&s.resource),
                "verification": dash(&s.verification), "status": s.status, "size": s.size,
                "source": s.source,
            }))?;
        } else {
            ctx.out.line(format!(
                "{}  {}  {:<30}  {:<34}  {:<9}  {:>3}  {}",
                s.id,
                s.received_at.format("%Y-%m-%d %H:%M:%S"),
                dash(&s.code),
                dash(&s.resource),
                dash(&s.verification),
                s.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into()),
                s.size
            ))?;
        }
        Ok(())
    })?;
    if more {
        let next = if a.reverse {
            String::new()
        } else {
            format!(" (next page: --before {})", last.unwrap_or_default())
        };
        ctx.out.info(format!(
            "showing {shown}; more match: --limit N or --limit 0 for all{next}"
        ));
    }
    Ok(Exit::Success)
}

/// A capture from a file path, or from the store by id or unique id prefix.
pub fn find(dir: &Path, wanted: &str, ctx: &Context) -> Result<Capture> {
    let as_path = Path::new(wanted);
    if as_path.is_file() {
        return store::load_capture(as_path);
    }
    let not_found = || {
        Error::usage(format!(
            "no event {wanted:?} in {} (see `dsync events list`)",
            dir.display()
        ))
    };
    let Some(store) = open_existing(dir, ctx)? else {
        return Err(not_found());
    };
    let conn = store.connection()?;
    // A file name as `export --format files` writes it: the id, then the code.
    let id = wanted.strip_suffix(".json").unwrap_or(wanted);
    if let Some(c) = captures::get(&conn, id)? {
        return Ok(c);
    }
    // `<id>-<code>`: the id is what comes before one of the dashes.
    for (at, _) in id.match_indices('-') {
        if let Some(c) = captures::get(&conn, &id[..at])? {
            return Ok(c);
        }
    }
    let hits = captures::ids_with_prefix(&conn, id, 2)?;
    match hits.as_slice() {
        [one] => captures::get(&conn, one)?.ok_or_else(not_found),
        [] => Err(not_found()),
        _ => Err(Error::usage(format!(
            "several events start with {wanted:?}; give more of the id"
        ))),
    }
}

/// For `verify --capture` and `diff`: a capture file if `wanted` is one,
/// else the stored capture with that id (in the configured store).
pub fn capture_by_file_or_id(wanted: &Path, ctx: &Context) -> Result<Capture> {
    if wanted.is_file() || wanted.as_os_str() == "-" {
        return store::load_capture(wanted);
    }
    let dir = ctx.config.store_dir(None).value;
    let text = wanted.to_string_lossy();
    find(&dir, &text, ctx).map_err(|e| {
        if wanted.components().count() > 1 {
            Error::input(anyhow::anyhow!(
                "cannot read {}: no such file (nor a capture id in {})",
                wanted.display(),
                dir.display()
            ))
        } else {
            e
        }
    })
}

fn show(dir: &Path, wanted: &str, body_only: bool, ctx: &Context) -> Result<Exit> {
    let c = find(dir, wanted, ctx)?;
    if body_only {
        let body = c.body.to_bytes()?;
        let mut out = std::io::stdout().lock();
        out.write_all(&body)?;
        out.flush()?;
        return Ok(Exit::Success);
    }
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
    let verification = c
        .verification
        .as_ref()
        .map(|v| match &v.reason {
            Some(r) => format!("{} ({}): {r}", v.status, v.scheme),
            None => format!("{} ({})", v.status, v.scheme),
        })
        .unwrap_or_else(|| "-".into());
    let answered = c
        .response
        .as_ref()
        .map(|r| r.status.to_string())
        .unwrap_or_else(|| "-".into());
    ctx.out.line(p.dimmed(&format!(
        "received {} from {}, {} bytes; signature {verification}; answered {answered}",
        c.received_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        c.remote_addr.as_deref().unwrap_or("-"),
        c.size,
    )))?;
    for (name, value) in &c.headers {
        ctx.out.line(format!("{}: {value}", p.cyan(name)))?;
    }
    ctx.out.line("")?;
    let body = match c.body.to_bytes() {
        Ok(b) => b,
        Err(e) => {
            ctx.out.line(p.dimmed(&format!("({e})")))?;
            return Ok(Exit::Success);
        }
    };
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

fn export(dir: &Path, a: ExportArgs, ctx: &Context) -> Result<Exit> {
    let mut q = query_from(&a.filter)?;
    q.oldest_first = true;
    let redactor = if a.redact {
        let (key, from) = redact_key(dir, a.redact_key.as_deref())?;
        ctx.out.info(format!("redacting with the key from {from}"));
        Some(Redactor::new(&key))
    } else {
        None
    };
    let to_stdout = a.out.as_os_str() == "-";
    if a.format == ExportFormat::Files && to_stdout {
        return Err(Error::usage(
            "--format files writes a folder: pass --out DIR",
        ));
    }
    let store = open_existing(dir, ctx)?;
    let mut count = 0u64;
    let mut each = |f: &mut dyn FnMut(Capture) -> Result<()>| -> Result<()> {
        if let Some(store) = &store {
            let conn = store.connection()?;
            captures::scan(&conn, &q, |_, c| {
                let c = match &redactor {
                    Some(r) => r.capture(c),
                    None => c,
                };
                count += 1;
                f(c)
            })?;
        }
        Ok(())
    };
    match a.format {
        ExportFormat::Ndjson if to_stdout => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            each(&mut |c| {
                serde_json::to_writer(&mut w, &c).map_err(Error::io)?;
                w.write_all(b"\n")?;
                Ok(())
            })?;
            w.flush()?;
        }
        ExportFormat::Ndjson => {
            let tmp = tmp_path(&a.out);
            let file =
                std::fs::File::create(&tmp).io_err(format!("cannot write {}", tmp.display()))?;
            let mut w = BufWriter::new(file);
            let written = each(&mut |c| {
                serde_json::to_writer(&mut w, &c).map_err(Error::io)?;
                w.write_all(b"\n")?;
                Ok(())
            })
            .and_then(|()| w.flush().io_err(format!("cannot write {}", tmp.display())));
            drop(w);
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            std::fs::rename(&tmp, &a.out).io_err(format!("cannot write {}", a.out.display()))?;
        }
        ExportFormat::Files => {
            std::fs::create_dir_all(&a.out).io_err(format!("cannot create {}", a.out.display()))?;
            each(&mut |c| write_capture_file(&a.out, &c))?;
        }
    }
    let shown = if to_stdout {
        "stdout".to_string()
    } else {
        a.out.display().to_string()
    };
    let noun = if count == 1 { "event" } else { "events" };
    ctx.out.info(format!("exported {count} {noun} to {shown}"));
    if ctx.global.json && !to_stdout {
        ctx.out
            .json_line(&json!({"exported": count, "out": a.out}))?;
    }
    Ok(Exit::Success)
}

/// `name.tmp` next to `path`, so the rename that publishes it stays on one file system.
fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(format!(".{}", name.to_string_lossy()))
}

/// One capture file, written whole under a temporary name, then renamed.
fn write_capture_file(dir: &Path, c: &Capture) -> Result<()> {
    let path = dir.join(c.file_name());
    let tmp = tmp_path(&path);
    std::fs::write(&tmp, c.to_file_bytes())
        .and_then(|()| std::fs::rename(&tmp, &path))
        .io_err(format!("cannot write {}", path.display()))
}

/// Where the captures of an import come from.
enum ImportSource<'a> {
    Folder(&'a Path),
    Bundle(&'a Path),
    File(&'a Path),
}

/// A bundle's first line is a whole capture; a capture file is one pretty
/// document (its first line is just `{`).
fn classify(path: &Path) -> Result<ImportSource<'_>> {
    if path.is_dir() {
        return Ok(ImportSource::Folder(path));
    }
    let file = std::fs::File::open(path).input_err(format!("cannot read {}", path.display()))?;
    let mut first = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut first)
        .input_err(format!("cannot read {}", path.display()))?;
    Ok(if Capture::from_slice(&first).is_ok() {
        ImportSource::Bundle(path)
    } else {
        ImportSource::File(path)
    })
}

fn import(dir: &Path, a: ImportArgs, ctx: &Context) -> Result<Exit> {
    let sources = a
        .paths
        .iter()
        .map(|p| classify(p))
        .collect::<Result<Vec<_>>>()?;
    // The target may be the very folder being imported (keep the store there).
    let store = Store::open_anyway(dir)?;
    let mut conn = store.connection()?;
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| store.error(e, "cannot write to"))?;
    let (mut added, mut skipped) = (0u64, 0u64);
    let mut add = |c: Capture| -> Result<()> {
        if captures::exists(&tx, &c.id)? {
            skipped += 1;
        } else {
            captures::insert(&tx, &c)?;
            added += 1;
        }
        Ok(())
    };
    // One transaction: a bad line or file imports nothing.
    for source in &sources {
        match source {
            ImportSource::Folder(folder) => {
                for path in store::list_captures(folder)? {
                    add(store::load_capture(&path)?)?;
                }
            }
            ImportSource::File(path) => add(store::load_capture(path).map_err(|e| {
                e.context(format!(
                    "{} is neither a capture file nor an NDJSON bundle (its first line is not a capture); nothing was imported",
                    path.display()
                ))
            })?)?,
            ImportSource::Bundle(path) => {
                let file = std::fs::File::open(path)
                    .input_err(format!("cannot read {}", path.display()))?;
                let mut reader = std::io::BufReader::new(file);
                let (mut line, mut n) = (Vec::new(), 0usize);
                loop {
                    line.clear();
                    let read = reader
                        .read_until(b'\n', &mut line)
                        .input_err(format!("cannot read {}", path.display()))?;
                    if read == 0 {
                        break;
                    }
                    n += 1;
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let c = Capture::from_slice(&line).map_err(|e| {
                        Error::usage(format!(
                            "{} line {n}: not a dsync capture ({e}); nothing was imported",
                            path.display()
                        ))
                    })?;
                    add(c)?;
                }
            }
        }
    }
    // Searchable at once: indexing in bulk here is cheaper than later.
    captures::index_for_search(&tx, u64::MAX)?;
    tx.commit()
        .map_err(|e| store.error(e, "cannot commit to"))?;
    ctx.out.info(format!(
        "imported {added} events into {} ({skipped} already there); the sources are untouched",
        store.db_path().display()
    ));
    if ctx.global.json {
        ctx.out
            .json_line(&json!({"imported": added, "skipped": skipped}))?;
    }
    Ok(Exit::Success)
}

fn prune(dir: &Path, a: PruneArgs, ctx: &Context) -> Result<Exit> {
    let max_size = match a.max_size {
        Some(n) => Some(n),
        None if a.older_than.is_none() && a.keep.is_none() => store::max_size(&ctx.config)?,
        None => None,
    };
    if a.older_than.is_none() && a.keep.is_none() && max_size.is_none() {
        return Err(Error::usage(
            "pass --older-than DURATION, --keep N or --max-size SIZE (or set store_max_size)",
        ));
    }
    let Some(store) = open_existing(dir, ctx)? else {
        ctx.out.info("deleted 0 events");
        return Ok(Exit::Success);
    };
    let conn = store.connection()?;
    let mut deleted = 0;
    if let Some(age) = a.older_than {
        let cutoff = chrono::Duration::from_std(age)
            .ok()
            .and_then(|age| Utc::now().checked_sub_signed(age))
            .ok_or_else(|| Error::usage("--older-than is too long"))?;
        deleted += captures::delete_received_before(&conn, cutoff)?;
    }
    if let Some(keep) = a.keep {
        deleted += captures::delete_all_but_newest(&conn, keep)?;
    }
    if let Some(max) = max_size {
        // Oldest first, a slice at a time, until the pages in use fit.
        loop {
            let used = store::used_bytes(&conn).map_err(|e| store.error(e, "cannot measure"))?;
            let total = captures::count(&conn, &Query::default())?;
            if used <= max || total == 0 {
                break;
            }
            let share = (total as f64 * (1.0 - max as f64 / used as f64)).ceil() as u64;
            deleted += captures::delete_oldest(&conn, share.clamp(1, total))?;
        }
    }
    store::shrink(&conn)
        .and_then(|()| conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
        .map_err(|e| store.error(e, "cannot shrink"))?;
    ctx.out.info(format!("deleted {deleted} events"));
    if ctx.global.json {
        ctx.out.json_line(&json!({"deleted": deleted}))?;
    }
    Ok(Exit::Success)
}
