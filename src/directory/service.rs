//! The directory's operations, independent of HTTP: every SCIM write runs in
//! one SQLite transaction that holds its state change, its events (captures
//! in the event store plus the outbox) and their pending deliveries, so a
//! 2xx is only ever answered for a committed change.

use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use super::changes::{self, Change, MemberRef, UserFlags};
use super::clock::{Clock, Ids};
use super::db::{self, Stored, Table};
use super::delivery::Target;
use super::mapping::{cryptr_group, cryptr_user};
use super::scim::{self, ResourceKind, ScimError};
use super::storage;
use super::writer::Writer;
use crate::commands::Signing;
use crate::event::envelope::{self, Envelope};
use crate::store::Store;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The path recorded on the directory's captures: the handbook's webhook path.
pub const CAPTURE_PATH: &str = "/directory-sync";
/// The largest page a list request gets (ServiceProviderConfig's `filter.maxResults`).
pub const MAX_PAGE: u64 = 1000;

/// The names a directory's events carry.
#[derive(Debug, Clone)]
pub struct Names {
    pub org: String,
    pub environment: String,
    pub provider: String,
}

/// Who the directory is, as its events say it.
#[derive(Debug, Clone)]
pub struct Identity {
    pub directory_sync_id: String,
    pub org: String,
    pub environment: String,
    pub provider: String,
    pub webhook_id: String,
}

/// An event committed to the outbox.
#[derive(Debug, Clone)]
pub struct Emitted {
    pub seq: i64,
    pub capture_id: String,
    pub code: String,
    pub resource: String,
    pub size: usize,
}

/// What a SCIM operation answers with.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub resource: Option<Value>,
    pub version: Option<i64>,
    pub events: Vec<Emitted>,
}

fn internal(e: impl std::fmt::Display) -> ScimError {
    ScimError {
        status: 500,
        scim_type: None,
        detail: format!("the directory could not read or save its state: {e}"),
    }
}

fn not_found(kind: &str, id: &str) -> ScimError {
    ScimError {
        status: 404,
        scim_type: None,
        detail: format!("{kind} {id} not found"),
    }
}

fn invalid(detail: impl Into<String>) -> ScimError {
    ScimError {
        status: 400,
        scim_type: Some("invalidValue"),
        detail: detail.into(),
    }
}

impl Reply {
    /// A resource in its new version, and the events its change committed.
    fn with(status: u16, resource: Value, version: i64, events: Vec<Emitted>) -> Reply {
        Reply {
            status,
            resource: Some(resource),
            version: Some(version),
            events,
        }
    }

    /// `204 No Content` (a delete).
    fn no_content(events: Vec<Emitted>) -> Reply {
        Reply {
            status: 204,
            resource: None,
            version: None,
            events,
        }
    }
}

/// The resource a write changes: 404 if there is none, 412 if `If-Match`
/// names another version.
fn current(
    tx: &Connection,
    table: Table,
    id: &str,
    if_match: Option<&str>,
) -> Result<Stored, ScimError> {
    let kind = match table {
        Table::Users => "user",
        Table::Groups => "group",
    };
    let stored = db::get(tx, table, id)
        .map_err(internal)?
        .ok_or_else(|| not_found(kind, id))?;
    check_if_match(if_match, stored.version)?;
    Ok(stored)
}

/// `W/"3"`, the ETag of version 3.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// `If-Match`: `*` or a list of ETags; weak and strong forms both match.
fn check_if_match(if_match: Option<&str>, version: i64) -> Result<(), ScimError> {
    let Some(header) = if_match else {
        return Ok(());
    };
    let ok = header.split(',').map(str::trim).any(|tag| {
        tag == "*" || tag.trim_start_matches("W/").trim_matches('"') == version.to_string()
    });
    if ok {
        Ok(())
    } else {
        Err(ScimError {
            status: 412,
            scim_type: None,
            detail: format!(
                "If-Match {header} does not match the current version {}",
                etag(version)
            ),
        })
    }
}

/// Where a directory takes its time and its ids (see [`super::clock`]).
#[derive(Debug)]
pub struct Sources {
    pub clock: Clock,
    pub ids: Ids,
}

impl Default for Sources {
    /// The wall clock and random ids.
    fn default() -> Sources {
        Sources {
            clock: Clock::real(),
            ids: Ids::Random,
        }
    }
}

/// The directory's state and its writer.
pub struct Directory {
    store: Store,
    writer: Arc<Writer>,
    readers: Mutex<Vec<Connection>>,
    pub identity: Identity,
    targets: Vec<Target>,
    signing: Arc<Signing>,
    activate_code: bool,
    clock: Clock,
    ids: Ids,
    /// Called after each commit that enqueued deliveries (wakes the workers).
    wake: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Directory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("identity", &self.identity)
            .finish()
    }
}

/// Parameters of a list request.
#[derive(Debug, Default, Clone)]
pub struct ListQuery {
    pub filter: Option<String>,
    pub start_index: Option<u64>,
    pub count: Option<u64>,
    pub attributes: Option<String>,
    pub excluded: Option<String>,
}

impl Directory {
    /// Open the directory in `store`: on its first start (or after a
    /// deactivation) this commits `dir_sync.activate.success`.
    pub fn open(
        store: Store,
        names: Option<Names>,
        targets: Vec<Target>,
        signing: Arc<Signing>,
        activate_code: bool,
        activate: bool,
        sources: Sources,
    ) -> crate::error::Result<(Directory, Vec<Emitted>)> {
        use crate::error::ResultExt;
        let conn = storage::connection(&store)?;
        let read = |key: &str| db::meta_get(&conn, key).io_err("cannot read the directory");
        let (dir_id, webhook_id) = match read("directory_sync_id")? {
            Some(id) => (
                id,
                read("webhook_id")?.unwrap_or_else(|| sources.ids.webhook_id()),
            ),
            None => (sources.ids.directory_id(), sources.ids.webhook_id()),
        };
        // Commands that do not serve (deactivate) speak with the names `serve` last used.
        let names = match names {
            Some(n) => n,
            None => Names {
                org: read("org")?.unwrap_or_else(|| "acme".into()),
                environment: read("environment")?.unwrap_or_else(|| "sandbox".into()),
                provider: read("provider")?.unwrap_or_else(|| "okta".into()),
            },
        };
        let directory = Directory {
            writer: Arc::new(Writer::new(conn)),
            readers: Mutex::new(Vec::new()),
            identity: Identity {
                directory_sync_id: dir_id,
                org: names.org.clone(),
                environment: names.environment.clone(),
                provider: names.provider.clone(),
                webhook_id,
            },
            store,
            targets,
            signing,
            activate_code,
            clock: sources.clock,
            ids: sources.ids,
            wake: OnceLock::new(),
        };
        if !activate {
            return Ok((directory, Vec::new()));
        }
        let (_, emitted) = directory
            .write(|tx, events| {
                let id = &directory.identity;
                for (key, value) in [
                    ("directory_sync_id", &id.directory_sync_id),
                    ("webhook_id", &id.webhook_id),
                    ("org", &id.org),
                    ("environment", &id.environment),
                    ("provider", &id.provider),
                ] {
                    db::meta_set(tx, key, value).map_err(internal)?;
                }
                if db::meta_get(tx, "state").map_err(internal)?.as_deref() != Some("active") {
                    db::meta_set(tx, "state", "active").map_err(internal)?;
                    events.push(Pending::connection("dir_sync.activate.success"));
                }
                Ok(())
            })
            .map_err(|e| crate::error::Error::io(anyhow::anyhow!("{}", e.detail)))?;
        Ok((directory, emitted))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    pub fn set_wake(&self, wake: Box<dyn Fn() + Send + Sync>) {
        let _ = self.wake.set(wake);
    }

    /// `dsync directory deactivate`: the connection event, and the directory marked inactive.
    pub fn deactivate(&self) -> Result<Vec<Emitted>, ScimError> {
        let (_, emitted) = self.write(|tx, events| {
            if db::meta_get(tx, "state").map_err(internal)?.as_deref() == Some("active") {
                db::meta_set(tx, "state", "deactivated").map_err(internal)?;
                events.push(Pending::connection("dir_sync.deactivate.success"));
            }
            Ok(())
        })?;
        Ok(emitted)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, ScimError>) -> Result<T, ScimError> {
        let conn = match self.readers.lock().expect("reader pool").pop() {
            Some(c) => c,
            None => storage::connection(&self.store).map_err(internal)?,
        };
        let out = f(&conn);
        self.readers.lock().expect("reader pool").push(conn);
        out
    }

    /// Run one change in one transaction: state, captures, outbox, deliveries.
    /// Returns once that transaction is committed (group commit: see [`Writer`]).
    fn write<T>(
        &self,
        f: impl FnOnce(&Connection, &mut Vec<Pending>) -> Result<T, ScimError>,
    ) -> Result<(T, Vec<Emitted>), ScimError> {
        let (out, emitted) = self
            .writer
            .write_capturing(|tx, captures| {
                let mut pending = Vec::new();
                let out = f(tx, &mut pending)?;
                let mut emitted = Vec::with_capacity(pending.len());
                for event in pending {
                    emitted.push(self.emit(tx, event, captures)?);
                }
                Ok((out, emitted))
            })
            .map_err(internal)??;
        if !emitted.is_empty() {
            if let Some(wake) = self.wake.get() {
                wake();
            }
        }
        Ok((out, emitted))
    }

    /// The write connection, for the delivery workers' records.
    pub fn writer(&self) -> Arc<Writer> {
        self.writer.clone()
    }

    /// Build, capture and enqueue one event inside the caller's transaction.
    /// The capture goes to `captures`: the writer saves it in the same commit.
    fn emit(
        &self,
        tx: &Connection,
        event: Pending,
        captures: &mut Vec<crate::store::Capture>,
    ) -> Result<Emitted, ScimError> {
        let id = &self.identity;
        let mut data = json!({"__type__": "DirectorySyncEvent",
            "directory_sync_id": id.directory_sync_id, "provider": id.provider});
        let resource = event
            .change
            .as_ref()
            .map(Change::resource_key)
            .unwrap_or_else(|| "directory".to_string());
        if let Some(change) = event.change {
            data["change"] = json!("update");
            let mut r = Map::new();
            // Moved in: `json!` would copy the snapshot by serialising it.
            r.insert("changes".into(), change.changes);
            r.insert("id".into(), Value::String(change.id));
            r.insert("type".into(), Value::String(change.kind.into()));
            data["resource"] = Value::Object(r);
        }
        // Strictly increasing, so sorting by issued_at gives commit order.
        let issued_us = self.clock.tick_us();
        let env = Envelope {
            domain: id.org.clone(),
            environment: id.environment.clone(),
            issued_at_us: issued_us,
            webhook_id: id.webhook_id.clone(),
        };
        let body = envelope::build(event.code, data, &env);
        let mut headers = vec![(
            "content-type".to_string(),
            "application/json; charset=UTF-8".to_string(),
        )];
        headers.extend(self.signing.fresh_headers(&body).map_err(internal)?);
        let mut capture = crate::store::Capture::new("POST", CAPTURE_PATH, headers, &body);
        capture.source = storage::SOURCE.to_string();
        // Signed by dsync itself: valid by construction (or unsigned without a secret).
        capture.verification = Some(crate::store::VerificationRecord {
            status: if self.signing.secret.is_some() {
                "valid"
            } else {
                "unsigned"
            }
            .to_string(),
            scheme: self.signing.scheme.as_str().to_string(),
            reason: None,
        });
        let targets: Vec<String> = self
            .targets
            .iter()
            .filter(|t| t.wants(event.code))
            .map(|t| t.url.clone())
            .collect();
        let issued_at = envelope::issued_at(issued_us);
        let new_event = db::NewEvent {
            capture_id: &capture.id,
            code: event.code,
            resource: &resource,
            issued_at: &issued_at,
            body: &body,
        };
        // Due now on the delivery clock, which is the real one even when the
        // directory's clock is fixed.
        let due_ms = chrono::Utc::now().timestamp_millis();
        let seq = db::enqueue(tx, &new_event, &targets, due_ms).map_err(internal)?;
        let emitted = Emitted {
            seq,
            capture_id: capture.id.clone(),
            code: event.code.to_string(),
            resource,
            size: body.len(),
        };
        captures.push(capture);
        Ok(emitted)
    }

    // ---- users -------------------------------------------------------------

    fn user_view(user: &Stored) -> Value {
        cryptr_user(&user.attributes, &user.created, &user.modified)
    }

    fn render_user(
        &self,
        conn: &Connection,
        user: &Stored,
        base: &str,
    ) -> Result<Value, ScimError> {
        let mut out = user.attributes.as_object().cloned().unwrap_or_default();
        out.insert("id".into(), json!(user.id));
        let mut groups = Vec::new();
        for gid in db::groups_of(conn, &user.id).map_err(internal)? {
            if let Some(g) = db::get(conn, Table::Groups, &gid).map_err(internal)? {
                groups.push(
                    json!({"value": gid, "display": g.attributes.get("displayName"),
                    "$ref": format!("{base}/Groups/{gid}"), "type": "direct"}),
                );
            }
        }
        out.insert("groups".into(), Value::Array(groups));
        out.insert(
            "meta".into(),
            meta("User", user, &format!("{base}/Users/{}", user.id)),
        );
        ensure_schema(&mut out, USER_SCHEMA);
        Ok(Value::Object(out))
    }

    /// GET /Users/{id} or /Groups/{id}.
    pub fn get(&self, kind: ResourceKind, id: &str, base: &str) -> Result<Reply, ScimError> {
        let (table, name) = match kind {
            ResourceKind::User => (Table::Users, "user"),
            ResourceKind::Group => (Table::Groups, "group"),
        };
        self.read(|conn| {
            let stored = db::get(conn, table, id)
                .map_err(internal)?
                .ok_or_else(|| not_found(name, id))?;
            let resource = match kind {
                ResourceKind::User => self.render_user(conn, &stored, base)?,
                ResourceKind::Group => self.render_group(conn, &stored, base)?,
            };
            Ok(Reply::with(200, resource, stored.version, vec![]))
        })
    }

    fn user_attributes(body: &Value) -> Result<Value, ScimError> {
        let attrs = scim::normalize(ResourceKind::User, body)?;
        let user_name = attrs.get("userName").and_then(Value::as_str).unwrap_or("");
        if user_name.trim().is_empty() {
            return Err(invalid(
                "userName is required and must be a non-empty string",
            ));
        }
        Ok(strip_computed(attrs, &["groups"]))
    }

    fn check_unique(
        conn: &Connection,
        attrs: &Value,
        own_id: Option<&str>,
    ) -> Result<(), ScimError> {
        let user_name = attrs.get("userName").and_then(Value::as_str).unwrap_or("");
        match db::user_name_owner(conn, user_name).map_err(internal)? {
            Some(owner) if Some(owner.as_str()) != own_id => Err(ScimError {
                status: 409,
                scim_type: Some("uniqueness"),
                detail: format!("userName {user_name:?} is already taken (case-insensitively)"),
            }),
            _ => Ok(()),
        }
    }

    pub fn create_user(&self, body: &Value, base: &str) -> Result<Reply, ScimError> {
        let attrs = Self::user_attributes(body)?;
        let ((resource, version), events) = self.write(|tx, events| {
            Self::check_unique(tx, &attrs, None)?;
            let now = self.clock.tick_rfc3339();
            let mut user = Stored {
                id: self.ids.resource_id(tx).map_err(internal)?,
                version: 1,
                created: now.clone(),
                modified: now,
                attributes: attrs,
                provisioned: false,
            };
            let view = Self::user_view(&user);
            let (changes, provisioned) =
                changes::user(&user.id, None, Some(&view), self.activate_code);
            user.provisioned = provisioned;
            db::put_user(tx, &user).map_err(internal)?;
            events.extend(changes.into_iter().map(Pending::change));
            Ok((self.render_user(tx, &user, base)?, user.version))
        })?;
        Ok(Reply::with(201, resource, version, events))
    }

    /// PUT (`patch` = None, body is the new resource) or PATCH (body is a PatchOp).
    pub fn update_user(
        &self,
        id: &str,
        body: &Value,
        patch: bool,
        if_match: Option<&str>,
        base: &str,
    ) -> Result<Reply, ScimError> {
        let ((resource, version), events) = self.write(|tx, events| {
            let current = current(tx, Table::Users, id, if_match)?;
            let attrs = if patch {
                let full = self.render_user(tx, &current, base)?;
                let patched = scim::patch::apply(ResourceKind::User, &full, body)?;
                Self::user_attributes(&patched)?
            } else {
                Self::user_attributes(body)?
            };
            if attrs == current.attributes {
                return Ok((self.render_user(tx, &current, base)?, current.version));
            }
            Self::check_unique(tx, &attrs, Some(id))?;
            let before = Self::user_view(&current);
            let mut user = Stored {
                version: current.version + 1,
                modified: self.clock.tick_rfc3339(),
                attributes: attrs,
                ..current.clone()
            };
            let after = Self::user_view(&user);
            let flags = UserFlags {
                provisioned: current.provisioned,
            };
            let (changes, provisioned) =
                changes::user(id, Some((&before, flags)), Some(&after), self.activate_code);
            user.provisioned = provisioned;
            if changes.is_empty() {
                // No event tells the app (an attribute Cryptr does not carry,
                // such as Entra's manager): its `updated_at` stays, or the app
                // could never hold the directory's state.
                user.modified = current.modified.clone();
            }
            db::put_user(tx, &user).map_err(internal)?;
            events.extend(changes.into_iter().map(Pending::change));
            Ok((self.render_user(tx, &user, base)?, user.version))
        })?;
        Ok(Reply::with(200, resource, version, events))
    }

    pub fn delete_user(&self, id: &str, if_match: Option<&str>) -> Result<Reply, ScimError> {
        let ((), events) = self.write(|tx, events| {
            let current = current(tx, Table::Users, id, if_match)?;
            let before = Self::user_view(&current);
            let flags = UserFlags {
                provisioned: current.provisioned,
            };
            let (changes, _) = changes::user(id, Some((&before, flags)), None, self.activate_code);
            // The groups it leaves change too: their ETags must move (not
            // their `updated_at`: no group event says so, see `update_group`).
            for gid in db::groups_of(tx, id).map_err(internal)? {
                if let Some(g) = db::get(tx, Table::Groups, &gid).map_err(internal)? {
                    let g = Stored {
                        version: g.version + 1,
                        ..g
                    };
                    db::put_group(tx, &g).map_err(internal)?;
                }
            }
            db::delete(tx, Table::Users, id).map_err(internal)?;
            events.extend(changes.into_iter().map(Pending::change));
            Ok(())
        })?;
        Ok(Reply::no_content(events))
    }

    // ---- groups ------------------------------------------------------------

    fn group_view(group: &Stored) -> Value {
        cryptr_group(&group.attributes, &group.created, &group.modified)
    }

    /// The members group events name (id and email), for the users added or removed.
    fn member_refs(conn: &Connection, ids: &[String]) -> Result<Vec<MemberRef>, ScimError> {
        /// What the email rule reads (stored attributes have their canonical
        /// names); serde skips the rest of the user instead of building it.
        #[derive(serde::Deserialize)]
        struct EmailParts {
            #[serde(rename = "userName")]
            user_name: Option<Value>,
            emails: Option<Value>,
        }
        ids.iter()
            .map(|id| {
                let text = db::user_attributes_text(conn, id).map_err(internal)?;
                let email = text.and_then(|t| {
                    let parts: EmailParts = serde_json::from_str(&t).ok()?;
                    let mut user = Map::new();
                    if let Some(v) = parts.user_name {
                        user.insert("userName".into(), v);
                    }
                    if let Some(v) = parts.emails {
                        user.insert("emails".into(), v);
                    }
                    crate::directory::mapping::email(&Value::Object(user))
                        .as_str()
                        .map(str::to_string)
                });
                Ok(MemberRef {
                    id: id.clone(),
                    email,
                })
            })
            .collect()
    }

    fn render_group(
        &self,
        conn: &Connection,
        group: &Stored,
        base: &str,
    ) -> Result<Value, ScimError> {
        let mut out = group.attributes.as_object().cloned().unwrap_or_default();
        out.insert("id".into(), json!(group.id));
        let mut members = Vec::new();
        for (uid, display) in db::member_displays(conn, &group.id).map_err(internal)? {
            members.push(json!({"value": uid, "display": display,
                "$ref": format!("{base}/Users/{uid}"), "type": "User"}));
        }
        out.insert("members".into(), Value::Array(members));
        out.insert(
            "meta".into(),
            meta("Group", group, &format!("{base}/Groups/{}", group.id)),
        );
        ensure_schema(&mut out, GROUP_SCHEMA);
        Ok(Value::Object(out))
    }

    /// The group's attributes and its member ids (checked to exist), from a resource body.
    fn group_parts(
        conn: &Connection,
        body: &Value,
    ) -> Result<(Value, Option<Vec<String>>), ScimError> {
        let attrs = scim::normalize(ResourceKind::Group, body)?;
        let name = attrs
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or("");
        if name.trim().is_empty() {
            return Err(invalid(
                "displayName is required and must be a non-empty string",
            ));
        }
        let members = match attrs.get("members") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut ids = std::collections::BTreeSet::new();
                for item in items {
                    let id = item.get("value").and_then(Value::as_str).ok_or_else(|| {
                        invalid("each member needs a string \"value\" (a user id)")
                    })?;
                    if ids.contains(id) {
                        continue;
                    }
                    if !db::user_exists(conn, id).map_err(internal)? {
                        return Err(invalid(format!(
                            "member {id} is not a user of this directory"
                        )));
                    }
                    ids.insert(id.to_string());
                }
                Some(ids.into_iter().collect())
            }
            Some(_) => return Err(invalid("members must be an array")),
        };
        Ok((strip_computed(attrs, &["members"]), members))
    }

    pub fn create_group(&self, body: &Value, base: &str) -> Result<Reply, ScimError> {
        let ((resource, version), events) = self.write(|tx, events| {
            let (attrs, members) = Self::group_parts(tx, body)?;
            let members = members.unwrap_or_default();
            let now = self.clock.tick_rfc3339();
            let group = Stored {
                id: self.ids.resource_id(tx).map_err(internal)?,
                version: 1,
                created: now.clone(),
                modified: now,
                attributes: attrs,
                provisioned: true,
            };
            db::put_group(tx, &group).map_err(internal)?;
            db::set_members(tx, &group.id, &members, &[]).map_err(internal)?;
            let refs = Self::member_refs(tx, &members)?;
            let view = Self::group_view(&group);
            let changes = changes::group(&group.id, None, Some(&view), &refs, &[]);
            events.extend(changes.into_iter().map(Pending::change));
            Ok((self.render_group(tx, &group, base)?, group.version))
        })?;
        Ok(Reply::with(201, resource, version, events))
    }

    pub fn update_group(
        &self,
        id: &str,
        body: &Value,
        patch: bool,
        if_match: Option<&str>,
        base: &str,
    ) -> Result<Reply, ScimError> {
        let ((resource, version), events) = self.write(|tx, events| {
            let current = current(tx, Table::Groups, id, if_match)?;
            let old_members = db::members(tx, id).map_err(internal)?;
            let (attrs, members) = if patch {
                let full = self.render_group(tx, &current, base)?;
                let patched = scim::patch::apply(ResourceKind::Group, &full, body)?;
                let (attrs, members) = Self::group_parts(tx, &patched)?;
                (attrs, members.unwrap_or_default())
            } else {
                // A PUT without `members` keeps them (Okta's AIW always sends them).
                let (attrs, members) = Self::group_parts(tx, body)?;
                (attrs, members.unwrap_or_else(|| old_members.clone()))
            };
            if attrs == current.attributes && members == old_members {
                return Ok((self.render_group(tx, &current, base)?, current.version));
            }
            let before = Self::group_view(&current);
            let mut group = Stored {
                version: current.version + 1,
                modified: self.clock.tick_rfc3339(),
                attributes: attrs,
                ..current.clone()
            };
            let after = Self::group_view(&group);
            // Both lists are sorted: one merge pass finds who joined and who left.
            let (added, removed) = sorted_difference(&members, &old_members);
            let added_refs = Self::member_refs(tx, &added)?;
            let removed_refs = Self::member_refs(tx, &removed)?;
            let changes =
                changes::group(id, Some(&before), Some(&after), &added_refs, &removed_refs);
            if !changes
                .iter()
                .any(|c| c.code == "dir_sync.group.update.success")
            {
                // Only members moved: `users_added` / `users_removed` carry no
                // `updated_at`, so the group's stays (its ETag still moves).
                group.modified = current.modified.clone();
            }
            db::put_group(tx, &group).map_err(internal)?;
            db::set_members(tx, id, &added, &removed).map_err(internal)?;
            events.extend(changes.into_iter().map(Pending::change));
            Ok((self.render_group(tx, &group, base)?, group.version))
        })?;
        Ok(Reply::with(200, resource, version, events))
    }

    pub fn delete_group(&self, id: &str, if_match: Option<&str>) -> Result<Reply, ScimError> {
        let ((), events) = self.write(|tx, events| {
            let current = current(tx, Table::Groups, id, if_match)?;
            let view = Self::group_view(&current);
            db::delete(tx, Table::Groups, id).map_err(internal)?;
            let changes = changes::group(id, Some(&view), None, &[], &[]);
            events.extend(changes.into_iter().map(Pending::change));
            Ok(())
        })?;
        Ok(Reply::no_content(events))
    }

    // ---- lists -------------------------------------------------------------

    /// GET /Users or /Groups: filter (indexed for `eq` on userName,
    /// externalId, displayName), pagination, attribute projection.
    pub fn list(&self, kind: ResourceKind, q: &ListQuery, base: &str) -> Result<Value, ScimError> {
        let table = match kind {
            ResourceKind::User => Table::Users,
            ResourceKind::Group => Table::Groups,
        };
        let filter = q.filter.as_deref().map(scim::filter::parse).transpose()?;
        let start = q.start_index.unwrap_or(1).max(1);
        let count = q.count.unwrap_or(100).min(MAX_PAGE);
        self.read(|conn| {
            let render = |s: &Stored| match kind {
                ResourceKind::User => self.render_user(conn, s, base),
                ResourceKind::Group => self.render_group(conn, s, base),
            };
            let mut page = Vec::new();
            let total: u64;
            match &filter {
                None => {
                    total = db::count(conn, table).map_err(internal)?;
                    for s in db::page(conn, table, start - 1, count).map_err(internal)? {
                        page.push(render(&s)?);
                    }
                }
                Some(f) => {
                    let indexed = match f.indexed_eq() {
                        Some((attr, value)) => {
                            db::find_eq(conn, table, attr, value).map_err(internal)?
                        }
                        None => None,
                    };
                    let mut matched = 0u64;
                    let mut failure = None;
                    let mut consider = |s: Stored| -> bool {
                        match render(&s) {
                            Ok(r) if f.matches(kind, &r) => {
                                matched += 1;
                                if matched >= start && (page.len() as u64) < count {
                                    page.push(r);
                                }
                                true
                            }
                            Ok(_) => true,
                            Err(e) => {
                                failure = Some(e);
                                false
                            }
                        }
                    };
                    match indexed {
                        Some(rows) => rows.into_iter().for_each(|s| {
                            consider(s);
                        }),
                        None => db::for_each(conn, table, consider).map_err(internal)?,
                    }
                    if let Some(e) = failure {
                        return Err(e);
                    }
                    total = matched;
                }
            }
            let resources: Vec<Value> = page
                .iter()
                .map(|r| scim::project(r, q.attributes.as_deref(), q.excluded.as_deref()))
                .collect();
            let mut out = json!({"schemas": [LIST_SCHEMA], "totalResults": total,
                "startIndex": start, "itemsPerPage": resources.len()});
            out["Resources"] = Value::Array(resources);
            Ok(out)
        })
    }

    // ---- export ------------------------------------------------------------

    /// The expected state an app should hold (the `dsync.app-state.v1` format).
    pub fn export(&self) -> Result<Value, ScimError> {
        self.read(|conn| {
            let mut listed = std::collections::BTreeSet::new();
            let mut users = Map::new();
            db::for_each(conn, Table::Users, |u| {
                if u.provisioned {
                    listed.insert(u.id.clone());
                    users.insert(u.id.clone(), Self::user_view(&u));
                }
                true
            })
            .map_err(internal)?;
            let mut groups = Map::new();
            let mut all = Vec::new();
            db::for_each(conn, Table::Groups, |g| {
                all.push(g);
                true
            })
            .map_err(internal)?;
            for g in all {
                let members: Vec<String> = db::members(conn, &g.id)
                    .map_err(internal)?
                    .into_iter()
                    .filter(|m| listed.contains(m))
                    .collect();
                for m in &members {
                    if let Some(Value::Object(u)) = users.get_mut(m) {
                        let list = u.entry("groups").or_insert_with(|| json!([]));
                        if let Value::Array(items) = list {
                            items.push(json!(g.id));
                        }
                    }
                }
                let mut view = Self::group_view(&g);
                view["members"] = json!(members);
                groups.insert(g.id.clone(), view);
            }
            for u in users.values_mut() {
                if let Value::Object(map) = u {
                    let list = map.entry("groups").or_insert_with(|| json!([]));
                    if let Value::Array(items) = list {
                        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                }
            }
            // Moved in: `json!` would copy every user and group by serialising them.
            let mut state = json!({"format": crate::app_state::FORMAT});
            state["users"] = Value::Object(users);
            state["groups"] = Value::Object(groups);
            Ok(state)
        })
    }

    /// Outbox deliveries by state (every target).
    pub fn outbox_counts(&self) -> Result<Vec<(String, u64)>, ScimError> {
        self.read(|conn| db::delivery_counts(conn, None).map_err(internal))
    }

    /// Users, groups and memberships, for `directory show`.
    pub fn counts(&self) -> Result<(u64, u64), ScimError> {
        self.read(|conn| {
            Ok((
                db::count(conn, Table::Users).map_err(internal)?,
                db::count(conn, Table::Groups).map_err(internal)?,
            ))
        })
    }
}

/// An event to commit: a resource change or a connection event.
#[derive(Debug)]
pub struct Pending {
    code: &'static str,
    change: Option<Change>,
}

impl Pending {
    fn change(change: Change) -> Pending {
        Pending {
            code: change.code,
            change: Some(change),
        }
    }
    fn connection(code: &'static str) -> Pending {
        Pending { code, change: None }
    }
}

fn meta(kind: &str, s: &Stored, location: &str) -> Value {
    json!({"resourceType": kind, "created": s.created, "lastModified": s.modified,
        "location": location, "version": etag(s.version)})
}

/// `schemas` (with the core schema) and `id` first, then the rest.
fn ensure_schema(out: &mut Map<String, Value>, schema: &str) {
    let mut schemas = match out.remove("schemas") {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    if !schemas.iter().any(|s| s == schema) {
        schemas.insert(0, json!(schema));
    }
    let mut ordered = Map::new();
    ordered.insert("schemas".into(), Value::Array(schemas));
    if let Some(id) = out.remove("id") {
        ordered.insert("id".into(), id);
    }
    ordered.append(out);
    *out = ordered;
}

/// Drop what the directory computes or assigns itself.
fn strip_computed(attrs: Value, also: &[&str]) -> Value {
    let Value::Object(mut map) = attrs else {
        return attrs;
    };
    for key in ["id", "meta"].iter().chain(also) {
        map.remove(*key);
    }
    Value::Object(map)
}

/// What is in `new` and not in `old`, and what is in `old` and not in `new`
/// (both sorted and without duplicates).
fn sorted_difference(new: &[String], old: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (new.iter().peekable(), old.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x < y => added.push(a.next().cloned().expect("peeked")),
            (Some(_), Some(_)) | (None, Some(_)) => {
                removed.push(b.next().cloned().expect("peeked"))
            }
            (Some(_), None) => added.push(a.next().cloned().expect("peeked")),
            (None, None) => return (added, removed),
        }
    }
}
