use serde_json::{json, Value};

use super::*;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub(crate) const BABS: &str = "2819c223-7f76-453a-919d-413861904646";
pub(crate) const JAMES: &str = "08e1d05d-121c-4561-8b96-473d93df9210";
pub(crate) const MANDY: &str = "902c246b-6245-4190-8e05-00816be7344a";

pub(crate) fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": BABS,
        "externalId": "00u1AbC",
        "userName": "bjensen@example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"}],
        "meta": {"resourceType": "User", "created": "2026-01-23T04:56:22Z", "version": "W/\"1\""}
    })
}

pub(crate) fn group(members: &[&str]) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": members.iter().map(|m| json!({"value": m, "display": format!("member {m}")})).collect::<Vec<_>>(),
        "meta": {"resourceType": "Group"}
    })
}

fn body(ops: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
}

fn patch_user(ops: Value) -> Value {
    apply(ResourceKind::User, &user(), &body(ops)).unwrap_or_else(|e| panic!("{e}"))
}

fn patch_group(g: &Value, ops: Value) -> Value {
    apply(ResourceKind::Group, g, &body(ops)).unwrap_or_else(|e| panic!("{e}"))
}

fn member_ids(g: &Value) -> Vec<&str> {
    g.get("members")
        .and_then(Value::as_array)
        .map(|m| m.iter().map(|x| x["value"].as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn failure(kind: ResourceKind, resource: &Value, request: Value) -> ScimError {
    match apply(kind, resource, &request) {
        Ok(v) => panic!("expected an error, got {v}"),
        Err(e) => e,
    }
}

// ------------------------------------------------------------------ Okta

#[test]
fn okta_deactivate_is_a_no_path_replace() {
    let out = patch_user(json!([{"op": "replace", "value": {"active": false}}]));
    assert_eq!(out["active"], false);
    let mut expected = user();
    expected["active"] = json!(false);
    assert_eq!(out, expected, "nothing else changes");
}

#[test]
fn okta_membership_remove_filter_then_add() {
    let g = group(&[BABS, MANDY]);
    let out = patch_group(
        &g,
        json!([
            {"op": "remove", "path": format!("members[value eq \"{MANDY}\"]")},
            {"op": "add", "path": "members", "value": [{"value": JAMES, "display": "James Smith"}]}
        ]),
    );
    assert_eq!(member_ids(&out), [BABS, JAMES]);
    assert_eq!(
        out["members"][1],
        json!({"value": JAMES, "display": "James Smith"})
    );
}

#[test]
fn okta_replace_members_is_the_full_set() {
    let g = group(&[BABS, MANDY]);
    let out = patch_group(
        &g,
        json!([{"op": "replace", "path": "members", "value": [{"value": JAMES, "display": "James"}, {"value": BABS}]}]),
    );
    assert_eq!(member_ids(&out), [JAMES, BABS]);
    // The empty set removes every member.
    let out = patch_group(
        &g,
        json!([{"op": "replace", "path": "members", "value": []}]),
    );
    assert!(out.get("members").is_none());
}

#[test]
fn okta_rename_echoes_the_group_id() {
    let g = group(&[BABS]);
    let id = g["id"].clone();
    let out = patch_group(
        &g,
        json!([{"op": "replace", "value": {"id": id, "displayName": "Tour Leaders"}}]),
    );
    assert_eq!(out["displayName"], "Tour Leaders");
    assert_eq!(out["id"], g["id"]);
    // Same name: nothing changes.
    let same = patch_group(
        &g,
        json!([{"op": "replace", "value": {"id": g["id"], "displayName": "Tour Guides"}}]),
    );
    assert_eq!(same, g);
    // Another id is a change of a read-only attribute.
    let e = failure(
        ResourceKind::Group,
        &g,
        body(json!([{"op": "replace", "value": {"id": "other", "displayName": "x"}}])),
    );
    assert_eq!(e.scim_type, Some("mutability"));
    assert!(e.detail.contains("\"id\" is read-only"), "{}", e.detail);
}

#[test]
fn okta_password_sync_is_accepted_and_never_stored() {
    let out = patch_user(json!([{"op": "replace", "value": {"password": "hunter2"}}]));
    assert_eq!(out, user());
    let out = patch_user(json!([{"op": "replace", "path": "password", "value": "hunter2"}]));
    assert!(out.get("password").is_none());
}

// ----------------------------------------------------------------- Entra

#[test]
fn entra_replace_active_with_a_string_boolean() {
    for v in ["False", "false", "FALSE"] {
        let out = patch_user(json!([{"op": "Replace", "path": "active", "value": v}]));
        assert_eq!(out["active"], false, "{v}");
    }
    let out = patch_user(json!([{"op": "Replace", "path": "active", "value": "True"}]));
    assert_eq!(out["active"], true);
}

#[test]
fn entra_one_operation_per_path() {
    let out = patch_user(json!([
        {"op": "Replace", "path": "name.familyName", "value": "Jensen-Smith"},
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "babs.smith@example.com"},
        {"op": "Add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "701984"},
        {"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": [{"$ref": null, "value": JAMES}]},
        {"op": "Replace", "path": "displayName", "value": "Babs Smith"}
    ]));
    assert_eq!(
        out["name"],
        json!({"familyName": "Jensen-Smith", "givenName": "Barbara"})
    );
    assert_eq!(
        out["emails"][0],
        json!({"value": "babs.smith@example.com", "type": "work", "primary": true})
    );
    assert_eq!(out["emails"][1]["value"], "babs@jensen.org");
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "701984", "manager": {"value": JAMES}})
    );
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE])
    );
    assert_eq!(out["displayName"], "Babs Smith");
}

#[test]
fn entra_work_email_created_when_missing() {
    let mut u = user();
    u["emails"] = json!([{"value": "babs@jensen.org", "type": "home"}]);
    let out = apply(
        ResourceKind::User,
        &u,
        &body(json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "b@example.com"}])),
    )
    .unwrap();
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}, {"type": "work", "value": "b@example.com"}])
    );
    // A filter that does not describe one element cannot create it.
    let e = failure(
        ResourceKind::User,
        &u,
        body(
            json!([{"op": "replace", "path": "emails[type eq \"work\" or type eq \"other\"].value", "value": "x@y"}]),
        ),
    );
    assert_eq!(e.scim_type, Some("noTarget"));
}

#[test]
fn entra_manager_as_a_bare_id() {
    let out =
        patch_user(json!([{"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": JAMES}]));
    assert_eq!(out[ENTERPRISE]["manager"], json!({"value": JAMES}));
    let out = patch_user(json!([
        {"op": "Add", "path": format!("{ENTERPRISE}:manager"), "value": JAMES},
        {"op": "Remove", "path": format!("{ENTERPRISE}:manager")}
    ]));
    assert!(
        out.get(ENTERPRISE).is_none(),
        "an emptied extension goes, {out}"
    );
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
}

#[test]
fn entra_add_members_with_null_ref_and_remove_with_a_value_array() {
    let g = group(&[BABS]);
    let out = patch_group(
        &g,
        json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": JAMES}, {"$ref": null, "value": MANDY}]}]),
    );
    assert_eq!(member_ids(&out), [BABS, JAMES, MANDY]);
    assert_eq!(
        out["members"][1],
        json!({"value": JAMES}),
        "$ref: null is dropped"
    );
    // Adding an existing member again keeps one copy.
    let again = patch_group(
        &out,
        json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": JAMES}]}]),
    );
    assert_eq!(member_ids(&again), [BABS, JAMES, MANDY]);
    let out = patch_group(
        &out,
        json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": BABS}, {"value": MANDY}]}]),
    );
    assert_eq!(member_ids(&out), [JAMES]);
    // Removing someone who is not a member changes nothing.
    let same = patch_group(
        &out,
        json!([{"op": "Remove", "path": "members", "value": [{"value": "nobody"}]}]),
    );
    assert_eq!(same, out);
}

#[test]
fn entra_group_rename_by_path() {
    let g = group(&[BABS]);
    let out = patch_group(
        &g,
        json!([{"op": "Replace", "path": "displayName", "value": "Guides"}]),
    );
    assert_eq!(out["displayName"], "Guides");
}

#[test]
fn entra_flagged_no_path_replace_with_dotted_and_urn_keys() {
    let out = patch_user(json!([
        {"op": "replace", "value": {
            "displayName": "A",
            "name.givenName": "B",
            "NAME.familyName": "C",
            format!("{ENTERPRISE}:department"): "Tours",
            "active": false
        }}
    ]));
    assert_eq!(out["displayName"], "A");
    assert_eq!(out["name"], json!({"familyName": "C", "givenName": "B"}));
    assert_eq!(out[ENTERPRISE]["department"], "Tours");
    assert_eq!(out["active"], false);
    let out = patch_user(
        json!([{"op": "add", "value": {"name.middleName": "J", "title": "Senior Guide"}}]),
    );
    assert_eq!(out["name"]["middleName"], "J");
    assert_eq!(out["title"], "Senior Guide");
    // A filtered path as a key.
    let out = patch_user(
        json!([{"op": "replace", "value": {"emails[type eq \"work\"].value": "w@x.org", "displayName": "W"}}]),
    );
    assert_eq!(
        out["emails"][0],
        json!({"value": "w@x.org", "type": "work", "primary": true})
    );
    assert_eq!(out["displayName"], "W");
    // A whole extension object as a key.
    let out = patch_user(
        json!([{"op": "add", "value": {ENTERPRISE: {"employeeNumber": "7", "costCenter": "4130"}}}]),
    );
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "7", "costCenter": "4130"})
    );
}

#[test]
fn entra_flagged_remove_member_by_filter() {
    let g = group(&[BABS, MANDY]);
    let out = patch_group(
        &g,
        json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
    );
    assert_eq!(member_ids(&out), [MANDY]);
    // The last member gone: no members left.
    let out = patch_group(
        &out,
        json!([{"op": "remove", "path": format!("members[value eq \"{MANDY}\"]")}]),
    );
    assert!(out.get("members").is_none());
    // Member ids are caseExact: a different case removes nothing.
    let same = patch_group(
        &g,
        json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", BABS.to_uppercase())}]),
    );
    assert_eq!(member_ids(&same), [BABS, MANDY]);
}

// ------------------------------------------------------------ RFC 7644

#[test]
fn rfc_add_examples() {
    // §3.5.2.1: add a member.
    let g = group(&[]);
    let out = patch_group(
        &g,
        json!([{"op": "add", "path": "members", "value": [{
            "display": "Babs Jensen",
            "$ref": format!("https://example.com/v2/Users/{BABS}"),
            "value": BABS
        }]}]),
    );
    assert_eq!(
        out["members"][0]["$ref"],
        format!("https://example.com/v2/Users/{BABS}")
    );
    // §3.5.2.1: no path, several attributes; an existing email is not added twice.
    let out = patch_user(json!([{"op": "add", "value": {
        "emails": [{"value": "babs@jensen.org", "type": "home"}, {"value": "b@new.org", "type": "other"}],
        "nickname": "Babs"
    }}]));
    assert_eq!(out["emails"].as_array().unwrap().len(), 3);
    assert_eq!(out["nickName"], "Babs", "canonical spelling of nickName");
    assert!(out.get("nickname").is_none());
}

#[test]
fn rfc_remove_examples() {
    let g = group(&[BABS, JAMES]);
    // §3.5.2.2: a member by filter, all members.
    let out = patch_group(
        &g,
        json!([{"op": "remove", "path": format!("members[value eq \"{BABS}\"]")}]),
    );
    assert_eq!(member_ids(&out), [JAMES]);
    let out = patch_group(&g, json!([{"op": "remove", "path": "members"}]));
    assert!(out.get("members").is_none());
    // Remove then add in one request: a member replaced.
    let out = patch_group(
        &g,
        json!([
            {"op": "remove", "path": "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"},
            {"op": "add", "path": "members", "value": [{"display": "James Smith", "value": MANDY}]}
        ]),
    );
    assert_eq!(member_ids(&out), [JAMES, MANDY]);
    // A complex filter.
    let out = patch_user(
        json!([{"op": "remove", "path": "emails[type eq \"work\" and value ew \"example.com\"]"}]),
    );
    assert_eq!(
        out["emails"],
        json!([{"value": "babs@jensen.org", "type": "home"}])
    );
    // A sub-attribute of the matching values.
    let out = patch_user(json!([{"op": "remove", "path": "emails[type eq \"work\"].primary"}]));
    assert_eq!(
        out["emails"][0],
        json!({"value": "bjensen@example.com", "type": "work"})
    );
    // A single-valued attribute, a sub-attribute.
    let out = patch_user(
        json!([{"op": "remove", "path": "title"}, {"op": "remove", "path": "name.givenName"}]),
    );
    assert!(out.get("title").is_none());
    assert_eq!(out["name"], json!({"familyName": "Jensen"}));
    // A sub-attribute of every value.
    let out = patch_user(json!([{"op": "remove", "path": "emails.primary"}]));
    assert!(out["emails"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e.get("primary").is_none()));
}

#[test]
fn rfc_replace_examples() {
    let g = group(&[BABS]);
    // §3.5.2.3: the members replaced.
    let out = patch_group(
        &g,
        json!([{"op": "replace", "path": "members", "value": [
            {"display": "Babs Jensen", "$ref": "https://example.com/v2/Users/2819c223...", "value": BABS},
            {"display": "James Smith", "$ref": "https://example.com/v2/Users/08e1d05d...", "value": JAMES}
        ]}]),
    );
    assert_eq!(member_ids(&out), [BABS, JAMES]);
    // A whole value selected by filter.
    let work = json!({
        "type": "work", "streetAddress": "911 Universal City Plaza", "locality": "Hollywood",
        "region": "CA", "postalCode": "91608", "country": "US",
        "formatted": "911 Universal City Plaza\nHollywood, CA 91608 US", "primary": true
    });
    let out = patch_user(
        json!([{"op": "replace", "path": "addresses[type eq \"work\"]", "value": work}]),
    );
    assert_eq!(out["addresses"], json!([work]));
    // One sub-attribute of the selected value.
    let out = patch_user(
        json!([{"op": "replace", "path": "addresses[type eq \"work\"].streetAddress", "value": "1010 Broadway Ave"}]),
    );
    assert_eq!(out["addresses"][0]["streetAddress"], "1010 Broadway Ave");
    assert_eq!(out["addresses"][0]["locality"], "Hollywood");
    // No path: the emails array replaced whole, nickName set.
    let out = patch_user(json!([{"op": "replace", "value": {
        "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}, {"value": "babs@jensen.org", "type": "home"}],
        "nickName": "Babs"
    }}]));
    assert_eq!(out["emails"].as_array().unwrap().len(), 2);
    assert_eq!(out["nickName"], "Babs");
    // A complex single-valued attribute: sub-attributes merged.
    let out =
        patch_user(json!([{"op": "replace", "path": "name", "value": {"givenName": "Babs"}}]));
    assert_eq!(
        out["name"],
        json!({"familyName": "Jensen", "givenName": "Babs"})
    );
    // Replace with null unassigns.
    let out = patch_user(json!([{"op": "replace", "path": "title", "value": null}]));
    assert!(out.get("title").is_none());
}

#[test]
fn primary_is_unique_after_a_patch() {
    let out = patch_user(
        json!([{"op": "add", "path": "emails", "value": [{"value": "new@example.com", "type": "other", "primary": "True"}]}]),
    );
    let primaries: Vec<&Value> = out["emails"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["primary"] == true)
        .collect();
    assert_eq!(primaries.len(), 1);
    assert_eq!(primaries[0]["value"], "new@example.com");
    assert_eq!(out["emails"][0]["primary"], false);
    let out = patch_user(
        json!([{"op": "replace", "path": "emails[type eq \"home\"].primary", "value": true}]),
    );
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(out["emails"][1]["primary"], true);
}

#[test]
fn paths_and_ops_are_case_insensitive() {
    let out = patch_user(json!([
        {"OP": "REPLACE", "PATH": "Name.GivenName", "VALUE": "Babs"},
        {"op": "Add", "path": "EMAILS[TYPE EQ \"HOME\"].Display", "value": "Home"}
    ]));
    assert_eq!(out["name"]["givenName"], "Babs");
    assert_eq!(out["emails"][1]["display"], "Home");
    let out = apply(
        ResourceKind::User,
        &user(),
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "operations": [{"op": "replace", "path": "ACTIVE", "value": "false"}]}),
    )
    .unwrap();
    assert_eq!(out["active"], false);
    assert!(out.get("ACTIVE").is_none());
}

// ---------------------------------------------------------------- errors

#[test]
fn every_error_kind() {
    let u = user();
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!("not an object"), "invalidSyntax", "a PATCH body is a JSON object"),
        (json!({"schemas": ["urn:nope"], "Operations": []}), "invalidSyntax", "must list \"urn:ietf:params:scim:api:messages:2.0:PatchOp\""),
        (json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}), "invalidSyntax", "needs an \"Operations\" array"),
        (body(json!([])), "invalidSyntax", "non-empty array"),
        (body(json!([{"op": "merge", "path": "title", "value": "x"}])), "invalidSyntax", "unknown op \"merge\""),
        (body(json!([{"path": "title"}])), "invalidSyntax", "has no \"op\""),
        (body(json!(["add"])), "invalidSyntax", "operation 1 is not an object"),
        (body(json!([{"op": "remove"}])), "noTarget", "remove needs a \"path\""),
        (body(json!([{"op": "replace", "path": "emails[type eq \"work\"", "value": "x"}])), "invalidPath", "invalid path at character 22: expected \"and\", \"or\" or ']' closing the '[' at character 7, found the end"),
        (body(json!([{"op": "replace", "path": "emails[type eq \"work\"] x", "value": "x"}])), "invalidPath", "unexpected \"x\" after the path"),
        (body(json!([{"op": "replace", "path": "active[value eq 1]", "value": "x"}])), "invalidPath", "single-valued"),
        (body(json!([{"op": "replace", "path": 7, "value": "x"}])), "invalidPath", "must be a string"),
        (body(json!([{"op": "replace", "path": "members", "value": []}])), "invalidPath", "not an attribute of a User"),
        (body(json!([{"op": "replace", "path": "urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "value": "x"}])), "invalidPath", "not an attribute of a User"),
        (body(json!([{"op": "replace", "path": "emails.value", "value": "x"}])), "invalidPath", "select one with a filter"),
        (body(json!([{"op": "replace", "value": {"name.givenName.x": "x"}}])), "invalidPath", "not a valid sub-attribute name"),
        (body(json!([{"op": "replace", "path": "active", "value": "maybe"}])), "invalidValue", "\"active\" must be a boolean (true or false), not \"maybe\""),
        (body(json!([{"op": "replace", "path": "emails", "value": [{"value": 5}]}])), "invalidValue", "\"emails.value\" must be a string, not a number"),
        (body(json!([{"op": "replace", "path": "name", "value": "Babs"}])), "invalidValue", "\"name\" must be an object"),
        (body(json!([{"op": "add", "path": "title"}])), "invalidValue", "add needs a \"value\""),
        (body(json!([{"op": "replace", "value": ["active"]}])), "invalidValue", "must be an object of attributes, not an array"),
        (body(json!([{"op": "replace", "value": {ENTERPRISE: "x"}}])), "invalidValue", "is an extension"),
        (body(json!([{"op": "replace", "path": "id", "value": "x"}])), "mutability", "\"id\" is read-only"),
        (body(json!([{"op": "replace", "path": "meta.version", "value": "x"}])), "mutability", "\"meta\" is read-only"),
        (body(json!([{"op": "add", "path": "groups", "value": [{"value": "g"}]}])), "mutability", "\"groups\" is read-only"),
        (body(json!([{"op": "add", "path": format!("{ENTERPRISE}:manager.displayName"), "value": "x"}])), "mutability", "\"displayName\" is read-only"),
        (body(json!([{"op": "remove", "path": "userName"}])), "mutability", "userName is required"),
        (body(json!([{"op": "replace", "path": "userName", "value": ""}])), "mutability", "userName is required"),
        (body(json!([{"op": "replace", "path": "userName", "value": null}])), "mutability", "userName is required"),
    ];
    for (request, scim_type, needle) in cases {
        let e = failure(ResourceKind::User, &u, request.clone());
        assert_eq!(e.status, 400, "{request}");
        assert_eq!(e.scim_type, Some(scim_type), "{request}: {}", e.detail);
        assert!(
            e.detail.contains(needle),
            "{request}: {:?} lacks {needle:?}",
            e.detail
        );
    }
    let g = group(&[BABS]);
    let e = failure(
        ResourceKind::Group,
        &g,
        body(json!([{"op": "replace", "path": "displayName", "value": " "}])),
    );
    assert_eq!(e.scim_type, Some("mutability"));
    let e = failure(
        ResourceKind::Group,
        &g,
        body(json!([{"op": "add", "path": "members", "value": [{"display": "no id"}]}])),
    );
    assert_eq!(e.scim_type, Some("invalidValue"));
    // The failing operation is named.
    let e = failure(
        ResourceKind::User,
        &u,
        body(
            json!([{"op": "replace", "path": "title", "value": "x"}, {"op": "replace", "path": "active", "value": 3}]),
        ),
    );
    assert!(
        e.detail.starts_with("operation 2 (replace active): "),
        "{}",
        e.detail
    );
}

#[test]
fn attributes_keep_their_place_in_the_resource() {
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    for ops in [
        json!([{"op": "add", "path": "emails", "value": [{"value": "n@x.org", "type": "other"}]}]),
        json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "n@x.org"}]),
        json!([{"op": "remove", "path": "emails[type eq \"home\"]"}]),
        json!([{"op": "replace", "path": "name.givenName", "value": "B"}, {"op": "replace", "path": "active", "value": false}]),
    ] {
        assert_eq!(keys(&patch_user(ops.clone())), keys(&user()), "{ops}");
    }
    let g = group(&[BABS]);
    let out = patch_group(
        &g,
        json!([{"op": "add", "path": "members", "value": [{"value": JAMES}]}]),
    );
    assert_eq!(keys(&out), keys(&g));
}

#[test]
fn the_schemas_key_in_a_value_is_ignored() {
    let out =
        patch_user(json!([{"op": "replace", "value": {"schemas": ["urn:x"], "title": "Guide"}}]));
    assert_eq!(out["schemas"], user()["schemas"]);
    assert_eq!(out["title"], "Guide");
}

#[test]
fn unknown_attributes_are_kept_as_sent() {
    let out = patch_user(json!([
        {"op": "add", "path": "urn:example:custom:1.0:User:badge", "value": "B-17"},
        {"op": "add", "path": "favouriteColour", "value": "teal"}
    ]));
    assert_eq!(out["urn:example:custom:1.0:User"], json!({"badge": "B-17"}));
    assert_eq!(out["favouriteColour"], "teal");
}

#[test]
fn a_whole_extension_as_the_path() {
    let out = patch_user(
        json!([{"op": "add", "path": ENTERPRISE, "value": {"employeeNumber": "7", "department": "Tours"}}]),
    );
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "7", "department": "Tours"})
    );
    let out = apply(
        ResourceKind::User,
        &out,
        &body(json!([{"op": "replace", "path": ENTERPRISE, "value": {"department": "Sales"}}])),
    )
    .unwrap();
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "7", "department": "Sales"})
    );
    let out = apply(
        ResourceKind::User,
        &out,
        &body(json!([{"op": "remove", "path": ENTERPRISE}])),
    )
    .unwrap();
    assert!(out.get(ENTERPRISE).is_none());
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
    let e = failure(
        ResourceKind::Group,
        &group(&[]),
        body(json!([{"op": "add", "path": ENTERPRISE, "value": {}}])),
    );
    assert_eq!(e.scim_type, Some("invalidPath"));
}

mod never_panics {
    //! Arbitrary JSON through every entry point: an answer or a SCIM error,
    //! never a panic, and a successful result keeps the required attribute.
    use super::*;
    use crate::directory::scim::{normalize, project};
    use proptest::prelude::*;

    const KEYS: &[&str] = &[
        "userName",
        "active",
        "emails",
        "value",
        "type",
        "primary",
        "members",
        "name",
        "givenName",
        "displayName",
        "schemas",
        "id",
        "meta",
        "groups",
        "password",
        "name.givenName",
        "$ref",
        "display",
        "aéé",
        "é",
        "urn:",
        "URN:x",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "x509Certificates",
        "manager",
    ];
    const PATHS: &[&str] = &[
        "userName",
        "active",
        "emails",
        "emails[type eq \"work\"].value",
        "members[value eq \"1\"]",
        "name.givenName",
        "emails.value",
        "meta.created",
        "id",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "aé[",
        "members",
        "x[y eq 1].z",
        "",
    ];

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..3).prop_map(Value::from),
            prop::sample::select(vec![
                "",
                "True",
                "false",
                "é",
                "x@y.z",
                "2026-01-01T00:00:00Z"
            ])
            .prop_map(Value::from),
            "\\PC{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..5).prop_map(
                    |kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                ),
            ]
        })
    }

    fn operation() -> impl Strategy<Value = Value> {
        (
            prop::sample::select(vec!["add", "Replace", "remove", "REMOVE", "copy"]),
            prop::option::of(prop_oneof![
                prop::sample::select(PATHS.to_vec()).prop_map(String::from),
                "\\PC{0,12}"
            ]),
            prop::option::of(json_value()),
        )
            .prop_map(|(op, path, value)| {
                let mut o = json!({"op": op});
                if let Some(p) = path {
                    o["path"] = Value::from(p);
                }
                if let Some(v) = value {
                    o["value"] = v;
                }
                o
            })
    }

    proptest! {
        #[test]
        fn patch_normalize_project(resource in json_value(), ops in prop::collection::vec(operation(), 1..4), list in "[a-zA-Zé.,:\\[\\] ]{0,30}") {
            for kind in [ResourceKind::User, ResourceKind::Group] {
                let required = match kind { ResourceKind::User => "userName", ResourceKind::Group => "displayName" };
                let mut start = user();
                if kind == ResourceKind::Group { start = group(&["1"]); }
                if let Ok(out) = apply(kind, &start, &body(Value::Array(ops.clone()))) {
                    prop_assert!(out[required].as_str().is_some_and(|s| !s.trim().is_empty()));
                }
                let _ = apply(kind, &resource, &body(Value::Array(ops.clone())));
                // A valid body with random attributes laid over it, so that some succeed.
                let mut overlay = start.clone();
                if let (Some(o), Some(extra)) = (overlay.as_object_mut(), resource.as_object()) {
                    for (k, v) in extra {
                        if k != "schemas" {
                            o.insert(k.clone(), v.clone());
                        }
                    }
                }
                for candidate in [&resource, &overlay] {
                    if let Ok(n) = normalize(kind, candidate) {
                        prop_assert!(n[required].as_str().is_some_and(|s| !s.trim().is_empty()));
                        prop_assert!(n.get("password").is_none() && n.get("id").is_none() && n.get("meta").is_none());
                        prop_assert_eq!(&n["schemas"][0], &Value::from(kind.schema_urn()));
                        // Normalising again changes nothing.
                        let again = normalize(kind, &n);
                        prop_assert_eq!(again.as_ref(), Ok(&n));
                    }
                }
                let _ = project(&resource, Some(&list), None);
                let _ = project(&resource, None, Some(&list));
            }
        }
    }
}

mod atomic {
    //! A PATCH is all or nothing: with any bad operation the result is an
    //! error (never a partly patched resource); with good ones only, it is
    //! the same as applying them one request at a time.
    use super::*;
    use proptest::prelude::*;

    fn good() -> Vec<Value> {
        vec![
            json!({"op": "replace", "value": {"active": false}}),
            json!({"op": "Replace", "path": "active", "value": "True"}),
            json!({"op": "add", "path": "emails", "value": [{"value": "x@home.org", "type": "home"}]}),
            json!({"op": "remove", "path": "emails[type eq \"home\"]"}),
            json!({"op": "replace", "path": "emails[type eq \"work\"].value", "value": "w@example.com"}),
            json!({"op": "replace", "path": "name.givenName", "value": "Babs"}),
            json!({"op": "remove", "path": "name.familyName"}),
            json!({"op": "replace", "value": {"displayName": "B", "name.middleName": "J"}}),
            json!({"op": "add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "42"}),
            json!({"op": "remove", "path": format!("{ENTERPRISE}:employeeNumber")}),
            json!({"op": "remove", "path": "title"}),
            json!({"op": "add", "value": {"title": "Guide", "nickName": "Babs"}}),
        ]
    }

    fn bad() -> Vec<Value> {
        vec![
            json!({"op": "replace", "path": "id", "value": "other"}),
            json!({"op": "merge", "path": "title", "value": "x"}),
            json!({"op": "replace", "path": "emails[type eq", "value": "x"}),
            json!({"op": "replace", "path": "active", "value": "maybe"}),
            json!({"op": "remove"}),
            json!({"op": "replace", "path": "meta", "value": {}}),
            json!({"op": "add", "path": "groups", "value": [{"value": "g"}]}),
            json!({"op": "replace", "path": "emails", "value": [{"value": 1}]}),
        ]
    }

    fn op() -> impl Strategy<Value = (bool, Value)> {
        prop_oneof![
            4 => prop::sample::select(good()).prop_map(|v| (true, v)),
            1 => prop::sample::select(bad()).prop_map(|v| (false, v)),
        ]
    }

    proptest! {
        #[test]
        fn all_or_nothing(ops in prop::collection::vec(op(), 1..8)) {
            let start = user();
            let list: Vec<Value> = ops.iter().map(|(_, v)| v.clone()).collect();
            let result = apply(ResourceKind::User, &start, &body(Value::Array(list.clone())));
            if ops.iter().all(|(ok, _)| *ok) {
                let mut step = start.clone();
                for op in &list {
                    step = apply(ResourceKind::User, &step, &body(json!([op]))).unwrap();
                }
                prop_assert_eq!(result.unwrap(), step);
            } else {
                let e = result.unwrap_err();
                prop_assert!(e.status == 400);
                // The error names a bad operation: the first one, or one whose
                // shape is wrong (shapes are checked before anything is applied).
                let n: usize = e.detail.strip_prefix("operation ").and_then(|r| r.split([' ', ':']).next()).and_then(|n| n.parse().ok()).unwrap_or(0);
                prop_assert!(n >= 1 && !ops[n - 1].0, "{} names no bad operation", e.detail);
            }
        }
    }
}
