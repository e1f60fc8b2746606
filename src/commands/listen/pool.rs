//! The worker pool behind `dsync listen`.
//!
//! tiny_http hands over a request once its headers are in, and has no read
//! timeout: a client that stops sending its body holds the worker reading
//! it. So the pool starts with `--workers` threads and grows, up to
//! [`MAX_WORKERS`], whenever every worker is busy: a stalled client costs
//! one thread, never the listener.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use super::handle::{self, Outcome, Settings};
use crate::server::HttpServer;

/// The most threads the pool grows to.
pub const MAX_WORKERS: usize = 512;

pub struct Pool {
    shared: Arc<Shared>,
}

struct Shared {
    server: Arc<HttpServer>,
    settings: Arc<Settings>,
    stop: AtomicBool,
    outcomes: mpsc::Sender<Outcome>,
    /// Threads alive.
    size: AtomicUsize,
    /// Threads handling a request.
    busy: AtomicUsize,
    /// Forwarding is async (reqwest): one multi-thread runtime drives every
    /// pooled connection, whichever worker uses it. (A runtime per worker
    /// left a connection's task idle until its own worker ran again.)
    runtime: Option<tokio::runtime::Runtime>,
}

impl Pool {
    pub fn start(
        workers: usize,
        server: Arc<HttpServer>,
        settings: Arc<Settings>,
        outcomes: mpsc::Sender<Outcome>,
    ) -> Pool {
        let runtime = settings.forward.as_ref().and_then(|_| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .ok()
        });
        let shared = Arc::new(Shared {
            server,
            settings,
            stop: AtomicBool::new(false),
            outcomes,
            size: AtomicUsize::new(0),
            busy: AtomicUsize::new(0),
            runtime,
        });
        for _ in 0..workers.clamp(1, MAX_WORKERS) {
            spawn_worker(shared.clone());
        }
        Pool { shared }
    }

    /// Stop taking requests and let those in flight finish, for at most
    /// `grace`. Returns how many were still unfinished (stalled clients).
    pub fn shutdown(self, grace: Duration) -> usize {
        self.shared.stop.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + grace;
        while self.shared.size.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            // Wake the idle workers blocked waiting for a request.
            let idle = self
                .shared
                .size
                .load(Ordering::SeqCst)
                .saturating_sub(self.shared.busy.load(Ordering::SeqCst));
            for _ in 0..idle {
                self.shared.server.unblock();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.shared.busy.load(Ordering::SeqCst)
    }
}

fn spawn_worker(shared: Arc<Shared>) {
    shared.size.fetch_add(1, Ordering::SeqCst);
    std::thread::spawn(move || {
        while !shared.stop.load(Ordering::SeqCst) {
            let Some(request) = shared.server.next() else {
                break; // woken up for shutdown
            };
            let busy = shared.busy.fetch_add(1, Ordering::SeqCst) + 1;
            let size = shared.size.load(Ordering::SeqCst);
            if busy >= size && size < MAX_WORKERS {
                spawn_worker(shared.clone());
            }
            let outcome = handle::handle(request, &shared.settings, shared.runtime.as_ref());
            shared.busy.fetch_sub(1, Ordering::SeqCst);
            if shared.outcomes.send(outcome).is_err() {
                break;
            }
        }
        shared.size.fetch_sub(1, Ordering::SeqCst);
    });
}
