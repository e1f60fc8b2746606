//! Group commit: the one writer of a process's store.
//!
//! One connection writes. A saving thread queues its row; if nobody is
//! committing, it takes the connection and commits everything queued (its
//! own row and whatever others queued meanwhile) as one transaction, then
//! hands each waiting thread its result; otherwise it waits until a
//! committer has done so (or until it is its turn to commit). Nobody gets
//! an answer before its row is committed.
//!
//! The committer is whichever saving thread is free, not a dedicated
//! thread: on a busy machine a dedicated writer spent most of its time
//! waiting for a CPU to wake up on (measured: 1.7 s of 3 s runnable but not
//! running, batches of 1.3 rows), while a thread that has just received a
//! request is already running. A maintenance thread adds bodies to the
//! full-text index in bulk when the connection is free, and checkpoints
//! the WAL on a connection of its own, so no request waits for either.

use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use rusqlite::Connection;

use super::{captures, Store};
use crate::error::{Error, Result};

/// Most rows committed in one transaction.
const MAX_BATCH: usize = 512;
/// Rows added to the full-text index per maintenance transaction.
const INDEX_CHUNK: u64 = 2048;
/// How often the maintenance thread looks for work.
const MAINTENANCE_EVERY: Duration = Duration::from_millis(100);
/// Rows committed between two WAL checkpoints.
const CHECKPOINT_EVERY: usize = 2048;
/// A committer that finds fewer rows than this queued waits `GATHER_WAIT`
/// for more before committing: every commit rewrites each page it touches
/// (the row, its payload, one page per index) into the WAL, so commits of
/// one row wrote ~16 pages per row (measured: 200,000 page writes a second
/// for 12,000 rows). A fraction of a millisecond buys batches.
const GATHER_ENOUGH: usize = 16;
const GATHER_WAIT: Duration = Duration::from_micros(200);

pub(crate) struct Writer {
    store: Store,
    state: Mutex<State>,
}

struct State {
    /// `None` while a committer (or maintenance) holds it.
    conn: Option<Connection>,
    queue: Vec<Arc<Waiting>>,
    unindexed: usize,
    since_checkpoint: usize,
}

struct Waiting {
    row: captures::Row,
    result: std::sync::OnceLock<std::result::Result<i64, String>>,
    /// Signalled (with `Writer::state` held) when `result` is set or the
    /// connection is free for it to commit.
    wake: Condvar,
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
        let writer = Arc::new(Writer {
            store,
            state: Mutex::new(State {
                conn: Some(conn),
                queue: Vec::new(),
                unindexed: 0,
                since_checkpoint: 0,
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
            row,
            result: std::sync::OnceLock::new(),
            wake: Condvar::new(),
        });
        let mut state = self.lock();
        state.queue.push(me.clone());
        loop {
            if let Some(result) = me.result.get() {
                return result
                    .clone()
                    .map_err(|why| Error::io(anyhow::anyhow!("{why}")));
            }
            match state.conn.take() {
                Some(mut conn) => {
                    if state.queue.len() < GATHER_ENOUGH {
                        // The connection is taken: whoever saves meanwhile queues.
                        drop(state);
                        std::thread::sleep(GATHER_WAIT);
                        state = self.lock();
                    }
                    let n = state.queue.len().min(MAX_BATCH);
                    let batch: Vec<Arc<Waiting>> = state.queue.drain(..n).collect();
                    drop(state);
                    let rows: Vec<&captures::Row> = batch.iter().map(|w| &w.row).collect();
                    let results = self.store.commit_batch(&mut conn, &rows);
                    state = self.lock();
                    state.conn = Some(conn);
                    state.unindexed += n;
                    state.since_checkpoint += n;
                    for (w, r) in batch.iter().zip(results) {
                        let _ = w.result.set(r);
                        w.wake.notify_one();
                    }
                    // The next in line commits what queued meanwhile.
                    if let Some(next) = state.queue.first() {
                        next.wake.notify_one();
                    }
                }
                None => state = me.wake.wait(state).unwrap_or_else(|p| p.into_inner()),
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere must not stop saving: the state stays consistent
        // (the connection is put back before anyone is told anything).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` on the writing connection if nobody is committing; wake the
    /// next in line afterwards.
    fn with_idle_connection(&self, f: impl FnOnce(&mut Connection)) -> bool {
        let mut state = self.lock();
        let Some(mut conn) = state.conn.take() else {
            return false;
        };
        drop(state);
        f(&mut conn);
        state = self.lock();
        state.conn = Some(conn);
        if let Some(next) = state.queue.first() {
            next.wake.notify_one();
        }
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

/// Bulk full-text indexing and WAL checkpoints, until the writer is gone.
fn maintain(writer: Weak<Writer>, checkpoints: Connection) {
    loop {
        std::thread::sleep(MAINTENANCE_EVERY);
        let Some(w) = writer.upgrade() else {
            return;
        };
        let (unindexed, since_checkpoint) = {
            let s = w.lock();
            (s.unindexed, s.since_checkpoint)
        };
        if unindexed > 0 {
            let mut indexed = 0;
            let ran = w.with_idle_connection(|conn| {
                indexed = w.store.index_for_search(conn, INDEX_CHUNK);
            });
            if ran {
                let mut s = w.lock();
                s.unindexed = s.unindexed.saturating_sub(indexed as usize);
            }
        }
        if since_checkpoint >= CHECKPOINT_EVERY {
            // PASSIVE: copies what no reader still needs, never blocks the writer.
            let _ = checkpoints.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
            w.lock().since_checkpoint = 0;
        }
    }
}
