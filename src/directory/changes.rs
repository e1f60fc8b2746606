//! Change → Cryptr event: which webhooks one directory change sends, with
//! the before/after snapshot of the same user or group. Pure functions over
//! the Cryptr-shaped views of [`super::mapping`].

use serde_json::{json, Map, Value};

use super::mapping::VOLATILE;

/// One event to emit: its code and `data.resource` (without the envelope).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub code: &'static str,
    /// `user` or `group`.
    pub kind: &'static str,
    pub id: String,
    pub changes: Value,
}

impl Change {
    /// The outbox's ordering key: events of one resource are delivered in order.
    pub fn resource_key(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

/// A member as group events name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberRef {
    pub id: String,
    pub email: Option<String>,
}

fn refs(members: &[MemberRef]) -> Value {
    let mut sorted = members.to_vec();
    sorted.sort();
    Value::Array(
        sorted
            .into_iter()
            .map(|m| json!({"email": m.email, "id": m.id}))
            .collect(),
    )
}

/// The top-level attributes that differ, before and after. Volatile ones
/// (`updated_at`) are included only beside a real change; `None` when nothing changed.
pub fn changed_only(before: &Value, after: &Value) -> Option<(Value, Value)> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    let differs = |k: &str| b.get(k) != a.get(k);
    if !keys
        .iter()
        .any(|k| !VOLATILE.contains(&k.as_str()) && differs(k))
    {
        return None;
    }
    let (mut prev, mut new) = (Map::new(), Map::new());
    for k in keys.into_iter().filter(|k| differs(k)) {
        prev.insert(k.clone(), b.get(k).cloned().unwrap_or(Value::Null));
        new.insert(k.clone(), a.get(k).cloned().unwrap_or(Value::Null));
    }
    Some((Value::Object(prev), Value::Object(new)))
}

/// `{"new_values", "previous_values"}`, the values moved in (`json!` would copy them).
fn snapshot(prev: Value, new: Value) -> Value {
    let mut out = Map::new();
    out.insert("new_values".into(), new);
    out.insert("previous_values".into(), prev);
    Value::Object(out)
}

fn is_active(user: &Value) -> bool {
    user.get("active").and_then(Value::as_bool).unwrap_or(true)
}

/// A user's state as the app knows it: provisioned (sent and not withdrawn) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserFlags {
    pub provisioned: bool,
}

/// The events of one user change. `before`/`after` are Cryptr views (`None`:
/// did not exist / deleted). Returns the events and whether the app has the
/// user afterwards.
pub fn user(
    id: &str,
    before: Option<(&Value, UserFlags)>,
    after: Option<&Value>,
    activate_code: bool,
) -> (Vec<Change>, bool) {
    let make = |code: &'static str, changes: Value| Change {
        code,
        kind: "user",
        id: id.to_string(),
        changes,
    };
    let provision = |whole: &Value, again: bool| {
        let code = if again && activate_code {
            "dir_sync.user.activate.success"
        } else {
            "dir_sync.user.provision.success"
        };
        make(code, snapshot(json!({}), whole.clone()))
    };
    let deprovision = |whole: &Value| {
        make(
            "dir_sync.user.deprovision.success",
            snapshot(whole.clone(), json!({})),
        )
    };
    match (before, after) {
        (None, None) => (vec![], false),
        (None, Some(a)) if is_active(a) => (vec![provision(a, false)], true),
        (None, Some(_)) => (vec![], false),
        (Some((b, f)), None) => {
            if f.provisioned {
                (vec![deprovision(b)], false)
            } else {
                (vec![], false)
            }
        }
        (Some((b, f)), Some(a)) => match (f.provisioned, is_active(a)) {
            (true, false) => (vec![deprovision(b)], false),
            (true, true) => match changed_only(b, a) {
                Some((prev, new)) => (
                    vec![make("dir_sync.user.update.success", snapshot(prev, new))],
                    true,
                ),
                None => (vec![], true),
            },
            (false, true) => (vec![provision(a, true)], true),
            (false, false) => (vec![], false),
        },
    }
}

/// The events of one group change: `before`/`after` are Cryptr views, and
/// `added`/`removed` the members who joined and left with it.
pub fn group(
    id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    added: &[MemberRef],
    removed: &[MemberRef],
) -> Vec<Change> {
    let make = |code: &'static str, changes: Value| Change {
        code,
        kind: "group",
        id: id.to_string(),
        changes,
    };
    let members_event = |code: &'static str, added: &[MemberRef], removed: &[MemberRef]| {
        let mut changes = snapshot(json!({}), json!({}));
        changes["added_users"] = refs(added);
        changes["removed_users"] = refs(removed);
        make(code, changes)
    };
    match (before, after) {
        (None, None) => vec![],
        (None, Some(a)) => {
            let mut out = vec![make(
                "dir_sync.group.provision.success",
                snapshot(json!({}), a.clone()),
            )];
            if !added.is_empty() {
                out.push(members_event(
                    "dir_sync.group.users_added.success",
                    added,
                    &[],
                ));
            }
            out
        }
        (Some(b), None) => vec![make(
            "dir_sync.group.deprovision.success",
            snapshot(b.clone(), json!({})),
        )],
        (Some(b), Some(a)) => {
            let mut out = Vec::new();
            if let Some((prev, next)) = changed_only(b, a) {
                out.push(make("dir_sync.group.update.success", snapshot(prev, next)));
            }
            if !added.is_empty() {
                out.push(members_event(
                    "dir_sync.group.users_added.success",
                    added,
                    &[],
                ));
            }
            if !removed.is_empty() {
                out.push(members_event(
                    "dir_sync.group.users_removed.success",
                    &[],
                    removed,
                ));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(provisioned: bool) -> UserFlags {
        UserFlags { provisioned }
    }

    #[test]
    fn user_lifecycle_maps_to_cryptr_codes() {
        let a = json!({"active": true, "email": "a@x", "updated_at": "t1"});
        let (e, p) = user("u", None, Some(&a), false);
        assert_eq!(e[0].code, "dir_sync.user.provision.success");
        assert_eq!(e[0].changes["previous_values"], json!({}));
        assert!(p);

        let b = json!({"active": true, "email": "b@x", "updated_at": "t2"});
        let (e, _) = user("u", Some((&a, flags(true))), Some(&b), false);
        assert_eq!(e[0].code, "dir_sync.user.update.success");
        assert_eq!(
            e[0].changes,
            json!({"new_values": {"email": "b@x", "updated_at": "t2"},
                   "previous_values": {"email": "a@x", "updated_at": "t1"}})
        );

        let same = json!({"active": true, "email": "b@x", "updated_at": "t3"});
        assert_eq!(
            user("u", Some((&b, flags(true))), Some(&same), false).0,
            vec![]
        );

        let off = json!({"active": false, "email": "b@x", "updated_at": "t3"});
        let (e, p) = user("u", Some((&b, flags(true))), Some(&off), false);
        assert_eq!(e[0].code, "dir_sync.user.deprovision.success");
        assert!(!p);
        assert_eq!(user("u", Some((&off, flags(false))), None, false).0, vec![]);

        let (e, _) = user("u", Some((&off, flags(false))), Some(&b), true);
        assert_eq!(e[0].code, "dir_sync.user.activate.success");
        let (e, _) = user("u", Some((&off, flags(false))), Some(&b), false);
        assert_eq!(e[0].code, "dir_sync.user.provision.success");
    }

    #[test]
    fn group_membership_changes_name_the_users() {
        let g = json!({"name": "Eng", "external_id": null, "updated_at": "t1"});
        let ada = MemberRef {
            id: "1".into(),
            email: Some("ada@x".into()),
        };
        let bob = MemberRef {
            id: "2".into(),
            email: Some("bob@x".into()),
        };
        let e = group("g", None, Some(&g), std::slice::from_ref(&ada), &[]);
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[1].changes["added_users"],
            json!([{"email": "ada@x", "id": "1"}])
        );
        let g2 = json!({"name": "Engineering", "external_id": null, "updated_at": "t2"});
        let e = group(
            "g",
            Some(&g),
            Some(&g2),
            std::slice::from_ref(&bob),
            std::slice::from_ref(&ada),
        );
        let codes: Vec<&str> = e.iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            [
                "dir_sync.group.update.success",
                "dir_sync.group.users_added.success",
                "dir_sync.group.users_removed.success"
            ]
        );
        assert_eq!(
            e[2].changes["removed_users"],
            json!([{"email": "ada@x", "id": "1"}])
        );
        assert!(group("g", Some(&g), Some(&g), &[], &[]).is_empty());
    }
}
