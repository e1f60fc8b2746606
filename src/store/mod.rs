//! The event store: one SQLite database, `<store dir>/dsync.db`, in WAL mode.
//!
//! Writes go through one writer thread per process (`Store::save`): callers
//! hand it their capture and wait; it commits whatever has queued up as one
//! transaction (group commit) and releases each caller only once its row is
//! committed. An acknowledged event is therefore in the database: a `kill -9`
//! loses nothing answered 2xx, and with `--fsync` (`synchronous=FULL`) not
//! even a power cut does. Readers open their own connections: WAL readers
//! never block the writer, and other processes may read and write the same
//! store at once (a busy writer waits `busy_timeout`, then fails clearly).

pub mod capture;
pub mod captures;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use capture::{
    event_code, list_captures, load_capture, resource_label, safe_name, Body, Capture,
    ForwardRecord, Indexed, ResponseRecord, VerificationRecord, FORMAT_VERSION, SOURCE_LISTEN,
};

use crate::error::{Error, Result};

/// The database file inside the store folder.
pub const DB_FILE: &str = "dsync.db";

/// How long a write waits for another process's write lock by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Most captures committed in one transaction.
const MAX_BATCH: usize = 512;

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
    writer: OnceLock<std::result::Result<mpsc::Sender<Job>, String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("db", &self.inner.db)
            .field("fsync", &self.inner.fsync)
            .finish()
    }
}

/// One capture waiting for the writer, and where to tell its caller.
struct Job {
    row: captures::Row,
    done: mpsc::SyncSender<std::result::Result<i64, String>>,
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
    /// (checked by the writer after its commits).
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
        let sender = self
            .inner
            .writer
            .get_or_init(|| self.start_writer().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(|e| Error::io(anyhow::anyhow!("{e}")))?;
        let (done, wait) = mpsc::sync_channel(1);
        sender
            .send(Job { row, done })
            .map_err(|_| Error::io(anyhow::anyhow!("the store's writer has stopped")))?;
        match wait.recv() {
            Ok(Ok(rowid)) => Ok(rowid),
            Ok(Err(why)) => Err(Error::io(anyhow::anyhow!("{why}"))),
            Err(_) => Err(Error::io(anyhow::anyhow!("the store's writer has stopped"))),
        }
    }

    fn start_writer(&self) -> Result<mpsc::Sender<Job>> {
        let conn = self.connection()?;
        let (tx, rx) = mpsc::channel::<Job>();
        let store = self.clone_without_writer();
        std::thread::Builder::new()
            .name("dsync-store-writer".into())
            .spawn(move || store.write_loop(conn, rx))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot start the store's writer: {e}")))?;
        Ok(tx)
    }

    /// The writer thread holds settings, not the sender: the thread ends
    /// when the last `Store` clone (and its sender) is dropped.
    fn clone_without_writer(&self) -> Store {
        self.clone().rebuild(|_| {})
    }

    fn write_loop(self, mut conn: Connection, jobs: mpsc::Receiver<Job>) {
        let mut last_size_check = Instant::now();
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let outcome = self.commit_batch(&mut conn, &batch);
            for (job, result) in batch.into_iter().zip(outcome) {
                let _ = job.done.send(result);
            }
            if self.inner.max_size.is_some() && last_size_check.elapsed() > Duration::from_secs(1) {
                last_size_check = Instant::now();
                if let Err(e) = self.enforce_max_size(&conn) {
                    eprintln!("warning: {e}");
                }
            }
        }
    }

    /// One transaction for the batch. A row that cannot be inserted (its id
    /// is already stored) fails alone, through a savepoint; a commit that
    /// fails fails every row of the batch.
    fn commit_batch(
        &self,
        conn: &mut Connection,
        batch: &[Job],
    ) -> Vec<std::result::Result<i64, String>> {
        let fail_all = |why: String| batch.iter().map(|_| Err(why.clone())).collect();
        let mut tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        {
            Ok(tx) => tx,
            Err(e) => return fail_all(format!("{:#}", self.describe(e, "cannot write to").inner)),
        };
        let mut results = Vec::with_capacity(batch.len());
        for job in batch {
            let one = match tx.savepoint() {
                Ok(sp) => captures::insert_row(&sp, &job.row)
                    .map_err(|e| e.context(format!("capture {}", job.row.id())))
                    .and_then(|seq| {
                        sp.commit()
                            .map(|()| seq)
                            .map_err(|e| self.describe(e, "cannot write to"))
                    }),
                Err(e) => Err(self.describe(e, "cannot write to")),
            };
            let failed = one.is_err();
            results.push(one.map_err(|e| format!("{:#}", e.inner)));
            // Some errors (a full disk, I/O) end the whole transaction:
            // nothing more of this batch can be committed with it.
            if failed && tx.is_autocommit() {
                let why = results.pop().expect("just pushed");
                return fail_all(why.expect_err("it failed"));
            }
        }
        match tx.commit() {
            Ok(()) => results,
            Err(e) => fail_all(format!("{:#}", self.describe(e, "cannot commit to").inner)),
        }
    }

    /// Over `max_size`: delete the oldest tenth of the captures (at least
    /// enough to matter), then give the freed pages back to the file system.
    fn enforce_max_size(&self, conn: &Connection) -> Result<()> {
        let Some(max) = self.inner.max_size else {
            return Ok(());
        };
        let used = used_bytes(conn).map_err(|e| self.describe(e, "cannot measure"))?;
        if used <= max {
            return Ok(());
        }
        let total = captures::count(conn, &captures::Query::default())?;
        let share = (total as f64 * (1.0 - (max as f64 * 0.9) / used as f64)).ceil() as u64;
        let doomed = share.clamp(1, total);
        captures::delete_oldest(conn, doomed)?;
        conn.execute_batch("PRAGMA incremental_vacuum")
            .map_err(|e| self.describe(e, "cannot shrink"))?;
        Ok(())
    }
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
