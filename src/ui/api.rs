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
    pub status: Option<Status>,
    /// Full-text search over bodies.
    pub q: Option<String>,
    /// Only rows older than this rowid (the next page down).
    pub before: Option<i64>,
    /// Only rows newer than this rowid (what arrived since the top row).
    pub after: Option<i64>,
    pub limit: u32,
}

/// A status filter: one status, or a class (`4xx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exact(u16),
    Class(u16),
}

impl Status {
    fn parse(text: &str) -> Result<Status, String> {
        let bad =
            || format!("status={text:?}: use a status such as 401, or a class: 2xx, 4xx, 5xx");
        if let Some(class) = text.strip_suffix("xx") {
            return match class.parse::<u16>() {
                Ok(c @ 1..=5) => Ok(Status::Class(c)),
                _ => Err(bad()),
            };
        }
        match text.parse::<u16>() {
            Ok(s @ 100..=599) => Ok(Status::Exact(s)),
            _ => Err(bad()),
        }
    }

    fn matches(self, status: u16) -> bool {
        match self {
            Status::Exact(s) => s == status,
            Status::Class(c) => status / 100 == c,
        }
    }
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
                    captures::sqlite_globs(&value)
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
                "status" => f.status = Some(Status::parse(&value)?),
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
    let answered = statuses(conn)?;
    // The store filters one exact status: a class is the union of the
    // statuses of that class answered so far, merged by rowid (each keyset
    // page is newest first, so the merge is exact).
    let exact: Vec<Option<u16>> = match filters.status {
        None => vec![None],
        Some(wanted) => answered
            .iter()
            .copied()
            .filter(|s| wanted.matches(*s))
            .map(Some)
            .collect(),
    };
    let mut items = Vec::new();
    let mut shown = 0;
    for status in exact {
        let one = Query {
            status,
            ..query.clone()
        };
        items.extend(captures::list(conn, &one)?);
        shown += captures::count(
            conn,
            &Query {
                limit: None,
                before: None,
                after: None,
                ..one
            },
        )?;
    }
    items.sort_by_key(|s| std::cmp::Reverse(s.rowid));
    items.truncate(filters.limit as usize);
    let total = captures::count(conn, &Query::default())?;
    Ok(json!({
        "items": items.iter().map(summary_json).collect::<Vec<_>>(),
        "shown": shown,
        "total": total,
        "statuses": answered,
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
        assert_eq!(f.status, Some(Status::Exact(401)));
        assert_eq!(
            Filters::parse("status=4xx").unwrap().status,
            Some(Status::Class(4))
        );
        assert!(Status::Class(4).matches(401) && !Status::Class(4).matches(500));
        assert_eq!(f.code.as_deref(), Some("dir_sync.user.*"));
        assert_eq!(f.q.as_deref(), Some("ada@x.io"));
        assert_eq!(f.before, Some(42));
        assert_eq!(f.limit, MAX_PAGE);
        assert!(Filters::parse("verification=maybe").is_err());
        assert!(Filters::parse("status=7xx").is_err());
        assert!(Filters::parse("status=700").is_err());
        assert!(Filters::parse("code=[").is_err());
        assert!(Filters::parse("before=x").is_err());
        assert!(Filters::parse("colour=red").is_err());
    }
}
