//! Finding the before and after inside one event body.
//!
//! - Cryptr: `data.resource.changes` holds `previous_values` and
//!   `new_values` (a provision has an empty before, a deprovision an empty
//!   after) and, for groups, `added_users` / `removed_users`. A bare
//!   `changes` object is accepted too.
//! - WorkOS and Stripe: `data.previous_attributes` holds the old values of
//!   what changed (`null`: the key did not exist before); the after is
//!   `data.object` (Stripe) or `data` itself (WorkOS).

use serde_json::{Map, Value};

/// Where the snapshot is looked for, for the error message.
pub const LOOKED_FOR: &str = "data.resource.changes.{previous_values,new_values,added_users,removed_users} (Cryptr) and data.previous_attributes (WorkOS, Stripe)";

const CHANGE_FIELDS: &[&str] = &[
    "previous_values",
    "new_values",
    "added_users",
    "removed_users",
];

/// One event's before, after and membership changes.
#[derive(Debug, Clone)]
pub struct EventSnapshot {
    pub identity: Identity,
    pub before: Value,
    pub after: Value,
    pub members_added: Vec<Value>,
    pub members_removed: Vec<Value>,
}

/// What heads the diff: code, resource, email, time.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Identity {
    pub code: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub email: Option<String>,
    pub issued_at: Option<String>,
}

impl Identity {
    /// `dir_sync.user.update.success · user 9ffd… · ada@x.io · 2026-…`
    pub fn title(&self) -> String {
        let mut parts = vec![self.code.clone().unwrap_or_else(|| "event".to_string())];
        match (&self.resource_type, &self.resource_id) {
            (Some(t), Some(id)) => parts.push(format!("{t} {id}")),
            (None, Some(id)) => parts.push(id.clone()),
            (Some(t), None) => parts.push(t.clone()),
            (None, None) => {}
        }
        if let Some(email) = &self.email {
            parts.push(email.clone());
        }
        if let Some(at) = &self.issued_at {
            parts.push(at.clone());
        }
        parts.join(" · ")
    }
}

/// The snapshot of an event, or `None` when it carries none.
pub fn extract(doc: &Value) -> Option<EventSnapshot> {
    let mut snapshot = cryptr(doc).or_else(|| previous_attributes(doc))?;
    snapshot.identity = identity(doc, &snapshot);
    Some(snapshot)
}

fn cryptr(doc: &Value) -> Option<EventSnapshot> {
    let has_changes = |v: &Value| CHANGE_FIELDS.iter().any(|f| v.get(f).is_some());
    let changes = doc
        .pointer("/data/resource/changes")
        .filter(|c| has_changes(c))
        .or_else(|| Some(doc).filter(|d| has_changes(d)))?;
    let side = |field: &str| match changes.get(field) {
        Some(v @ Value::Object(_)) => v.clone(),
        _ => Value::Object(Map::new()),
    };
    let users = |field: &str| match changes.get(field) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    Some(EventSnapshot {
        identity: Identity::default(),
        before: side("previous_values"),
        after: side("new_values"),
        members_added: users("added_users"),
        members_removed: users("removed_users"),
    })
}

fn previous_attributes(doc: &Value) -> Option<EventSnapshot> {
    let data = doc.get("data")?;
    let previous = data.get("previous_attributes")?.as_object()?;
    let after = match data.get("object") {
        Some(object @ Value::Object(_)) => object.clone(),
        _ => {
            let mut own = data.as_object()?.clone();
            own.shift_remove("previous_attributes");
            Value::Object(own)
        }
    };
    let mut before = after.clone();
    merge_previous(&mut before, previous);
    Some(EventSnapshot {
        identity: Identity::default(),
        before,
        after,
        members_added: Vec::new(),
        members_removed: Vec::new(),
    })
}

/// Put the old values back; nested objects merge, `null` removes the key.
fn merge_previous(target: &mut Value, previous: &Map<String, Value>) {
    let Some(target) = target.as_object_mut() else {
        return;
    };
    for (key, old) in previous {
        match (old, target.get_mut(key)) {
            (Value::Null, _) => {
                target.shift_remove(key);
            }
            (Value::Object(nested), Some(current @ Value::Object(_))) => {
                merge_previous(current, nested)
            }
            _ => {
                target.insert(key.clone(), old.clone());
            }
        }
    }
}

fn identity(doc: &Value, snapshot: &EventSnapshot) -> Identity {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let resource = doc.pointer("/data/resource");
    let email = [&snapshot.after, &snapshot.before]
        .iter()
        .find_map(|side| text(side.get("email")))
        .or_else(|| text(resource.and_then(|r| r.get("email"))));
    Identity {
        code: text(doc.get("code"))
            .or_else(|| text(doc.get("event")).or_else(|| text(doc.get("type")))),
        resource_type: text(resource.and_then(|r| r.get("type"))),
        resource_id: text(resource.and_then(|r| r.get("id")))
            .or_else(|| text(snapshot.after.get("id")))
            .or_else(|| text(snapshot.before.get("id"))),
        email,
        issued_at: text(doc.get("issued_at")).or_else(|| text(doc.get("created_at"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn workos_previous_attributes_null_means_absent() {
        let doc = json!({"event": "dsync.user.updated", "data": {"id": "u1", "first_name": "Ada",
            "role": "admin", "previous_attributes": {"first_name": "Grace", "role": null}}});
        let s = extract(&doc).unwrap();
        assert_eq!(s.before, json!({"id": "u1", "first_name": "Grace"}));
        assert_eq!(
            s.after,
            json!({"id": "u1", "first_name": "Ada", "role": "admin"})
        );
        assert_eq!(s.identity.code.as_deref(), Some("dsync.user.updated"));
    }

    #[test]
    fn stripe_object_with_nested_previous() {
        let doc = json!({"type": "customer.updated", "data": {"object": {"id": "cus_1",
            "address": {"city": "Lyon", "line1": "1 rue"}}, "previous_attributes": {"address": {"city": "Paris"}}}});
        let s = extract(&doc).unwrap();
        assert_eq!(
            s.before["address"],
            json!({"city": "Paris", "line1": "1 rue"})
        );
    }

    #[test]
    fn no_snapshot() {
        assert!(extract(&json!({"code": "dir_sync.activated", "data": {}})).is_none());
    }
}
