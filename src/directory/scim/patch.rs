//! PATCH (RFC 7644 §3.5.2): `add`, `replace` and `remove`, with or without a
//! `path`, applied to a copy of the resource so that one bad operation
//! leaves the original untouched (the caller gets the new resource or an
//! error, never half of a change).
//!
//! Tolerated as real IdPs send it (README, "SCIM support"):
//! operation names in any case (`Replace`), booleans as strings in any case
//! (`"False"`), no-path values whose keys are plain, dotted (`name.givenName`)
//! or URN-prefixed, `remove members` with a value array, `replace members` as
//! the full set, `$ref: null` (dropped), `display`, a no-path group
//! `replace {id, displayName}` echoing the group's own id, and
//! `add`/`replace` of `emails[type eq "work"].value` when there is no work
//! email yet (the element the filter describes is created).

use serde_json::{Map, Value};

use super::filter::{self, Node, Parser};
use super::path::AttrPath;
use super::schema::{self, Attr, Mutability, Type};
use super::value::{bool_from_str, get_ci, insert_ci, is_urn, key_ci, remove_ci};
use super::{ResourceKind, ScimError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpKind {
    Add,
    Replace,
    Remove,
}

impl OpKind {
    fn as_str(self) -> &'static str {
        match self {
            OpKind::Add => "add",
            OpKind::Replace => "replace",
            OpKind::Remove => "remove",
        }
    }
}

/// What to do with read-only attributes: PATCH refuses them (`mutability`),
/// POST/PUT bodies ignore them (RFC 7644 §3.5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadOnly {
    Refuse,
    Ignore,
}

pub(crate) struct Ctx<'a> {
    pub kind: ResourceKind,
    pub own_id: Option<&'a str>,
    pub read_only: ReadOnly,
}

struct Operation<'r> {
    op: OpKind,
    path: Option<&'r str>,
    value: Option<&'r Value>,
}

/// Apply a PatchOp request body atomically: the new resource, or an error
/// and nothing changed. Errors name the operation (1-based) and its path.
pub fn apply(kind: ResourceKind, resource: &Value, request: &Value) -> Result<Value, ScimError> {
    let operations = operations(request)?;
    let Value::Object(original) = resource else {
        return Err(ScimError::invalid_syntax(
            "the resource to patch is not a JSON object",
        ));
    };
    let mut out = original.clone();
    let ctx = Ctx {
        kind,
        own_id: original.get("id").and_then(Value::as_str),
        read_only: ReadOnly::Refuse,
    };
    for (i, op) in operations.iter().enumerate() {
        run(&ctx, &mut out, op).map_err(|mut e| {
            let path = op.path.map(|p| format!(" {p}")).unwrap_or_default();
            e.detail = format!(
                "operation {} ({}{path}): {}",
                i + 1,
                op.op.as_str(),
                e.detail
            );
            e
        })?;
    }
    fix_schemas(kind, &mut out);
    require(kind, &out).map_err(|what| {
        ScimError::mutability(format!(
            "{what} is required: a PATCH cannot remove it or make it empty"
        ))
    })?;
    Ok(Value::Object(out))
}

fn operations(request: &Value) -> Result<Vec<Operation<'_>>, ScimError> {
    let Value::Object(body) = request else {
        return Err(ScimError::invalid_syntax(
            "a PATCH body is a JSON object with \"schemas\" and \"Operations\"",
        ));
    };
    if let Some(schemas) = get_ci(body, "schemas") {
        let listed = schemas.as_array().is_some_and(|a| {
            a.iter().any(|s| {
                s.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(schema::PATCH_OP_URN))
            })
        });
        if !listed {
            return Err(ScimError::invalid_syntax(format!(
                "\"schemas\" must list \"{}\"",
                schema::PATCH_OP_URN
            )));
        }
    }
    let Some(list) = get_ci(body, "Operations") else {
        return Err(ScimError::invalid_syntax(
            "a PATCH body needs an \"Operations\" array",
        ));
    };
    let Some(list) = list.as_array().filter(|a| !a.is_empty()) else {
        return Err(ScimError::invalid_syntax(
            "\"Operations\" must be a non-empty array",
        ));
    };
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let n = i + 1;
            let Value::Object(o) = item else {
                return Err(ScimError::invalid_syntax(format!(
                    "operation {n} is not an object"
                )));
            };
            let name = get_ci(o, "op").and_then(Value::as_str).ok_or_else(|| {
                ScimError::invalid_syntax(format!(
                    "operation {n} has no \"op\" (add, replace or remove)"
                ))
            })?;
            let op = match name.to_ascii_lowercase().as_str() {
                "add" => OpKind::Add,
                "replace" => OpKind::Replace,
                "remove" => OpKind::Remove,
                _ => {
                    return Err(ScimError::invalid_syntax(format!(
                        "operation {n}: unknown op \"{name}\" (add, replace or remove)"
                    )))
                }
            };
            let path = match get_ci(o, "path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) if p.trim().is_empty() => None,
                Some(Value::String(p)) => Some(p.as_str()),
                Some(other) => {
                    return Err(ScimError::invalid_path(format!(
                        "operation {n}: \"path\" must be a string, not {other}"
                    )))
                }
            };
            Ok(Operation {
                op,
                path,
                value: get_ci(o, "value"),
            })
        })
        .collect()
}

fn run(ctx: &Ctx, out: &mut Map<String, Value>, op: &Operation) -> Result<(), ScimError> {
    let Some(text) = op.path else {
        if op.op == OpKind::Remove {
            return Err(ScimError::no_target(
                "remove needs a \"path\" naming what to remove",
            ));
        }
        let value = op.value.ok_or_else(|| {
            ScimError::invalid_value(format!("{} needs a \"value\"", op.op.as_str()))
        })?;
        let Value::Object(attributes) = value else {
            return Err(ScimError::invalid_value(format!(
                "without a \"path\", \"value\" must be an object of attributes, not {}",
                kind_of(value)
            )));
        };
        for (key, v) in attributes {
            entry(ctx, out, op.op, key, v)?;
        }
        return Ok(());
    };
    // A whole extension as the path: like a no-path value keyed by its URN.
    if let Some(ext) = schema::schema_by_urn(text.trim()) {
        if !schema::extensions(ctx.kind).iter().any(|e| e.id == ext.id) {
            return Err(ScimError::invalid_path(format!(
                "\"{}\" is not an extension of a {}",
                ext.id,
                ctx.kind.name()
            )));
        }
        return match (op.op, op.value) {
            (OpKind::Remove, _) => {
                remove_ci(out, ext.id);
                Ok(())
            }
            (_, Some(value)) => entry(ctx, out, op.op, ext.id, value),
            (_, None) => Err(ScimError::invalid_value(format!(
                "{} needs a \"value\"",
                op.op.as_str()
            ))),
        };
    }
    let path = Parser::new(text)
        .patch_path(ctx.kind)
        .map_err(|e| e.into_scim(text, "path"))?;
    if op.op != OpKind::Remove && op.value.is_none() {
        return Err(ScimError::invalid_value(format!(
            "{} needs a \"value\"",
            op.op.as_str()
        )));
    }
    target(
        ctx,
        out,
        op.op,
        &path.attr,
        path.filter.as_ref(),
        path.sub.as_ref(),
        op.value,
    )
}

/// One key of a no-path `add`/`replace` value (also each key of a POST/PUT
/// body): a plain, dotted or URN-prefixed attribute, or a whole extension.
pub(crate) fn entry(
    ctx: &Ctx,
    out: &mut Map<String, Value>,
    op: OpKind,
    key: &str,
    v: &Value,
) -> Result<(), ScimError> {
    if key.eq_ignore_ascii_case("schemas") {
        return Ok(());
    }
    let known = schema::schema_by_urn(key);
    let unknown_extension = known.is_none() && is_urn(key) && v.is_object();
    if known.is_some() || unknown_extension {
        let urn = known.map_or(key, |s| s.id);
        if known.is_some_and(|s| s.id == schema::USER_URN || s.id == schema::GROUP_URN) {
            // Core attributes nested under the core URN: unusual, but unambiguous.
            let Value::Object(inner) = v else {
                return Err(ScimError::invalid_value(format!(
                    "\"{key}\" must be an object of attributes"
                )));
            };
            for (k, x) in inner {
                entry(ctx, out, op, k, x)?;
            }
            return Ok(());
        }
        return match v {
            Value::Null => {
                if op == OpKind::Replace {
                    remove_ci(out, urn);
                }
                Ok(())
            }
            Value::Object(inner) => {
                for (k, x) in inner {
                    let path =
                        AttrPath::parse(&format!("{urn}:{k}"), Some(ctx.kind)).map_err(|m| {
                            ScimError::invalid_path(format!("\"{k}\" in \"{urn}\": {m}"))
                        })?;
                    target(ctx, out, op, &path, None, None, Some(x))?;
                }
                Ok(())
            }
            other => Err(ScimError::invalid_value(format!(
                "\"{urn}\" is an extension: its value must be an object of attributes, not {}",
                kind_of(other)
            ))),
        };
    }
    // Any PATCH path works as a key, `emails[type eq "work"].value` too.
    match Parser::new(key).patch_path(ctx.kind) {
        Ok(path) => target(
            ctx,
            out,
            op,
            &path.attr,
            path.filter.as_ref(),
            path.sub.as_ref(),
            Some(v),
        ),
        // POST/PUT bodies keep what they cannot interpret, as sent.
        Err(_) if ctx.read_only == ReadOnly::Ignore => {
            out.insert(key.to_string(), v.clone());
            Ok(())
        }
        Err(e) => {
            let e = e.into_scim(key, "path");
            Err(ScimError::invalid_path(format!(
                "\"{key}\" in \"value\": {}",
                e.detail
            )))
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Apply one operation at one resolved path.
fn target(
    ctx: &Ctx,
    out: &mut Map<String, Value>,
    op: OpKind,
    attr: &AttrPath,
    filter: Option<&Node>,
    sub_after: Option<&AttrPath>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    if !attr.applies_to(ctx.kind) {
        return Err(ScimError::invalid_path(format!(
            "\"{attr}\" is not an attribute of a {}",
            ctx.kind.name()
        )));
    }
    let other_kind = match ctx.kind {
        ResourceKind::User => ResourceKind::Group,
        ResourceKind::Group => ResourceKind::User,
    };
    if attr.attr.is_none()
        && attr.container().is_none()
        && schema::find(schema::core(other_kind).attributes, &attr.name).is_some()
    {
        if ctx.read_only == ReadOnly::Ignore {
            return Ok(());
        }
        return Err(ScimError::invalid_path(format!(
            "\"{attr}\" is not an attribute of a {} (it is one of a {})",
            ctx.kind.name(),
            other_kind.name()
        )));
    }
    if let Some(a) = attr.attr {
        match a.mutability {
            Mutability::ReadOnly => {
                // Okta's group rename echoes the group's own id: not a change.
                let echo = a.name == "id"
                    && attr.sub.is_none()
                    && filter.is_none()
                    && op != OpKind::Remove
                    && ctx.own_id.is_some()
                    && value.and_then(Value::as_str) == ctx.own_id;
                if echo || ctx.read_only == ReadOnly::Ignore {
                    return Ok(());
                }
                return Err(ScimError::mutability(format!(
                    "\"{}\" is read-only",
                    a.name
                )));
            }
            // Accepted (Okta syncs passwords), never stored.
            Mutability::WriteOnly => return Ok(()),
            _ => {}
        }
    }
    let leaf_sub = attr.sub_attr.or(sub_after.and_then(|s| s.attr));
    if let Some(s) = leaf_sub.filter(|s| s.mutability == Mutability::ReadOnly) {
        if ctx.read_only == ReadOnly::Ignore {
            return Ok(());
        }
        return Err(ScimError::mutability(format!(
            "\"{attr}\": \"{}\" is read-only",
            s.name
        )));
    }
    let Some(container) = attr.container() else {
        return at(ctx.kind, out, op, attr, filter, sub_after, value);
    };
    let key = key_ci(out, container);
    if key.is_none() && op == OpKind::Remove {
        return Ok(());
    }
    let key = match key {
        Some(k) if k == container => k,
        _ => {
            let previous = remove_ci(out, container).filter(Value::is_object);
            out.insert(
                container.to_string(),
                previous.unwrap_or_else(|| Value::Object(Map::new())),
            );
            container.to_string()
        }
    };
    let slot = out.get_mut(&key).expect("container just ensured");
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let inner = slot.as_object_mut().expect("container is an object");
    at(ctx.kind, inner, op, attr, filter, sub_after, value)?;
    if inner.is_empty() {
        out.shift_remove(&key);
    }
    Ok(())
}

/// Apply at `attr` inside `obj` (the resource or an extension object).
fn at(
    kind: ResourceKind,
    obj: &mut Map<String, Value>,
    op: OpKind,
    attr: &AttrPath,
    filter: Option<&Node>,
    sub_after: Option<&AttrPath>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let def = attr.attr;
    let multi = match def {
        Some(a) => a.multi,
        None => matches!(get_ci(obj, &attr.name), Some(Value::Array(_))),
    };
    match (filter, &attr.sub) {
        (Some(f), _) => {
            if def.is_some_and(|a| !a.multi) {
                return Err(ScimError::invalid_path(format!(
                    "\"{}\" is single-valued: a value filter [...] needs a multi-valued attribute",
                    attr.name
                )));
            }
            filtered(kind, obj, op, attr, f, sub_after, value)
        }
        (None, None) => whole(obj, op, attr, multi, value),
        (None, Some(sub)) => dotted(obj, op, attr, sub, multi, value),
    }
}

/// A value coerced to the attribute's definition: string booleans become
/// booleans, nulls and `$ref: null` are dropped, read-only sub-attributes are
/// ignored, names take their canonical spelling; wrong types are `invalidValue`.
fn coerce(def: Option<&'static Attr>, v: &Value, at: &str) -> Result<Value, ScimError> {
    let Some(a) = def else {
        return Ok(v.clone());
    };
    let single = |x: &Value| coerce_single(a, x, at);
    if a.multi {
        let items: Vec<Value> = match v {
            Value::Array(items) => items
                .iter()
                .filter(|x| !x.is_null())
                .map(single)
                .collect::<Result<_, _>>()?,
            Value::Null => Vec::new(),
            other => vec![single(other)?],
        };
        return Ok(Value::Array(items));
    }
    single(v)
}

fn coerce_single(a: &'static Attr, v: &Value, at: &str) -> Result<Value, ScimError> {
    let wrong = |expected: &str| {
        Err(ScimError::invalid_value(format!(
            "\"{at}\" must be {expected}, not {}",
            match v {
                Value::String(s) => format!("{:?}", s),
                other => kind_of(other).to_string(),
            }
        )))
    };
    match (a.ty, v) {
        (_, Value::Null) => Ok(Value::Null),
        (Type::Complex, Value::Object(o)) => {
            let mut out = Map::new();
            for (k, x) in o {
                if x.is_null() {
                    continue;
                }
                match a.sub_attr(k) {
                    Some(s)
                        if s.mutability == Mutability::ReadOnly
                            && a.mutability != Mutability::ReadOnly => {}
                    Some(s) => {
                        let x = coerce_single(s, x, &format!("{at}.{}", s.name))?;
                        insert_ci(&mut out, s.name, x);
                    }
                    None => {
                        out.insert(k.clone(), x.clone());
                    }
                }
            }
            if a.name == "members"
                && !matches!(out.get("value"), Some(Value::String(s)) if !s.is_empty())
            {
                return Err(ScimError::invalid_value(format!(
                    "each of \"members\" needs a \"value\" (the member's id), got {v}"
                )));
            }
            Ok(Value::Object(out))
        }
        // Entra sends the manager as `[{"$ref": null, "value": "<id>"}]` or a bare id.
        (Type::Complex, Value::Array(items))
            if !a.multi && items.len() == 1 && items[0].is_object() =>
        {
            coerce_single(a, &items[0], at)
        }
        (Type::Complex, Value::String(id)) if !a.multi && a.sub_attr("value").is_some() => {
            Ok(serde_json::json!({ "value": id }))
        }
        (Type::Complex, _) => wrong("an object"),
        (Type::Boolean, Value::Bool(_)) => Ok(v.clone()),
        (Type::Boolean, Value::String(s)) => match bool_from_str(s) {
            Some(b) => Ok(Value::Bool(b)),
            None => wrong("a boolean (true or false)"),
        },
        (Type::Boolean, _) => wrong("a boolean (true or false)"),
        (Type::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(v.clone()),
        (Type::Integer, _) => wrong("an integer"),
        (Type::Decimal, Value::Number(_)) => Ok(v.clone()),
        (Type::Decimal, _) => wrong("a number"),
        (_, Value::String(_)) => Ok(v.clone()),
        _ => wrong("a string"),
    }
}

/// Whether two values of a multi-valued attribute are the same value: by
/// `value` (and `type` when both have one) for complex ones, else equal JSON.
fn same_element(def: Option<&Attr>, a: &Value, b: &Value) -> bool {
    if let (Value::Object(x), Value::Object(y)) = (a, b) {
        if let (Some(Value::String(p)), Some(Value::String(q))) =
            (get_ci(x, "value"), get_ci(y, "value"))
        {
            let exact = def
                .and_then(|d| d.sub_attr("value"))
                .is_some_and(|s| s.case_exact);
            let same_value = if exact {
                p == q
            } else {
                p.to_lowercase() == q.to_lowercase()
            };
            let same_type = match (get_ci(x, "type"), get_ci(y, "type")) {
                (Some(Value::String(s)), Some(Value::String(t))) => s.eq_ignore_ascii_case(t),
                _ => true,
            };
            return same_value && same_type;
        }
    }
    a == b
}

/// The elements of a multi-valued attribute, indexed by their `value` (as
/// [`same_element`] compares it), so that adding or removing n members of
/// a group of m costs n + m look-ups, not n × m comparisons. Two elements
/// can only be the same if their keys are equal (complex values with a
/// string `value`) or both have none (compared as whole JSON).
struct Elements<'d> {
    def: Option<&'d Attr>,
    keyed: std::collections::HashMap<String, Vec<usize>>,
    unkeyed: Vec<usize>,
}

impl<'d> Elements<'d> {
    fn of(def: Option<&'d Attr>, items: &[Value]) -> Elements<'d> {
        let mut index = Elements {
            def,
            keyed: std::collections::HashMap::new(),
            unkeyed: Vec::new(),
        };
        for (i, item) in items.iter().enumerate() {
            index.add(i, item);
        }
        index
    }

    fn key(&self, v: &Value) -> Option<String> {
        let Some(Value::String(p)) = v.as_object().and_then(|x| get_ci(x, "value")) else {
            return None;
        };
        let exact = self
            .def
            .and_then(|d| d.sub_attr("value"))
            .is_some_and(|s| s.case_exact);
        Some(if exact { p.clone() } else { p.to_lowercase() })
    }

    /// Index `items[i]` (again after a merge: its key may have changed).
    fn add(&mut self, i: usize, item: &Value) {
        let list = match self.key(item) {
            Some(k) => self.keyed.entry(k).or_default(),
            None => &mut self.unkeyed,
        };
        if let Err(at) = list.binary_search(&i) {
            list.insert(at, i);
        }
    }

    /// The first element of `items` that is the same as `item`.
    fn find(&self, items: &[Value], item: &Value) -> Option<usize> {
        let candidates = match self.key(item) {
            Some(k) => self.keyed.get(&k)?,
            None => &self.unkeyed,
        };
        candidates
            .iter()
            .copied()
            .find(|&i| same_element(self.def, &items[i], item))
    }
}

fn is_primary(v: &Value) -> bool {
    v.as_object()
        .and_then(|o| get_ci(o, "primary"))
        .is_some_and(|p| p == &Value::Bool(true))
}

/// RFC 7644 §3.5.2: setting `primary` true on a value sets it false on the others.
fn demote_other_primaries(items: &mut [Value], touched: &[usize]) {
    let Some(&winner) = touched.iter().rev().find(|&&i| is_primary(&items[i])) else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        if i != winner && is_primary(item) {
            if let Some(o) = item.as_object_mut() {
                insert_ci(o, "primary", Value::Bool(false));
            }
        }
    }
}

/// The whole attribute: `path: "emails"`, `"active"`, `"name"`.
fn whole(
    obj: &mut Map<String, Value>,
    op: OpKind,
    attr: &AttrPath,
    multi: bool,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let name: &str = &attr.name;
    let def = attr.attr;
    let shown = attr.to_string();
    if op == OpKind::Remove {
        match value {
            // Entra: `Remove members` with the members to remove as the value.
            Some(v) if multi && !v.is_null() => {
                let gone = coerce(def, v, &shown)?;
                let gone = gone.as_array().map(Vec::as_slice).unwrap_or_default();
                if let Some(Value::Array(items)) = key_ci(obj, name).and_then(|k| obj.get_mut(&k)) {
                    let index = Elements::of(def, gone);
                    items.retain(|item| index.find(gone, item).is_none());
                    if items.is_empty() {
                        remove_ci(obj, name);
                    }
                }
            }
            _ => {
                remove_ci(obj, name);
            }
        }
        return Ok(());
    }
    let v = value.expect("add and replace carry a value");
    let new = coerce(def, v, &shown)?;
    // null and [] both mean unassigned (RFC 7643 §2.5).
    if new.is_null() || new.as_array().is_some_and(Vec::is_empty) {
        if op == OpKind::Replace {
            remove_ci(obj, name);
        }
        return Ok(());
    }
    if multi {
        let additions = match new {
            Value::Array(items) => items,
            other => vec![other],
        };
        let (slot, existing) = take(obj, name);
        let mut items = match (op, existing) {
            (OpKind::Add, Some(Value::Array(existing))) => existing,
            (OpKind::Add, Some(Value::Null) | None) | (OpKind::Replace, _) => Vec::new(),
            (OpKind::Add, Some(single)) => vec![single],
            (OpKind::Remove, _) => unreachable!("handled above"),
        };
        let mut touched = Vec::new();
        let mut index = Elements::of(def, &items);
        for item in additions {
            match index.find(&items, &item) {
                // Already there: an add keeps one copy, refreshed with what was sent.
                Some(i) => {
                    merge_into(&mut items[i], item);
                    index.add(i, &items[i]);
                    touched.push(i);
                }
                None => {
                    items.push(item);
                    index.add(items.len() - 1, &items[items.len() - 1]);
                    touched.push(items.len() - 1);
                }
            }
        }
        demote_other_primaries(&mut items, &touched);
        put_back(
            obj,
            slot,
            name,
            (!items.is_empty()).then_some(Value::Array(items)),
        );
        return Ok(());
    }
    // A complex single-valued attribute: the sub-attributes sent replace or
    // add, the others stay (RFC 7644 §3.5.2.1 and .3).
    if let (Value::Object(_), Some(existing @ Value::Object(_))) =
        (&new, key_ci(obj, name).and_then(|k| obj.get_mut(&k)))
    {
        merge_into(existing, new);
        return Ok(());
    }
    insert_ci(obj, name, new);
    Ok(())
}

fn merge_into(existing: &mut Value, new: Value) {
    match (existing, new) {
        (Value::Object(e), Value::Object(n)) => {
            for (k, v) in n {
                insert_ci(e, &k, v);
            }
        }
        (e, n) => *e = n,
    }
}

/// `name.givenName`: a sub-attribute without a filter.
fn dotted(
    obj: &mut Map<String, Value>,
    op: OpKind,
    attr: &AttrPath,
    sub: &str,
    multi: bool,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let name: &str = &attr.name;
    if multi {
        if op != OpKind::Remove {
            return Err(ScimError::invalid_path(format!(
                "\"{attr}\" would set it on every value of \"{name}\": select one with a filter, e.g. {name}[type eq \"work\"].{sub}"
            )));
        }
        if let Some(Value::Array(items)) = key_ci(obj, name).and_then(|k| obj.get_mut(&k)) {
            for item in items.iter_mut() {
                if let Some(o) = item.as_object_mut() {
                    remove_ci(o, sub);
                }
            }
            items.retain(|i| !i.as_object().is_some_and(Map::is_empty));
            if items.is_empty() {
                remove_ci(obj, name);
            }
        }
        return Ok(());
    }
    let new = match value {
        Some(v) if op != OpKind::Remove => coerce_single_opt(attr.sub_attr, v, &attr.to_string())?,
        _ => Value::Null,
    };
    let key = key_ci(obj, name);
    if new.is_null() {
        // remove, or replace with null: the sub-attribute becomes unassigned.
        if let Some(Value::Object(parent)) = key.as_ref().and_then(|k| obj.get_mut(k)) {
            remove_ci(parent, sub);
            if parent.is_empty() {
                remove_ci(obj, name);
            }
        }
        return Ok(());
    }
    let key = match key {
        Some(k) if obj.get(&k).is_some_and(Value::is_object) => k,
        _ => {
            remove_ci(obj, name);
            obj.insert(name.to_string(), Value::Object(Map::new()));
            name.to_string()
        }
    };
    let parent = obj
        .get_mut(&key)
        .and_then(Value::as_object_mut)
        .expect("parent is an object");
    insert_ci(parent, sub, new);
    Ok(())
}

fn coerce_single_opt(def: Option<&'static Attr>, v: &Value, at: &str) -> Result<Value, ScimError> {
    match def {
        Some(a) => coerce_single(a, v, at),
        None => Ok(v.clone()),
    }
}

/// `emails[type eq "work"]`, `members[value eq "x"]`, `emails[type eq "work"].value`.
fn filtered(
    kind: ResourceKind,
    obj: &mut Map<String, Value>,
    op: OpKind,
    attr: &AttrPath,
    f: &Node,
    sub: Option<&AttrPath>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let name: &str = &attr.name;
    let def = attr.attr;
    let shown = match sub {
        Some(s) => format!("{attr}[...].{}", s.name),
        None => format!("{attr}[...]"),
    };
    let (slot, existing) = take(obj, name);
    let mut items = match existing {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(single) => vec![single],
    };
    let matched: Vec<usize> = (0..items.len())
        .filter(|&i| filter::eval(f, kind, &items[i]))
        .collect();
    let result = (|| {
        if op == OpKind::Remove {
            match sub {
                None => {
                    let mut i = 0;
                    items.retain(|_| {
                        i += 1;
                        !matched.contains(&(i - 1))
                    });
                }
                Some(s) => {
                    for &i in &matched {
                        if let Some(o) = items[i].as_object_mut() {
                            remove_ci(o, &s.name);
                        }
                    }
                }
            }
            return Ok(());
        }
        let v = value.expect("add and replace carry a value");
        let new = match sub {
            Some(s) => {
                let x = coerce_single_opt(s.attr, v, &shown)?;
                let mut o = Map::new();
                if !x.is_null() {
                    o.insert(s.name.to_string(), x);
                }
                Value::Object(o)
            }
            None => match def {
                Some(a) => coerce_single(a, v, &shown)?,
                None => v.clone(),
            },
        };
        let mut touched = matched.clone();
        if matched.is_empty() {
            // Entra sends `emails[type eq "work"].value` for a user without a
            // work email yet: create the element the filter describes.
            let Some(mut described) = filter::equalities(f) else {
                return Err(ScimError::no_target(format!(
                    "no value of \"{name}\" matches the filter, and the filter does not describe one to create"
                )));
            };
            if let Value::Object(n) = new {
                for (k, x) in n {
                    insert_ci(&mut described, &k, x);
                }
            }
            items.push(Value::Object(described));
            touched.push(items.len() - 1);
        } else {
            for &i in &matched {
                match (sub, op) {
                    (Some(s), _) if v.is_null() => {
                        if let Some(o) = items[i].as_object_mut() {
                            remove_ci(o, &s.name);
                        }
                    }
                    // RFC 7644 §3.5.2.3: the matching values are replaced.
                    (None, OpKind::Replace) => items[i] = new.clone(),
                    _ => merge_into(&mut items[i], new.clone()),
                }
            }
        }
        demote_other_primaries(&mut items, &touched);
        Ok(())
    })();
    items.retain(|i| !i.as_object().is_some_and(Map::is_empty));
    put_back(
        obj,
        slot,
        name,
        (!items.is_empty()).then_some(Value::Array(items)),
    );
    result
}

/// Take attribute `name` out of `obj`, leaving its slot so that
/// [`put_back`] keeps the attribute where it was in the resource.
fn take(obj: &mut Map<String, Value>, name: &str) -> (Option<String>, Option<Value>) {
    match key_ci(obj, name) {
        Some(key) => {
            let value = obj.get_mut(&key).map(Value::take);
            (Some(key), value)
        }
        None => (None, None),
    }
}

/// Store the new value (or unassign it) under the canonical `name`.
fn put_back(obj: &mut Map<String, Value>, slot: Option<String>, name: &str, value: Option<Value>) {
    match (slot, value) {
        (Some(key), Some(v)) if key == name => {
            obj.insert(key, v);
        }
        (Some(key), v) => {
            obj.shift_remove(&key);
            if let Some(v) = v {
                obj.insert(name.to_string(), v);
            }
        }
        (None, Some(v)) => {
            obj.insert(name.to_string(), v);
        }
        (None, None) => {}
    }
}

/// Put `schemas` in step with the extensions the resource holds: the core
/// URN first, then each known extension present, then any other URN listed.
pub(crate) fn fix_schemas(kind: ResourceKind, out: &mut Map<String, Value>) {
    let mut schemas = vec![Value::from(kind.schema_urn())];
    for ext in schema::extensions(kind) {
        if get_ci(out, ext.id).is_some_and(|v| v.as_object().is_some_and(|o| !o.is_empty())) {
            schemas.push(Value::from(ext.id));
        }
    }
    if let Some(Value::Array(listed)) = get_ci(out, "schemas") {
        for s in listed {
            if let Some(urn) = s.as_str() {
                if schema::schema_by_urn(urn).is_none() && !schemas.contains(s) {
                    schemas.push(Value::from(urn));
                }
            }
        }
    }
    let schemas = Value::Array(schemas);
    if out.contains_key("schemas") {
        out.insert("schemas".into(), schemas);
    } else {
        remove_ci(out, "schemas");
        let rest = std::mem::take(out);
        out.insert("schemas".into(), schemas);
        out.extend(rest);
    }
}

/// The required attribute that is missing or empty, if any.
pub(crate) fn require(kind: ResourceKind, out: &Map<String, Value>) -> Result<(), &'static str> {
    let name = match kind {
        ResourceKind::User => "userName",
        ResourceKind::Group => "displayName",
    };
    match get_ci(out, name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        _ => Err(name),
    }
}

#[cfg(test)]
#[path = "patch_tests.rs"]
pub(crate) mod tests;
