//! The PATCH engine checked against an independent implementation, the npm
//! package `scim-patch`, on RFC 7644's examples and the Okta and Entra ID
//! bodies of the dialects notes: the same outcome (success or error) and the
//! same resource. `scim-patch` has no schema, so where the RFC or the schema
//! decides (string booleans, read-only and required attributes, `$ref: null`,
//! canonical names) the disagreement is listed with its reason and checked to
//! still hold. `schemas` is left out of the comparison: keeping it in step
//! with the extensions present is this server's job, not a PATCH library's.
//! `.ci/run` installs the peer; without it the test skips locally and fails
//! under CI.

use std::process::Command;

use serde_json::{json, Value};

use super::crosscheck::{node_with_global_modules, run_peer};
use super::patch::apply;
use super::patch::tests::{group, user, BABS, JAMES, MANDY};
use super::ResourceKind;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// (name, kind, operations)
fn corpus() -> Vec<(&'static str, ResourceKind, Value)> {
    use ResourceKind::{Group, User};
    vec![
        // RFC 7644 §3.5.2.1-3.
        (
            "rfc add member",
            Group,
            json!([{"op": "add", "path": "members", "value": [{"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d", "value": JAMES}]}]),
        ),
        (
            "rfc add without path",
            User,
            json!([{"op": "add", "value": {"emails": [{"value": "babs@jensen.net", "type": "other"}], "nickName": "Babs"}}]),
        ),
        (
            "rfc add without path, non-canonical name",
            User,
            json!([{"op": "add", "value": {"nickname": "Babs"}}]),
        ),
        (
            "rfc remove member by filter",
            Group,
            json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
        ),
        (
            "rfc remove all members",
            Group,
            json!([{"op": "remove", "path": "members"}]),
        ),
        (
            "rfc remove then add member",
            Group,
            json!([
                {"op": "remove", "path": format!("members[value eq \"{BABS}\"]")},
                {"op": "add", "path": "members", "value": [{"display": "James Smith", "value": JAMES}]}
            ]),
        ),
        (
            "rfc remove by complex filter",
            User,
            json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
        ),
        (
            "rfc replace members",
            Group,
            json!([{"op": "replace", "path": "members", "value": [{"display": "Babs Jensen", "value": BABS}, {"display": "James Smith", "value": JAMES}]}]),
        ),
        (
            "rfc replace filtered value",
            User,
            json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": {"type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood", "region": "CA", "postalCode": "91608", "country": "US", "primary": true}}]),
        ),
        (
            "rfc replace filtered sub-attribute",
            User,
            json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
        ),
        (
            "rfc replace without path",
            User,
            json!([{"op": "replace", "value": {"emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}, {"value": "babs@jensen.org", "type": "home"}], "nickName": "Babs"}}]),
        ),
        (
            "remove a single-valued attribute",
            User,
            json!([{"op": "remove", "path": "title"}]),
        ),
        (
            "remove a sub-attribute",
            User,
            json!([{"op": "remove", "path": "name.givenName"}]),
        ),
        (
            "replace a sub-attribute",
            User,
            json!([{"op": "replace", "path": "name.givenName", "value": "Babs"}]),
        ),
        (
            "replace a complex attribute merges",
            User,
            json!([{"op": "replace", "path": "name", "value": {"givenName": "Babs"}}]),
        ),
        (
            "add to a multi-valued attribute",
            User,
            json!([{"op": "add", "path": "emails", "value": [{"value": "b@new.org", "type": "other"}]}]),
        ),
        ("remove without path", User, json!([{"op": "remove"}])),
        (
            "unknown op",
            User,
            json!([{"op": "merge", "path": "title", "value": "x"}]),
        ),
        (
            "filter on a sub-attribute with no match, not creatable",
            User,
            json!([{"op": "replace", "path": "emails[type eq \"other\" or type eq \"x\"].value", "value": "x@y"}]),
        ),
        // Okta (dialects notes §1).
        (
            "okta deactivate",
            User,
            json!([{"op": "replace", "value": {"active": false}}]),
        ),
        (
            "okta membership",
            Group,
            json!([
                {"op": "remove", "path": format!("members[value eq \"{MANDY}\"]")},
                {"op": "add", "path": "members", "value": [{"value": JAMES, "display": "James Smith"}]}
            ]),
        ),
        (
            "okta replace members",
            Group,
            json!([{"op": "replace", "path": "members", "value": [{"value": JAMES, "display": "James Smith"}]}]),
        ),
        (
            "okta rename with own id",
            Group,
            json!([{"op": "replace", "value": {"id": "e9e30dba-f08f-4109-8486-d5c6a331660a", "displayName": "Tour Leaders"}}]),
        ),
        // Entra ID.
        (
            "entra replace active string",
            User,
            json!([{"op": "Replace", "path": "active", "value": "False"}]),
        ),
        (
            "entra family name",
            User,
            json!([{"op": "Replace", "path": "name.familyName", "value": "Jensen-Smith"}]),
        ),
        (
            "entra work email",
            User,
            json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "babs.smith@example.com"}]),
        ),
        (
            "entra work email created",
            User,
            json!([{"op": "Add", "path": "emails[type eq \"other\"].value", "value": "babs@other.org"}]),
        ),
        (
            "entra employee number",
            User,
            json!([{"op": "Add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "701984"}]),
        ),
        (
            "entra manager",
            User,
            json!([{"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": [{"$ref": null, "value": JAMES}]}]),
        ),
        (
            "entra add members with null ref",
            Group,
            json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": JAMES}]}]),
        ),
        (
            "entra remove members by value",
            Group,
            json!([{"op": "Remove", "path": "members", "value": [{"value": BABS}]}]),
        ),
        (
            "entra rename",
            Group,
            json!([{"op": "Replace", "path": "displayName", "value": "Guides"}]),
        ),
        (
            "entra flagged no-path replace",
            User,
            json!([{"op": "replace", "value": {"displayName": "A", "name.givenName": "B", format!("{ENTERPRISE}:department"): "Tours"}}]),
        ),
        (
            "entra flagged remove member by filter",
            Group,
            json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
        ),
        // What the schema forbids.
        (
            "remove userName",
            User,
            json!([{"op": "remove", "path": "userName"}]),
        ),
        (
            "replace id",
            User,
            json!([{"op": "replace", "path": "id", "value": "other"}]),
        ),
        (
            "replace a boolean with a non-boolean",
            User,
            json!([{"op": "replace", "path": "active", "value": "maybe"}]),
        ),
    ]
}

/// Where `scim-patch` disagrees, and why this server does what it does.
const DIFFERS: &[(&str, &str)] = &[
    ("entra remove members by value", "removes only values equal in every sub-attribute, so `{value}` misses a member stored with its `display`; a member is identified by its value"),
    ("rfc add without path, non-canonical name", "keeps `nickname` as sent; attribute names are case-insensitive, stored as the schema spells them (nickName)"),
    ("entra replace active string", "stores the string \"False\"; active is a boolean (Entra sends strings, dialects notes §2)"),
    ("entra manager", "stores the one-element array; manager is single-valued, and `$ref: null` is unassigned"),
    ("entra add members with null ref", "stores `$ref: null`; null is unassigned (RFC 7643 §2.5)"),
    ("remove userName", "removes it; userName is required"),
    ("replace id", "replaces it; id is read-only"),
    ("replace a boolean with a non-boolean", "has no schema to check the type against"),
];

const ORACLE: &str = r#"
const { scimPatch } = require("scim-patch");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.map(({ resource, operations }) => {
  try {
    return { ok: true, resource: scimPatch(resource, operations) };
  } catch (e) {
    return { ok: false, error: String(e && e.message) };
  }
});
process.stdout.write(JSON.stringify(out));
"#;

fn without_schemas(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("schemas");
    }
    v
}

#[test]
fn patches_agree_with_scim_patch() {
    let cases = corpus();
    let input: Vec<Value> = cases
        .iter()
        .map(|(_, kind, ops)| {
            let resource = match kind {
                ResourceKind::User => user(),
                ResourceKind::Group => group(&[BABS, MANDY]),
            };
            json!({"resource": resource, "operations": ops})
        })
        .collect();
    let mut cmd: Command = node_with_global_modules();
    cmd.arg("-e").arg(ORACLE);
    let fix = "install it with `npm install -g scim-patch@0.8.3` (.ci/run does)";
    let Some(peer) = run_peer(
        "node with scim-patch",
        cmd,
        &Value::Array(input.clone()),
        fix,
    ) else {
        return;
    };
    let (mut same_success, mut same_error) = (0, 0);
    for (((name, kind, ops), theirs), case) in cases.iter().zip(&peer).zip(&input) {
        let request = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
        let ours = apply(*kind, &case["resource"], &request).map(without_schemas);
        let their_result =
            (theirs["ok"] == true).then(|| without_schemas(theirs["resource"].clone()));
        let agree = match (&ours, &their_result) {
            (Ok(a), Some(b)) => a == b,
            (Err(_), None) => true,
            _ => false,
        };
        if let Some((_, why)) = DIFFERS.iter().find(|(n, _)| n == name) {
            assert!(
                !agree,
                "{name}: listed as a disagreement ({why}) but both now agree: update DIFFERS"
            );
            continue;
        }
        assert!(
            agree,
            "{name}: we give {}, scim-patch gives {theirs}",
            match &ours {
                Ok(v) => v.to_string(),
                Err(e) => e.to_string(),
            }
        );
        if ours.is_ok() {
            same_success += 1;
        } else {
            same_error += 1;
        }
    }
    assert!(
        same_success >= 25 && same_error >= 2,
        "{same_success} agreeing results, {same_error} agreeing errors"
    );
}
