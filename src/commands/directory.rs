//! `dsync directory serve|show|export|reset|deactivate`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::cli::directory::{
    DeactivateArgs, DeliveryArgs, DirectoryArgs, DirectoryCommand, ExportArgs, ResetArgs,
    ServeArgs, StoreArgs,
};
use crate::commands::{Context, Signing};
use crate::config::{Key, Source};
use crate::directory::{self, DeliveryOptions, DirectoryOptions, Record, Target};
use crate::error::{Error, Exit, Result, ResultExt};
use crate::output::Output;
use crate::store::Store;

/// The SCIM bearer token's configuration key (defined with the others, so `dsync config` lists it).
pub const TOKEN_KEY: Key = crate::config::keys::SCIM_TOKEN;

/// The generated token's file in the store folder (mode 0600).
pub const TOKEN_FILE: &str = "directory-token";

pub fn run(args: DirectoryArgs, ctx: &Context) -> Result<Exit> {
    match args.command {
        DirectoryCommand::Serve(a) => serve(a, ctx),
        DirectoryCommand::Show(a) => show(a, ctx),
        DirectoryCommand::Export(a) => export(a, ctx),
        DirectoryCommand::Reset(a) => reset(a, ctx),
        DirectoryCommand::Deactivate(a) => deactivate(a, ctx),
    }
}

fn open_store(ctx: &Context, args: &StoreArgs) -> Result<Store> {
    let dir = ctx.config.store_dir(args.store.as_deref()).value;
    Store::open(dir)
}

fn delivery_setup(
    args: &DeliveryArgs,
    ctx: &Context,
) -> Result<(Vec<Target>, Signing, DeliveryOptions)> {
    let targets = args
        .forward_to
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>>>()?;
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let mut options = DeliveryOptions {
        concurrency: args.delivery_concurrency.max(1),
        timeout: args.delivery_timeout,
        ..DeliveryOptions::default()
    };
    if !args.retry_schedule.is_empty() {
        options.retry_schedule = args.retry_schedule.clone();
    }
    Ok((targets, signing, options))
}

/// Where the token comes from, and whether to show it (only when just made).
struct Token {
    value: String,
    origin: String,
    fresh: bool,
}

fn resolve_token(args: &ServeArgs, ctx: &Context, store_dir: &Path) -> Result<Option<Token>> {
    if args.no_auth {
        return Ok(None);
    }
    if let Some(r) = ctx.config.get(TOKEN_KEY, args.token.clone()) {
        if r.value.trim().is_empty() {
            return Err(Error::usage(format!(
                "the SCIM token (from {}) is empty",
                r.source
            )));
        }
        let origin = match r.source {
            Source::Flag => "--token".to_string(),
            other => other.to_string(),
        };
        return Ok(Some(Token {
            value: r.value,
            origin,
            fresh: false,
        }));
    }
    let path = store_dir.join(TOKEN_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let value = text.trim().to_string();
        if !value.is_empty() {
            return Ok(Some(Token {
                value,
                origin: path.display().to_string(),
                fresh: false,
            }));
        }
    }
    let value = directory::new_token();
    write_private(&path, format!("{value}\n").as_bytes())?;
    Ok(Some(Token {
        value,
        origin: path.display().to_string(),
        fresh: true,
    }))
}

/// Write a file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .io_err(format!("cannot write the SCIM token to {}", path.display()))?;
    file.write_all(bytes)
        .io_err(format!("cannot write the SCIM token to {}", path.display()))
}

#[derive(Default)]
struct Tally {
    requests: u64,
    by_status: BTreeMap<u16, u64>,
    events: BTreeMap<String, u64>,
    deliveries: BTreeMap<String, u64>,
}

/// `{"type": kind, ...fields}`, the type first.
fn typed(kind: &str, record: &impl serde::Serialize) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("type".into(), json!(kind));
    if let Ok(Value::Object(fields)) = serde_json::to_value(record) {
        map.extend(fields);
    }
    Value::Object(map)
}

/// Print one record: NDJSON with `--json`, a line for people otherwise.
fn print_record(out: &Output, record: &Record) {
    let result = if out.json {
        let value = match record {
            Record::Request(r) => typed("request", r),
            Record::Event(e) => json!({"type": "event", "id": e.capture_id, "code": e.code,
                "resource": e.resource, "seq": e.seq, "size": e.size}),
            Record::Delivery(d) => typed("delivery", d),
        };
        out.json_line(&value)
    } else {
        let line = match record {
            Record::Request(r) => format!(
                "{} {} -> {} ({:.1} ms)",
                r.method, r.path, r.status, r.duration_ms
            ),
            Record::Event(e) => format!(
                "  {} {} {}",
                out.out.cyan("event"),
                e.code,
                out.out
                    .dimmed(&format!("{} ({})", e.resource, e.capture_id))
            ),
            Record::Delivery(d) => {
                let answer = match (d.status, &d.error) {
                    (Some(s), None) => s.to_string(),
                    (Some(s), Some(e)) => format!("{s}, {e}"),
                    (None, Some(e)) => e.clone(),
                    (None, None) => "-".into(),
                };
                let tail = match d.retry_in_ms {
                    Some(ms) => format!(
                        ", retry in {}",
                        humantime::format_duration(Duration::from_millis(ms))
                    ),
                    None => String::new(),
                };
                format!(
                    "  {} {} {} try {}: {} in {:.0} ms{tail}",
                    out.out.green("->"),
                    d.target,
                    d.code,
                    d.attempt,
                    match d.outcome {
                        "delivered" => answer,
                        other => format!("{answer} ({other})"),
                    },
                    d.latency_ms
                )
            }
        };
        out.line(line)
    };
    // A closed stdout must not stop the directory; the store has everything.
    let _ = result;
}

fn serve(args: ServeArgs, ctx: &Context) -> Result<Exit> {
    let out = ctx.out.clone();
    let store = open_store(ctx, &args.store)?;
    let (targets, signing, delivery) = delivery_setup(&args.delivery, ctx)?;
    if signing.secret.is_none() && !targets.is_empty() {
        out.warn("no signing secret: webhooks are delivered unsigned (pass --secret or set DSYNC_SECRET)");
    }
    let token = resolve_token(&args, ctx, store.dir())?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        ctrlc::set_handler(move || interrupted.store(true, Ordering::SeqCst))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot install the Ctrl-C handler: {e}")))?;
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Records that happen before the ready line is printed wait for it.
    let held: Arc<Mutex<Option<Vec<Record>>>> = Arc::new(Mutex::new(Some(Vec::new())));
    let observer: directory::Observer = {
        let out = out.clone();
        let tally = tally.clone();
        let held = held.clone();
        Arc::new(move |record: &Record| {
            {
                let mut t = tally.lock().expect("tally");
                match record {
                    Record::Request(r) => {
                        t.requests += 1;
                        *t.by_status.entry(r.status).or_default() += 1;
                    }
                    Record::Event(e) => *t.events.entry(e.code.clone()).or_default() += 1,
                    Record::Delivery(d) => {
                        *t.deliveries.entry(d.outcome.to_string()).or_default() += 1
                    }
                }
            }
            let mut held = held.lock().expect("held records");
            match held.as_mut() {
                Some(queue) => queue.push(record.clone()),
                None => print_record(&out, record),
            }
        })
    };
    let mut options = DirectoryOptions::new(store.clone(), signing);
    options.host = args.host.clone();
    options.port = args.port;
    options.token = token.as_ref().map(|t| t.value.clone());
    options.no_auth = args.no_auth;
    options.org = args.org.clone();
    options.environment = args.environment.clone();
    options.provider = args.provider.clone();
    options.targets = targets.clone();
    options.delivery = delivery;
    options.emit_activate_code = args.activate_code;
    options.max_body = args.max_body;
    if let Some(start_us) = args.now {
        options.sources = crate::directory::Sources {
            clock: crate::directory::Clock::fixed(start_us),
            ids: crate::directory::Ids::Seeded(args.seed.unwrap_or(0)),
        };
    }
    options.observer = Some(observer.clone());
    let running = directory::start(options)?;
    let scim_url = running.scim_url();
    if out.json {
        let mut ready = json!({"type": "ready", "scim_url": scim_url,
            "directory_sync_id": running.directory_sync_id(),
            "auth": if args.no_auth { "none" } else { "bearer" },
            "targets": targets.iter().map(|t| json!({"url": t.url, "codes": t.codes})).collect::<Vec<_>>()});
        if let Some(t) = &token {
            ready["token_source"] = json!(t.origin);
            if t.fresh {
                ready["token"] = json!(t.value);
            }
        }
        out.json_line(&ready).map_err(Error::io)?;
    }
    out.info(format!("SCIM 2.0 directory at {scim_url}"));
    match &token {
        None => out.warn("--no-auth: anyone who can reach this port can change the directory"),
        Some(t) if t.fresh => out.info(format!(
            "  token (shown once, saved 0600 to {}): {}\n  send: Authorization: Bearer {}",
            t.origin, t.value, t.value
        )),
        Some(t) => out.info(format!(
            "  token from {} (send: Authorization: Bearer <token>)",
            t.origin
        )),
    }
    for t in &targets {
        let codes = if t.codes.is_empty() {
            "every event".to_string()
        } else {
            t.codes.join(", ")
        };
        out.info(format!("  delivering to {} ({codes})", t.url));
    }
    if targets.is_empty() {
        out.info("  no --forward-to: events are saved to the event store only");
    }
    {
        let mut held = held.lock().expect("held records");
        for e in &running.started_events {
            print_record(&out, &Record::Event(e.clone()));
            *tally
                .lock()
                .expect("tally")
                .events
                .entry(e.code.clone())
                .or_default() += 1;
        }
        for record in held.take().unwrap_or_default() {
            print_record(&out, &record);
        }
    }
    while !interrupted.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let report = running.shutdown()?;
    let t = tally.lock().expect("tally");
    if out.json {
        out.json_line(&json!({"type": "summary", "requests": t.requests,
            "by_status": t.by_status.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "events": t.events, "delivery_attempts": t.deliveries, "outbox": report}))
            .map_err(Error::io)?;
    } else {
        out.info(format!(
            "summary: {} requests, {} events; outbox: {} delivered, {} pending, {} failed, {} gone",
            t.requests,
            t.events.values().sum::<u64>(),
            report.delivered,
            report.pending,
            report.failed,
            report.gone
        ));
        for (code, n) in &t.events {
            out.info(format!("  {n:>6}  {code}"));
        }
    }
    Ok(Exit::Success)
}

fn export_value(ctx: &Context, args: &StoreArgs) -> Result<Value> {
    let store = open_store(ctx, args)?;
    let signing = Signing::resolve(&Default::default(), &ctx.config)?;
    let dir = directory::open(store, signing, Vec::new())?;
    dir.export()
        .map_err(|e| Error::io(anyhow::anyhow!("{}", e.detail)))
}

fn show(args: StoreArgs, ctx: &Context) -> Result<Exit> {
    let state = export_value(ctx, &args)?;
    let empty = serde_json::Map::new();
    let users = state["users"].as_object().unwrap_or(&empty);
    let groups = state["groups"].as_object().unwrap_or(&empty);
    let store = open_store(ctx, &args)?;
    let signing = Signing::resolve(&Default::default(), &ctx.config)?;
    let dir = directory::open(store, signing, Vec::new())?;
    let (all_users, all_groups) = dir
        .counts()
        .map_err(|e| Error::io(anyhow::anyhow!("{}", e.detail)))?;
    let outbox = dir
        .outbox_counts()
        .map_err(|e| Error::io(anyhow::anyhow!("{}", e.detail)))?;
    if ctx.out.json {
        let tree: Vec<Value> = groups
            .iter()
            .map(|(id, g)| {
                let members: Vec<Value> = g["members"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|m| m.as_str())
                    .map(|m| json!({"id": m, "email": users.get(m).map(|u| u["email"].clone())}))
                    .collect();
                json!({"id": id, "name": g["name"], "members": members})
            })
            .collect();
        ctx.out
            .json_pretty(&json!({"directory_sync_id": dir.identity.directory_sync_id,
                "users": all_users, "provisioned_users": users.len(), "groups": all_groups,
                "outbox": outbox, "tree": tree}))
            .map_err(Error::io)?;
        return Ok(Exit::Success);
    }
    let o = &ctx.out;
    o.line(format!(
        "directory {}: {} users ({} provisioned), {} groups",
        dir.identity.directory_sync_id,
        all_users,
        users.len(),
        all_groups
    ))?;
    for (id, g) in groups {
        let members: Vec<&str> = g["members"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str())
            .collect();
        o.line(format!(
            "{} {} ({} members)",
            o.out.bold(g["name"].as_str().unwrap_or("?")),
            o.out.dimmed(id),
            members.len()
        ))?;
        for m in members {
            let email = users
                .get(m)
                .and_then(|u| u["email"].as_str())
                .unwrap_or("?");
            o.line(format!("  {email} {}", o.out.dimmed(m)))?;
        }
    }
    let loose: Vec<(&String, &Value)> = users
        .iter()
        .filter(|(_, u)| u["groups"].as_array().is_none_or(|g| g.is_empty()))
        .collect();
    if !loose.is_empty() {
        o.line(o.out.bold("(in no group)"))?;
        for (id, u) in loose {
            o.line(format!(
                "  {} {}",
                u["email"].as_str().unwrap_or("?"),
                o.out.dimmed(id)
            ))?;
        }
    }
    let text: Vec<String> = outbox.iter().map(|(s, n)| format!("{n} {s}")).collect();
    o.line(format!(
        "outbox: {}",
        if text.is_empty() {
            "empty".to_string()
        } else {
            text.join(", ")
        }
    ))?;
    Ok(Exit::Success)
}

fn export(args: ExportArgs, ctx: &Context) -> Result<Exit> {
    let state = export_value(ctx, &args.store)?;
    let mut text = serde_json::to_vec_pretty(&state).map_err(Error::io)?;
    text.push(b'\n');
    match &args.out {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::write(path, &text).io_err(format!("cannot write {}", path.display()))?;
            ctx.out.info(format!("wrote {}", path.display()));
        }
        _ => ctx.out.raw(&text)?,
    }
    Ok(Exit::Success)
}

fn reset(args: ResetArgs, ctx: &Context) -> Result<Exit> {
    let store = open_store(ctx, &args.store)?;
    if !args.yes {
        if !ctx.out.interactive {
            return Err(Error::usage(
                "directory reset deletes every user, group and undelivered event: pass --yes to confirm",
            ));
        }
        let ok = dialoguer::Confirm::new()
            .with_prompt(format!(
                "Delete the directory in {} (users, groups, undelivered events)?",
                store.dir().display()
            ))
            .default(false)
            .interact()
            .map_err(|e| Error::usage(format!("no answer: {e}")))?;
        if !ok {
            ctx.out.info("nothing deleted");
            return Ok(Exit::Failed);
        }
    }
    let conn = directory::storage::connection(&store)?;
    directory::db::reset(&conn).io_err("cannot reset the directory")?;
    let _ = std::fs::remove_file(store.dir().join(TOKEN_FILE));
    ctx.out.info(format!(
        "directory in {} reset (captured events stay in the event store)",
        store.dir().display()
    ));
    Ok(Exit::Success)
}

fn deactivate(args: DeactivateArgs, ctx: &Context) -> Result<Exit> {
    let store = open_store(ctx, &args.store)?;
    let (targets, signing, options) = delivery_setup(&args.delivery, ctx)?;
    let engine_signing = Arc::new(Signing::resolve(&args.delivery.signing, &ctx.config)?);
    let dir = directory::open(store.clone(), signing, targets.clone())?;
    let events = dir
        .deactivate()
        .map_err(|e| Error::io(anyhow::anyhow!("{}", e.detail)))?;
    if events.is_empty() {
        ctx.out.info("the directory is not active: nothing sent");
        return Ok(Exit::Success);
    }
    let out = ctx.out.clone();
    let observer: directory::delivery::Observer = Arc::new(move |d: &directory::DeliveryRecord| {
        print_record(&out, &Record::Delivery(d.clone()))
    });
    for e in &events {
        print_record(&ctx.out, &Record::Event(e.clone()));
    }
    if targets.is_empty() {
        return Ok(Exit::Success);
    }
    let engine = directory::delivery::Engine::start(
        store,
        dir.writer(),
        &targets,
        engine_signing,
        options,
        Some(observer),
    )?;
    engine.wake();
    let report = engine.wait_settled(args.wait);
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            let _ = engine.shutdown();
            return Err(e);
        }
    };
    engine.shutdown()?;
    Ok(if report.failed + report.gone > 0 {
        Exit::Failed
    } else {
        Exit::Success
    })
}
