//! `dsync replay`: re-deliver captures or raw bodies, re-signed with a fresh timestamp.
//!
//! Memory stays flat however many captures a directory holds: planning keeps
//! only a path (or a byte range of an NDJSON bundle) and a sort key per event;
//! each file is read and parsed only when it is about to be sent, and at most
//! `--concurrency` deliveries are in flight.

use std::io::{BufRead, IsTerminal, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::cli::replay::ReplayArgs;
use crate::commands::events::parse_time;
use crate::commands::{read_input, Context, Signing};
use crate::deliver::{is_connect_error, Sender};
use crate::error::{Error, Exit, Result, ResultExt};
use crate::signature::Header;
use crate::store::Capture;

/// Where one event's bytes are, until it is about to be sent.
#[derive(Debug, Clone)]
enum Source {
    /// A whole file: a capture (pretty or compact) or a raw body.
    File(Arc<PathBuf>),
    /// A file of a directory: the folder is shared and only the name is kept,
    /// so 100,000 captures cost little more than their names.
    InDir {
        dir: Arc<PathBuf>,
        name: Box<std::ffi::OsStr>,
    },
    /// One line of an NDJSON bundle.
    Line {
        path: Arc<PathBuf>,
        line: u32,
        len: u32,
        offset: u64,
    },
    /// Read from stdin (already in memory: stdin cannot be re-read).
    Inline(Box<(String, Vec<u8>)>),
    /// A capture in an event store, by rowid: read when it is about to be sent.
    Stored {
        db: crate::store::SharedConnection,
        rowid: i64,
    },
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::InDir { dir, name } => dir.join(&**name).display().to_string(),
            Source::Line { path, line, .. } => format!("{} line {line}", path.display()),
            Source::Inline(inline) => inline.0.clone(),
            Source::Stored { rowid, .. } => format!("stored capture (rowid {rowid})"),
        }
    }

    fn read(&self) -> Result<Vec<u8>> {
        match self {
            Source::File(p) => read_input(p),
            Source::InDir { dir, name } => read_input(&dir.join(&**name)),
            Source::Line {
                path, offset, len, ..
            } => {
                let mut file = std::fs::File::open(path.as_path())
                    .input_err(format!("cannot read {}", path.display()))?;
                file.seek(std::io::SeekFrom::Start(*offset))
                    .input_err(format!("cannot read {}", path.display()))?;
                let mut buf = vec![0; *len as usize];
                file.read_exact(&mut buf)
                    .input_err(format!("cannot read {}", path.display()))?;
                Ok(buf)
            }
            Source::Inline(inline) => Ok(inline.1.clone()),
            Source::Stored { db, rowid } => {
                let conn = db.lock().expect("the store connection");
                let capture = crate::store::captures::get_by_rowid(&conn, *rowid)?
                    .ok_or_else(|| Error::usage(format!("{} was deleted", self.label())))?;
                Ok(serde_json::to_vec(&capture).expect("a capture serialises"))
            }
        }
    }
}

/// An event ready to send.
struct Loaded {
    body: Vec<u8>,
    headers: Vec<Header>,
    received_at: Option<DateTime<Utc>>,
}

/// A capture yields its recorded body, headers and time; anything else must be JSON and is sent as is.
fn parse_event(bytes: Vec<u8>) -> Result<Loaded> {
    match Capture::from_slice(&bytes) {
        Ok(capture) => Ok(Loaded {
            body: capture.body.to_bytes()?,
            headers: capture.headers,
            received_at: Some(capture.received_at),
        }),
        Err(_) => {
            serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(|e| {
                Error::input(anyhow::Error::new(e).context("neither a capture nor JSON"))
            })?;
            Ok(Loaded {
                body: bytes,
                headers: Vec::new(),
                received_at: None,
            })
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Capture,
    IssuedAt,
}

/// The sort key of a loaded event (microseconds); events without one go last.
fn order_key(event: &Loaded, order: Order) -> Option<i64> {
    match order {
        Order::Capture => event.received_at.map(|t| t.timestamp_micros()),
        Order::IssuedAt => issued_at(&event.body),
    }
}

fn issued_at(body: &[u8]) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct IssuedOnly {
        issued_at: Option<String>,
    }
    let text = serde_json::from_slice::<IssuedOnly>(body).ok()?.issued_at?;
    Some(
        DateTime::parse_from_rfc3339(&text)
            .ok()?
            .with_timezone(&Utc)
            .timestamp_micros(),
    )
}

/// The `*.json` names in `dir` (not hidden), sorted: names only, not full paths.
fn capture_names(dir: &Path) -> Result<Vec<Box<std::ffi::OsStr>>> {
    let entries = std::fs::read_dir(dir).input_err(format!("cannot read {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let name = entry
            .input_err(format!("cannot read {}", dir.display()))?
            .file_name();
        let text = name.to_string_lossy();
        if text.ends_with(".json") && !text.starts_with('.') {
            names.push(name.into_boxed_os_str());
        }
    }
    names.sort();
    Ok(names)
}

/// Store file names start with the capture time: order a directory without reading it.
fn capture_time_from_name(path: &Path) -> Option<i64> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.split('-').next()?;
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%.fZ")
        .ok()
        .map(|t| t.and_utc().timestamp_micros())
}

/// What happened to the deliveries so far.
#[derive(Default)]
struct Tally {
    sent: u64,
    status_2xx: u64,
    status_3xx: u64,
    status_4xx: u64,
    status_5xx: u64,
    status_other: u64,
    errors: u64,
    latencies_us: Vec<u32>,
    fatal: Option<Error>,
}

impl Tally {
    fn failures(&self) -> u64 {
        self.sent - self.status_2xx
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

pub fn run(args: ReplayArgs, ctx: &Context) -> Result<Exit> {
    let url = super::target_url(&ctx.config, args.url.clone())?;
    let signing = Arc::new(Signing::resolve(&args.signing, &ctx.config)?);
    let matcher = args
        .event
        .as_deref()
        .map(|g| super::code_glob("--event", g))
        .transpose()?;
    let since = args
        .since
        .as_deref()
        .map(|t| parse_time("--since", t))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| parse_time("--until", t))
        .transpose()?;
    let order = if args.order == "issued_at" {
        Order::IssuedAt
    } else {
        Order::Capture
    };
    let seed = args.seed.unwrap_or_else(rand::random);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // Plan: sources with sort keys only, nothing held but paths and offsets.
    let mut skipped = 0u64;
    let mut planned: Vec<(Option<i64>, Source)> = Vec::new();
    let mut skip = |label: String, e: Error, strict: bool| -> Result<()> {
        if strict {
            return Err(e.context(format!("in {label}")));
        }
        ctx.out.warn(format!("skipping {label}: {e}"));
        skipped += 1;
        Ok(())
    };
    // No path: the configured store. A folder holding a database is a store.
    let mut stores: Vec<PathBuf> = Vec::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    if args.paths.is_empty() || args.store.is_some() {
        stores.push(ctx.config.store_dir(args.store.as_deref()).value);
    }
    for path in &args.paths {
        if path.is_dir() && path.join(crate::store::DB_FILE).exists() {
            stores.push(path.clone());
        } else {
            paths.push(path.clone());
        }
    }
    let only_store = paths.is_empty() && stores.len() == 1;
    for dir in &stores {
        let Some(store) = super::events::open_existing(dir, ctx)? else {
            return Err(Error::usage(format!(
                "no event store in {} (nothing captured yet; pass capture files, folders or bundles to replay them)",
                dir.display()
            )));
        };
        // The filters run in the database; the loop below checks them again, harmlessly.
        let query = crate::store::captures::Query {
            code: args.event.clone(),
            since,
            until,
            oldest_first: true,
            by_received_time: true,
            limit: args
                .limit
                .filter(|_| only_store && !args.shuffle && args.repeat == 1),
            ..Default::default()
        };
        let db: crate::store::SharedConnection = Arc::new(Mutex::new(store.connection()?));
        let conn = db.lock().expect("the store connection");
        match order {
            Order::Capture => crate::store::captures::for_each_key(&conn, &query, |rowid, us| {
                planned.push((
                    Some(us),
                    Source::Stored {
                        db: db.clone(),
                        rowid,
                    },
                ));
                Ok(())
            })?,
            Order::IssuedAt => crate::store::captures::scan(&conn, &query, |rowid, c| {
                let key = c.body.to_bytes().ok().and_then(|b| issued_at(&b));
                planned.push((
                    key,
                    Source::Stored {
                        db: db.clone(),
                        rowid,
                    },
                ));
                Ok(())
            })?,
        }
    }
    for path in &paths {
        if path.as_os_str() == "-" {
            let bytes = read_input(path)?;
            for (label, line) in split_stdin(&bytes) {
                let source = Source::Inline(Box::new((label, line)));
                match parse_event(source.read()?) {
                    Ok(event) => planned.push((order_key(&event, order), source)),
                    Err(e) => skip(source.label(), e, args.strict)?,
                }
            }
        } else if path.is_dir() {
            let dir = Arc::new(path.clone());
            for name in capture_names(path)? {
                let key_from_name = capture_time_from_name(Path::new(&name));
                let source = Source::InDir {
                    dir: dir.clone(),
                    name,
                };
                let key = match order {
                    Order::Capture => key_from_name,
                    _ => match source.read().and_then(parse_event) {
                        Ok(event) => order_key(&event, order),
                        Err(e) => {
                            skip(source.label(), e, args.strict)?;
                            continue;
                        }
                    },
                };
                planned.push((key, source));
            }
        } else if let Some(lines) = bundle_lines(path, order)? {
            let path = Arc::new(path.clone());
            for (line, offset, len, key) in lines {
                let source = Source::Line {
                    path: path.clone(),
                    line: line as u32,
                    len: len as u32,
                    offset,
                };
                match key {
                    Ok(key) => planned.push((key, source)),
                    Err(e) => skip(source.label(), e, args.strict)?,
                }
            }
        } else {
            let source = Source::File(Arc::new(path.clone()));
            match source.read().and_then(parse_event) {
                Ok(event) => planned.push((order_key(&event, order), source)),
                Err(e) => skip(source.label(), e, args.strict)?,
            }
        }
    }
    planned.sort_by_key(|(key, _)| key.unwrap_or(i64::MAX));
    let mut sources: Vec<Source> = planned.into_iter().map(|(_, s)| s).collect();
    if args.shuffle {
        sources.shuffle(&mut rng);
    }

    // The delivery plan: indices into `sources`, repeated, with duplicates right after their original.
    let mut plan: Vec<u32> = Vec::with_capacity(sources.len() * args.repeat as usize);
    for _ in 0..args.repeat {
        plan.extend(0..sources.len() as u32);
    }
    if let Some(fraction) = args.duplicate {
        let count = (plan.len() as f64 * fraction).round() as usize;
        let mut chosen = vec![false; plan.len()];
        for i in rand::seq::index::sample(&mut rng, plan.len(), count) {
            chosen[i] = true;
        }
        let mut with_dups = Vec::with_capacity(plan.len() + count);
        for (i, idx) in plan.into_iter().enumerate() {
            with_dups.push(idx);
            if chosen[i] {
                with_dups.push(idx);
            }
        }
        plan = with_dups;
    }

    let progress = if std::io::stderr().is_terminal() && !ctx.global.quiet && !ctx.global.json {
        let bar = indicatif::ProgressBar::new(plan.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} {per_sec} eta {eta} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    let sender = Sender::new(args.timeout)?;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get().min(4))
        .unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(Error::io)?;
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Ctrl-C / SIGTERM: send nothing new, let deliveries in flight finish,
    // print the summary, exit 130.
    let interrupted = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        let _ = ctrlc::set_handler(move || {
            interrupted.store(true, std::sync::atomic::Ordering::SeqCst)
        });
    }
    let started = Instant::now();
    let deliver = async {
        let permits = Arc::new(tokio::sync::Semaphore::new(args.concurrency as usize));
        let mut ticker = args.rate.map(|r| {
            let mut t = tokio::time::interval(Duration::from_secs_f64(1.0 / r));
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            t
        });
        let mut tasks = tokio::task::JoinSet::new();
        let mut selected = 0u64;
        for idx in plan {
            let source = &sources[idx as usize];
            let event = match source.read().and_then(parse_event) {
                Ok(e) => e,
                Err(e) => {
                    skip(source.label(), e, args.strict)?;
                    continue;
                }
            };
            if let Some(m) = &matcher {
                let code = crate::store::event_code(&event.body).unwrap_or_default();
                if !m.is_match(&code) {
                    continue;
                }
            }
            if since.is_some() || until.is_some() {
                let Some(at) = event.received_at else {
                    continue;
                };
                if since.is_some_and(|s| at < s) || until.is_some_and(|u| at >= u) {
                    continue;
                }
            }
            if args.limit.is_some_and(|l| selected >= l) {
                break;
            }
            selected += 1;
            if let Some(t) = ticker.as_mut() {
                t.tick().await;
            }
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            if tally.lock().expect("tally").fatal.is_some()
                || interrupted.load(std::sync::atomic::Ordering::SeqCst)
            {
                break;
            }
            let (sender, url, signing, tally, progress) = (
                sender.clone(),
                url.clone(),
                signing.clone(),
                tally.clone(),
                progress.clone(),
            );
            let verbatim = args.verbatim;
            tasks.spawn(async move {
                let _permit = permit;
                let headers = match request_headers(event.headers, &event.body, verbatim, &signing)
                {
                    Ok(h) => h,
                    Err(e) => {
                        tally.lock().expect("tally").fatal.get_or_insert(e);
                        return;
                    }
                };
                let result = sender.post(&url, &headers, event.body).await;
                let mut t = tally.lock().expect("tally");
                t.sent += 1;
                match result {
                    Ok(answer) => {
                        match answer.status {
                            200..=299 => t.status_2xx += 1,
                            300..=399 => t.status_3xx += 1,
                            400..=499 => t.status_4xx += 1,
                            500..=599 => t.status_5xx += 1,
                            _ => t.status_other += 1,
                        }
                        let us = answer.latency.as_micros().min(u32::MAX as u128) as u32;
                        t.latencies_us.push(us);
                    }
                    Err(e) => {
                        t.errors += 1;
                        // Nobody listening is not a per-event failure: stop and exit 3.
                        if is_connect_error(&e) {
                            t.fatal.get_or_insert(e);
                        }
                    }
                }
                progress.inc(1);
            });
            // Reap finished tasks so the set does not grow with the run.
            while tasks.try_join_next().is_some() {}
        }
        while tasks.join_next().await.is_some() {}
        Ok::<(), Error>(())
    };
    let outcome = runtime.block_on(deliver);
    progress.finish_and_clear();
    outcome?;
    let elapsed = started.elapsed();
    let was_interrupted = interrupted.load(std::sync::atomic::Ordering::SeqCst);
    let mut t = std::mem::take(&mut *tally.lock().expect("tally"));
    if let Some(e) = t.fatal.take() {
        return Err(e);
    }
    t.latencies_us.sort_unstable();
    let (p50, p90, p99) = (
        percentile(&t.latencies_us, 50.0),
        percentile(&t.latencies_us, 90.0),
        percentile(&t.latencies_us, 99.0),
    );
    let max = t.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0;
    let per_sec = if elapsed.as_secs_f64() > 0.0 {
        t.sent as f64 / elapsed.as_secs_f64()
    } else {
        0.0
    };
    if ctx.global.json {
        ctx.out.json_line(&json!({
            "url": url,
            "sent": t.sent,
            "status": {
                "2xx": t.status_2xx, "3xx": t.status_3xx, "4xx": t.status_4xx,
                "5xx": t.status_5xx, "other": t.status_other,
            },
            "errors": t.errors,
            "skipped": skipped,
            "latency_ms": {"p50": p50, "p90": p90, "p99": p99, "max": max},
            "elapsed_s": elapsed.as_secs_f64(),
            "per_second": per_sec,
            "seed": seed,
            "interrupted": was_interrupted,
        }))?;
    } else {
        let mut classes = format!(
            "2xx {}, 4xx {}, 5xx {}",
            t.status_2xx, t.status_4xx, t.status_5xx
        );
        if t.status_3xx + t.status_other > 0 {
            classes.push_str(&format!(", other {}", t.status_3xx + t.status_other));
        }
        ctx.out.info(format!(
            "sent {}: {classes}, errors {}, skipped {skipped} in {:.2}s ({per_sec:.0}/s); latency ms p50 {p50:.2} p90 {p90:.2} p99 {p99:.2} max {max:.2}{}",
            t.sent,
            t.errors,
            elapsed.as_secs_f64(),
            if args.shuffle || args.duplicate.is_some() { format!("; seed {seed}") } else { String::new() },
        ));
    }
    if was_interrupted {
        ctx.out
            .warn("interrupted: deliveries in flight were finished, nothing more was sent");
        return Ok(Exit::Interrupted);
    }
    Ok(if t.failures() > 0 && !args.allow_failures {
        Exit::Failed
    } else {
        Exit::Success
    })
}

/// Fresh signature headers (default), or the captured ones with --verbatim.
fn request_headers(
    captured: Vec<Header>,
    body: &[u8],
    verbatim: bool,
    signing: &Signing,
) -> Result<Vec<Header>> {
    if verbatim && !captured.is_empty() {
        let headers: Vec<Header> = captured
            .into_iter()
            .filter(|(n, _)| !crate::deliver::is_hop_by_hop(n))
            .collect();
        // Say which header HTTP cannot carry, rather than a bare send error.
        for (name, value) in &headers {
            let bad_name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err();
            if bad_name || reqwest::header::HeaderValue::from_str(value).is_err() {
                let what = if bad_name { "name" } else { "value" };
                return Err(Error::input(anyhow::anyhow!(
                    "captured header {:?} has a {what} HTTP cannot send (a CR, LF, NUL or other control byte): it cannot be replayed --verbatim; replay without --verbatim to send fresh signature headers",
                    name.chars().take(64).collect::<String>()
                )));
            }
        }
        return Ok(headers);
    }
    let mut headers: Vec<Header> = vec![(
        "content-type".into(),
        "application/json; charset=UTF-8".into(),
    )];
    headers.extend(signing.fresh_headers(body)?);
    Ok(headers)
}

/// stdin holds one capture, one raw body, or NDJSON (captures or raw bodies, one per line).
fn split_stdin(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let lines = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    if Capture::from_slice(first).is_ok()
        || (lines > 1 && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok())
    {
        return bytes
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
            .map(|(n, l)| (format!("stdin line {}", n + 1), l.to_vec()))
            .collect();
    }
    vec![("stdin".to_string(), bytes.to_vec())]
}

/// One line of a bundle: number, byte offset, length, and its sort key (or why it is unusable).
type BundleLine = (usize, u64, usize, Result<Option<i64>>);

/// If `path` is an NDJSON bundle (its first line is a whole capture, or it
/// holds several lines of raw JSON bodies), where
/// each non-empty line is and how it sorts; else None. Lines are parsed once
/// here and dropped: only offsets are kept.
fn bundle_lines(path: &Path, order: Order) -> Result<Option<Vec<BundleLine>>> {
    let file = std::fs::File::open(path).input_err(format!("cannot read {}", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let mut lines = Vec::new();
    let (mut offset, mut number) = (0u64, 0usize);
    let mut buf = Vec::new();
    let mut raw_bodies = false;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .input_err(format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        number += 1;
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if number == 1 && Capture::from_slice(line).is_err() {
            // Not a capture bundle; maybe one raw JSON body per line (`send-test --print`).
            if serde_json::from_slice::<serde::de::IgnoredAny>(line).is_err() {
                return Ok(None);
            }
            raw_bodies = true;
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            let key = parse_event(line.to_vec()).map(|e| order_key(&e, order));
            lines.push((number, offset, line.len(), key));
        }
        offset += n as u64;
    }
    // A lone raw body is a plain file: send its bytes whole, trailing newline included.
    if raw_bodies && lines.len() < 2 {
        return Ok(None);
    }
    Ok(Some(lines))
}
