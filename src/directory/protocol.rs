//! TEMPORARY: the protocol core as this branch uses it. The filter, errors
//! and resource kinds are the `scim` branch's; PATCH, normalisation,
//! projection and the discovery documents are stand-ins until
//! `[ready:scim-core]` is merged, and this file is deleted then.

use serde_json::{json, Map, Value};

pub use super::scim::{filter, ResourceKind, ScimError};

fn bad(scim_type: &'static str, detail: impl Into<String>) -> ScimError {
    ScimError::new(400, Some(scim_type), detail)
}

pub mod patch {
    use super::*;
    pub fn apply(
        _kind: ResourceKind,
        resource: &Value,
        request: &Value,
    ) -> Result<Value, ScimError> {
        let mut out = resource.clone();
        let ops = request
            .get("Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("invalidSyntax", "no Operations"))?;
        for op in ops {
            let name = op
                .get("op")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            let value = op.get("value").cloned().unwrap_or(Value::Null);
            let value = match value {
                Value::String(s) if s.eq_ignore_ascii_case("true") => json!(true),
                Value::String(s) if s.eq_ignore_ascii_case("false") => json!(false),
                v => v,
            };
            match (name.as_str(), op.get("path").and_then(Value::as_str)) {
                ("add" | "replace", None) => {
                    let Value::Object(m) = value else {
                        return Err(bad("invalidValue", "value"));
                    };
                    for (k, v) in m {
                        out[k] = v;
                    }
                }
                ("add", Some("members")) => {
                    let mut list = out
                        .get("members")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    list.extend(value.as_array().cloned().unwrap_or_default());
                    out["members"] = Value::Array(list);
                }
                ("add" | "replace", Some(p)) => out[p] = value,
                ("remove", Some(p)) if p.starts_with("members[value eq ") => {
                    let id = p
                        .trim_start_matches("members[value eq ")
                        .trim_end_matches(']')
                        .trim_matches('"');
                    if let Some(list) = out.get_mut("members").and_then(Value::as_array_mut) {
                        list.retain(|m| m["value"] != id);
                    }
                }
                ("remove", Some(p)) => {
                    if let Some(m) = out.as_object_mut() {
                        m.remove(p);
                    }
                }
                _ => return Err(bad("invalidSyntax", "op not understood")),
            }
        }
        Ok(out)
    }
}

pub fn normalize(_kind: ResourceKind, body: &Value) -> Result<Value, ScimError> {
    let Value::Object(m) = body else {
        return Err(bad("invalidSyntax", "not an object"));
    };
    let mut out = Map::new();
    for (k, v) in m {
        if ["id", "meta", "password", "groups"].contains(&k.as_str()) {
            continue;
        }
        let v = match v {
            Value::String(s) if k == "active" => json!(s.eq_ignore_ascii_case("true")),
            v => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    Ok(Value::Object(out))
}

pub fn project(resource: &Value, _attributes: Option<&str>, _excluded: Option<&str>) -> Value {
    resource.clone()
}

pub mod documents {
    use super::*;
    pub fn service_provider_config(_base: &str) -> Value {
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]})
    }
    pub fn schemas(_base: &str) -> Value {
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": []})
    }
    pub fn resource_types(_base: &str) -> Value {
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": []})
    }
}
