//! The handler threads: started as requests need them, up to a bound, and
//! kept (blocked on the queue, they cost nothing) until the server stops.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use super::lock;

type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    static CURRENT: std::cell::Cell<Option<super::Timing>> = const { std::cell::Cell::new(None) };
}

/// The timing of the request this handler thread is running.
pub(super) fn current() -> Option<super::Timing> {
    CURRENT.with(|c| c.get())
}

pub(super) struct Pool {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    shared: Arc<Queue>,
}

struct Queue {
    jobs: Mutex<mpsc::Receiver<Job>>,
    max: usize,
    threads: AtomicUsize,
    idle: AtomicUsize,
}

impl Pool {
    pub(super) fn new(max: usize) -> Pool {
        let (tx, rx) = mpsc::channel();
        Pool {
            jobs: Mutex::new(Some(tx)),
            shared: Arc::new(Queue {
                jobs: Mutex::new(rx),
                max,
                threads: AtomicUsize::new(0),
                idle: AtomicUsize::new(0),
            }),
        }
    }

    /// Run `f` on a handler thread; `None` if it panicked or the pool is closed.
    /// `body`: how long the request's body took to read, for [`super::timing`].
    pub(super) fn run<T: Send + 'static>(
        &self,
        body: std::time::Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> impl std::future::Future<Output = Option<T>> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let queued_at = std::time::Instant::now();
        let job: Job = Box::new(move || {
            CURRENT.with(|c| {
                c.set(Some(super::Timing {
                    body,
                    queued: queued_at.elapsed(),
                }))
            });
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            CURRENT.with(|c| c.set(None));
            if let Ok(value) = result {
                let _ = tx.send(value);
            }
        });
        if self.shared.idle.load(Ordering::Acquire) == 0 {
            self.grow();
        }
        if let Some(jobs) = lock(&self.jobs).as_ref() {
            let _ = jobs.send(job);
        }
        async move { rx.await.ok() }
    }

    fn grow(&self) {
        let reserved = self
            .shared
            .threads
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.shared.max).then_some(n + 1)
            })
            .is_ok();
        if !reserved {
            return;
        }
        let queue = self.shared.clone();
        let spawned = std::thread::Builder::new()
            .name("dsync-handler".into())
            .spawn(move || loop {
                queue.idle.fetch_add(1, Ordering::AcqRel);
                let job = lock(&queue.jobs).recv();
                queue.idle.fetch_sub(1, Ordering::AcqRel);
                match job {
                    Ok(job) => job(),
                    Err(_) => break, // closed
                }
            });
        if spawned.is_err() {
            self.shared.threads.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// No more jobs: threads end once the queue is empty.
    pub(super) fn close(&self) {
        lock(&self.jobs).take();
    }
}
