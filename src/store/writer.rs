//! Group commit: the one writer of a process's store.
//!
//! One connection writes. A saver queues its row; if nobody is committing,
//! it takes the connection and commits everything queued (its own row and
//! whatever others queued meanwhile) as one transaction, again and again
//! until the queue is empty, then puts the connection back. Nobody gets an
//! answer before its row is committed.
//!
//! Two ways to wait. `save` blocks its thread until the row is committed.
//! `queue` returns at once and the committer calls the given function
//! once the row is committed: `listen` answers its requests from there, so
//! a request waiting for its commit holds no thread, and a batch of N rows
//! costs no N thread wake-ups (measured: with a blocked thread per request,
//! context switches were the largest cost of saving).
//!
//! The committer is whichever saver found the connection free, not a
//! dedicated thread: on a busy machine a dedicated writer spent most of its
//! time waiting for a CPU to wake up on (measured: 1.7 s of 3 s runnable but
//! not running, batches of 1.3 rows), while a thread that has just received
//! a request is already running. A maintenance thread adds bodies to the
//! full-text index in bulk when the connection is free, and checkpoints the
//! WAL on a connection of its own; both wait for a pause in the writes (or
//! for too much to be behind), because during a burst the CPU is the
//! requests' (measured: checkpointing every 2,048 rows cost ~8 µs a row, of
//! the ~45 µs saving adds to a request). Under writes that never pause, the
//! committer copies the last frames of a long WAL itself, a short stop that
//! lets the WAL start over instead of growing for as long as the writes go
//! on (`finish_checkpoint`).

use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use rusqlite::Connection;

use super::{captures, Store};
use crate::error::{Error, Result};

/// Most rows committed in one transaction.
const MAX_BATCH: usize = 512;
/// Rows added to the full-text index per maintenance transaction.
const INDEX_CHUNK: u64 = 2048;
/// Full-text indexing waits until no commit has happened for this long...
const INDEX_WHEN_QUIET: Duration = Duration::from_millis(250);
/// ...or until this many bodies wait (a search indexes them first).
const INDEX_BACKLOG_MAX: usize = 20_000;
/// How often the maintenance thread looks for work.
const MAINTENANCE_EVERY: Duration = Duration::from_millis(100);
/// During a burst, the WAL is checkpointed once it holds this many frames
/// (pages: 64 MiB at SQLite's 4 KiB); otherwise once the writes pause.
const WAL_FRAMES_MAX: usize = 16_384;
/// The committer finishes a checkpoint once at most this many frames are
/// left to copy (4 MiB), so that its stop stays short...
const FINISH_FRAMES_MAX: usize = 1_024;
/// ...or after this many passes.
const MAX_PASSES: usize = 4;
/// `queue`d rows are committed at the latest when this many wait, or when
/// the oldest has waited `QUEUE_WAIT_MAX`, whatever the caller says.
const QUEUE_ROWS_MAX: usize = 64;
const QUEUE_WAIT_MAX: Duration = Duration::from_millis(2);

/// Called on the committing thread once a queued row is committed (its
/// rowid) or could not be: must be quick and must not save.
pub(crate) type Done = Box<dyn FnOnce(Result<i64>) + Send>;

pub(crate) struct Writer {
    store: Store,
    state: Mutex<State>,
}

struct State {
    /// `None` while a committer (or maintenance) holds it.
    conn: Option<Connection>,
    queue: Vec<Pending>,
    /// When the oldest row in `queue` was queued.
    oldest: Option<std::time::Instant>,
    /// When the last batch was committed.
    last_commit: Option<std::time::Instant>,
    unindexed: usize,
    /// Rows committed since the last checkpoint.
    since_checkpoint: usize,
    /// Frames in the WAL after the last commit.
    wal_frames: usize,
    /// `WAL_FRAMES_MAX` (smaller in tests).
    wal_frames_max: usize,
    /// Maintenance has copied most of a long WAL: the committer finishes
    /// the checkpoint before its next batch (see `finish_checkpoint`).
    finish_checkpoint: bool,
}

struct Pending {
    row: captures::Row,
    then: Then,
}

/// Who hears about a committed row.
enum Then {
    /// A thread blocked in `save`.
    Wake(Arc<Waiting>),
    /// `queue`'s function.
    Call(Done),
}

struct Waiting {
    result: std::sync::OnceLock<std::result::Result<i64, String>>,
    /// Signalled (with `Writer::state` held) when `result` is set.
    wake: Condvar,
}

fn as_error(why: String) -> Error {
    Error::io(anyhow::anyhow!("{why}"))
}

impl Writer {
    /// Open the writing connection and start maintenance. `store` carries
    /// the settings (and no writer of its own).
    pub(crate) fn start(store: Store) -> Result<Arc<Writer>> {
        let conn = store.connection()?;
        // Checkpoints are maintenance's job; a bigger page cache keeps the
        // index pages a batch touches in memory.
        conn.execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536;")
            .map_err(|e| store.error(e, "cannot open"))?;
        conn.wal_hook(Some(note_wal_frames));
        let writer = Arc::new(Writer {
            store,
            state: Mutex::new(State {
                conn: Some(conn),
                queue: Vec::new(),
                oldest: None,
                last_commit: None,
                unindexed: 0,
                since_checkpoint: 0,
                wal_frames: 0,
                wal_frames_max: WAL_FRAMES_MAX,
                finish_checkpoint: false,
            }),
        });
        let weak = Arc::downgrade(&writer);
        let checkpoints = writer.store.connection()?;
        std::thread::Builder::new()
            .name("dsync-store-maintenance".into())
            .spawn(move || maintain(weak, checkpoints))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot start the store's maintenance: {e}")))?;
        Ok(writer)
    }

    /// Returns once `row` is committed (its rowid), or why it could not be.
    pub(crate) fn save(&self, row: captures::Row) -> Result<i64> {
        let me = Arc::new(Waiting {
            result: std::sync::OnceLock::new(),
            wake: Condvar::new(),
        });
        let mut state = self.push(row, Then::Wake(me.clone()));
        if let Some(conn) = state.conn.take() {
            drop(state);
            // Commits until the queue is empty: ours is committed after it.
            self.commit_queued(conn);
            state = self.lock();
        }
        loop {
            if let Some(result) = me.result.get() {
                return result.clone().map_err(as_error);
            }
            state = me.wake.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Queue `row` and return without committing it (unless many rows or
    /// an old one wait): the caller promises to call `flush` soon, which
    /// commits when it says nothing else is on its way. `listen` queues
    /// each request's row and flushes when no request waits for a handler,
    /// so one commit carries every request in progress (measured: batches of
    /// 2 rows when each request committed what it found queued).
    pub(crate) fn queue(&self, row: captures::Row, then: Done) {
        let state = self.push(row, Then::Call(then));
        self.commit_if_due(state, false);
    }

    /// Commit what is queued if `idle` (no more rows are on their way), or
    /// if enough rows or an old one wait; nothing if a commit is running
    /// (it commits everything queued before it stops).
    pub(crate) fn flush(&self, idle: bool) {
        let state = self.lock();
        self.commit_if_due(state, idle);
    }

    fn commit_if_due(&self, mut state: std::sync::MutexGuard<'_, State>, idle: bool) {
        let due = !state.queue.is_empty()
            && (idle
                || state.queue.len() >= QUEUE_ROWS_MAX
                || state.oldest.is_some_and(|t| t.elapsed() >= QUEUE_WAIT_MAX));
        if !due {
            return;
        }
        if let Some(conn) = state.conn.take() {
            drop(state);
            self.commit_queued(conn);
        }
    }

    fn push(&self, row: captures::Row, then: Then) -> std::sync::MutexGuard<'_, State> {
        let mut state = self.lock();
        if state.queue.is_empty() {
            state.oldest = Some(std::time::Instant::now());
        }
        state.queue.push(Pending { row, then });
        state
    }

    /// Commit batches until nothing is queued, then give the connection
    /// back. Whoever queues while the connection is out relies on this loop:
    /// the emptiness check and the hand-back happen under one lock.
    fn commit_queued(&self, mut conn: Connection) {
        loop {
            let mut state = self.lock();
            if std::mem::take(&mut state.finish_checkpoint) {
                drop(state);
                finish_checkpoint(&conn);
                continue;
            }
            if state.queue.is_empty() {
                state.conn = Some(conn);
                return;
            }
            let n = state.queue.len().min(MAX_BATCH);
            let batch: Vec<Pending> = state.queue.drain(..n).collect();
            state.oldest = (!state.queue.is_empty()).then(std::time::Instant::now);
            drop(state);
            let rows: Vec<&captures::Row> = batch.iter().map(|p| &p.row).collect();
            let results = self.store.commit_batch(&mut conn, &rows);
            let mut calls = Vec::new();
            {
                let mut state = self.lock();
                state.last_commit = Some(std::time::Instant::now());
                state.unindexed += n;
                state.since_checkpoint += n;
                state.wal_frames = WAL_FRAMES.with(|f| f.get());
                for (pending, result) in batch.into_iter().zip(results) {
                    match pending.then {
                        Then::Wake(w) => {
                            let _ = w.result.set(result);
                            w.wake.notify_one();
                        }
                        Then::Call(f) => calls.push((f, result)),
                    }
                }
            }
            for (f, result) in calls {
                // A panicking callback must not take the connection with it.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    f(result.map_err(as_error))
                }));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere must not stop saving: the state stays consistent
        // (the connection is put back before anyone is told anything).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` on the writing connection if nobody is committing, then
    /// commit what queued meanwhile (those savers found no connection and
    /// rely on whoever holds it).
    fn with_idle_connection(&self, f: impl FnOnce(&mut Connection)) -> bool {
        let mut state = self.lock();
        let Some(mut conn) = state.conn.take() else {
            return false;
        };
        drop(state);
        f(&mut conn);
        self.commit_queued(conn);
        true
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Index what is left while the connection is still open.
        let state = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        if state.unindexed > 0 {
            if let Some(conn) = state.conn.as_mut() {
                self.store.index_for_search(conn, u64::MAX);
            }
        }
    }
}

thread_local! {
    /// What SQLite's WAL hook said after this thread's last commit.
    static WAL_FRAMES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// SQLite calls this on the committing thread, after each commit, with the
/// frames now in the WAL (it starts again from 0 after a checkpoint).
fn note_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.with(|f| f.set(frames.max(0) as usize));
    Ok(())
}

/// The rest of a checkpoint, on the writing connection between two batches.
///
/// Under steady writes a checkpoint on another connection never catches up
/// (new frames arrive while it copies), and SQLite starts the WAL over only
/// once every frame is in the database: the WAL would grow for as long as
/// the writes go on (measured: 400 MB in 5 s of `wrk`), every frame an
/// append, which costs the file system more than an overwrite. Here nothing
/// is written meanwhile, so this copies the frames the passes missed
/// and the next commit writes the WAL from its start again.
fn finish_checkpoint(conn: &Connection) {
    let _ = passive_checkpoint(conn);
}

/// Bulk full-text indexing and WAL checkpoints, until the writer is gone.
fn maintain(writer: Weak<Writer>, checkpoints: Connection) {
    loop {
        std::thread::sleep(MAINTENANCE_EVERY);
        let Some(w) = writer.upgrade() else {
            return;
        };
        // A safety net: rows `queue`d by a caller that has not flushed.
        w.flush(false);
        let (unindexed, since_checkpoint, long_wal, quiet) = {
            let s = w.lock();
            let quiet = s
                .last_commit
                .is_none_or(|t| t.elapsed() >= INDEX_WHEN_QUIET);
            // Not while the committer is asked to finish a checkpoint.
            let long_wal = s.wal_frames >= s.wal_frames_max && !s.finish_checkpoint;
            (s.unindexed, s.since_checkpoint, long_wal, quiet)
        };
        // During a burst the CPU is the requests': index once it is over, or
        // when so much waits that a search's catching up would be slow.
        if unindexed > 0 && (quiet || unindexed >= INDEX_BACKLOG_MAX) {
            let mut indexed = 0;
            let ran = w.with_idle_connection(|conn| {
                indexed = w.store.index_for_search(conn, INDEX_CHUNK);
            });
            if ran {
                let mut s = w.lock();
                s.unindexed = s.unindexed.saturating_sub(indexed as usize);
            }
        }
        if since_checkpoint > 0 && (quiet || long_wal) {
            // PASSIVE: copies what no reader still needs and never blocks
            // the writer, so the bulk of the copying, and its fsyncs, happen
            // here. Under steady writes, pass after pass, each copying what
            // was written during the one before, until few frames are left
            // (or the writes outpace the copying); the committer copies those
            // between two batches (a short stop), and the WAL starts over.
            for pass in 1..=MAX_PASSES {
                let copied = passive_checkpoint(&checkpoints);
                let mut s = w.lock();
                s.since_checkpoint = 0;
                // Quiet: nothing written meanwhile, all copied. Failed or
                // busy (the committer is finishing one): nothing to add.
                let Some(copied) = copied.filter(|_| !quiet) else {
                    break;
                };
                let left = s.wal_frames.saturating_sub(copied);
                if left <= FINISH_FRAMES_MAX || pass == MAX_PASSES {
                    s.finish_checkpoint = true;
                    break;
                }
            }
        }
    }
}

/// A passive checkpoint: up to which frame the WAL is now copied into the
/// database; `None` if it failed, or found another checkpoint running.
fn passive_checkpoint(conn: &Connection) -> Option<usize> {
    let (busy, copied) = conn
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(2)?))
        })
        .ok()?;
    (busy == 0).then_some(copied.max(0) as usize)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::super::{captures, Capture, Store};

    fn capture(n: usize) -> Capture {
        Capture::new("POST", "/", Vec::new(), format!("{{\"n\":{n}}}").as_bytes())
    }

    fn stored(store: &Store) -> u64 {
        let conn = store.connection().unwrap();
        captures::count(&conn, &captures::Query::default()).unwrap()
    }

    /// Queue every capture, flush once as `listen` does when no request
    /// waits, and return each row's outcome in order.
    fn queue_and_flush(store: &Store, all: Vec<Capture>) -> Vec<Result<(), String>> {
        let (done, results) = mpsc::channel();
        let n = all.len();
        for c in all {
            let done = done.clone();
            store.to_save(&c).unwrap().queue(move |r| {
                done.send(r.map(drop).map_err(|e| format!("{e:#}")))
                    .unwrap()
            });
        }
        store.flush(true);
        (0..n)
            .map(|_| results.recv_timeout(Duration::from_secs(5)).unwrap())
            .collect()
    }

    #[test]
    fn queued_rows_are_committed_together_by_an_idle_flush() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let got = queue_and_flush(&store, (0..5).map(capture).collect());
        assert_eq!(got, vec![Ok(()); 5]);
        // Told only once committed: a reader sees every row.
        assert_eq!(stored(&store), 5);
    }

    #[test]
    fn a_queued_row_nobody_flushes_is_still_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (done, result) = mpsc::channel();
        store
            .to_save(&capture(1))
            .unwrap()
            .queue(move |r| done.send(r.is_ok()).unwrap());
        // The maintenance thread's safety net commits it (within ~100 ms).
        assert!(result.recv_timeout(Duration::from_secs(5)).unwrap());
        assert_eq!(stored(&store), 1);
    }

    #[test]
    fn the_wal_is_checkpointed_once_the_writes_pause() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let db = store.db_path().to_path_buf();
        let before = std::fs::metadata(&db).unwrap().len();
        let got = queue_and_flush(&store, (0..200).map(capture).collect());
        assert_eq!(got, vec![Ok(()); 200]);
        // Far below the frame cap: only the pause starts the checkpoint,
        // which copies the rows' pages from the WAL into the database file.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&db).unwrap().len() <= before {
            assert!(
                std::time::Instant::now() < deadline,
                "no checkpoint 10 s after the last write"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn the_wal_starts_over_while_the_writes_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let writer = store.writer().unwrap().clone();
        writer.lock().wal_frames_max = 64;
        // Steady writes, never pausing for `INDEX_WHEN_QUIET`: only the
        // frame cap can start a checkpoint, and SQLite starts the WAL over
        // only once a checkpoint has copied every frame.
        let (mut restarts, mut last, mut written, mut longest) = (0, 0, 0usize, 0usize);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        for n in 0.. {
            if restarts >= 3 || std::time::Instant::now() >= deadline {
                break;
            }
            // One row a time, so one commit between two looks at the frames
            // (a restart inside a batch of several would hide the run's end).
            let got = queue_and_flush(&store, vec![capture(n)]);
            assert_eq!(got, vec![Ok(())]);
            let frames = writer.lock().wal_frames;
            longest = longest.max(frames);
            if frames < last {
                restarts += 1;
                written += frames;
            } else {
                written += frames - last;
            }
            last = frames;
        }
        assert!(
            restarts >= 3,
            "the WAL started over {restarts} times in 20 s of steady writes ({written} frames)"
        );
        // Written over, not appended to: the file holds the longest run
        // between two restarts (how long depends on how busy the machine
        // is), not every frame written.
        let wal = std::fs::metadata(dir.path().join("dsync.db-wal"))
            .unwrap()
            .len();
        let frame = 24 + 4096;
        assert!(
            longest < written && wal <= 32 + longest as u64 * frame,
            "WAL file {wal} bytes; longest run {longest} frames of {written} written"
        );
    }

    #[test]
    fn a_duplicate_id_fails_alone_in_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let first = capture(1);
        let got = queue_and_flush(&store, vec![first.clone(), capture(2), first]);
        assert!(got[0].is_ok() && got[1].is_ok(), "{got:?}");
        assert!(
            got[2].as_ref().unwrap_err().contains("already stored"),
            "{got:?}"
        );
        assert_eq!(stored(&store), 2);
    }
}
