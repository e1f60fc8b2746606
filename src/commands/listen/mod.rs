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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
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
    let mut expectations = args
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
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        ctrlc::set_handler(move || interrupted.store(true, Ordering::SeqCst))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot install the Ctrl-C handler: {e}")))?;
    }
    let options = ServerOptions {
        max_body: args.max_body,
        max_connections: args.max_connections.max(1),
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
        idle_timeout: args.idle_timeout_keep_alive,
        workers: args.workers.max(1),
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
    if out.json {
        out.json_line(&serde_json::json!({"type": "ready", "url": url}))
            .map_err(Error::io)?;
    }
    out.info(format!("listening on {url}"));

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

    let (tx, rx) = mpsc::channel::<Event>();
    let handler = Arc::new(ListenHandler::new(settings, tx));
    let running = server.serve(handler);

    let started = Instant::now();
    let mut last = Instant::now();
    let mut stats = Stats::default();
    let waiting = !expectations.is_empty() || args.count.is_some();
    let exit = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Event::Rejected {
                remote,
                status,
                reason,
            }) => {
                let from = remote.map(|a| a.to_string()).unwrap_or_else(|| "?".into());
                if out.json {
                    out.json_line(&serde_json::json!({
                        "type": "rejected", "remote": from, "status": status, "reason": reason,
                    }))
                    .map_err(Error::io)?;
                } else {
                    out.info(format!("rejected {from} → {status}: {reason}"));
                }
            }
            Ok(Event::Handled(o)) => {
                last = Instant::now();
                stats.record(&o);
                for e in &mut expectations {
                    if let Some(code) = &o.code {
                        e.record(code);
                    }
                }
                let shown = match (&filter, &o.code) {
                    (Some(f), Some(c)) => f.is_match(c),
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                if out.json {
                    out.json_line(&serde_json::json!({
                        "type": "event",
                        "id": o.capture.as_ref().map(|c| c.id.clone()),
                        "file": o.file,
                        "code": o.code,
                        "verification": o.verification,
                        "reason": o.reason,
                        "status": o.status,
                        "forward": o.capture.as_ref().and_then(|c| c.forward.clone()),
                    }))
                    .map_err(Error::io)?;
                } else if shown {
                    out.line(display::summary_line(&o, &out.out))
                        .map_err(Error::io)?;
                    if !args.compact {
                        if let Some(c) = &o.capture {
                            if let Ok(body) = c.body.to_bytes() {
                                if let Some(diff) = crate::diff::render_event(&body, out.out) {
                                    out.line(diff).map_err(Error::io)?;
                                }
                            }
                        }
                    }
                }
                if args.fail_on_invalid && o.verification.as_deref() == Some("invalid") {
                    out.error(format!(
                        "invalid signature: {}",
                        o.reason.clone().unwrap_or_default()
                    ));
                    break Exit::Failed;
                }
                if waiting
                    && expectations.iter().all(|e| e.met())
                    && args.count.is_none_or(|n| stats.requests >= n)
                {
                    break Exit::Success;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break Exit::Io,
        }
        if interrupted.load(Ordering::SeqCst) {
            let pending = waiting
                && !(expectations.iter().all(|e| e.met())
                    && args.count.is_none_or(|n| stats.requests >= n));
            break if pending {
                Exit::Interrupted
            } else {
                Exit::Success
            };
        }
        if args.timeout.is_some_and(|t| started.elapsed() >= t)
            || args.idle_timeout.is_some_and(|t| last.elapsed() >= t)
        {
            for e in &expectations {
                out.error(format!(
                    "expected {} × {}, saw {}",
                    e.wanted, e.pattern, e.seen
                ));
            }
            if let Some(n) = args.count {
                out.error(format!("expected {n} requests, saw {}", stats.requests));
            }
            out.error("timed out waiting");
            break Exit::Timeout;
        }
    };

    // Stop accepting, finish what is in flight (a stalled client is not
    // waited for forever).
    let server_stats = running.shutdown(Duration::from_secs(5));
    while let Ok(e) = rx.try_recv() {
        if let Event::Handled(o) = e {
            stats.record(&o);
        }
    }
    stats.print(out, &expectations, &server_stats)?;
    Ok(exit)
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
                "bad_requests": server.bad_requests,
                "connections": server.connections,
                "by_code": self.by_code,
                "expectations": expectations.iter().map(|e| serde_json::json!({
                    "pattern": e.pattern, "expected": e.wanted, "seen": e.seen
                })).collect::<Vec<_>>(),
            }))
            .map_err(Error::io)?;
        } else {
            out.info(format!(
                "summary: {} requests, {} invalid, {} bytes, {} files saved",
                self.requests, self.invalid, self.bytes, self.files
            ));
            if server.refused + server.timed_out + server.bad_requests > 0 {
                out.info(format!(
                    "  server: {} connections refused (cap), {} timed out (408), {} bad requests (4xx)",
                    server.refused, server.timed_out, server.bad_requests
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
    settings: Arc<Settings>,
    /// Forwarding is async (reqwest): one multi-thread runtime drives every
    /// pooled connection, whichever handler thread uses it.
    runtime: Option<tokio::runtime::Runtime>,
    outcomes: mpsc::Sender<Event>,
}

/// What the handler reports to the printing loop.
enum Event {
    Handled(Box<Outcome>),
    Rejected {
        remote: Option<std::net::SocketAddr>,
        status: u16,
        reason: String,
    },
}

impl ListenHandler {
    fn new(settings: Arc<Settings>, outcomes: mpsc::Sender<Event>) -> ListenHandler {
        let runtime = settings.forward.as_ref().and_then(|_| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("dsync-forward")
                .enable_all()
                .build()
                .ok()
        });
        ListenHandler {
            settings,
            runtime,
            outcomes,
        }
    }
}

impl Handler for ListenHandler {
    fn handle(&self, request: Request) -> Response {
        let (response, outcome) = handle::handle(request, &self.settings, self.runtime.as_ref());
        let _ = self.outcomes.send(Event::Handled(Box::new(outcome)));
        response
    }

    fn rejected(&self, remote: Option<std::net::SocketAddr>, status: u16, reason: &str) {
        let _ = self.outcomes.send(Event::Rejected {
            remote,
            status,
            reason: reason.to_string(),
        });
    }
}
