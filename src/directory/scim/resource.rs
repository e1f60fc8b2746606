//! POST/PUT bodies to the stored form ([`normalize`]) and the
//! `attributes` / `excludedAttributes` projection of a resource ([`project`]).

use serde_json::{Map, Value};

use super::patch::{self, Ctx, OpKind, ReadOnly};
use super::path::{AttrPath, Scope};
use super::schema;
use super::value::{get_ci, is_urn};
use super::{ResourceKind, ScimError};

/// A POST or PUT body as the directory stores it: `schemas` must list the
/// kind's core schema; `userName` (users) or `displayName` (groups) must be a
/// non-empty string; attribute names take their canonical spelling; booleans
/// sent as strings (`"True"`) become booleans; nulls, `$ref: null` and empty
/// arrays are dropped (unassigned, RFC 7643 §2.5); read-only `id`, `meta` and
/// `groups` are ignored (the server owns them); `password` is dropped, never
/// stored or echoed; dotted and URN-prefixed keys land where they point.
/// Attributes this server does not define are kept as sent.
pub fn normalize(kind: ResourceKind, body: &Value) -> Result<Value, ScimError> {
    let Value::Object(fields) = body else {
        return Err(ScimError::invalid_syntax(format!(
            "a {} is a JSON object with \"schemas\" and its attributes",
            kind.name()
        )));
    };
    let urn = kind.schema_urn();
    let listed = get_ci(fields, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)))
        });
    if !listed {
        return Err(ScimError::invalid_syntax(format!(
            "\"schemas\" must list \"{urn}\""
        )));
    }
    let ctx = Ctx {
        kind,
        own_id: None,
        read_only: ReadOnly::Ignore,
    };
    let mut out = Map::new();
    if let Some(schemas) = get_ci(fields, "schemas") {
        out.insert("schemas".into(), schemas.clone());
    }
    for (key, v) in fields {
        patch::entry(&ctx, &mut out, OpKind::Replace, key, v)?;
    }
    out.retain(|_, v| !matches!(v, Value::Array(a) if a.is_empty()));
    patch::fix_schemas(kind, &mut out);
    patch::require(kind, &out).map_err(|what| {
        ScimError::invalid_value(format!(
            "\"{what}\" is required and must be a non-empty string"
        ))
    })?;
    Ok(Value::Object(out))
}

/// One entry of an `attributes` / `excludedAttributes` list.
enum Wanted {
    Attribute(AttrPath),
    /// A whole extension: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`.
    Extension(String),
}

fn wanted(list: Option<&str>) -> Vec<Wanted> {
    let Some(list) = list else { return Vec::new() };
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| match schema::schema_by_urn(s) {
            Some(found) => Some(Wanted::Extension(found.id.to_string())),
            None => AttrPath::parse(s, None).ok().map(Wanted::Attribute),
        })
        .collect()
}

/// Whether `w` names the attribute `name` in container `container`.
fn names(w: &AttrPath, container: Option<&str>, name: &str) -> bool {
    let same_container = match (w.container(), container) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => false,
    };
    same_container && w.name.eq_ignore_ascii_case(name)
}

/// A resource with only the attributes asked for (`attributes`), or without
/// those excluded (`excludedAttributes`), RFC 7644 §3.4.2.5. `id`, `schemas`
/// and `meta.resourceType` are always returned; `password` never is. Names
/// are case-insensitive, may be dotted (`name.givenName`) or URN-prefixed;
/// names that are not attribute paths are ignored. `attributes` wins when
/// both are given.
pub fn project(resource: &Value, attributes: Option<&str>, excluded: Option<&str>) -> Value {
    let Value::Object(fields) = resource else {
        return resource.clone();
    };
    let include = wanted(attributes);
    let exclude = wanted(excluded);
    let mut out = Map::new();
    for (key, v) in fields {
        if key.eq_ignore_ascii_case("password") {
            continue;
        }
        if key == "schemas" || key == "id" {
            out.insert(key.clone(), v.clone());
            continue;
        }
        let is_extension = is_urn(key) && v.is_object();
        let kept = if !include.is_empty() {
            select(&include, key, v, is_extension, true)
        } else if !exclude.is_empty() {
            select(&exclude, key, v, is_extension, false)
        } else {
            Some(v.clone())
        };
        let kept = if key.eq_ignore_ascii_case("meta") {
            always_resource_type(kept, v)
        } else {
            kept
        };
        if let Some(kept) = kept {
            out.insert(key.clone(), kept);
        }
    }
    Value::Object(out)
}

/// `meta.resourceType` survives any projection.
fn always_resource_type(kept: Option<Value>, meta: &Value) -> Option<Value> {
    let resource_type = meta.get("resourceType")?.clone();
    let mut kept = match kept {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    if !kept.contains_key("resourceType") {
        let rest = std::mem::take(&mut kept);
        kept.insert("resourceType".into(), resource_type);
        kept.extend(rest);
    }
    Some(Value::Object(kept))
}

/// Keep (`include`) or drop (`!include`) what `list` names of attribute
/// `key`; `None` when nothing of it remains.
fn select(
    list: &[Wanted],
    key: &str,
    v: &Value,
    is_extension: bool,
    include: bool,
) -> Option<Value> {
    if is_extension {
        if list
            .iter()
            .any(|w| matches!(w, Wanted::Extension(e) if e.eq_ignore_ascii_case(key)))
        {
            return include.then(|| v.clone());
        }
        let Value::Object(inner) = v else { return None };
        let mut out = Map::new();
        for (name, x) in inner {
            let named: Vec<&AttrPath> = list
                .iter()
                .filter_map(|w| match w {
                    Wanted::Attribute(p) if names(p, Some(key), name) => Some(p),
                    _ => None,
                })
                .collect();
            if let Some(kept) = pick(&named, x, include) {
                out.insert(name.clone(), kept);
            }
        }
        return (!out.is_empty()).then_some(Value::Object(out));
    }
    let named: Vec<&AttrPath> = list
        .iter()
        .filter_map(|w| match w {
            Wanted::Attribute(p) if matches!(p.scope, Scope::Core(_)) && names(p, None, key) => {
                Some(p)
            }
            _ => None,
        })
        .collect();
    pick(&named, v, include)
}

/// The part of one attribute's value that `named` keeps or drops.
fn pick(named: &[&AttrPath], v: &Value, include: bool) -> Option<Value> {
    if named.is_empty() {
        return (!include).then(|| v.clone());
    }
    if named.iter().any(|p| p.sub.is_none()) {
        return include.then(|| v.clone());
    }
    let subs: Vec<&str> = named.iter().filter_map(|p| p.sub.as_deref()).collect();
    let filter_object = |o: &Map<String, Value>| -> Option<Value> {
        let kept: Map<String, Value> = o
            .iter()
            .filter(|(k, _)| subs.iter().any(|s| s.eq_ignore_ascii_case(k)) == include)
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        (!kept.is_empty()).then_some(Value::Object(kept))
    };
    match v {
        Value::Object(o) => filter_object(o),
        Value::Array(items) => {
            let kept: Vec<Value> = items
                .iter()
                .filter_map(|i| match i {
                    Value::Object(o) => filter_object(o),
                    other => Some(other.clone()),
                })
                .collect();
            (!kept.is_empty()).then_some(Value::Array(kept))
        }
        other => (!include).then(|| other.clone()),
    }
}

#[cfg(test)]
#[path = "resource_tests.rs"]
mod tests;
