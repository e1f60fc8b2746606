//! The directory's two points of contact with the event store: a
//! connection to its database, and a capture inserted inside the
//! directory's own transaction.

use rusqlite::Connection;

use crate::error::Result;
use crate::store::{captures, Capture, Store};

/// The `source` of the captures the directory makes.
pub const SOURCE: &str = "directory";

/// A connection to the store's database (migrated, with the project's pragmas).
pub fn connection(store: &Store) -> Result<Connection> {
    store.connection()
}

/// Save an event's capture (source `directory`) in the caller's transaction.
pub fn insert_capture(conn: &Connection, capture: &Capture) -> Result<()> {
    captures::insert(conn, capture).map(|_| ())
}
