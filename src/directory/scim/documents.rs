//! The discovery documents (RFC 7644 §4, RFC 7643 §5–§7), generated from the
//! same attribute table the filter and PATCH code use, so what is advertised
//! is what is implemented.

use serde_json::{json, Map, Value};

use super::schema::{self, Attr, Mutability, Returned, Schema, Type, Uniqueness};
use super::ResourceKind;

/// The most resources one list response returns (`filter.maxResults`); the
/// directory caps `count` at it.
pub const MAX_RESULTS: usize = 1000;

/// `GET /ServiceProviderConfig`: exactly what the directory supports.
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "The directory's token in an Authorization: Bearer header",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig")
        }
    })
}

fn list_response(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [schema::LIST_RESPONSE_URN],
        "totalResults": resources.len(),
        "itemsPerPage": resources.len(),
        "startIndex": 1,
        "Resources": resources
    })
}

/// `GET /Schemas`: a ListResponse of the User, Group and Enterprise User schemas.
pub fn schemas(base: &str) -> Value {
    list_response(
        schema::known_schemas()
            .iter()
            .map(|s| schema_document(base, s))
            .collect(),
    )
}

/// `GET /Schemas/{urn}` (case-insensitive), `None` for an unknown URN (404).
pub fn schema(base: &str, urn: &str) -> Option<Value> {
    schema::schema_by_urn(urn).map(|s| schema_document(base, s))
}

/// `GET /ResourceTypes`: a ListResponse of User (with the Enterprise
/// extension) and Group.
pub fn resource_types(base: &str) -> Value {
    list_response(
        [ResourceKind::User, ResourceKind::Group]
            .into_iter()
            .map(|k| resource_type_document(base, k))
            .collect(),
    )
}

/// `GET /ResourceTypes/{name}` (`User`, `Group`, case-insensitive).
pub fn resource_type(base: &str, name: &str) -> Option<Value> {
    [ResourceKind::User, ResourceKind::Group]
        .into_iter()
        .find(|k| k.name().eq_ignore_ascii_case(name))
        .map(|k| resource_type_document(base, k))
}

fn resource_type_document(base: &str, kind: ResourceKind) -> Value {
    let core = schema::core(kind);
    let endpoint = match kind {
        ResourceKind::User => "/Users",
        ResourceKind::Group => "/Groups",
    };
    let extensions: Vec<Value> = schema::extensions(kind)
        .iter()
        .map(|e| json!({"schema": e.id, "required": false}))
        .collect();
    let mut doc = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": kind.name(),
        "name": kind.name(),
        "endpoint": endpoint,
        "description": core.description,
        "schema": core.id,
    });
    if !extensions.is_empty() {
        doc["schemaExtensions"] = Value::Array(extensions);
    }
    doc["meta"] = json!({
        "resourceType": "ResourceType",
        "location": format!("{base}/ResourceTypes/{}", kind.name())
    });
    doc
}

fn schema_document(base: &str, s: &Schema) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": s.id,
        "name": s.name,
        "description": s.description,
        "attributes": s.attributes.iter().map(attribute_document).collect::<Vec<_>>(),
        "meta": {
            "resourceType": "Schema",
            "location": format!("{base}/Schemas/{}", s.id)
        }
    })
}

fn attribute_document(a: &Attr) -> Value {
    let mut doc = Map::new();
    doc.insert("name".into(), a.name.into());
    doc.insert("type".into(), a.ty.as_str().into());
    doc.insert("multiValued".into(), a.multi.into());
    doc.insert("description".into(), a.description.into());
    doc.insert("required".into(), a.required.into());
    if a.ty != Type::Complex {
        doc.insert("caseExact".into(), a.case_exact.into());
    }
    if !a.canonical.is_empty() {
        doc.insert("canonicalValues".into(), a.canonical.into());
    }
    if !a.reference_types.is_empty() {
        doc.insert("referenceTypes".into(), a.reference_types.into());
    }
    if !a.sub.is_empty() {
        doc.insert(
            "subAttributes".into(),
            a.sub
                .iter()
                .map(attribute_document)
                .collect::<Vec<_>>()
                .into(),
        );
    }
    let mutability = match a.mutability {
        Mutability::ReadOnly => "readOnly",
        Mutability::ReadWrite => "readWrite",
        Mutability::Immutable => "immutable",
        Mutability::WriteOnly => "writeOnly",
    };
    let returned = match a.returned {
        Returned::Always => "always",
        Returned::Never => "never",
        Returned::Default => "default",
        Returned::Request => "request",
    };
    let uniqueness = match a.uniqueness {
        Uniqueness::None => "none",
        Uniqueness::Server => "server",
        Uniqueness::Global => "global",
    };
    doc.insert("mutability".into(), mutability.into());
    doc.insert("returned".into(), returned.into());
    doc.insert("uniqueness".into(), uniqueness.into());
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:8001/scim/v2";

    fn attribute<'v>(doc: &'v Value, name: &str) -> &'v Value {
        doc["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn service_provider_config_advertises_what_is_supported() {
        let c = service_provider_config(BASE);
        assert_eq!(c["patch"]["supported"], true);
        assert_eq!(c["filter"], json!({"supported": true, "maxResults": 1000}));
        assert_eq!(c["etag"]["supported"], true);
        for no in ["bulk", "sort", "changePassword"] {
            assert_eq!(c[no]["supported"], false, "{no}");
        }
        assert_eq!(c["authenticationSchemes"][0]["type"], "oauthbearertoken");
        assert_eq!(
            c["meta"]["location"],
            format!("{BASE}/ServiceProviderConfig")
        );
    }

    #[test]
    fn schemas_carry_the_rfc_7643_characteristics() {
        let list = schemas(BASE);
        assert_eq!(list["schemas"][0], schema::LIST_RESPONSE_URN);
        assert_eq!(list["totalResults"], 3);
        let user = schema(BASE, schema::USER_URN).unwrap();
        let user_name = attribute(&user, "userName");
        assert_eq!(user_name["required"], true);
        assert_eq!(user_name["caseExact"], false);
        assert_eq!(user_name["uniqueness"], "server");
        let emails = attribute(&user, "emails");
        assert_eq!(emails["multiValued"], true);
        assert_eq!(emails["type"], "complex");
        assert!(emails.get("caseExact").is_none());
        let sub = &emails["subAttributes"];
        assert_eq!(sub[2]["name"], "type");
        assert_eq!(sub[2]["canonicalValues"], json!(["work", "home", "other"]));
        assert_eq!(sub[3]["type"], "boolean");
        let groups = attribute(&user, "groups");
        assert_eq!(groups["mutability"], "readOnly");
        let password = attribute(&user, "password");
        assert_eq!(password["mutability"], "writeOnly");
        assert_eq!(password["returned"], "never");
        assert_eq!(
            user["meta"]["location"],
            format!("{BASE}/Schemas/{}", schema::USER_URN)
        );

        let group = schema(BASE, "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP").unwrap();
        let members = attribute(&group, "members");
        assert_eq!(members["multiValued"], true);
        assert_eq!(members["subAttributes"][0]["caseExact"], true);
        assert_eq!(members["subAttributes"][0]["mutability"], "immutable");

        let enterprise = schema(BASE, schema::ENTERPRISE_URN).unwrap();
        assert_eq!(
            attribute(&enterprise, "manager")["subAttributes"][2]["mutability"],
            "readOnly"
        );
        assert!(schema(BASE, "urn:nope").is_none());
    }

    #[test]
    fn resource_types_list_the_extension() {
        let list = resource_types(BASE);
        assert_eq!(list["totalResults"], 2);
        let user = resource_type(BASE, "user").unwrap();
        assert_eq!(user["endpoint"], "/Users");
        assert_eq!(user["schema"], schema::USER_URN);
        assert_eq!(
            user["schemaExtensions"],
            json!([{"schema": schema::ENTERPRISE_URN, "required": false}])
        );
        let group = resource_type(BASE, "Group").unwrap();
        assert_eq!(group["endpoint"], "/Groups");
        assert!(group.get("schemaExtensions").is_none());
        assert_eq!(
            group["meta"]["location"],
            format!("{BASE}/ResourceTypes/Group")
        );
        assert!(resource_type(BASE, "Device").is_none());
    }
}
