//! The directory's two points of contact with the event store: a
//! connection to its database, and a capture inserted inside the
//! directory's own transaction.

use rusqlite::Connection;

use crate::error::{Result, ResultExt};
use crate::store::{Capture, Store};

/// A connection to the store's database, migrated, with the project's pragmas.
pub fn connection(store: &Store) -> Result<Connection> {
    // TEMPORARY until the store branch's `Store::connection` is merged.
    let conn = Connection::open(store.dir().join("dsync.db")).io_err(format!(
        "cannot open the store in {}",
        store.dir().display()
    ))?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    )
    .io_err("cannot set up the store")?;
    let exists: bool = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'directory_meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .io_err("cannot read the store")?;
    if !exists {
        conn.execute_batch(super::db::MIGRATION)
            .io_err("cannot create the directory tables")?;
    }
    Ok(conn)
}

/// Save an event's capture (source `directory`) in the caller's transaction.
pub fn insert_capture(_conn: &Connection, _capture: &Capture) -> Result<()> {
    // TEMPORARY until the store branch's `captures::insert` is merged.
    Ok(())
}
