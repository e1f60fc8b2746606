//! The directory's tables in the store's SQLite database: users, groups,
//! memberships, and the outbox (events and their deliveries). Resources are
//! kept as their SCIM JSON (without `id`, `meta` and the computed `groups` /
//! `members`), beside indexed columns for the look-ups IdPs make.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

/// The directory's migration (one entry of `store::schema::MIGRATIONS`).
pub const MIGRATION: &str = "
CREATE TABLE directory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE directory_users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL UNIQUE,
    external_id TEXT,
    display_name_key TEXT,
    active INTEGER NOT NULL,
    provisioned INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE INDEX directory_users_external_id ON directory_users(external_id);
CREATE INDEX directory_users_display_name ON directory_users(display_name_key);
CREATE TABLE directory_groups (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL,
    external_id TEXT,
    provisioned INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    attributes TEXT NOT NULL
);
CREATE INDEX directory_groups_display_name ON directory_groups(display_name_key);
CREATE INDEX directory_groups_external_id ON directory_groups(external_id);
CREATE TABLE directory_members (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX directory_members_user ON directory_members(user_id, group_id);
CREATE TABLE directory_outbox (
    seq INTEGER PRIMARY KEY,
    capture_id TEXT NOT NULL,
    code TEXT NOT NULL,
    resource TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE directory_deliveries (
    id INTEGER PRIMARY KEY,
    event_seq INTEGER NOT NULL REFERENCES directory_outbox(seq),
    target TEXT NOT NULL,
    resource TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT
);
CREATE INDEX directory_deliveries_pending ON directory_deliveries(target, event_seq)
    WHERE state = 'pending';
";

pub type Sql<T> = rusqlite::Result<T>;

/// One stored user or group.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub version: i64,
    pub created: String,
    pub modified: String,
    /// The SCIM attributes (no `id`, `meta`, `groups`/`members`).
    pub attributes: Value,
    /// Users: the app has it (provisioned, not withdrawn). Groups: always true.
    pub provisioned: bool,
}

fn stored(row: &Row) -> Sql<Stored> {
    let text: String = row.get("attributes")?;
    Ok(Stored {
        id: row.get("id")?,
        version: row.get("version")?,
        created: row.get("created")?,
        modified: row.get("modified")?,
        attributes: serde_json::from_str(&text).unwrap_or(Value::Null),
        provisioned: row.get::<_, i64>("provisioned")? != 0,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Users,
    Groups,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Users => "directory_users",
            Table::Groups => "directory_groups",
        }
    }
}

pub fn meta_get(conn: &Connection, key: &str) -> Sql<Option<String>> {
    conn.query_row(
        "SELECT value FROM directory_meta WHERE key = ?1",
        [key],
        |r| r.get(0),
    )
    .optional()
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Sql<()> {
    conn.execute(
        "INSERT INTO directory_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, table: Table, id: &str) -> Sql<Option<Stored>> {
    conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", table.name()))?
        .query_row([id], stored)
        .optional()
}

/// Resources whose indexed column equals `value`: `userName` and
/// `displayName` compare case-insensitively (caseExact false), `externalId` exactly.
pub fn find_eq(
    conn: &Connection,
    table: Table,
    attr: &str,
    value: &str,
) -> Sql<Option<Vec<Stored>>> {
    let (column, key) = match (table, attr.to_ascii_lowercase().as_str()) {
        (Table::Users, "username") => ("user_name_key", value.to_lowercase()),
        (_, "externalid") => ("external_id", value.to_string()),
        (_, "displayname") => ("display_name_key", value.to_lowercase()),
        _ => return Ok(None),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM {} WHERE {column} = ?1 ORDER BY seq",
        table.name()
    ))?;
    let rows = stmt.query_map([key], stored)?.collect::<Sql<Vec<_>>>()?;
    Ok(Some(rows))
}

pub fn count(conn: &Connection, table: Table) -> Sql<u64> {
    conn.query_row(&format!("SELECT COUNT(*) FROM {}", table.name()), [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as u64)
}

/// A page in creation order (stable across requests, as Okta's paging needs).
pub fn page(conn: &Connection, table: Table, offset: u64, limit: u64) -> Sql<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM {} ORDER BY seq LIMIT ?1 OFFSET ?2",
        table.name()
    ))?;
    let rows = stmt
        .query_map(params![limit as i64, offset as i64], stored)?
        .collect();
    rows
}

/// Every row in creation order, one at a time (filters that no index serves).
pub fn for_each(conn: &Connection, table: Table, mut f: impl FnMut(Stored) -> bool) -> Sql<()> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} ORDER BY seq", table.name()))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if !f(stored(row)?) {
            break;
        }
    }
    Ok(())
}

/// The id of the user holding this userName (any case), if any.
pub fn user_name_owner(conn: &Connection, user_name: &str) -> Sql<Option<String>> {
    conn.prepare_cached("SELECT id FROM directory_users WHERE user_name_key = ?1")?
        .query_row([user_name.to_lowercase()], |r| r.get(0))
        .optional()
}

/// Indexed columns of a user, from its attributes.
fn user_columns(attrs: &Value) -> (String, Option<String>, Option<String>, bool) {
    let s = |k: &str| attrs.get(k).and_then(Value::as_str).map(str::to_string);
    let active = match attrs.get("active") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(t)) => t.eq_ignore_ascii_case("true"),
        _ => true,
    };
    (
        s("userName").unwrap_or_default(),
        s("externalId"),
        s("displayName").map(|d| d.to_lowercase()),
        active,
    )
}

pub fn put_user(conn: &Connection, user: &Stored) -> Sql<()> {
    let (user_name, external_id, display_key, active) = user_columns(&user.attributes);
    conn.prepare_cached(
        "INSERT INTO directory_users (id, user_name, user_name_key, external_id, display_name_key,
             active, provisioned, version, created, modified, attributes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(id) DO UPDATE SET user_name = excluded.user_name,
             user_name_key = excluded.user_name_key, external_id = excluded.external_id,
             display_name_key = excluded.display_name_key, active = excluded.active,
             provisioned = excluded.provisioned, version = excluded.version,
             modified = excluded.modified, attributes = excluded.attributes",
    )?
    .execute(params![
        user.id,
        user_name,
        user_name.to_lowercase(),
        external_id,
        display_key,
        active,
        user.provisioned,
        user.version,
        user.created,
        user.modified,
        user.attributes.to_string()
    ])?;
    Ok(())
}

pub fn put_group(conn: &Connection, group: &Stored) -> Sql<()> {
    let name = group
        .attributes
        .get("displayName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let external_id = group.attributes.get("externalId").and_then(Value::as_str);
    conn.prepare_cached(
        "INSERT INTO directory_groups (id, display_name, display_name_key, external_id,
             provisioned, version, created, modified, attributes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET display_name = excluded.display_name,
             display_name_key = excluded.display_name_key, external_id = excluded.external_id,
             provisioned = excluded.provisioned, version = excluded.version,
             modified = excluded.modified, attributes = excluded.attributes",
    )?
    .execute(params![
        group.id,
        name,
        name.to_lowercase(),
        external_id,
        group.provisioned,
        group.version,
        group.created,
        group.modified,
        group.attributes.to_string()
    ])?;
    Ok(())
}

pub fn delete(conn: &Connection, table: Table, id: &str) -> Sql<()> {
    conn.execute(&format!("DELETE FROM {} WHERE id = ?1", table.name()), [id])?;
    let column = match table {
        Table::Users => "user_id",
        Table::Groups => "group_id",
    };
    conn.execute(
        &format!("DELETE FROM directory_members WHERE {column} = ?1"),
        [id],
    )?;
    Ok(())
}

/// A user's attributes as stored (JSON text), if there is such a user.
pub fn user_attributes_text(conn: &Connection, id: &str) -> Sql<Option<String>> {
    conn.prepare_cached("SELECT attributes FROM directory_users WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// Whether a user with this id exists (its attributes are not read).
pub fn user_exists(conn: &Connection, id: &str) -> Sql<bool> {
    conn.prepare_cached("SELECT 1 FROM directory_users WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// A group's members as its SCIM `members` show them, sorted by id: each
/// user id with the user's `displayName` (else `userName`), read with
/// SQLite's JSON functions so that no member's attributes are parsed; `None`
/// for an id that names no user.
pub fn member_displays(conn: &Connection, group_id: &str) -> Sql<Vec<(String, Option<Value>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.user_id, u.id IS NOT NULL, json_type(u.attributes, '$.displayName'),
             json_extract(u.attributes, '$.displayName'), u.user_name
         FROM directory_members m LEFT JOIN directory_users u ON u.id = m.user_id
         WHERE m.group_id = ?1 ORDER BY m.user_id",
    )?;
    let rows = stmt.query_map([group_id], |r| {
        let id: String = r.get(0)?;
        if !r.get::<_, bool>(1)? {
            return Ok((id, None));
        }
        let display = match r.get::<_, Option<String>>(2)?.as_deref() {
            None => Value::String(r.get(4)?),
            Some("null") => Value::Null,
            Some("true") => Value::Bool(true),
            Some("false") => Value::Bool(false),
            Some("text") => Value::String(r.get(3)?),
            Some("integer") => Value::from(r.get::<_, i64>(3)?),
            Some("real") => Value::from(r.get::<_, f64>(3)?),
            // An object or an array: json_extract gives its JSON text.
            Some(_) => serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or(Value::Null),
        };
        Ok((id, Some(display)))
    })?;
    rows.collect()
}

/// A group's member ids, sorted.
pub fn members(conn: &Connection, group_id: &str) -> Sql<Vec<String>> {
    conn.prepare_cached(
        "SELECT user_id FROM directory_members WHERE group_id = ?1 ORDER BY user_id",
    )?
    .query_map([group_id], |r| r.get(0))?
    .collect()
}

/// A user's group ids, sorted.
pub fn groups_of(conn: &Connection, user_id: &str) -> Sql<Vec<String>> {
    conn.prepare_cached(
        "SELECT group_id FROM directory_members WHERE user_id = ?1 ORDER BY group_id",
    )?
    .query_map([user_id], |r| r.get(0))?
    .collect()
}

pub fn set_members(
    conn: &Connection,
    group_id: &str,
    add: &[String],
    remove: &[String],
) -> Sql<()> {
    let mut ins = conn.prepare_cached(
        "INSERT OR IGNORE INTO directory_members (group_id, user_id) VALUES (?1, ?2)",
    )?;
    for id in add {
        ins.execute(params![group_id, id])?;
    }
    let mut del =
        conn.prepare_cached("DELETE FROM directory_members WHERE group_id = ?1 AND user_id = ?2")?;
    for id in remove {
        del.execute(params![group_id, id])?;
    }
    Ok(())
}

/// An event for the outbox.
pub struct NewEvent<'a> {
    pub capture_id: &'a str,
    pub code: &'a str,
    /// The ordering key: `user:<id>`, `group:<id>`, `directory`.
    pub resource: &'a str,
    pub issued_at: &'a str,
    pub body: &'a [u8],
}

/// One event in the outbox, and a pending delivery per matching target, due at `first_at_ms`.
pub fn enqueue(conn: &Connection, e: &NewEvent, targets: &[String], first_at_ms: i64) -> Sql<i64> {
    let NewEvent {
        capture_id,
        code,
        resource,
        issued_at,
        body,
    } = *e;
    conn.prepare_cached(
        "INSERT INTO directory_outbox (capture_id, code, resource, issued_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![capture_id, code, resource, issued_at, body])?;
    let seq = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO directory_deliveries (event_seq, target, resource, state, next_at)
         VALUES (?1, ?2, ?3, 'pending', ?4)",
    )?;
    for t in targets {
        stmt.execute(params![seq, t, resource, first_at_ms])?;
    }
    Ok(seq)
}

/// A pending delivery, with what sending it needs.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub event_seq: i64,
    pub resource: String,
    pub attempts: u32,
    pub next_at: i64,
    pub code: String,
    pub capture_id: String,
    pub body: Vec<u8>,
}

/// The pending deliveries of one target, oldest event first, handed to `f`
/// one at a time until it returns false (the dispatcher usually needs only
/// the first few): read from the deliveries' index alone, without their
/// event's code, capture id and body (see [`fill_event`]): the dispatcher
/// looks often, sends once.
pub fn for_each_pending(
    conn: &Connection,
    target: &str,
    mut f: impl FnMut(Pending) -> bool,
) -> Sql<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, event_seq, resource, attempts, next_at FROM directory_deliveries
         WHERE target = ?1 AND state = 'pending' ORDER BY event_seq",
    )?;
    let mut rows = stmt.query([target])?;
    while let Some(r) = rows.next()? {
        let pending = Pending {
            id: r.get(0)?,
            event_seq: r.get(1)?,
            resource: r.get(2)?,
            attempts: r.get::<_, i64>(3)? as u32,
            next_at: r.get(4)?,
            code: String::new(),
            capture_id: String::new(),
            body: Vec::new(),
        };
        if !f(pending) {
            break;
        }
    }
    Ok(())
}

/// Load what sending a pending delivery needs: its event's code, capture id
/// and exact body bytes.
pub fn fill_event(conn: &Connection, pending: &mut Pending) -> Sql<()> {
    let (code, capture_id, body) = conn
        .prepare_cached("SELECT code, capture_id, body FROM directory_outbox WHERE seq = ?1")?
        .query_row([pending.event_seq], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    pending.code = code;
    pending.capture_id = capture_id;
    pending.body = body;
    Ok(())
}

/// Record the outcome of an attempt.
pub fn record_attempt(
    conn: &Connection,
    id: i64,
    state: &str,
    attempts: u32,
    next_at: i64,
    status: Option<u16>,
    error: Option<&str>,
) -> Sql<()> {
    conn.prepare_cached(
        "UPDATE directory_deliveries SET state = ?2, attempts = ?3, next_at = ?4,
             last_status = ?5, last_error = ?6 WHERE id = ?1",
    )?
    .execute(params![id, state, attempts, next_at, status, error])?;
    Ok(())
}

/// A target answered 410: nothing more is sent to it.
pub fn stop_target(conn: &Connection, target: &str) -> Sql<usize> {
    conn.execute(
        "UPDATE directory_deliveries SET state = 'gone' WHERE target = ?1 AND state = 'pending'",
        [target],
    )
}

/// Deliveries by state, for some targets (all when `targets` is `None`).
pub fn delivery_counts(conn: &Connection, targets: Option<&[String]>) -> Sql<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT target, state, COUNT(*) FROM directory_deliveries GROUP BY target, state",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    let mut out: Vec<(String, u64)> = Vec::new();
    for row in rows {
        let (target, state, n) = row?;
        if targets.is_some_and(|t| !t.contains(&target)) {
            continue;
        }
        match out.iter_mut().find(|(s, _)| *s == state) {
            Some(slot) => slot.1 += n,
            None => out.push((state, n)),
        }
    }
    out.sort();
    Ok(out)
}

/// Forget the directory: every user, group, membership, outbox row and setting.
pub fn reset(conn: &Connection) -> Sql<()> {
    conn.execute_batch(
        "DELETE FROM directory_deliveries; DELETE FROM directory_outbox;
         DELETE FROM directory_members; DELETE FROM directory_users;
         DELETE FROM directory_groups; DELETE FROM directory_meta;",
    )
}
