//! TEMPORARY stand-in for `src/directory/scim/` (the `scim` branch's protocol
//! core), with the API of PLAN.md, so this branch compiles and runs until
//! `[ready:scim-core]` is merged. Deleted at that merge.

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    User,
    Group,
}

#[derive(Debug, Clone)]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn body(&self) -> Value {
        let mut v = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": self.status.to_string(), "detail": self.detail});
        if let Some(t) = self.scim_type {
            v["scimType"] = json!(t);
        }
        v
    }
}

fn bad(scim_type: &'static str, detail: impl Into<String>) -> ScimError {
    ScimError {
        status: 400,
        scim_type: Some(scim_type),
        detail: detail.into(),
    }
}

pub mod filter {
    use super::*;
    pub struct Filter {
        attr: String,
        value: String,
    }
    pub fn parse(text: &str) -> Result<Filter, ScimError> {
        let mut parts = text.splitn(3, ' ');
        let (Some(attr), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad("invalidFilter", "filter not understood"));
        };
        if !op.eq_ignore_ascii_case("eq") {
            return Err(bad("invalidFilter", "only eq in this stand-in"));
        }
        Ok(Filter {
            attr: attr.to_string(),
            value: value.trim_matches('"').to_string(),
        })
    }
    impl Filter {
        pub fn matches(&self, _kind: ResourceKind, resource: &Value) -> bool {
            resource
                .get(&self.attr)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(&self.value))
        }
        pub fn indexed_eq(&self) -> Option<(&str, &str)> {
            Some((self.attr.as_str(), self.value.as_str()))
        }
    }
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
