//! The event store: one SQLite database, `<store dir>/dsync.db`, in WAL mode.
//!
//! Writes go through one writer per process (`Store::save`, see `writer`):
//! callers queue their capture and wait (or hand over what to do once it is
//! committed: `to_save` then `ToSave::queue`); one connection commits whatever
//! has queued up as one transaction (group commit) and each caller is told
//! only once its row is committed. An acknowledged event is therefore in the database: a `kill -9`
//! loses nothing answered 2xx, and with `--fsync` (`synchronous=FULL`) not
//! even a power cut does. Readers open their own connections: WAL readers
//! never block the writer, and other processes may read and write the same
//! store at once (a busy writer waits `busy_timeout`, then fails clearly).

pub mod capture;
pub mod captures;
mod fields;
pub mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use capture::{
    event_code, list_captures, load_capture, resource_label, safe_name, Body, Capture,
    ForwardRecord, Indexed, ResponseRecord, VerificationRecord, FORMAT_VERSION, SOURCE_LISTEN,
};

use crate::error::{Error, Result};

/// A capture's row, ready to be committed: see [`Store::to_save`].
pub struct ToSave {
    row: captures::Row,
    writer: Arc<writer::Writer>,
}

impl ToSave {
    /// Queue it without committing: the caller must call
    /// [`Store::flush`] soon (at the latest when no more saves are on their
    /// way), so that it is committed together with those.
    pub fn queue(self, then: impl FnOnce(Result<()>) + Send + 'static) {
        self.writer
            .queue(self.row, Box::new(move |r| then(r.map(|_| ()))))
    }
}

/// The database file inside the store folder.
pub const DB_FILE: &str = "dsync.db";

/// How long a write waits for another process's write lock by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open event store. Clones share one writer thread.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    db: PathBuf,
    fsync: bool,
    busy_timeout: Duration,
    /// Largest size the database may grow to before the oldest captures go.
    max_size: Option<u64>,
    /// Started on the first save.
    writer: OnceLock<std::result::Result<Arc<writer::Writer>, String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("db", &self.inner.db)
            .field("fsync", &self.inner.fsync)
            .finish()
    }
}

impl Store {
    /// Open the store in `dir` (created if missing), migrating its schema.
    /// A folder of capture files from before the database is refused with
    /// the command that imports it; nothing there is touched.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        let dir = dir.as_ref();
        if let Some(n) = legacy_captures(dir) {
            return Err(Error::usage(format!(
                "{} holds {n} captures in the old one-file-per-capture format, not a database. \
                 Import them with `dsync events import {}` (into the default store .dsync/), or \
                 `dsync events import {} --store {}` to keep the store there; nothing is deleted",
                dir.display(),
                dir.display(),
                dir.display(),
                dir.display()
            )));
        }
        Store::open_anyway(dir)
    }

    /// Open the store even if the folder also holds old capture files
    /// (`events import FOLDER --store FOLDER`).
    pub fn open_anyway(dir: impl AsRef<Path>) -> Result<Store> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| {
            Error::io(anyhow::anyhow!(
                "cannot create the event store {}: {e}",
                dir.display()
            ))
        })?;
        let store = Store {
            inner: Arc::new(Inner {
                db: dir.join(DB_FILE),
                dir,
                fsync: false,
                busy_timeout: busy_timeout_from_env(),
                max_size: None,
                writer: OnceLock::new(),
            }),
        };
        let mut conn = store.raw_connection()?;
        store.prepare(&mut conn)?;
        Ok(store)
    }

    /// Commit with `synchronous=FULL`: each batch is on the platter (survives
    /// a power cut), not only handed to the OS (survives a crash).
    pub fn with_fsync(self, on: bool) -> Store {
        self.rebuild(|i| i.fsync = on)
    }

    /// Delete the oldest captures when the database grows past `bytes`
    /// (checked by the writer after each commit).
    pub fn with_max_size(self, bytes: Option<u64>) -> Store {
        self.rebuild(|i| i.max_size = bytes)
    }

    fn rebuild(self, change: impl FnOnce(&mut Inner)) -> Store {
        let mut inner = Inner {
            dir: self.inner.dir.clone(),
            db: self.inner.db.clone(),
            fsync: self.inner.fsync,
            busy_timeout: self.inner.busy_timeout,
            max_size: self.inner.max_size,
            writer: OnceLock::new(),
        };
        change(&mut inner);
        Store {
            inner: Arc::new(inner),
        }
    }

    /// The store folder.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// The database file.
    pub fn db_path(&self) -> &Path {
        &self.inner.db
    }

    /// A new connection with the project's settings (WAL, busy timeout,
    /// synchronous level), for readers and for writers with their own
    /// transactions (the directory).
    pub fn connection(&self) -> Result<Connection> {
        let conn = self.raw_connection()?;
        self.configure(&conn)?;
        Ok(conn)
    }

    fn raw_connection(&self) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        Connection::open_with_flags(&self.inner.db, flags)
            .map_err(|e| self.describe(e, "cannot open"))
    }

    fn configure(&self, conn: &Connection) -> Result<()> {
        conn.busy_timeout(self.inner.busy_timeout)
            .map_err(|e| self.describe(e, "cannot open"))?;
        let sync = if self.inner.fsync { "FULL" } else { "NORMAL" };
        conn.execute_batch(&format!(
            "PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON;"
        ))
        .map_err(|e| self.describe(e, "cannot open"))
    }

    /// First open in this process: WAL, the schema up to date, refusals.
    fn prepare(&self, conn: &mut Connection) -> Result<()> {
        self.configure(conn)?;
        let version = schema::version(conn).map_err(|e| self.describe(e, "cannot open"))?;
        if version == 0 {
            // Only possible before the first table: lets the file shrink
            // again after pruning.
            conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL")
                .map_err(|e| self.describe(e, "cannot create"))?;
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| self.describe(e, "cannot open"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::io(anyhow::anyhow!(
                "{}: the database cannot use write-ahead logging (journal mode {mode}); \
                 is it on a network file system?",
                self.inner.db.display()
            )));
        }
        match schema::migrate(conn).map_err(|e| self.describe(e, "cannot migrate"))? {
            schema::Migrated::TooNew { version } => Err(Error::usage(format!(
                "{} was written by a newer dsync (schema version {version}; this dsync knows up \
                 to {}): upgrade dsync to open it",
                self.inner.db.display(),
                schema::current()
            ))),
            schema::Migrated::Upgraded { .. } => Ok(()),
        }
    }

    /// An SQLite error as a dsync error naming this store's file.
    pub fn error(&self, e: rusqlite::Error, doing: &str) -> Error {
        self.describe(e, doing)
    }

    fn describe(&self, e: rusqlite::Error, doing: &str) -> Error {
        describe_error(e, doing, &self.inner.db, self.inner.busy_timeout)
    }

    /// Save a capture; returns once it is committed (by the writer thread,
    /// together with whatever other captures were waiting).
    pub fn save(&self, capture: &Capture) -> Result<()> {
        self.save_returning_rowid(capture).map(|_| ())
    }

    /// `save`, returning the new row's rowid.
    pub fn save_returning_rowid(&self, capture: &Capture) -> Result<i64> {
        let row = captures::Row::of(capture)?;
        self.writer()?.save(row)
    }

    /// A capture's row, copied out of it, to be queued without waiting
    /// ([`ToSave::queue`]): for a caller whose callback owns the capture.
    pub fn to_save(&self, capture: &Capture) -> Result<ToSave> {
        Ok(ToSave {
            row: captures::Row::of(capture)?,
            writer: self.writer()?.clone(),
        })
    }

    /// Commit what [`ToSave::queue`] queued if `idle` (nothing else is on
    /// its way) or if it has waited long enough.
    pub fn flush(&self, idle: bool) {
        if let Some(Ok(writer)) = self.inner.writer.get() {
            writer.flush(idle)
        }
    }

    fn writer(&self) -> Result<&Arc<writer::Writer>> {
        self.inner
            .writer
            .get_or_init(|| {
                writer::Writer::start(self.clone_without_writer()).map_err(|e| format!("{e:#}"))
            })
            .as_ref()
            .map_err(|e| Error::io(anyhow::anyhow!("{e}")))
    }

    /// The writer holds settings, not itself: it is dropped (and its
    /// thread ends) with the last clone of this `Store`.
    fn clone_without_writer(&self) -> Store {
        self.clone().rebuild(|_| {})
    }

    /// Add up to `max_rows` stored bodies to the full-text index in one
    /// transaction (a search would otherwise do it first); how many rows it
    /// went through.
    pub(crate) fn index_for_search(&self, conn: &mut Connection, max_rows: u64) -> u64 {
        let done = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.describe(e, "cannot index"))
            .and_then(|tx| {
                let n = captures::index_for_search(&tx, max_rows)?;
                if self.inner.max_size.is_some() {
                    self.enforce_max_size(&tx)?;
                }
                tx.commit().map_err(|e| self.describe(e, "cannot index"))?;
                Ok(n)
            });
        self.settle_max_size(conn);
        done.unwrap_or_else(|e| {
            eprintln!("warning: the search index is behind (searches catch it up): {e:#}");
            0
        })
    }

    /// One transaction for the batch. A capture whose id is already stored
    /// fails alone; any other failure (a full disk, a lock held too long)
    /// fails the whole batch, as does a commit that fails.
    pub(crate) fn commit_batch(
        &self,
        conn: &mut Connection,
        batch: &[&captures::Row],
    ) -> Vec<std::result::Result<i64, String>> {
        let fail_all = |why: String| batch.iter().map(|_| Err(why.clone())).collect();
        let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => return fail_all(format!("{:#}", self.describe(e, "cannot write to").inner)),
        };
        let mut results = Vec::with_capacity(batch.len());
        for row in batch {
            match captures::insert_row(&tx, row) {
                Ok(seq) => results.push(Ok(seq)),
                Err(captures::InsertError::Duplicate) => results.push(Err(format!(
                    "a capture with id {} is already stored",
                    row.id()
                ))),
                // Dropping `tx` rolls the batch back.
                Err(captures::InsertError::Sql(e)) => {
                    return fail_all(format!("{:#}", self.describe(e, "cannot write to").inner))
                }
            }
        }
        // In the same transaction, so the cap holds after every commit
        // (three header reads when under it: cheap enough for every batch).
        if self.inner.max_size.is_some() {
            if let Err(e) = self.enforce_max_size(&tx) {
                eprintln!("warning: cannot keep the store under store_max_size: {e:#}");
            }
        }
        match tx.commit() {
            Ok(()) => {
                self.settle_max_size(conn);
                results
            }
            Err(e) => fail_all(format!("{:#}", self.describe(e, "cannot commit to").inner)),
        }
    }

    /// FTS5 writes its index (new entries, deletions) when a transaction
    /// commits, after the size was checked inside it: check again after the
    /// commit, in a transaction of its own, until the store fits.
    fn settle_max_size(&self, conn: &mut Connection) {
        let Some(max) = self.inner.max_size else {
            return;
        };
        for _ in 0..4 {
            match used_bytes(conn) {
                Ok(used) if used > max => {}
                _ => return,
            }
            let settled = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| self.describe(e, "cannot prune"))
                .and_then(|tx| {
                    self.enforce_max_size(&tx)?;
                    tx.commit().map_err(|e| self.describe(e, "cannot prune"))
                });
            if let Err(e) = settled {
                eprintln!("warning: cannot keep the store under store_max_size: {e:#}");
                return;
            }
        }
    }

    /// Over `max_size`: delete the oldest captures, a slice at a time, until
    /// the pages in use fit under 90% of it, then give the freed pages back
    /// to the file system.
    fn enforce_max_size(&self, conn: &Connection) -> Result<()> {
        let Some(max) = self.inner.max_size else {
            return Ok(());
        };
        let mut used = used_bytes(conn).map_err(|e| self.describe(e, "cannot measure"))?;
        if used <= max {
            return Ok(());
        }
        let target = max / 10 * 9;
        while used > target {
            let total = captures::count(conn, &captures::Query::default())?;
            if total <= 1 {
                break;
            }
            let share = (total as f64 * (1.0 - target as f64 / used as f64)).ceil() as u64;
            captures::delete_oldest(conn, share.clamp(1, total - 1))?;
            used = used_bytes(conn).map_err(|e| self.describe(e, "cannot measure"))?;
        }
        shrink(conn).map_err(|e| self.describe(e, "cannot shrink"))
    }
}

/// Give free pages back to the file system. `incremental_vacuum` frees one
/// page per step: step it to the end.
pub fn shrink(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA incremental_vacuum")?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// The configured size cap (`store_max_size`, `DSYNC_STORE_MAX_SIZE`).
pub fn max_size(config: &crate::config::Config) -> Result<Option<u64>> {
    let Some(raw) = config.get(crate::config::keys::STORE_MAX_SIZE, None) else {
        return Ok(None);
    };
    parse_size(&raw.value).map(Some).map_err(|e| {
        Error::usage(format!(
            "invalid store_max_size {:?} (from {}): {e}",
            raw.value, raw.source
        ))
    })
}

/// `500MB`, `2GiB`, `1048576` (bytes): decimal and binary units.
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size: use e.g. 500MB or 2GiB"))?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" | "t" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024f64.powi(4),
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use B, KB, MB, GB, KiB, MiB, GiB)"
            ))
        }
    };
    let bytes = n * scale;
    if !(1.0..1.8e19).contains(&bytes) {
        return Err(format!("{text:?} is out of range"));
    }
    Ok(bytes as u64)
}

/// Pages in use, in bytes (the file minus its free pages).
pub fn used_bytes(conn: &Connection) -> rusqlite::Result<u64> {
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(((pages - free).max(0) * size) as u64)
}

/// `DSYNC_STORE_BUSY_TIMEOUT` (a duration: `500ms`, `10s`) overrides how
/// long a write waits for another process.
fn busy_timeout_from_env() -> Duration {
    std::env::var("DSYNC_STORE_BUSY_TIMEOUT")
        .ok()
        .and_then(|t| crate::cli::parse_duration(&t).ok())
        .unwrap_or(DEFAULT_BUSY_TIMEOUT)
}

/// Say what went wrong with the database, to what, and what to do.
pub fn describe_error(e: rusqlite::Error, doing: &str, db: &Path, busy: Duration) -> Error {
    let file = db.display();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            Error::input(anyhow::anyhow!(
                "{file} is not a dsync store: it is not an SQLite database, or it is damaged \
                 ({e}). Move it aside, or point --store at another folder"
            ))
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            Error::io(anyhow::anyhow!(
                "{doing} {file}: another process held the store's write lock for more than {} \
                 (DSYNC_STORE_BUSY_TIMEOUT sets the wait)",
                humantime::format_duration(busy)
            ))
        }
        Some(ErrorCode::DiskFull) => {
            Error::io(anyhow::anyhow!("{doing} {file}: the disk is full ({e})"))
        }
        Some(ErrorCode::ReadOnly) => Error::io(anyhow::anyhow!(
            "{doing} {file}: the store is read-only ({e})"
        )),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => Error::io(
            anyhow::anyhow!("{doing} {file}: {e} (check that the folder exists and is writable)"),
        ),
        Some(ErrorCode::SystemIoFailure) => {
            let detail = match &e {
                rusqlite::Error::SqliteFailure(f, _) => format!(
                    "{e} (SQLite extended code {}, OS error: {})",
                    f.extended_code,
                    std::io::Error::last_os_error()
                ),
                _ => e.to_string(),
            };
            Error::io(anyhow::anyhow!(
                "{doing} {file}: the file system refused the write: {detail}"
            ))
        }
        _ => Error::io(anyhow::anyhow!("{doing} {file}: {e}")),
    }
}

/// An SQLite error met while reading or writing through a connection whose
/// file the caller already named.
pub(crate) fn sql_error(e: rusqlite::Error, doing: &str) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
            Error::input(anyhow::anyhow!("{doing}: the database is damaged ({e})"))
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::io(
            anyhow::anyhow!("{doing}: another process held the store's write lock too long ({e})"),
        ),
        Some(ErrorCode::DiskFull) => Error::io(anyhow::anyhow!("{doing}: the disk is full ({e})")),
        _ => Error::io(anyhow::anyhow!("{doing}: {e}")),
    }
}

/// How many capture files of the pre-database format `dir` holds, if it
/// holds some and no database (a cheap directory listing, no file read).
pub fn legacy_captures(dir: &Path) -> Option<usize> {
    if dir.join(DB_FILE).exists() {
        return None;
    }
    let n = list_captures(dir).ok()?.len();
    (n > 0).then_some(n)
}

/// A note for a store folder whose `events/` subfolder (the old default
/// store) still holds capture files: how to bring them in.
pub fn legacy_hint(dir: &Path) -> Option<String> {
    let old = dir.join("events");
    let n = legacy_captures(&old)?;
    Some(format!(
        "{} holds {n} captures in the old one-file-per-capture format; `dsync events import {}` \
         copies them into the database (nothing is deleted)",
        old.display(),
        old.display()
    ))
}

/// Serialise access to a connection shared by several tasks of one command.
pub type SharedConnection = Arc<Mutex<Connection>>;
