//! The output path: handlers queue what happened and go back to answering;
//! one printer thread renders and writes it, one write per batch of events.
//!
//! Human mode never waits for stdout: the queue is bounded and, when a slow
//! reader lets it fill, event lines are dropped and counted (the counts,
//! expectations and saved captures are unaffected; the summary says how
//! many lines were not shown). `--json` output is a record a program reads:
//! nothing is dropped, and a reader that stops reading eventually holds the
//! handlers back once the queue is full (bounded memory, lossless output).

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use globset::GlobMatcher;

use super::handle::Outcome;
use super::{display, Control};
use crate::output::Output;

/// Events waiting to be printed before human mode starts dropping lines.
const HUMAN_QUEUE: usize = 1024;
/// Events waiting before `--json` holds the handlers back.
const JSON_QUEUE: usize = 8192;
/// Bytes rendered before a write, when events are queued faster than printed.
const BATCH_BYTES: usize = 64 * 1024;
/// After a write the printer lets the next events gather this long before
/// it looks again. A handler that queues an event while the printer waits
/// on the queue pays a futex wake (and the printer a context switch) for
/// that one event; one that finds it busy pays nothing. Measured at 25,000
/// saved events/s: those wakes were 15% of the committing thread's time,
/// on the path every answer waits for. A line shows up at most this late.
const GATHER: Duration = Duration::from_millis(1);

/// How events are shown (human mode).
pub struct View {
    pub compact: bool,
    pub filter: Option<GlobMatcher>,
}

enum Print {
    Event(Box<Outcome>),
    Rejected {
        remote: Option<std::net::SocketAddr>,
        status: u16,
        reason: String,
    },
    Stop,
}

/// Per-stage times of one request (`-vv`).
#[derive(Debug, Clone)]
pub struct Timings {
    /// Head parsed to body read (server side).
    body: Duration,
    /// Complete request to a handler thread taking it.
    queued: Duration,
    verify: Duration,
    forward: Duration,
    save: Duration,
}

impl Timings {
    pub fn new(server: Option<crate::server::Timing>, begun: Instant, o: &Outcome) -> Timings {
        let end = Instant::now();
        let verified = o.verified_at.unwrap_or(begun);
        let saving = o.saving_at.unwrap_or(verified);
        Timings {
            body: server.map(|t| t.body).unwrap_or_default(),
            queued: server.map(|t| t.queued).unwrap_or_default(),
            verify: verified.saturating_duration_since(begun),
            forward: saving.saturating_duration_since(verified),
            save: end.saturating_duration_since(saving),
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// The producers' side, held by the handler.
pub struct Queue {
    tx: mpsc::SyncSender<Print>,
    json: bool,
    dropped: Arc<AtomicU64>,
}

impl Queue {
    pub fn event(&self, outcome: Outcome) {
        let message = Print::Event(Box::new(outcome));
        if self.json {
            let _ = self.tx.send(message);
        } else if self.tx.try_send(message).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Called on the server's reactor: never waits.
    pub fn rejected(&self, remote: Option<std::net::SocketAddr>, status: u16, reason: &str) {
        let message = Print::Rejected {
            remote,
            status,
            reason: reason.to_string(),
        };
        if self.tx.try_send(message).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub struct Printer {
    queue: Queue,
    thread: std::thread::JoinHandle<()>,
}

impl Printer {
    pub fn start(out: Output, view: View, control: mpsc::Sender<Control>) -> Printer {
        let (tx, rx) = mpsc::sync_channel(if out.json { JSON_QUEUE } else { HUMAN_QUEUE });
        let dropped = Arc::new(AtomicU64::new(0));
        let queue = Queue {
            tx,
            json: out.json,
            dropped: dropped.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("dsync-printer".into())
            .spawn(move || print_loop(rx, out, view, control, dropped))
            .expect("start the printer thread");
        Printer { queue, thread }
    }

    pub fn sender(&self) -> Queue {
        Queue {
            tx: self.queue.tx.clone(),
            json: self.queue.json,
            dropped: self.queue.dropped.clone(),
        }
    }

    /// Print what is queued, stop; how many lines were dropped.
    pub fn finish(self) -> u64 {
        let _ = self.queue.tx.send(Print::Stop);
        let _ = self.thread.join();
        self.queue.dropped.load(Ordering::Relaxed)
    }
}

fn print_loop(
    rx: mpsc::Receiver<Print>,
    out: Output,
    view: View,
    control: mpsc::Sender<Control>,
    dropped: Arc<AtomicU64>,
) {
    let mut stdout_buf = String::new();
    let mut stderr_buf = String::new();
    let mut failed = false;
    let mut reported_dropped = 0;
    while let Ok(first) = rx.recv() {
        let mut stop = false;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Print::Stop => {
                    stop = true;
                    break;
                }
                message => render(&message, &out, &view, &mut stdout_buf, &mut stderr_buf),
            }
            if stdout_buf.len() + stderr_buf.len() < BATCH_BYTES {
                next = rx.try_recv().ok();
            }
        }
        let now_dropped = dropped.load(Ordering::Relaxed);
        if now_dropped > reported_dropped && !out.quiet {
            stderr_buf.push_str(&format!(
                "… {} event lines not shown (stdout could not keep up)\n",
                now_dropped - reported_dropped
            ));
            reported_dropped = now_dropped;
        }
        if !stderr_buf.is_empty() {
            let _ = std::io::stderr().lock().write_all(stderr_buf.as_bytes());
            stderr_buf.clear();
        }
        if !stdout_buf.is_empty() && !failed {
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(stdout_buf.as_bytes())
                .and_then(|()| stdout.flush())
            {
                failed = true;
                let _ = control.send(Control::OutputFailed(e));
            }
        }
        stdout_buf.clear();
        if stop {
            break;
        }
        std::thread::sleep(GATHER);
    }
}

fn render(message: &Print, out: &Output, view: &View, stdout: &mut String, stderr: &mut String) {
    match message {
        Print::Rejected {
            remote,
            status,
            reason,
        } => {
            let from = remote.map(|a| a.to_string()).unwrap_or_else(|| "?".into());
            if out.json {
                stdout.push_str(
                    &serde_json::json!({
                        "type": "rejected", "remote": from, "status": status, "reason": reason,
                    })
                    .to_string(),
                );
                stdout.push('\n');
            } else if !out.quiet {
                stderr.push_str(&format!("rejected {from} → {status}: {reason}\n"));
            }
        }
        Print::Event(o) => {
            if out.json {
                stdout.push_str(
                    &serde_json::json!({
                        "type": "event",
                        "id": o.capture.as_ref().map(|c| c.id.clone()),
                        "file": o.file,
                        "code": o.code,
                        "verification": o.verification,
                        "reason": o.reason,
                        "status": o.status,
                        "forward": o.capture.as_ref().and_then(|c| c.forward.clone()),
                    })
                    .to_string(),
                );
                stdout.push('\n');
            } else {
                let shown = match (&view.filter, &o.code) {
                    (Some(f), Some(c)) => f.is_match(c),
                    (Some(_), None) => false,
                    (None, _) => true,
                };
                if shown {
                    stdout.push_str(&display::summary_line(o, &out.out));
                    stdout.push('\n');
                    if !view.compact {
                        if let Some(c) = &o.capture {
                            if let Ok(body) = c.body.to_bytes() {
                                if let Some(diff) = crate::diff::render_event(&body, out.out) {
                                    stdout.push_str(&diff);
                                    stdout.push('\n');
                                }
                            }
                        }
                    }
                }
            }
            if let Some(t) = &o.timings {
                stderr.push_str(&format!(
                    "  timing (ms): body {}  queue {}  verify {}  forward {}  save+answer {}\n",
                    ms(t.body),
                    ms(t.queued),
                    ms(t.verify),
                    ms(t.forward),
                    ms(t.save)
                ));
            }
        }
        Print::Stop => {}
    }
}
