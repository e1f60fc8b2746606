//! Delivery of the outbox to the app, like Cryptr's webhooks: signed afresh
//! on each attempt, retried on Cryptr's schedule, `410` stops that webhook,
//! `503` + `Retry-After` sets the delay. Events of one resource go out in
//! order (an update never overtakes its provision); different resources go
//! in parallel. The outbox is in the database, so what is not delivered when
//! dsync stops is sent after the next start.
//!
//! One dispatcher thread per target reads its pending deliveries and hands
//! the sends to a small tokio runtime (the shared `deliver::Sender`).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::db;
use super::writer::Writer;
use crate::commands::Signing;
use crate::deliver::Sender;
use crate::error::{Error, Result};
use crate::signature::{header_value, Header};
use crate::store::Store;

/// Cryptr's documented schedule: a try at once, then after 5 min, 10 min, 20 min, 1 h, 2 h.
pub const CRYPTR_SCHEDULE: [u64; 6] = [0, 300, 600, 1200, 3600, 7200];

/// Where events go, and which codes (globs; Cryptr's `all` and
/// `dir_sync.all` too). No codes: every event.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub codes: Vec<String>,
    matchers: Vec<globset::GlobMatcher>,
}

impl Target {
    pub fn new(url: &str, codes: &[String]) -> Result<Target> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| Error::usage(format!("--forward-to {url:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::usage(format!(
                "--forward-to {url:?}: only http and https URLs can receive webhooks"
            )));
        }
        let matchers = codes
            .iter()
            .map(|c| {
                let glob = match c.as_str() {
                    "all" => "*".to_string(),
                    other => match other.strip_suffix(".all") {
                        Some(prefix) => format!("{prefix}.*"),
                        None => other.to_string(),
                    },
                };
                crate::commands::code_glob("--forward-to", &glob)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Target {
            url: url.to_string(),
            codes: codes.to_vec(),
            matchers,
        })
    }

    /// `URL` or `URL CODE,CODE` (a URL holds no space), as `--forward-to` takes it.
    pub fn parse(spec: &str) -> Result<Target> {
        let mut parts = spec.split_whitespace();
        let url = parts
            .next()
            .ok_or_else(|| Error::usage("--forward-to needs a URL"))?;
        let codes: Vec<String> = parts
            .flat_map(|p| p.split(','))
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        Target::new(url, &codes)
    }

    pub fn wants(&self, code: &str) -> bool {
        self.matchers.is_empty() || self.matchers.iter().any(|m| m.is_match(code))
    }
}

/// How deliveries behave, including the opt-in chaos `simulate` offers.
#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// Delay before each try (the first is usually zero); its length is the number of tries.
    pub retry_schedule: Vec<Duration>,
    /// Share of delivered events sent a second time (0.0–1.0).
    pub duplicate: f64,
    /// Above 1: deliveries are held until N are due (or the oldest has
    /// waited [`REORDER_LINGER_MS`], so a last short window still goes), then
    /// sent one after the other in a seeded shuffled order; resource order is not kept.
    pub reorder_window: usize,
    /// The first try of every event is sent, then treated as failed, so it is retried.
    pub fail_first: bool,
    /// Seed of the chaos choices.
    pub seed: u64,
    /// Deliveries in flight per target.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            retry_schedule: CRYPTR_SCHEDULE
                .iter()
                .map(|s| Duration::from_secs(*s))
                .collect(),
            duplicate: 0.0,
            reorder_window: 0,
            fail_first: false,
            seed: 0,
            concurrency: 32,
            timeout: Duration::from_secs(30),
        }
    }
}

/// One delivery attempt, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    pub target: String,
    pub event: String,
    pub code: String,
    pub resource: String,
    pub attempt: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub latency_ms: f64,
    /// `delivered`, `retry`, `failed` (tries exhausted), `gone` (410), `duplicate`.
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_in_ms: Option<u64>,
}

/// Where delivery stands.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DeliveryReport {
    pub delivered: u64,
    pub failed: u64,
    pub gone: u64,
    pub pending: u64,
    /// Attempts made by this process (duplicates included).
    pub attempts: u64,
    pub duplicates: u64,
    pub latency_p50_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
}

pub type Observer = Arc<dyn Fn(&DeliveryRecord) + Send + Sync>;

enum Msg {
    Wake,
    Done(Done),
    Stop,
}

struct Done {
    pending: db::Pending,
    status: Option<u16>,
    retry_after: Option<Duration>,
    error: Option<String>,
    latency: Duration,
    duplicate: bool,
}

#[derive(Default)]
struct Stats {
    attempts: AtomicU64,
    duplicates: AtomicU64,
    latencies_us: Mutex<Vec<u64>>,
    /// Sends in flight across targets (duplicates included).
    in_flight: AtomicU64,
}

/// The running delivery workers.
pub struct Engine {
    store: Store,
    urls: Vec<String>,
    senders: Vec<mpsc::Sender<Msg>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    stats: Arc<Stats>,
    progress: Arc<(Mutex<u64>, Condvar)>,
    _runtime: Arc<tokio::runtime::Runtime>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Engine {
    pub fn start(
        store: Store,
        writer: Arc<Writer>,
        targets: &[Target],
        signing: Arc<Signing>,
        options: DeliveryOptions,
        observer: Option<Observer>,
    ) -> Result<Engine> {
        let runtime = Arc::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("dsync-delivery")
                .enable_all()
                .build()
                .map_err(Error::io)?,
        );
        let sender = Sender::new(options.timeout)?;
        let stats = Arc::new(Stats::default());
        let progress = Arc::new((Mutex::new(0u64), Condvar::new()));
        let mut senders = Vec::new();
        let mut threads = Vec::new();
        let mut seen = HashSet::new();
        for (n, target) in targets.iter().enumerate() {
            if !seen.insert(target.url.clone()) {
                continue;
            }
            let (tx, rx) = mpsc::channel();
            let worker = Dispatcher {
                url: target.url.clone(),
                conn: super::storage::connection(&store)?,
                writer: writer.clone(),
                rx,
                tx: tx.clone(),
                runtime: runtime.clone(),
                sender: sender.clone(),
                signing: signing.clone(),
                options: options.clone(),
                rng: ChaCha8Rng::seed_from_u64(options.seed.wrapping_add(n as u64)),
                observer: observer.clone(),
                stats: stats.clone(),
                progress: progress.clone(),
                in_flight: HashMap::new(),
            };
            threads.push(
                std::thread::Builder::new()
                    .name("dsync-dispatch".into())
                    .spawn(move || worker.run())
                    .map_err(Error::io)?,
            );
            senders.push(tx);
        }
        Ok(Engine {
            store,
            urls: seen.into_iter().collect(),
            senders,
            threads,
            stats,
            progress,
            _runtime: runtime,
        })
    }

    /// New events were committed.
    pub fn wake(&self) {
        for s in &self.senders {
            let _ = s.send(Msg::Wake);
        }
    }

    /// A waker that can be handed to the directory (called after each commit).
    pub fn waker(&self) -> Box<dyn Fn() + Send + Sync> {
        let senders: Vec<Mutex<mpsc::Sender<Msg>>> =
            self.senders.iter().cloned().map(Mutex::new).collect();
        Box::new(move || {
            for s in &senders {
                let _ = s.lock().expect("waker").send(Msg::Wake);
            }
        })
    }

    /// Deliveries by state for this run's targets, and this run's attempt figures.
    pub fn report(&self) -> Result<DeliveryReport> {
        let conn = super::storage::connection(&self.store)?;
        let counts = db::delivery_counts(&conn, Some(&self.urls))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot read the outbox: {e}")))?;
        let get = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        let mut lat = self.stats.latencies_us.lock().expect("stats").clone();
        lat.sort_unstable();
        let pct = |p: f64| {
            (!lat.is_empty()).then(|| {
                let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
                lat[i] as f64 / 1000.0
            })
        };
        Ok(DeliveryReport {
            delivered: get("delivered"),
            failed: get("failed"),
            gone: get("gone"),
            pending: get("pending"),
            attempts: self.stats.attempts.load(Ordering::Relaxed),
            duplicates: self.stats.duplicates.load(Ordering::Relaxed),
            latency_p50_ms: pct(0.5),
            latency_p99_ms: pct(0.99),
        })
    }

    /// Wait until every delivery to this run's targets is delivered or given
    /// up (and no duplicate is still in flight); a timeout is exit 124.
    pub fn wait_settled(&self, timeout: Duration) -> Result<DeliveryReport> {
        let deadline = Instant::now() + timeout;
        loop {
            // In this order: with no row pending, every original send has
            // settled, and any duplicate it chose was counted in flight
            // before that settled; once those are done too, nothing changes
            // any more, so the report is read only then (read before the
            // check, it could miss a duplicate finishing in between).
            let report = self.report()?;
            if report.pending == 0 && self.stats.in_flight.load(Ordering::SeqCst) == 0 {
                return self.report();
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error {
                    exit: crate::error::Exit::Timeout,
                    inner: anyhow::anyhow!(
                        "deliveries not settled after {:?}: {} pending",
                        timeout,
                        report.pending
                    ),
                });
            }
            let (lock, cvar) = &*self.progress;
            let guard = lock.lock().expect("progress");
            let wait = (deadline - now).min(Duration::from_millis(50));
            let _ = cvar.wait_timeout(guard, wait).expect("progress");
        }
    }

    /// Stop: in-flight sends finish (bounded by the request timeout); what is
    /// pending stays in the outbox for the next start.
    pub fn shutdown(mut self) -> Result<DeliveryReport> {
        for s in &self.senders {
            let _ = s.send(Msg::Stop);
        }
        for t in self.threads.drain(..).collect::<Vec<_>>() {
            let _ = t.join();
        }
        self.report()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        for s in &self.senders {
            let _ = s.send(Msg::Stop);
        }
    }
}

struct Dispatcher {
    url: String,
    /// For reads; every write goes through `writer`.
    conn: rusqlite::Connection,
    writer: Arc<Writer>,
    rx: mpsc::Receiver<Msg>,
    tx: mpsc::Sender<Msg>,
    runtime: Arc<tokio::runtime::Runtime>,
    sender: Sender,
    signing: Arc<Signing>,
    options: DeliveryOptions,
    rng: ChaCha8Rng,
    observer: Option<Observer>,
    stats: Arc<Stats>,
    progress: Arc<(Mutex<u64>, Condvar)>,
    /// Delivery id → resource key, for what is being sent now.
    in_flight: HashMap<i64, String>,
}

/// How many pending rows one look reads at most (in event order).
const WINDOW: usize = 2048;

/// How long a reorder window waits to fill before it goes out as it is.
const REORDER_LINGER_MS: i64 = 100;

impl Dispatcher {
    fn run(mut self) {
        let mut stopping = false;
        let mut gone = false;
        let mut next_due: Option<i64> = None;
        loop {
            let wait = match next_due {
                Some(due) => Duration::from_millis((due - now_ms()).clamp(0, 1000) as u64),
                None => Duration::from_secs(1),
            };
            let mut done = Vec::new();
            match self.rx.recv_timeout(wait) {
                Ok(Msg::Done(d)) => done.push(d),
                Ok(Msg::Stop) => stopping = true,
                Ok(Msg::Wake) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => stopping = true,
            }
            while let Ok(msg) = self.rx.try_recv() {
                match msg {
                    Msg::Done(d) => done.push(d),
                    Msg::Stop => stopping = true,
                    Msg::Wake => {}
                }
            }
            if !done.is_empty() {
                gone |= self.settle(done);
                let (lock, cvar) = &*self.progress;
                *lock.lock().expect("progress") += 1;
                cvar.notify_all();
            }
            if stopping && self.in_flight.is_empty() {
                return;
            }
            if stopping {
                continue;
            }
            if gone {
                // A webhook that answered 410 gets nothing more, new events included.
                let _ = self.writer.write(|c| db::stop_target(c, &self.url));
                next_due = None;
                continue;
            }
            next_due = self.schedule();
        }
    }

    /// Start what may be sent now; returns when the next retry is due.
    fn schedule(&mut self) -> Option<i64> {
        let reorder = self.options.reorder_window > 1;
        if reorder && !self.in_flight.is_empty() {
            return None;
        }
        let now = now_ms();
        let mut due: Option<i64> = None;
        let limit = if reorder {
            self.options.reorder_window
        } else {
            self.options.concurrency.max(1)
        };
        let in_flight = &self.in_flight;
        let mut blocked: HashSet<String> = in_flight.values().cloned().collect();
        let mut batch = Vec::new();
        let mut looked = 0;
        // The oldest rows first, and only as many as it takes to fill the
        // free slots (at most WINDOW): not the whole backlog at every wake.
        let scanned = db::for_each_pending(&self.conn, &self.url, |row| {
            looked += 1;
            if in_flight.contains_key(&row.id) {
                return looked < WINDOW;
            }
            if !reorder {
                // Only the oldest pending event of a resource may go.
                if !blocked.insert(row.resource.clone()) {
                    return looked < WINDOW;
                }
            }
            if row.next_at > now {
                due = Some(due.map_or(row.next_at, |d: i64| d.min(row.next_at)));
                return looked < WINDOW;
            }
            if in_flight.len() + batch.len() >= limit {
                return false;
            }
            batch.push(row);
            looked < WINDOW
        });
        if scanned.is_err() {
            return Some(now + 500);
        }
        if batch.is_empty() {
            return due;
        }
        if reorder && batch.len() < self.options.reorder_window {
            // Let a window fill (briefly), or nothing would ever be out of order.
            let oldest = batch.iter().map(|r| r.next_at).min().unwrap_or(now);
            if now - oldest < REORDER_LINGER_MS {
                let ready_at = oldest + REORDER_LINGER_MS;
                return Some(due.map_or(ready_at, |d| d.min(ready_at)));
            }
        }
        for row in &mut batch {
            if db::fill_event(&self.conn, row).is_err() {
                // Not readable now: it stays pending and is looked at again.
                return Some(now + 500);
            }
        }
        for row in &batch {
            self.in_flight.insert(row.id, row.resource.clone());
        }
        if reorder {
            batch.shuffle(&mut self.rng);
            self.send_in_turn(batch);
        } else {
            for row in batch {
                self.send_in_turn(vec![row]);
            }
        }
        due
    }

    /// Send these one after the other (a shuffled batch keeps its shuffled order).
    fn send_in_turn(&self, rows: Vec<db::Pending>) {
        self.spawn_sends(rows, false);
    }

    fn spawn_sends(&self, rows: Vec<db::Pending>, duplicate: bool) {
        let sender = self.sender.clone();
        let signing = self.signing.clone();
        let url = self.url.clone();
        let tx = self.tx.clone();
        let stats = self.stats.clone();
        if !duplicate {
            // (Duplicates were counted when `settle` chose them.)
            stats
                .in_flight
                .fetch_add(rows.len() as u64, Ordering::SeqCst);
        }
        self.runtime.spawn(async move {
            for pending in rows {
                let mut headers: Vec<Header> = vec![
                    (
                        "content-type".into(),
                        "application/json; charset=UTF-8".into(),
                    ),
                    (
                        "user-agent".into(),
                        concat!("dsync-directory/", env!("CARGO_PKG_VERSION")).into(),
                    ),
                ];
                let started = Instant::now();
                let result = match signing.fresh_headers(&pending.body) {
                    Ok(h) => {
                        headers.extend(h);
                        sender.post(&url, &headers, pending.body.clone()).await
                    }
                    Err(e) => Err(e),
                };
                stats.attempts.fetch_add(1, Ordering::Relaxed);
                let done = match result {
                    Ok(answer) => Done {
                        status: Some(answer.status),
                        retry_after: retry_after(&answer.headers),
                        error: None,
                        latency: answer.latency,
                        pending,
                        duplicate,
                    },
                    Err(e) => Done {
                        status: None,
                        retry_after: None,
                        error: Some(format!("{e:#}")),
                        latency: started.elapsed(),
                        pending,
                        duplicate,
                    },
                };
                let _ = tx.send(Msg::Done(done));
            }
        });
    }

    /// Record outcomes in one transaction; true when the target answered 410.
    fn settle(&mut self, done: Vec<Done>) -> bool {
        let mut gone = false;
        let mut records = Vec::new();
        let mut duplicates = Vec::new();
        let writer = self.writer.clone();
        // One write (a savepoint in the directory's open batch) for all outcomes.
        let _ = writer.write(|tx| {
            for d in done {
                self.stats
                    .latencies_us
                    .lock()
                    .expect("stats")
                    .push(d.latency.as_micros() as u64);
                let attempt = d.pending.attempts + 1;
                let ok = d.status.is_some_and(|s| (200..300).contains(&s));
                let faked = self.options.fail_first && attempt == 1;
                let again = !d.duplicate
                    && ok
                    && !faked
                    && self.options.duplicate > 0.0
                    && self.rng.gen_bool(self.options.duplicate.min(1.0));
                // A duplicate is in flight before its original leaves, and a
                // send's counters are up to date before it leaves: see
                // `wait_settled`.
                if again {
                    self.stats.in_flight.fetch_add(1, Ordering::SeqCst);
                }
                if d.duplicate {
                    self.stats.duplicates.fetch_add(1, Ordering::SeqCst);
                }
                self.stats.in_flight.fetch_sub(1, Ordering::SeqCst);
                let mut record = DeliveryRecord {
                    target: self.url.clone(),
                    event: d.pending.capture_id.clone(),
                    code: d.pending.code.clone(),
                    resource: d.pending.resource.clone(),
                    attempt,
                    status: d.status,
                    error: d.error.clone(),
                    latency_ms: d.latency.as_secs_f64() * 1000.0,
                    outcome: "delivered",
                    retry_in_ms: None,
                };
                if d.duplicate {
                    record.outcome = "duplicate";
                    records.push(record);
                    continue;
                }
                self.in_flight.remove(&d.pending.id);
                let result = if ok && !faked {
                    if again {
                        duplicates.push(d.pending.clone());
                    }
                    db::record_attempt(tx, d.pending.id, "delivered", attempt, 0, d.status, None)
                } else if d.status == Some(410) {
                    record.outcome = "gone";
                    gone = true;
                    db::record_attempt(tx, d.pending.id, "gone", attempt, 0, d.status, None)
                        .and_then(|_| db::stop_target(tx, &self.url).map(|_| ()))
                } else {
                    let error = if faked {
                        record.error = Some("fail-first: this try is made to look failed".into());
                        record.error.clone()
                    } else {
                        d.error.clone()
                    };
                    match self.options.retry_schedule.get(attempt as usize) {
                        Some(delay) => {
                            let delay = match (d.status, d.retry_after) {
                                (Some(503), Some(after)) => after,
                                _ => *delay,
                            };
                            record.outcome = "retry";
                            record.retry_in_ms = Some(delay.as_millis() as u64);
                            db::record_attempt(
                                tx,
                                d.pending.id,
                                "pending",
                                attempt,
                                now_ms() + delay.as_millis() as i64,
                                d.status,
                                error.as_deref(),
                            )
                        }
                        None => {
                            record.outcome = "failed";
                            db::record_attempt(
                                tx,
                                d.pending.id,
                                "failed",
                                attempt,
                                0,
                                d.status,
                                error.as_deref(),
                            )
                        }
                    }
                };
                if result.is_err() {
                    // The row stays pending; it is tried again.
                    continue;
                }
                records.push(record);
            }
            Ok::<(), rusqlite::Error>(())
        });
        if !duplicates.is_empty() {
            self.spawn_sends(duplicates, true);
        }
        if let Some(observer) = &self.observer {
            for r in &records {
                observer(r);
            }
        }
        gone
    }
}

/// `Retry-After: 120` or an HTTP date.
fn retry_after(headers: &[Header]) -> Option<Duration> {
    let value = header_value(headers, "retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let ms = at.timestamp_millis() - now_ms();
    Some(Duration::from_millis(ms.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_take_cryptr_style_code_filters() {
        let t =
            Target::parse("http://127.0.0.1:3000/hook dir_sync.user.*,dir_sync.group.all").unwrap();
        assert!(t.wants("dir_sync.user.provision.success"));
        assert!(t.wants("dir_sync.group.users_added.success"));
        assert!(!t.wants("dir_sync.activate.success"));
        let all = Target::parse("http://127.0.0.1:3000/hook").unwrap();
        assert!(all.wants("dir_sync.activate.success"));
        assert!(Target::parse("ftp://x").is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let h = vec![("Retry-After".to_string(), "7".to_string())];
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let h = vec![(
            "retry-after".to_string(),
            "Wed, 21 Oct 2015 07:28:00 GMT".to_string(),
        )];
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }
}
