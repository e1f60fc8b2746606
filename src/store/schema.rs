//! The database schema, as forward migrations.
//!
//! Migration N (1-based) brings a database from `PRAGMA user_version` N-1 to
//! N. A database whose version is above `MIGRATIONS.len()` was written by a
//! newer dsync and is refused rather than guessed at. Append only: never edit
//! a migration that has shipped; add the next one (the directory's tables come
//! as migration 2).

use rusqlite::Connection;

/// Every migration, in order. `MIGRATIONS[n - 1]` sets `user_version = n`.
pub const MIGRATIONS: &[&str] = &[
    // 1: captures. The hot columns live in `captures` (small rows, so a
    // listing or a filtered count reads little even with a cold cache); the
    // headers and the body bytes live in `capture_payloads`, one row per capture.
    r#"
CREATE TABLE captures (
    seq                 INTEGER PRIMARY KEY,   -- insertion order (the rowid)
    id                  TEXT NOT NULL UNIQUE,  -- capture id, sorts by receive time
    format              INTEGER NOT NULL,      -- capture format version
    received_at         TEXT NOT NULL,         -- RFC 3339, UTC, as in capture files
    received_us         INTEGER NOT NULL,      -- the same, microseconds since 1970
    source              TEXT NOT NULL DEFAULT 'listen', -- listen | directory
    remote_addr         TEXT,
    method              TEXT NOT NULL,
    path                TEXT NOT NULL,         -- path and query, as received
    size                INTEGER NOT NULL,      -- body size as received
    body_encoding       TEXT NOT NULL CHECK (body_encoding IN ('utf8', 'base64', 'omitted')),
    code                TEXT,                  -- the body's "code"
    resource_type       TEXT,                  -- data.resource.type
    resource_id         TEXT,                  -- data.resource.id (else data.id)
    resource_label      TEXT,                  -- "user ada@corp.com", "group Admins" (searched by substring: no index)
    verification        TEXT,                  -- valid | invalid | unsigned
    verification_scheme TEXT,
    verification_reason TEXT,
    status              INTEGER,               -- what dsync answered
    forward             TEXT                   -- JSON: the app's answer when forwarding
);
CREATE INDEX captures_received_us ON captures (received_us);
CREATE INDEX captures_code ON captures (code);
CREATE INDEX captures_resource ON captures (resource_type, resource_id);
CREATE INDEX captures_verification ON captures (verification);
CREATE INDEX captures_status ON captures (status);
CREATE INDEX captures_source ON captures (source);

CREATE TABLE capture_payloads (
    seq     INTEGER PRIMARY KEY,               -- = captures.seq
    headers TEXT NOT NULL,                     -- JSON [[name, value], ...] in received order
    body    BLOB                               -- the exact bytes; NULL when omitted
);

-- Full-text search over UTF-8 bodies; rowid = captures.seq. Filled in
-- bulk after the rows are committed (much cheaper than a segment per small
-- transaction); searches bring it up to date first.
CREATE VIRTUAL TABLE captures_fts USING fts5 (body, content = '', contentless_delete = 1);
CREATE TABLE captures_fts_progress (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL                 -- captures.seq indexed so far
);
INSERT INTO captures_fts_progress (id, indexed_upto) VALUES (1, 0);

CREATE TRIGGER captures_delete AFTER DELETE ON captures BEGIN
    DELETE FROM capture_payloads WHERE seq = old.seq;
    DELETE FROM captures_fts WHERE rowid = old.seq;
END;
"#,
    // 2: the directory (`dsync directory`): users, groups, memberships, outbox.
    crate::directory::db::MIGRATION,
    // 3: fewer indexes on the hot path. Every index is one more page each
    // commit writes to the WAL (a one-row commit wrote ~11 pages); these
    // three hold a handful of distinct values each, so a filter on them
    // reads the small `captures` rows newest first instead (a listing
    // stops at its limit; a rare value scans the table).
    r#"
DROP INDEX captures_verification;
DROP INDEX captures_status;
DROP INDEX captures_source;
"#,
    // 4: nor (resource_type, resource_id). `--resource` matches the id or
    // part of the label (`resource_id = ? OR resource_label LIKE '%...%'`),
    // which no index serves, so it scans anyway; a type alone (no command
    // filters on it today) has two or three values, and through the index
    // SQLite sorted every match before the limit. Resource ids are spread out, so each row's entry landed on a
    // page of its own: with it, 6-row commits of seven resource ids in turn
    // wrote 12.1 KB of WAL a row, without it 8.7 KB.
    "DROP INDEX captures_resource;",
];

/// The schema version this build writes.
pub fn current() -> i64 {
    MIGRATIONS.len() as i64
}

/// The database's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// What `migrate` found.
#[derive(Debug, PartialEq, Eq)]
pub enum Migrated {
    /// From this version to `current()`.
    Upgraded { from: i64 },
    /// Written by a newer dsync: left alone.
    TooNew { version: i64 },
}

/// Bring the database up to `current()`, in one immediate transaction, so
/// two processes opening a fresh store at once do not both create it.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Migrated> {
    let found = version(conn)?;
    if found > current() {
        return Ok(Migrated::TooNew { version: found });
    }
    if found == current() {
        return Ok(Migrated::Upgraded { from: found });
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated.
    let from = version(&tx)?;
    if from > current() {
        return Ok(Migrated::TooNew { version: from });
    }
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (n + 1) as i64)?;
    }
    tx.commit()?;
    Ok(Migrated::Upgraded { from })
}
