//! The `captures` table: insert, fetch, filter, stream, delete.
//!
//! Every filter a reader offers is a `Query`, turned into one SQL statement,
//! so a listing reads index ranges instead of every capture. Results are
//! streamed (`scan`, `for_each_summary`): memory stays flat however large
//! the store.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension, Row as SqlRow};

use super::capture::{Body, Capture, ForwardRecord, Indexed, ResponseRecord, VerificationRecord};
use super::sql_error;
use crate::error::{Error, Result};

/// A capture turned into column values, ready to insert. Built by whoever
/// saves (on its own thread), so the one writer only runs the statements.
#[derive(Debug)]
pub(crate) struct Row {
    id: String,
    format: u32,
    received_at: String,
    received_us: i64,
    source: String,
    remote_addr: Option<String>,
    method: String,
    path: String,
    size: u64,
    encoding: &'static str,
    body: Option<Vec<u8>>,
    fts_text: Option<String>,
    indexed: Indexed,
    verification: Option<VerificationRecord>,
    status: Option<u16>,
    forward: Option<String>,
    headers: String,
}

impl Row {
    pub(crate) fn of(c: &Capture) -> Result<Row> {
        let (encoding, body, fts_text) = match &c.body {
            Body::Utf8(text) => ("utf8", Some(text.as_bytes().to_vec()), Some(text.clone())),
            Body::Base64(_) => ("base64", Some(c.body.to_bytes()?), None),
            Body::Omitted => ("omitted", None, None),
        };
        Ok(Row {
            id: c.id.clone(),
            format: c.format,
            received_at: c.received_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            received_us: c.received_at.timestamp_micros(),
            source: c.source.clone(),
            remote_addr: c.remote_addr.clone(),
            method: c.method.clone(),
            path: c.path.clone(),
            size: c.size,
            encoding,
            body,
            fts_text,
            indexed: Indexed::of(&c.body),
            verification: c.verification.clone(),
            status: c.response.as_ref().map(|r| r.status),
            forward: c
                .forward
                .as_ref()
                .map(|f| serde_json::to_string(f).expect("a forward record serialises")),
            headers: serde_json::to_string(&c.headers).expect("headers serialise"),
        })
    }

    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

/// Insert a capture inside the caller's transaction; returns its rowid
/// (`seq`). A capture whose id is already stored is an error.
pub fn insert(conn: &Connection, capture: &Capture) -> Result<i64> {
    insert_row(conn, &Row::of(capture)?)
}

pub(crate) fn insert_row(conn: &Connection, r: &Row) -> Result<i64> {
    let run = || -> rusqlite::Result<i64> {
        let v = r.verification.as_ref();
        conn.prepare_cached(
            "INSERT INTO captures (id, format, received_at, received_us, source, remote_addr,
                method, path, size, body_encoding, code, resource_type, resource_id,
                resource_label, verification, verification_scheme, verification_reason,
                status, forward)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19)",
        )?
        .execute(params![
            r.id,
            r.format,
            r.received_at,
            r.received_us,
            r.source,
            r.remote_addr,
            r.method,
            r.path,
            r.size as i64,
            r.encoding,
            r.indexed.code,
            r.indexed.resource_type,
            r.indexed.resource_id,
            r.indexed.resource_label,
            v.map(|v| &v.status),
            v.map(|v| &v.scheme),
            v.and_then(|v| v.reason.as_ref()),
            r.status,
            r.forward,
        ])?;
        let seq = conn.last_insert_rowid();
        conn.prepare_cached(
            "INSERT INTO capture_payloads (seq, headers, body) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![seq, r.headers, r.body])?;
        if let Some(text) = &r.fts_text {
            conn.prepare_cached("INSERT INTO captures_fts (rowid, body) VALUES (?1, ?2)")?
                .execute(params![seq, text])?;
        }
        Ok(seq)
    };
    run().map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::usage(format!("a capture with id {} is already stored", r.id))
        }
        _ => sql_error(e, "cannot insert a capture"),
    })
}

/// True when a capture with this id is stored.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM captures WHERE id = ?1")
        .and_then(|mut s| s.exists([id]))
        .map_err(|e| sql_error(e, "cannot read the store"))
}

const CAPTURE_COLUMNS: &str = "c.seq, c.id, c.format, c.received_at, c.source, c.remote_addr,
    c.method, c.path, c.size, c.body_encoding, c.verification, c.verification_scheme,
    c.verification_reason, c.status, c.forward, p.headers, p.body";

fn capture_from(row: &SqlRow) -> rusqlite::Result<(i64, Capture)> {
    let bad = |n: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(n, rusqlite::types::Type::Text, e.into())
    };
    let received: String = row.get(3)?;
    let received_at = DateTime::parse_from_rfc3339(&received)
        .map_err(|e| bad(3, format!("received_at {received:?}: {e}")))?
        .with_timezone(&Utc);
    let encoding: String = row.get(9)?;
    let bytes: Option<Vec<u8>> = row.get(16)?;
    let body = match (encoding.as_str(), bytes) {
        ("utf8", Some(b)) => {
            Body::Utf8(String::from_utf8(b).map_err(|e| bad(16, format!("body: {e}")))?)
        }
        ("base64", Some(b)) => Body::Base64(B64.encode(b)),
        _ => Body::Omitted,
    };
    let verification = match row.get::<_, Option<String>>(10)? {
        Some(status) => Some(VerificationRecord {
            status,
            scheme: row.get::<_, Option<String>>(11)?.unwrap_or_default(),
            reason: row.get(12)?,
        }),
        None => None,
    };
    let forward = match row.get::<_, Option<String>>(14)? {
        Some(text) => Some(
            serde_json::from_str::<ForwardRecord>(&text)
                .map_err(|e| bad(14, format!("forward: {e}")))?,
        ),
        None => None,
    };
    let headers: String = row.get(15)?;
    let headers = serde_json::from_str(&headers).map_err(|e| bad(15, format!("headers: {e}")))?;
    Ok((
        row.get(0)?,
        Capture {
            format: row.get(2)?,
            id: row.get(1)?,
            received_at,
            remote_addr: row.get(5)?,
            method: row.get(6)?,
            path: row.get(7)?,
            headers,
            size: row.get::<_, i64>(8)? as u64,
            body,
            verification,
            response: row
                .get::<_, Option<u16>>(13)?
                .map(|status| ResponseRecord { status }),
            forward,
            source: row.get(4)?,
        },
    ))
}

/// The capture with exactly this id.
pub fn get(conn: &Connection, id: &str) -> Result<Option<Capture>> {
    conn.prepare_cached(&format!(
        "SELECT {CAPTURE_COLUMNS} FROM captures c JOIN capture_payloads p USING (seq) WHERE c.id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], capture_from).optional())
    .map(|found| found.map(|(_, c)| c))
    .map_err(|e| sql_error(e, "cannot read the store"))
}

/// The capture with this rowid.
pub fn get_by_rowid(conn: &Connection, rowid: i64) -> Result<Option<Capture>> {
    conn.prepare_cached(&format!(
        "SELECT {CAPTURE_COLUMNS} FROM captures c JOIN capture_payloads p USING (seq) WHERE c.seq = ?1"
    ))
    .and_then(|mut s| s.query_row([rowid], capture_from).optional())
    .map(|found| found.map(|(_, c)| c))
    .map_err(|e| sql_error(e, "cannot read the store"))
}

/// The ids that start with `prefix` (at most `limit` of them), through the
/// id index: for `events show 2026112`.
pub fn ids_with_prefix(conn: &Connection, prefix: &str, limit: u32) -> Result<Vec<String>> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut s = conn.prepare_cached(
            "SELECT id FROM captures WHERE id >= ?1 AND substr(id, 1, length(?1)) = ?1
             ORDER BY id LIMIT ?2",
        )?;
        let ids = s.query_map(params![prefix, limit], |r| r.get(0))?;
        ids.collect()
    };
    run().map_err(|e| sql_error(e, "cannot read the store"))
}

/// Which captures a reader wants. Every field narrows; the default is every
/// capture, newest (most recently stored) first.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Event-code glob, as `--event` takes it (`dir_sync.user.*`, `{a,b}.*`).
    pub code: Option<String>,
    /// `valid`, `invalid` or `unsigned`.
    pub verification: Option<String>,
    /// The status dsync answered.
    pub status: Option<u16>,
    /// `user`, `group`...
    pub resource_type: Option<String>,
    /// A resource id (exact) or part of its label (`ada@corp.com`, `Admins`).
    pub resource: Option<String>,
    /// Words that must all appear in the body (full-text, FTS5).
    pub text: Option<String>,
    /// `listen` or `directory`.
    pub source: Option<String>,
    /// Received at or after.
    pub since: Option<DateTime<Utc>>,
    /// Received before.
    pub until: Option<DateTime<Utc>>,
    /// Only rowids below this (the next page of a newest-first listing).
    pub before: Option<i64>,
    /// Only rowids above this (what arrived since a live view last looked).
    pub after: Option<i64>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
    /// Order by receive time instead of by rowid (for replay).
    pub by_received_time: bool,
    /// At most this many.
    pub limit: Option<u64>,
}

/// One line of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rowid: i64,
    pub id: String,
    pub received_at: DateTime<Utc>,
    pub code: Option<String>,
    pub resource: Option<String>,
    pub verification: Option<String>,
    pub status: Option<u16>,
    pub size: u64,
    pub source: String,
}

impl Query {
    /// `WHERE ...` (possibly empty) and its parameters, over `captures c`.
    fn filter(&self) -> Result<(String, Vec<SqlValue>)> {
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<SqlValue> = Vec::new();
        let bind = |values: &mut Vec<SqlValue>, v: SqlValue| {
            values.push(v);
            format!("?{}", values.len())
        };
        if let Some(glob) = &self.code {
            let alternatives = sqlite_globs(glob)?;
            let ors: Vec<String> = alternatives
                .into_iter()
                .map(|g| format!("c.code GLOB {}", bind(&mut values, SqlValue::Text(g))))
                .collect();
            clauses.push(format!("({})", ors.join(" OR ")));
        }
        if let Some(v) = &self.verification {
            let p = bind(&mut values, SqlValue::Text(v.clone()));
            clauses.push(format!("c.verification = {p}"));
        }
        if let Some(s) = self.status {
            let p = bind(&mut values, SqlValue::Integer(s.into()));
            clauses.push(format!("c.status = {p}"));
        }
        if let Some(t) = &self.resource_type {
            let p = bind(&mut values, SqlValue::Text(t.clone()));
            clauses.push(format!("c.resource_type = {p}"));
        }
        if let Some(r) = &self.resource {
            let exact = bind(&mut values, SqlValue::Text(r.clone()));
            let like = bind(&mut values, SqlValue::Text(format!("%{}%", like_escape(r))));
            clauses.push(format!(
                "(c.resource_id = {exact} OR c.resource_label LIKE {like} ESCAPE '\\')"
            ));
        }
        if let Some(text) = &self.text {
            let p = bind(&mut values, SqlValue::Text(fts_phrases(text)?));
            clauses.push(format!(
                "c.seq IN (SELECT rowid FROM captures_fts WHERE captures_fts MATCH {p})"
            ));
        }
        if let Some(s) = &self.source {
            let p = bind(&mut values, SqlValue::Text(s.clone()));
            clauses.push(format!("c.source = {p}"));
        }
        if let Some(t) = self.since {
            let p = bind(&mut values, SqlValue::Integer(t.timestamp_micros()));
            clauses.push(format!("c.received_us >= {p}"));
        }
        if let Some(t) = self.until {
            let p = bind(&mut values, SqlValue::Integer(t.timestamp_micros()));
            clauses.push(format!("c.received_us < {p}"));
        }
        if let Some(b) = self.before {
            let p = bind(&mut values, SqlValue::Integer(b));
            clauses.push(format!("c.seq < {p}"));
        }
        if let Some(a) = self.after {
            let p = bind(&mut values, SqlValue::Integer(a));
            clauses.push(format!("c.seq > {p}"));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        Ok((sql, values))
    }

    fn order_and_limit(&self) -> String {
        let dir = if self.oldest_first { "ASC" } else { "DESC" };
        let order = if self.by_received_time {
            format!(" ORDER BY c.received_us {dir}, c.seq {dir}")
        } else {
            format!(" ORDER BY c.seq {dir}")
        };
        match self.limit {
            Some(n) => format!("{order} LIMIT {}", n.min(i64::MAX as u64)),
            None => order,
        }
    }
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every word as an FTS5 phrase (so `ada@corp.com` is searched as the
/// tokens `ada corp com` in a row), all of them required.
fn fts_phrases(text: &str) -> Result<String> {
    let phrases: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if phrases.is_empty() {
        return Err(Error::usage("the search text is empty"));
    }
    Ok(phrases.join(" "))
}

/// A `--event` glob (globset syntax, as elsewhere in dsync) as SQLite GLOB
/// patterns, one per `{a,b}` alternative; anything globset would reject is
/// a usage error, as it is for the other filters.
pub fn sqlite_globs(glob: &str) -> Result<Vec<String>> {
    crate::commands::code_glob("--event", glob)?;
    let mut alternatives = Vec::new();
    expand_braces(glob, &mut alternatives);
    if alternatives.len() > 256 {
        return Err(Error::usage(format!(
            "--event {glob:?} expands to more than 256 alternatives"
        )));
    }
    Ok(alternatives.iter().map(|a| to_sqlite_glob(a)).collect())
}

/// `a{b,c{d,e}}` -> `ab`, `acd`, `ace` (escaped braces and commas kept).
fn expand_braces(glob: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = glob.chars().collect();
    let (mut i, mut open) = (0, None);
    let mut depth = 0;
    let mut in_class = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '}' if !in_class && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let start = open.expect("an opening brace");
                    let head: String = chars[..start].iter().collect();
                    let tail: String = chars[i + 1..].iter().collect();
                    for part in split_top_level(&chars[start + 1..i]) {
                        if out.len() > 256 {
                            return;
                        }
                        expand_braces(&format!("{head}{part}{tail}"), out);
                    }
                    return;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push(glob.to_string());
}

fn split_top_level(chars: &[char]) -> Vec<String> {
    let mut parts = vec![String::new()];
    let (mut depth, mut i) = (0, 0);
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                parts.last_mut().expect("a part").push(c);
                parts.last_mut().expect("a part").push(chars[i + 1]);
                i += 2;
                continue;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(String::new());
                i += 1;
                continue;
            }
            _ => {}
        }
        parts.last_mut().expect("a part").push(c);
        i += 1;
    }
    parts
}

/// globset (without braces) to SQLite GLOB: `**` is `*`, `[!x]` is `[^x]`,
/// `\x` is `x` taken literally (`[*]` for a wildcard character).
fn to_sqlite_glob(glob: &str) -> String {
    let chars: Vec<char> = glob.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let lit = chars[i + 1];
                if matches!(lit, '*' | '?' | '[' | ']') {
                    out.push('[');
                    out.push(lit);
                    out.push(']');
                } else {
                    out.push(lit);
                }
                i += 2;
                continue;
            }
            '*' => {
                while i + 1 < chars.len() && chars[i + 1] == '*' {
                    i += 1;
                }
                out.push('*');
            }
            '[' => {
                out.push('[');
                if chars.get(i + 1) == Some(&'!') {
                    out.push('^');
                    i += 1;
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn summary_from(row: &SqlRow) -> rusqlite::Result<Summary> {
    let received: String = row.get(2)?;
    let received_at = DateTime::parse_from_rfc3339(&received)
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("received_at {received:?}: {e}").into(),
            )
        })?
        .with_timezone(&Utc);
    Ok(Summary {
        rowid: row.get(0)?,
        id: row.get(1)?,
        received_at,
        code: row.get(3)?,
        resource: row.get(4)?,
        verification: row.get(5)?,
        status: row.get(6)?,
        size: row.get::<_, i64>(7)? as u64,
        source: row.get(8)?,
    })
}

/// Stream the summaries a query selects, in its order.
pub fn for_each_summary(
    conn: &Connection,
    q: &Query,
    mut f: impl FnMut(Summary) -> Result<()>,
) -> Result<()> {
    let (filter, values) = q.filter()?;
    let sql = format!(
        "SELECT c.seq, c.id, c.received_at, c.code, c.resource_label, c.verification, c.status,
                c.size, c.source
         FROM captures c{filter}{}",
        q.order_and_limit()
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    while let Some(row) = rows
        .next()
        .map_err(|e| sql_error(e, "cannot read the store"))?
    {
        f(summary_from(row).map_err(|e| sql_error(e, "cannot read the store"))?)?;
    }
    Ok(())
}

/// The summaries a query selects (mind `limit`: they are all in memory).
pub fn list(conn: &Connection, q: &Query) -> Result<Vec<Summary>> {
    let mut out = Vec::new();
    for_each_summary(conn, q, |s| {
        out.push(s);
        Ok(())
    })?;
    Ok(out)
}

/// How many captures the query's filters select (paging and limit aside).
pub fn count(conn: &Connection, q: &Query) -> Result<u64> {
    let unpaged = Query {
        limit: None,
        ..q.clone()
    };
    let (filter, values) = unpaged.filter()?;
    conn.query_row(
        &format!("SELECT count(*) FROM captures c{filter}"),
        rusqlite::params_from_iter(values),
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
    .map_err(|e| sql_error(e, "cannot read the store"))
}

/// The highest rowid stored (0 for an empty store): a live view polls this,
/// then lists `after` what it had.
pub fn max_rowid(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT coalesce(max(seq), 0) FROM captures", [], |r| {
        r.get(0)
    })
    .map_err(|e| sql_error(e, "cannot read the store"))
}

/// Stream whole captures (with their rowid) in the query's order, one row in
/// memory at a time.
pub fn scan(
    conn: &Connection,
    q: &Query,
    mut f: impl FnMut(i64, Capture) -> Result<()>,
) -> Result<()> {
    let (filter, values) = q.filter()?;
    let sql = format!(
        "SELECT {CAPTURE_COLUMNS} FROM captures c JOIN capture_payloads p USING (seq){filter}{}",
        q.order_and_limit()
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    while let Some(row) = rows
        .next()
        .map_err(|e| sql_error(e, "cannot read the store"))?
    {
        let (seq, c) = capture_from(row).map_err(|e| sql_error(e, "cannot read the store"))?;
        f(seq, c)?;
    }
    Ok(())
}

/// Stream `(rowid, received_us)` of the selected captures: what replay plans with.
pub fn for_each_key(
    conn: &Connection,
    q: &Query,
    mut f: impl FnMut(i64, i64) -> Result<()>,
) -> Result<()> {
    let (filter, values) = q.filter()?;
    let sql = format!(
        "SELECT c.seq, c.received_us FROM captures c{filter}{}",
        q.order_and_limit()
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| sql_error(e, "cannot read the store"))?;
    while let Some(row) = rows
        .next()
        .map_err(|e| sql_error(e, "cannot read the store"))?
    {
        let (seq, us) = (row.get(0), row.get(1));
        f(
            seq.map_err(|e| sql_error(e, "cannot read the store"))?,
            us.map_err(|e| sql_error(e, "cannot read the store"))?,
        )?;
    }
    Ok(())
}

/// Delete the captures received before `cutoff`; returns how many.
pub fn delete_received_before(conn: &Connection, cutoff: DateTime<Utc>) -> Result<u64> {
    conn.execute(
        "DELETE FROM captures WHERE received_us < ?1",
        [cutoff.timestamp_micros()],
    )
    .map(|n| n as u64)
    .map_err(|e| sql_error(e, "cannot prune the store"))
}

/// Keep the `keep` most recently received captures, delete the rest.
pub fn delete_all_but_newest(conn: &Connection, keep: u64) -> Result<u64> {
    conn.execute(
        "DELETE FROM captures WHERE seq IN (
            SELECT seq FROM captures ORDER BY received_us DESC, seq DESC LIMIT -1 OFFSET ?1)",
        [keep.min(i64::MAX as u64) as i64],
    )
    .map(|n| n as u64)
    .map_err(|e| sql_error(e, "cannot prune the store"))
}

/// Delete the `n` captures received longest ago.
pub fn delete_oldest(conn: &Connection, n: u64) -> Result<u64> {
    conn.execute(
        "DELETE FROM captures WHERE seq IN (
            SELECT seq FROM captures ORDER BY received_us ASC, seq ASC LIMIT ?1)",
        [n.min(i64::MAX as u64) as i64],
    )
    .map(|n| n as u64)
    .map_err(|e| sql_error(e, "cannot prune the store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_translate_to_sqlite() {
        assert_eq!(
            sqlite_globs("dir_sync.user.*").unwrap(),
            ["dir_sync.user.*"]
        );
        assert_eq!(
            sqlite_globs("dir_sync.{user,group}.*").unwrap(),
            ["dir_sync.user.*", "dir_sync.group.*"]
        );
        assert_eq!(sqlite_globs("a.[!b]**").unwrap(), ["a.[^b]*"]);
        assert_eq!(sqlite_globs(r"a\*b").unwrap(), ["a[*]b"]);
        assert_eq!(sqlite_globs("{a,b{c,d}}x").unwrap(), ["ax", "bcx", "bdx"]);
        assert!(sqlite_globs("a{b").is_err());
    }

    #[test]
    fn search_words_become_phrases() {
        assert_eq!(
            fts_phrases(r#"ada@corp.com say"hi""#).unwrap(),
            r#""ada@corp.com" "say""hi""""#
        );
        assert!(fts_phrases("  ").is_err());
    }
}
