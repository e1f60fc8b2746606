//! The inspector's JSON API over the store: summaries by keyset pages (the
//! list never reads bodies), one capture in full, and replays.

use rusqlite::Connection;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::store::captures::{self, Query, Summary};

/// The list's filters, from the query string.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub code: Option<String>,
    pub verification: Option<String>,
    /// The status dsync answered.
    pub status: Option<u16>,
    /// Full-text search over bodies.
    pub q: Option<String>,
    /// Only rows older than this rowid (the next page down).
    pub before: Option<i64>,
    /// Only rows newer than this rowid (what arrived since the top row).
    pub after: Option<i64>,
    pub limit: u32,
}

/// Largest page the API gives at once.
pub const MAX_PAGE: u32 = 500;

impl Filters {
    /// Parse `code=…&verification=…&status=…&q=…&before=…&after=…&limit=…`;
    /// a bad value is a 400 naming it.
    pub fn parse(query: &str) -> Result<Filters, String> {
        let mut f = Filters {
            limit: 100,
            ..Filters::default()
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim().to_string();
            if value.is_empty() {
                continue;
            }
            let number = |what: &str| {
                value
                    .parse::<i64>()
                    .map_err(|_| format!("{what}={value:?} is not a number"))
            };
            match key.as_ref() {
                "code" => {
                    globset::Glob::new(&value)
                        .map_err(|e| format!("code={value:?} is not a valid glob: {e}"))?;
                    f.code = Some(value);
                }
                "verification" => {
                    if !matches!(value.as_str(), "valid" | "invalid" | "unsigned") {
                        return Err(format!(
                            "verification={value:?}: use valid, invalid or unsigned"
                        ));
                    }
                    f.verification = Some(value);
                }
                "status" => {
                    f.status = Some(
                        value
                            .parse::<u16>()
                            .ok()
                            .filter(|s| (100..=599).contains(s))
                            .ok_or_else(|| format!("status={value:?} is not an HTTP status"))?,
                    )
                }
                "q" => f.q = Some(value),
                "before" => f.before = Some(number("before")?),
                "after" => f.after = Some(number("after")?),
                "limit" => f.limit = number("limit")?.clamp(1, MAX_PAGE as i64) as u32,
                "token" => {}
                other => return Err(format!("unknown parameter {other:?}")),
            }
        }
        Ok(f)
    }
}

/// One row of the list.
pub fn summary_json(s: &Summary) -> Value {
    json!({
        "rowid": s.rowid,
        "id": s.id,
        "received_at": s.received_at,
        "code": s.code,
        "resource": s.resource,
        "verification": s.verification,
        "status": s.status,
        "size": s.size,
        "source": s.source,
    })
}

/// A page of summaries, newest first, with the counts for "N of M shown".
pub fn list(conn: &Connection, filters: &Filters) -> Result<Value> {
    let query = to_query(filters);
    let items = captures::list(conn, &query)?;
    let counting = Query {
        limit: None,
        before: None,
        after: None,
        ..query
    };
    let shown = captures::count(conn, &counting)?;
    let total = captures::count(conn, &Query::default())?;
    Ok(json!({
        "items": items.iter().map(summary_json).collect::<Vec<_>>(),
        "shown": shown,
        "total": total,
        "statuses": statuses(conn)?,
    }))
}

/// The summaries with a rowid above `after`, oldest first (for the live stream).
pub fn newer_summaries(conn: &Connection, after: i64) -> Result<Vec<(i64, Value)>> {
    let query = Query {
        after: Some(after),
        limit: Some(u64::from(MAX_PAGE)),
        ..Query::default()
    };
    let mut rows = captures::list(conn, &query)?;
    rows.reverse();
    Ok(rows.iter().map(|s| (s.rowid, summary_json(s))).collect())
}

/// The statuses answered so far, for the page's status filter (the
/// store's documented `captures.status` column).
fn statuses(conn: &Connection) -> Result<Vec<u16>> {
    let read = || -> rusqlite::Result<Vec<u16>> {
        let mut stmt = conn.prepare(
            "SELECT DISTINCT status FROM captures WHERE status IS NOT NULL ORDER BY status",
        )?;
        let rows = stmt.query_map([], |row| row.get::<_, u16>(0))?;
        rows.collect()
    };
    read().map_err(|e| Error::io(anyhow::Error::new(e).context("cannot read the store")))
}

pub fn max_rowid(conn: &Connection) -> Result<i64> {
    captures::max_rowid(conn)
}

fn to_query(f: &Filters) -> Query {
    Query {
        code: f.code.clone(),
        verification: f.verification.clone(),
        status: f.status,
        text: f.q.clone(),
        before: f.before,
        after: f.after,
        limit: Some(u64::from(f.limit)),
        ..Query::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_refuse() {
        let f = Filters::parse("code=dir_sync.user.*&verification=valid&status=401&q=ada%40x.io&before=42&limit=9999&token=t").unwrap();
        assert_eq!(f.status, Some(401));
        assert_eq!(f.code.as_deref(), Some("dir_sync.user.*"));
        assert_eq!(f.q.as_deref(), Some("ada@x.io"));
        assert_eq!(f.before, Some(42));
        assert_eq!(f.limit, MAX_PAGE);
        assert!(Filters::parse("verification=maybe").is_err());
        assert!(Filters::parse("status=2xx").is_err());
        assert!(Filters::parse("status=700").is_err());
        assert!(Filters::parse("code=[").is_err());
        assert!(Filters::parse("before=x").is_err());
        assert!(Filters::parse("colour=red").is_err());
    }
}
