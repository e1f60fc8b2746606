//! The directory's one write connection, shared by the SCIM operations and
//! the delivery workers, with group commit.
//!
//! Every write runs as a savepoint inside the transaction that is open now;
//! a failed write rolls back to its savepoint and leaves the others intact.
//! The writer that finds nobody queued behind it commits the batch and
//! releases everyone in it; until then nobody returns, so a caller answers
//! only for a committed change. Sharing one connection also means the
//! delivery workers never meet the SCIM writes on SQLite's write lock (whose
//! busy handler sleeps milliseconds at a time).
//!
//! The event captures of a batch are inserted last, just before its
//! `COMMIT` and outside any savepoint: a savepoint makes FTS5 flush its
//! pending terms as a new index segment, so capturing inside each write's
//! savepoint would index (and merge) once per write instead of once per
//! commit. The captures still commit with their writes, or not at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::store::Capture;

/// How many writes one commit may hold (bounds the first writer's wait).
const MAX_BATCH: usize = 64;

/// A commit (or the `BEGIN`) failed: nothing of the batch was saved.
#[derive(Debug, Clone)]
pub struct CommitError(pub String);

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

struct State {
    conn: Connection,
    /// A transaction is open, holding `pieces` writes of batch `batch`.
    open: bool,
    pieces: usize,
    batch: u64,
    /// Batches up to this one are finished (committed or rolled back).
    finished: u64,
    /// Recently finished batches that failed, with why.
    failed: Vec<(u64, String)>,
    /// The open batch's captures, inserted at its commit.
    captures: Vec<Capture>,
}

pub struct Writer {
    state: Mutex<State>,
    done: Condvar,
    /// Writers waiting for the lock: they will join the open batch.
    queued: AtomicUsize,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer {
    pub fn new(conn: Connection) -> Writer {
        Writer {
            state: Mutex::new(State {
                conn,
                open: false,
                pieces: 0,
                batch: 0,
                finished: 0,
                failed: Vec::new(),
                captures: Vec::new(),
            }),
            done: Condvar::new(),
            queued: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` in the open transaction and return once it is committed.
    /// `Err(f's error)` is a write that changed nothing; `Err(CommitError)`
    /// (outer) is a batch that could not be committed.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<Result<T, E>, CommitError> {
        self.write_capturing(|conn, _| f(conn))
    }

    /// [`Writer::write`], where `f` may also hand over event captures: they
    /// are saved in the same commit, and dropped if `f` fails.
    pub fn write_capturing<T, E>(
        &self,
        f: impl FnOnce(&Connection, &mut Vec<Capture>) -> Result<T, E>,
    ) -> Result<Result<T, E>, CommitError> {
        self.queued.fetch_add(1, Ordering::SeqCst);
        let mut state = self.lock();
        self.queued.fetch_sub(1, Ordering::SeqCst);
        if !state.open {
            if let Err(e) = state.conn.execute_batch("BEGIN IMMEDIATE") {
                return Err(CommitError(e.to_string()));
            }
            state.open = true;
            state.batch += 1;
        }
        let batch = state.batch;
        let out = match state.conn.execute_batch("SAVEPOINT write") {
            Ok(()) => {
                let mut captures = Vec::new();
                let out = f(&state.conn, &mut captures);
                if out.is_ok() {
                    state.captures.append(&mut captures);
                }
                let end = if out.is_ok() {
                    "RELEASE write"
                } else {
                    "ROLLBACK TO write; RELEASE write"
                };
                match state.conn.execute_batch(end) {
                    Ok(()) => Ok(out),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        state.pieces += 1;
        let out = match out {
            Ok(out) => out,
            Err(e) => {
                // The transaction is in no known state: none of the batch stays.
                self.finish(&mut state, Some(e));
                return Err(self.outcome(&state, batch).unwrap_err());
            }
        };
        if self.queued.load(Ordering::SeqCst) == 0 {
            // Give a writer that is about to arrive the chance to join (2 cores:
            // it may be parsing its request right now).
            drop(state);
            std::thread::yield_now();
            state = self.lock();
        }
        if state.finished >= batch {
            // Another writer of this batch committed it meanwhile.
        } else if self.queued.load(Ordering::SeqCst) == 0 || state.pieces >= MAX_BATCH {
            let failure = self.commit(&mut state).err();
            self.finish(&mut state, failure);
        } else {
            // The next writer joins this batch; its last one commits it.
            state = self
                .done
                .wait_while(state, |s| s.finished < batch)
                .unwrap_or_else(|p| p.into_inner());
        }
        self.outcome(&state, batch).map(|()| out)
    }

    /// The batch's captures, then `COMMIT`.
    fn commit(&self, state: &mut State) -> Result<(), String> {
        let captures = std::mem::take(&mut state.captures);
        for capture in &captures {
            super::storage::insert_capture(&state.conn, capture).map_err(|e| e.to_string())?;
        }
        state
            .conn
            .execute_batch("COMMIT")
            .map_err(|e| e.to_string())
    }

    fn finish(&self, state: &mut State, failure: Option<String>) {
        state.captures.clear();
        if let Some(why) = failure {
            if !state.conn.is_autocommit() {
                let _ = state.conn.execute_batch("ROLLBACK");
            }
            let batch = state.batch;
            state.failed.push((batch, why));
            // Waiters of older batches have all read theirs by now.
            state.failed.retain(|(b, _)| batch - b < 1024);
        }
        state.open = false;
        state.pieces = 0;
        state.finished = state.batch;
        self.done.notify_all();
    }

    fn outcome(&self, state: &State, batch: u64) -> Result<(), CommitError> {
        match state.failed.iter().find(|(b, _)| *b == batch) {
            Some((_, why)) => Err(CommitError(why.clone())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn writer() -> (tempfile::TempDir, Arc<Writer>) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("w.db")).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT UNIQUE)",
        )
        .unwrap();
        (dir, Arc::new(Writer::new(conn)))
    }

    #[test]
    fn a_failed_write_changes_nothing_and_spares_its_batch() {
        let (dir, w) = writer();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let w = w.clone();
                std::thread::spawn(move || {
                    w.write(|c| {
                        c.execute("INSERT INTO t (v) VALUES (?1)", [format!("v{i}")])?;
                        if i % 2 == 1 {
                            // Fails after its insert: the insert must not stay.
                            return Err(rusqlite::Error::InvalidQuery);
                        }
                        Ok::<_, rusqlite::Error>(i)
                    })
                    .unwrap()
                })
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 4);
        // Every answered write is committed: another connection sees exactly those.
        let other = Connection::open(dir.path().join("w.db")).unwrap();
        let mut rows: Vec<String> = other
            .prepare("SELECT v FROM t ORDER BY v")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        assert_eq!(rows, ["v0", "v2", "v4", "v6"]);
    }
}
