//! Value-level comparisons: numbers by value, strings optionally without
//! case, objects without regard to key order.

use std::collections::HashMap;

use super::node::{Node, Num};

/// Finds object members by key: a scan for small objects, a hash map for
/// large ones (so wide objects stay linear).
pub struct Lookup<'n, 'a> {
    members: &'n [(std::borrow::Cow<'a, str>, Node<'a>)],
    index: Option<HashMap<&'n str, usize>>,
}

impl<'n, 'a> Lookup<'n, 'a> {
    pub fn new(members: &'n [(std::borrow::Cow<'a, str>, Node<'a>)]) -> Self {
        let index = (members.len() > 16).then(|| {
            members
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.as_ref(), i))
                .collect()
        });
        Lookup { members, index }
    }

    pub fn get(&self, key: &str) -> Option<&'n Node<'a>> {
        match &self.index {
            Some(index) => index.get(key).map(|&i| &self.members[i].1),
            None => self
                .members
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v),
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// `1` equals `1.0`; integers compare exactly, anything else as f64.
pub fn numbers_equal(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Uint(x), Num::Uint(y)) => x == y,
        (Num::Int(_), Num::Uint(_)) | (Num::Uint(_), Num::Int(_)) => false,
        _ => a.as_f64() == b.as_f64(),
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
pub fn values_equal(a: &Node, b: &Node, ignore_case: bool) -> bool {
    match (a, b) {
        (Node::Null, Node::Null) => true,
        (Node::Bool(x), Node::Bool(y)) => x == y,
        (Node::Number(x), Node::Number(y)) => numbers_equal(*x, *y),
        (Node::String(x), Node::String(y)) => strings_equal(x, y, ignore_case),
        (Node::Array(x), Node::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| values_equal(p, q, ignore_case))
        }
        (Node::Object(x), Node::Object(y)) => {
            let y_lookup = Lookup::new(y);
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y_lookup
                        .get(k)
                        .is_some_and(|w| values_equal(v, w, ignore_case))
                })
        }
        _ => false,
    }
}

/// A canonical text for a value, equal for two values exactly when
/// [`values_equal`] holds (arrays keep their order). Used as a hash key for
/// multiset and identity matching.
pub fn canonical(value: &Node, ignore_case: bool) -> String {
    let mut out = String::new();
    write_canonical(value, ignore_case, &mut out);
    out
}

fn write_canonical(value: &Node, ignore_case: bool, out: &mut String) {
    match value {
        Node::Null => out.push('n'),
        Node::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Node::Number(n) => {
            out.push('#');
            out.push_str(&canonical_number(*n));
        }
        Node::String(s) => {
            out.push('s');
            push_json_string(s, ignore_case, out);
        }
        Node::Array(items) => {
            out.push('[');
            for item in items.iter() {
                write_canonical(item, ignore_case, out);
                out.push(',');
            }
            out.push(']');
        }
        Node::Object(members) => {
            let mut entries: Vec<_> = members.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
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
    let text = if ignore_case {
        s.to_lowercase()
    } else {
        s.to_string()
    };
    out.push_str(&serde_json::Value::String(text).to_string());
}

/// Integral numbers print as integers whatever their spelling (`1.0` → `1`).
pub fn canonical_number(n: Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Uint(u) => u.to_string(),
        Num::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => (f as i64).to_string(),
        Num::Float(f) => f.to_string(),
    }
}

/// The identity text of a scalar used as an array key (`id`, `email`...),
/// or `None` when the value cannot identify anything.
pub fn key_text(value: &Node, ignore_case: bool) -> Option<String> {
    match value {
        Node::String(s) if ignore_case => Some(s.to_lowercase()),
        Node::String(s) => Some(s.to_string()),
        Node::Number(n) => Some(canonical_number(*n)),
        Node::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eq(a: serde_json::Value, b: serde_json::Value, ic: bool) -> bool {
        values_equal(&Node::from_value(&a), &Node::from_value(&b), ic)
    }

    fn canon(a: serde_json::Value) -> String {
        canonical(&Node::from_value(&a), false)
    }

    #[test]
    fn numbers_by_value_and_objects_without_order() {
        assert!(eq(json!(1), json!(1.0), false));
        assert!(!eq(json!(1), json!(1.5), false));
        assert!(eq(json!({"a":1,"b":2}), json!({"b":2,"a":1}), false));
        assert!(eq(json!("Ada"), json!("ADA"), true));
        assert!(!eq(json!("Ada"), json!("ADA"), false));
        assert_eq!(
            canon(json!({"b":1.0,"a":[1]})),
            canon(json!({"a":[1],"b":1}))
        );
        assert_ne!(canon(json!("1")), canon(json!(1)));
    }
}
