use serde_json::{json, Value};

use super::*;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Okta's create (dialects notes §1): core schema, clear-text password, `groups: []`.
fn okta_create() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "isaac.brock@example.com",
        "name": {"givenName": "Isaac", "familyName": "Brock"},
        "emails": [{"primary": true, "value": "isaac.brock@example.com", "type": "work"}],
        "displayName": "Isaac Brock",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true
    })
}

/// Entra's create: core + enterprise, string booleans, `roles: []`, `meta`.
fn entra_create() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        "active": "True",
        "emails": [{"primary": "true", "type": "work", "value": "Test_User_fd0ea19b@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": [],
        ENTERPRISE: {"employeeNumber": "1234", "department": "Tours", "manager": {"value": "m1", "displayName": "ignored"}}
    })
}

#[test]
fn okta_create_drops_password_and_read_only_groups() {
    let out = normalize(ResourceKind::User, &okta_create()).unwrap();
    assert!(out.get("password").is_none());
    assert!(out.get("groups").is_none());
    assert_eq!(out["userName"], "isaac.brock@example.com");
    assert_eq!(out["emails"][0]["primary"], true);
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"])
    );
    assert_eq!(out.as_object().unwrap().keys().next().unwrap(), "schemas");
}

#[test]
fn entra_create_string_booleans_extension_and_meta() {
    let out = normalize(ResourceKind::User, &entra_create()).unwrap();
    assert_eq!(out["active"], true);
    assert_eq!(out["emails"][0]["primary"], true);
    assert!(out.get("meta").is_none(), "the server owns meta");
    assert!(out.get("roles").is_none(), "an empty array is unassigned");
    assert_eq!(
        out[ENTERPRISE],
        json!({"employeeNumber": "1234", "department": "Tours", "manager": {"value": "m1"}})
    );
    assert_eq!(
        out["schemas"],
        json!(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE])
    );
}

#[test]
fn okta_full_put_echoing_id_meta_groups() {
    let mut put = okta_create();
    put["id"] = json!("6f1c2e0e");
    put["meta"] = json!({"resourceType": "User", "created": "2026-01-01T00:00:00Z"});
    put["groups"] = json!([{"value": "g1", "display": "Everyone"}]);
    put["emails"][0]["display"] = json!("isaac.brock@example.com");
    let out = normalize(ResourceKind::User, &put).unwrap();
    for gone in ["id", "meta", "groups", "password"] {
        assert!(out.get(gone).is_none(), "{gone}");
    }
    assert_eq!(out["emails"][0]["display"], "isaac.brock@example.com");
}

#[test]
fn entra_group_create_with_its_extra_schema() {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "Group1DisplayName",
        "meta": {"resourceType": "Group"}
    });
    let out = normalize(ResourceKind::Group, &body).unwrap();
    assert_eq!(out["displayName"], "Group1DisplayName");
    assert_eq!(
        out["schemas"][0],
        "urn:ietf:params:scim:schemas:core:2.0:Group"
    );
    assert!(out.get("meta").is_none());
    let okta = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": []});
    let out = normalize(ResourceKind::Group, &okta).unwrap();
    assert!(out.get("members").is_none());
    let with = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G", "members": [{"value": "u1", "$ref": null, "display": "U"}]});
    assert_eq!(
        normalize(ResourceKind::Group, &with).unwrap()["members"],
        json!([{"value": "u1", "display": "U"}])
    );
}

#[test]
fn names_take_their_canonical_spelling_and_dotted_keys_land() {
    let body = json!({
        "Schemas": ["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],
        "USERNAME": "a@b.c",
        "Name": {"GivenName": "A"},
        "name.familyName": "B",
        format!("{ENTERPRISE}:department"): "Tours",
        "nickname": null,
        "x-custom": {"kept": true}
    });
    let out = normalize(ResourceKind::User, &body).unwrap();
    assert_eq!(
        out,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "userName": "a@b.c",
            "name": {"givenName": "A", "familyName": "B"},
            ENTERPRISE: {"department": "Tours"},
            "x-custom": {"kept": true}
        })
    );
}

#[test]
fn normalize_errors() {
    let cases = [
        (
            ResourceKind::User,
            json!([]),
            "invalidSyntax",
            "a User is a JSON object",
        ),
        (
            ResourceKind::User,
            json!({"userName": "a"}),
            "invalidSyntax",
            "\"schemas\" must list \"urn:ietf:params:scim:schemas:core:2.0:User\"",
        ),
        (
            ResourceKind::User,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "userName": "a"}),
            "invalidSyntax",
            "must list",
        ),
        (
            ResourceKind::User,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]}),
            "invalidValue",
            "\"userName\" is required",
        ),
        (
            ResourceKind::User,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ""}),
            "invalidValue",
            "\"userName\" is required",
        ),
        (
            ResourceKind::User,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 7}),
            "invalidValue",
            "\"userName\" must be a string",
        ),
        (
            ResourceKind::User,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a", "active": "yes"}),
            "invalidValue",
            "\"active\" must be a boolean",
        ),
        (
            ResourceKind::Group,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]}),
            "invalidValue",
            "\"displayName\" is required",
        ),
        (
            ResourceKind::Group,
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G", "members": [{"display": "x"}]}),
            "invalidValue",
            "needs a \"value\"",
        ),
    ];
    for (kind, body, scim_type, needle) in cases {
        let e = normalize(kind, &body).unwrap_err();
        assert_eq!(e.scim_type, Some(scim_type), "{body}: {}", e.detail);
        assert!(
            e.detail.contains(needle),
            "{body}: {:?} lacks {needle:?}",
            e.detail
        );
    }
}

fn stored() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "id": "42",
        "userName": "a@b.c",
        "name": {"givenName": "A", "familyName": "B"},
        "emails": [{"value": "a@b.c", "type": "work"}, {"value": "a@home", "type": "home"}],
        "active": true,
        "password": "must never show",
        ENTERPRISE: {"department": "Tours", "employeeNumber": "7"},
        "meta": {"resourceType": "User", "created": "2026-01-01T00:00:00Z", "location": "http://x/Users/42"}
    })
}

#[test]
fn project_attributes() {
    let r = stored();
    assert_eq!(
        project(&r, Some("userName"), None),
        json!({"schemas": r["schemas"], "id": "42", "userName": "a@b.c", "meta": {"resourceType": "User"}})
    );
    assert_eq!(
        project(&r, Some("NAME.givenName, emails.value"), None),
        json!({"schemas": r["schemas"], "id": "42", "name": {"givenName": "A"}, "emails": [{"value": "a@b.c"}, {"value": "a@home"}], "meta": {"resourceType": "User"}})
    );
    assert_eq!(
        project(&r, Some(&format!("{ENTERPRISE}:department")), None)[ENTERPRISE],
        json!({"department": "Tours"})
    );
    assert_eq!(
        project(&r, Some(ENTERPRISE), None)[ENTERPRISE],
        r[ENTERPRISE]
    );
    assert_eq!(project(&r, Some("meta"), None)["meta"], r["meta"]);
    assert_eq!(
        project(&r, Some("meta.created"), None)["meta"],
        json!({"resourceType": "User", "created": "2026-01-01T00:00:00Z"})
    );
    assert_eq!(
        project(
            &r,
            Some("urn:ietf:params:scim:schemas:core:2.0:User:userName"),
            None
        )["userName"],
        "a@b.c"
    );
    assert!(project(&r, Some("password"), None)
        .get("password")
        .is_none());
    // Nothing asked that exists: the always-returned attributes only.
    assert_eq!(
        project(&r, Some("nickName,@bad"), None),
        json!({"schemas": r["schemas"], "id": "42", "meta": {"resourceType": "User"}})
    );
}

#[test]
fn project_excluded_attributes() {
    let r = stored();
    let out = project(&r, None, Some("emails, name.familyName, id, schemas, meta"));
    assert!(out.get("emails").is_none());
    assert_eq!(out["name"], json!({"givenName": "A"}));
    assert_eq!(out["id"], "42", "id is always returned");
    assert_eq!(out["schemas"], r["schemas"]);
    assert_eq!(out["meta"], json!({"resourceType": "User"}));
    assert!(out.get("password").is_none());
    let out = project(&r, None, Some(&format!("{ENTERPRISE}:employeeNumber")));
    assert_eq!(out[ENTERPRISE], json!({"department": "Tours"}));
    let g = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g", "displayName": "G", "members": [{"value": "u"}], "meta": {"resourceType": "Group"}});
    assert_eq!(
        project(&g, None, Some("members")),
        json!({"schemas": g["schemas"], "id": "g", "displayName": "G", "meta": {"resourceType": "Group"}})
    );
    // Neither: everything but the password.
    let mut all = r.clone();
    all.as_object_mut().unwrap().remove("password");
    assert_eq!(project(&r, None, None), all);
    // attributes wins over excludedAttributes.
    assert_eq!(
        project(&r, Some("userName"), Some("userName"))["userName"],
        "a@b.c"
    );
}
