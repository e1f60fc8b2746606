//! The in-process directory keeps its state (and so its events) in its own
//! store, temporary unless `--state DIR`; this copies the events of the run
//! into the developer's event store, so `events list`, `replay`, `diff` and
//! the inspector see them as they see `directory serve`'s.

use crate::error::Result;
use crate::store::{captures, Store};

/// Copy every capture of `from` stored after rowid `after` into `to`, in one
/// transaction; captures `to` already holds (same id) are left as they are.
pub fn copy_captures(from: &Store, to: &Store, after: i64) -> Result<u64> {
    let source = from.connection()?;
    let mut dest = to.connection()?;
    let tx = dest
        .transaction()
        .map_err(|e| to.error(e, "cannot write the event store"))?;
    let query = captures::Query {
        after: Some(after),
        oldest_first: true,
        ..captures::Query::default()
    };
    let mut copied = 0u64;
    captures::scan(&source, &query, |_, capture| {
        if !captures::exists(&tx, &capture.id)? {
            captures::insert(&tx, &capture)?;
            copied += 1;
        }
        Ok(())
    })?;
    tx.commit()
        .map_err(|e| to.error(e, "cannot write the event store"))?;
    Ok(copied)
}
