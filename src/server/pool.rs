//! The handler threads: started as requests need them, up to a bound, and
//! kept (blocked on the queue, they cost nothing) until the server stops.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use super::lock;

type Job = Box<dyn FnOnce() + Send>;
/// Run after each job, with whether no other job is waiting.
pub(super) type After = Box<dyn Fn(bool) + Send + Sync>;

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
    /// Jobs sent and not yet taken by a thread.
    waiting: AtomicUsize,
    after: After,
    max: usize,
    threads: AtomicUsize,
    idle: AtomicUsize,
}

impl Pool {
    pub(super) fn new(max: usize, after: After) -> Pool {
        let (tx, rx) = mpsc::channel();
        Pool {
            jobs: Mutex::new(Some(tx)),
            shared: Arc::new(Queue {
                jobs: Mutex::new(rx),
                waiting: AtomicUsize::new(0),
                after,
                max,
                threads: AtomicUsize::new(0),
                idle: AtomicUsize::new(0),
            }),
        }
    }

    /// Run `f` on a handler thread (nothing, if the pool is closed; a panic
    /// ends only `f`). `body`: how long the request's body took to read, for
    /// [`super::timing`].
    pub(super) fn execute(&self, body: std::time::Duration, f: impl FnOnce() + Send + 'static) {
        let queued_at = std::time::Instant::now();
        let job: Job = Box::new(move || {
            CURRENT.with(|c| {
                c.set(Some(super::Timing {
                    body,
                    queued: queued_at.elapsed(),
                }))
            });
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
            CURRENT.with(|c| c.set(None));
        });
        if let Some(jobs) = lock(&self.jobs).as_ref() {
            self.shared.waiting.fetch_add(1, Ordering::AcqRel);
            if jobs.send(job).is_err() {
                self.shared.waiting.fetch_sub(1, Ordering::AcqRel);
                return;
            }
        }
        // Each idle thread takes one job: a thread more once the jobs
        // outnumber them. (Growing only when none was idle starved a job
        // that came while the last idle thread was taking the one before:
        // behind handlers that block, as forwarding's do, it waited with no
        // thread.) Counted after the send, so a job is never missed; at
        // worst a thread more than needed starts, up to the bound.
        if self.shared.waiting.load(Ordering::Acquire) > self.shared.idle.load(Ordering::Acquire) {
            self.grow();
        }
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
                    Ok(job) => {
                        queue.waiting.fetch_sub(1, Ordering::AcqRel);
                        job();
                        let idle = queue.waiting.load(Ordering::Acquire) == 0;
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            (queue.after)(idle)
                        }));
                    }
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::Duration;

    use super::Pool;

    /// Jobs that each wait for all of them to be running at once: every
    /// job must get a thread of its own (up to the bound), however quickly
    /// they come, or the ones without a thread wait for nothing.
    #[test]
    fn every_waiting_job_gets_a_thread_up_to_the_bound() {
        const JOBS: usize = 6;
        for round in 0..200 {
            let pool = Pool::new(32, Box::new(|_| {}));
            let running = Arc::new((Mutex::new(0usize), Condvar::new()));
            let (done, results) = std::sync::mpsc::channel();
            for _ in 0..JOBS {
                let running = running.clone();
                let done = done.clone();
                pool.execute(Duration::ZERO, move || {
                    let (count, changed) = &*running;
                    let mut n = count.lock().unwrap();
                    *n += 1;
                    changed.notify_all();
                    let (_n, waited) = changed
                        .wait_timeout_while(n, Duration::from_secs(5), |n| *n < JOBS)
                        .unwrap();
                    let _ = done.send(!waited.timed_out());
                });
            }
            for _ in 0..JOBS {
                let all_at_once = results.recv_timeout(Duration::from_secs(10)).unwrap();
                assert!(all_at_once, "round {round}: a job waited with no thread");
            }
            pool.close();
        }
    }
}
