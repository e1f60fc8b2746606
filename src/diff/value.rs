//! Value-level comparisons: numbers by value, strings optionally without
//! case, objects without regard to key order.

use serde_json::{Number, Value};

/// `1` equals `1.0`; integers compare exactly, anything else as f64.
pub fn numbers_equal(a: &Number, b: &Number) -> bool {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return x == y;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

pub fn strings_equal(a: &str, b: &str, ignore_case: bool) -> bool {
    if ignore_case {
        a == b || a.to_lowercase() == b.to_lowercase()
    } else {
        a == b
    }
}

/// Deep equality under the diff's rules (key order and number spelling do
/// not matter; case does not either with `ignore_case`).
pub fn values_equal(a: &Value, b: &Value, ignore_case: bool) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::String(x), Value::String(y)) => strings_equal(x, y, ignore_case),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| values_equal(p, q, ignore_case))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w, ignore_case)))
        }
        _ => false,
    }
}

/// A canonical text for a value such that two values are equal under
/// [`values_equal`] (for scalars, and for containers up to array order
/// being kept) exactly when their canonical texts are equal. Used as a hash
/// key for multiset and identity matching.
pub fn canonical(value: &Value, ignore_case: bool) -> String {
    let mut out = String::new();
    write_canonical(value, ignore_case, &mut out);
    out
}

fn write_canonical(value: &Value, ignore_case: bool, out: &mut String) {
    match value {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => {
            out.push('#');
            out.push_str(&canonical_number(n));
        }
        Value::String(s) => {
            out.push('s');
            push_json_string(s, ignore_case, out);
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write_canonical(item, ignore_case, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                push_json_string(k, false, out);
                out.push(':');
                write_canonical(v, ignore_case, out);
                out.push(',');
            }
            out.push('}');
        }
    }
}

fn push_json_string(s: &str, ignore_case: bool, out: &mut String) {
    let s = if ignore_case {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    out.push_str(&Value::String(s.into_owned()).to_string());
}

/// Integral numbers print as integers whatever their spelling (`1.0` → `1`).
pub fn canonical_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).to_string(),
        Some(f) => f.to_string(),
        None => n.to_string(),
    }
}

/// The identity text of a scalar used as an array key (`id`, `email`...),
/// or `None` when the value cannot identify anything.
pub fn key_text(value: &Value, ignore_case: bool) -> Option<String> {
    match value {
        Value::String(s) if ignore_case => Some(s.to_lowercase()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(canonical_number(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_by_value_and_objects_without_order() {
        assert!(values_equal(&json!(1), &json!(1.0), false));
        assert!(!values_equal(&json!(1), &json!(1.5), false));
        assert!(values_equal(
            &json!({"a":1,"b":2}),
            &json!({"b":2,"a":1}),
            false
        ));
        assert!(values_equal(&json!("Ada"), &json!("ADA"), true));
        assert!(!values_equal(&json!("Ada"), &json!("ADA"), false));
        assert_eq!(
            canonical(&json!({"b":1.0,"a":[1]}), false),
            canonical(&json!({"a":[1],"b":1}), false)
        );
        assert_ne!(canonical(&json!("1"), false), canonical(&json!(1), false));
    }
}
