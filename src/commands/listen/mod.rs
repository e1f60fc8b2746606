//! `dsync listen`: capture, verify, show, save and forward webhooks; wait for
//! them in CI.
//!
//! Paths: without `--path`, every path is accepted; with `--path P`, other
//! paths get 404 naming P unless `--any-path`. Methods other than POST: 405.
//! Invalid signatures are answered 200 and flagged (so the sender does not
//! retry while the developer fixes a secret) unless `--reject-invalid` (401).

mod display;
mod expect;
mod handle;
mod printer;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cli::listen::ListenArgs;
use crate::commands::{Context, Signing};
use crate::config::keys;
use crate::deliver::Sender;
use crate::error::{Error, Exit, Result};
use crate::server::{self, BindError, Handler, Request, Response, ServerOptions};
use crate::store::Store;

use expect::Expectation;
use handle::{Outcome, Settings};
use printer::{Printer, View};

pub fn run(args: ListenArgs, ctx: &Context) -> Result<Exit> {
    let out = &ctx.out;
    let host = ctx
        .config
        .get(keys::HOST, args.host.clone())
        .map(|r| r.value)
        .unwrap_or_else(|| "127.0.0.1".into());
    let port: u16 = match ctx.config.get(keys::PORT, args.port.map(|p| p.to_string())) {
        Some(r) => r.value.parse().map_err(|_| {
            Error::usage(format!(
                "port {:?} (from {}) is not a port number",
                r.value, r.source
            ))
        })?,
        None => 8000,
    };
    let path = if args.any_path {
        None
    } else {
        ctx.config
            .get(keys::PATH, args.path.clone())
            .map(|r| r.value)
    };
    let forward_to = ctx
        .config
        .get(keys::FORWARD_TO, args.forward_to.clone())
        .map(|r| r.value);
    let expectations = args
        .expect
        .iter()
        .map(|e| Expectation::parse(e))
        .collect::<Result<Vec<_>>>()?;
    let filter = args
        .events
        .as_deref()
        .map(|g| super::code_glob("--events", g))
        .transpose()?;
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let store = if args.no_save {
        None
    } else {
        let dir = ctx.config.store_dir(args.store.as_deref()).value;
        Some(
            Store::open(dir)?
                .with_fsync(args.fsync)
                .with_max_size(crate::store::max_size(&ctx.config)?),
        )
    };
    let forward = match forward_to {
        Some(url) => Some((url, Sender::new(Duration::from_secs(30))?)),
        None => None,
    };

    // Installed before the ready line, so a signal right after it is caught.
    let (control, decisions) = mpsc::channel::<Control>();
    {
        let control = control.clone();
        ctrlc::set_handler(move || {
            let _ = control.send(Control::Interrupted);
        })
        .map_err(|e| Error::io(anyhow::anyhow!("cannot install the Ctrl-C handler: {e}")))?;
    }
    let options = ServerOptions {
        max_body: args.max_body,
        max_connections: args.max_connections.max(1),
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
        idle_timeout: args.idle_timeout_keep_alive,
        write_timeout: args.write_timeout,
        workers: handler_threads(
            args.workers,
            forward.is_some() || args.respond_after.is_some(),
        ),
        ..ServerOptions::default()
    };
    let server = match server::bind(&host, port, options) {
        Ok(s) => s,
        Err(BindError::InUse) => {
            out.error(format!(
                "port {port} is in use (try --port 0 for a free port)"
            ));
            return Ok(Exit::Io);
        }
        Err(BindError::Other(e)) => {
            out.error(format!("cannot listen on {host}:{port}: {e}"));
            return Ok(Exit::Io);
        }
    };
    let addr = server.local_addr();
    if addr.ip().is_unspecified() {
        out.warn(format!(
            "listening on every interface ({host}); anyone on your network can post to it"
        ));
    }
    let url = format!(
        "http://{addr}{}",
        path.clone().unwrap_or_else(|| "/".into())
    );
    // The inspector under /_dsync/ (`--ui`), checked before listen's own handler.
    let ui = match (&store, args.ui) {
        (Some(store), true) => Some(crate::ui::Mount::for_listener(
            store.clone(),
            Signing::resolve(&args.signing, &ctx.config)?,
            addr,
            args.ui_token.clone(),
        )?),
        _ => None,
    };
    let ui_url = ui.as_ref().and_then(|m| m.url(addr));
    if out.json {
        out.json_line(&serde_json::json!({"type": "ready", "url": url, "ui_url": ui_url}))
            .map_err(Error::io)?;
    }
    out.info(format!("listening on {url}"));
    match (&ui, &ui_url) {
        (_, Some(ui_url)) => out.info(format!("inspector on {ui_url}")),
        (Some(crate::ui::Mount::Off(why)), None) => out.warn(why),
        _ => {}
    }

    let settings = Arc::new(Settings {
        signing,
        store,
        path,
        max_body: args.max_body,
        reject_invalid: args.reject_invalid,
        respond: args.respond,
        respond_after: args.respond_after,
        forward,
        local_port: addr.port(),
    });

    let printer = Printer::start(
        out.clone(),
        View {
            compact: args.compact,
            filter,
        },
        control.clone(),
    );
    let started = Instant::now();
    let forwarding = settings.forward.is_some();
    let handler = Arc::new_cyclic(|me| ListenHandler {
        me: me.clone(),
        settings,
        runtime: forward_runtime(forwarding),
        tally: Mutex::new(Tally {
            stats: Stats::default(),
            expectations,
            count: args.count,
            fail_on_invalid: args.fail_on_invalid,
            decided: false,
        }),
        printer: printer.sender(),
        control: control.clone(),
        started,
        last_activity_ms: AtomicU64::new(0),
        timings: out.verbose >= 2,
    });
    let running = server.serve(crate::ui::in_front(ui, handler.clone()));

    // Nothing wakes this thread but a decision, a signal or a deadline the
    // user asked for (--timeout, --idle-timeout): an idle listener sleeps.
    let waiting = args.count.is_some() || !lock(&handler.tally).expectations.is_empty();
    let mut output_error = None;
    let exit = loop {
        let now = Instant::now();
        let last =
            started + Duration::from_millis(handler.last_activity_ms.load(Ordering::Relaxed));
        let deadline = [
            args.timeout.map(|t| started + t),
            args.idle_timeout.map(|t| last + t),
        ]
        .into_iter()
        .flatten()
        .min();
        let message = match deadline {
            Some(d) => decisions.recv_timeout(d.saturating_duration_since(now)),
            None => decisions
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        match message {
            Ok(Control::Decided(exit, note)) => {
                if let Some(note) = note {
                    out.error(note);
                }
                break exit;
            }
            Ok(Control::Interrupted) => {
                let pending = waiting && !lock(&handler.tally).met();
                break if pending {
                    Exit::Interrupted
                } else {
                    Exit::Success
                };
            }
            Ok(Control::OutputFailed(e)) => {
                output_error = Some(e);
                break Exit::Io;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let last = started
                    + Duration::from_millis(handler.last_activity_ms.load(Ordering::Relaxed));
                if args.timeout.is_some_and(|t| started.elapsed() >= t)
                    || args.idle_timeout.is_some_and(|t| last.elapsed() >= t)
                {
                    let tally = lock(&handler.tally);
                    for e in &tally.expectations {
                        out.error(format!(
                            "expected {} × {}, saw {}",
                            e.wanted, e.pattern, e.seen
                        ));
                    }
                    if let Some(n) = args.count {
                        out.error(format!(
                            "expected {n} requests, saw {}",
                            tally.stats.requests
                        ));
                    }
                    out.error("timed out waiting");
                    break Exit::Timeout;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break Exit::Io,
        }
    };

    // Stop accepting, finish what is in flight (a stalled client is not
    // waited for forever), then let the printer drain before the summary.
    let server_stats = running.shutdown(Duration::from_secs(5));
    let dropped = printer.finish();
    if let Some(e) = output_error {
        return Err(Error::io(e));
    }
    let tally = lock(&handler.tally);
    tally
        .stats
        .print(out, &tally.expectations, &server_stats, dropped)?;
    Ok(exit)
}

/// How many handler threads `listen` may run: `--workers`, else 32 when a
/// handler waits (on the app it forwards to, or before it answers), else
/// one per CPU. Without waiting a handler only computes and queues its row
/// for the group commit, so threads beyond the CPUs only take turns, and
/// each extra one is another thread to wake (measured at c=64 with saving:
/// 41,000 events/s with 2 threads on 2 CPUs, 37,000 with 32).
fn handler_threads(workers: Option<usize>, handlers_wait: bool) -> usize {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    match workers {
        Some(n) => n.max(1),
        None if handlers_wait => 32,
        None => cpus,
    }
}

/// Forwarding is async (reqwest): one multi-thread runtime drives every
/// pooled connection, whichever handler thread uses it.
fn forward_runtime(forwarding: bool) -> Option<tokio::runtime::Runtime> {
    if !forwarding {
        return None;
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dsync-forward")
        .enable_all()
        .build()
        .ok()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What wakes the main thread.
pub(crate) enum Control {
    /// Expectations met, `--count` reached, or an invalid signature with
    /// `--fail-on-invalid` (with the error line to print).
    Decided(Exit, Option<String>),
    Interrupted,
    /// stdout is gone (a closed pipe ends `listen` like any command).
    OutputFailed(std::io::Error),
}

/// Counts and expectations, updated by the handler as each request is
/// answered (never dropped, whatever the printer does).
struct Tally {
    stats: Stats,
    expectations: Vec<Expectation>,
    count: Option<u64>,
    fail_on_invalid: bool,
    decided: bool,
}

impl Tally {
    fn met(&self) -> bool {
        self.expectations.iter().all(|e| e.met())
            && self.count.is_none_or(|n| self.stats.requests >= n)
    }

    /// Record one outcome; the decision it completes, if any (once).
    fn record(&mut self, o: &Outcome) -> Option<(Exit, Option<String>)> {
        self.stats.record(o);
        for e in &mut self.expectations {
            if let Some(code) = &o.code {
                e.record(code);
            }
        }
        if self.decided {
            return None;
        }
        let decision = if self.fail_on_invalid && o.verification.as_deref() == Some("invalid") {
            Some((
                Exit::Failed,
                Some(format!(
                    "invalid signature: {}",
                    o.reason.clone().unwrap_or_default()
                )),
            ))
        } else if (self.count.is_some() || !self.expectations.is_empty()) && self.met() {
            Some((Exit::Success, None))
        } else {
            None
        };
        self.decided = decision.is_some();
        decision
    }
}

#[derive(Default)]
struct Stats {
    requests: u64,
    invalid: u64,
    bytes: u64,
    files: u64,
    by_code: std::collections::BTreeMap<String, u64>,
}

impl Stats {
    fn record(&mut self, o: &Outcome) {
        self.requests += 1;
        self.bytes += o.bytes;
        if o.file.is_some() {
            self.files += 1;
        }
        if o.verification.as_deref() == Some("invalid") {
            self.invalid += 1;
        }
        if let Some(c) = &o.code {
            *self.by_code.entry(c.clone()).or_default() += 1;
        }
    }

    fn print(
        &self,
        out: &crate::output::Output,
        expectations: &[Expectation],
        server: &server::ServerStats,
        dropped: u64,
    ) -> Result<()> {
        if out.json {
            out.json_line(&serde_json::json!({
                "type": "summary",
                "requests": self.requests,
                "invalid": self.invalid,
                "bytes": self.bytes,
                "files": self.files,
                "refused": server.refused,
                "timed_out": server.timed_out,
                "evicted": server.evicted,
                "bad_requests": server.bad_requests,
                "stalled": server.stalled,
                "connections": server.connections,
                "not_shown": dropped,
                "by_code": self.by_code,
                "expectations": expectations.iter().map(|e| serde_json::json!({
                    "pattern": e.pattern, "expected": e.wanted, "seen": e.seen
                })).collect::<Vec<_>>(),
            }))
            .map_err(Error::io)?;
        } else {
            out.info(format!(
                "summary: {} requests, {} invalid, {} bytes, {} saved",
                self.requests, self.invalid, self.bytes, self.files
            ));
            if dropped > 0 {
                out.info(format!(
                    "  {dropped} event lines not shown: stdout could not keep up (every event was still counted{})",
                    if self.files > 0 { " and saved" } else { "" }
                ));
            }
            if server.refused
                + server.timed_out
                + server.evicted
                + server.bad_requests
                + server.stalled
                > 0
            {
                out.info(format!(
                    "  server: {} connections refused (503 at the cap), {} closed to make room, {} timed out (408), {} bad requests (4xx), {} dropped for not reading their answer",
                    server.refused, server.evicted, server.timed_out, server.bad_requests, server.stalled
                ));
            }
            for (code, n) in &self.by_code {
                out.info(format!("  {n:>6}  {code}"));
            }
        }
        Ok(())
    }
}

/// `listen`'s request handler, on the server's handler threads.
struct ListenHandler {
    /// Itself, for answers given after a group commit (`handle_then`).
    me: std::sync::Weak<ListenHandler>,
    settings: Arc<Settings>,
    runtime: Option<tokio::runtime::Runtime>,
    tally: Mutex<Tally>,
    printer: printer::Queue,
    control: mpsc::Sender<Control>,
    started: Instant,
    last_activity_ms: AtomicU64,
    /// `-vv`: per-stage timings on stderr.
    timings: bool,
}

impl ListenHandler {
    /// Count, print and decide on what happened; `begun`: when the handler started.
    fn record(
        &self,
        waited: Option<crate::server::Timing>,
        begun: Instant,
        mut outcome: handle::Outcome,
    ) {
        if self.timings {
            outcome.timings = Some(printer::Timings::new(waited, begun, &outcome));
        }
        self.last_activity_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
        let decision = lock(&self.tally).record(&outcome);
        // Queued before the decision, so it is printed before the summary.
        self.printer.event(outcome);
        if let Some((exit, note)) = decision {
            let _ = self.control.send(Control::Decided(exit, note));
        }
    }
}

impl Handler for ListenHandler {
    fn handle(&self, request: Request) -> Response {
        let begun = Instant::now();
        let waited = crate::server::timing();
        let (response, outcome) = handle::handle(request, &self.settings, self.runtime.as_ref());
        self.record(waited, begun, outcome);
        response
    }

    /// With a store, the answer is given by the group commit that saves the
    /// capture, so this thread is free for the next request meanwhile.
    fn handle_then(&self, request: Request, reply: crate::server::Reply) {
        let (Some(store), None, Some(me)) = (
            self.settings.store.clone(),
            self.settings.respond_after,
            self.me.upgrade(),
        ) else {
            return reply.send(self.handle(request));
        };
        let begun = Instant::now();
        let waited = crate::server::timing();
        let prepared = match handle::prepare(request, &self.settings, self.runtime.as_ref()) {
            handle::Step::Save(prepared) => prepared,
            handle::Step::Answered(answered) => {
                let (response, outcome) = *answered;
                self.record(waited, begun, outcome);
                return reply.send(response);
            }
        };
        let to_save = store.to_save(&prepared.capture);
        let finish = move |saved| {
            let (response, outcome) = handle::finish(prepared, Some(saved), &me.settings);
            me.record(waited, begun, outcome);
            reply.send(response);
        };
        match to_save {
            // Committed by `after_request` with whatever else is in progress.
            Ok(to_save) => to_save.queue(finish),
            Err(e) => finish(Err(e)),
        }
    }

    fn after_request(&self, idle: bool) {
        if let Some(store) = &self.settings.store {
            store.flush(idle);
        }
    }

    fn rejected(&self, remote: Option<std::net::SocketAddr>, status: u16, reason: &str) {
        self.printer.rejected(remote, status, reason);
    }
}
