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

/// Numbers compare exactly on their value, whatever their spelling or size:
/// `1` equals `1.0` and `10e-1`; `100000000000000000001` differs from
/// `100000000000000000002`.
pub fn numbers_equal(a: &Num, b: &Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        _ => canonical_number(a) == canonical_number(b),
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
        (Node::Number(x), Node::Number(y)) => numbers_equal(x, y),
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
            out.push_str(&canonical_number(n));
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

/// One text per numeric value, exact: integral values as integers (`1.0`
/// → `1`, `1e3` → `1000`), others as decimals (`0.50` → `0.5`), very large or
/// small ones in scientific form (`1e400`).
pub fn canonical_number(n: &Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Text(text) => canonical_decimal(text),
    }
}

/// Digits beyond which a value is written in scientific form.
const PLAIN_DIGITS: i128 = 40;

/// The canonical text of a JSON number's text (see [`canonical_number`]).
fn canonical_decimal(text: &str) -> String {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Exponents beyond i128 saturate: such values are all "infinite" here.
    let exponent: i128 = match exponent.trim_start_matches('+').parse::<i128>() {
        Ok(e) => e,
        Err(_) if exponent.starts_with('-') => i128::MIN / 4,
        Err(_) if exponent.is_empty() => 0,
        Err(_) => i128::MAX / 4,
    };
    let all: String = format!("{int_part}{frac_part}");
    let digits = all.trim_start_matches('0');
    if digits.is_empty() {
        return "0".to_string();
    }
    let trimmed = digits.trim_end_matches('0');
    // value = trimmed × 10^exp
    let exp = exponent - frac_part.len() as i128 + (digits.len() - trimmed.len()) as i128;
    let n = trimmed.len() as i128;
    let sign = if negative { "-" } else { "" };
    let point = n + exp; // digits before the decimal point
    if exp >= 0 && point <= PLAIN_DIGITS {
        format!("{sign}{trimmed}{}", "0".repeat(exp as usize))
    } else if exp < 0 && point > -PLAIN_DIGITS && -exp <= PLAIN_DIGITS * 2 {
        if point > 0 {
            let (whole, frac) = trimmed.split_at(point as usize);
            format!("{sign}{whole}.{frac}")
        } else {
            format!("{sign}0.{}{trimmed}", "0".repeat((-point) as usize))
        }
    } else {
        let (first, more) = trimmed.split_at(1);
        let dot = if more.is_empty() { "" } else { "." };
        format!("{sign}{first}{dot}{more}e{}", point - 1)
    }
}

/// The identity text of a scalar used as an array key (`id`, `email`...),
/// or `None` when the value cannot identify anything.
pub fn key_text(value: &Node, ignore_case: bool) -> Option<String> {
    match value {
        Node::String(s) if ignore_case => Some(s.to_lowercase()),
        Node::String(s) => Some(s.to_string()),
        Node::Number(n) => Some(canonical_number(n)),
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

    #[test]
    fn numbers_compare_exactly_on_their_value() {
        let n = |t: &str| Num::from_text(t);
        for (a, b) in [
            ("1", "1.0"),
            ("1", "10e-1"),
            ("1000", "1e3"),
            ("0.5", "0.50"),
            ("0", "-0"),
            ("0", "0e10"),
            ("-2.5E+2", "-250"),
            ("1e400", "10e399"),
            (
                "123456789012345678901234567890",
                "1.2345678901234567890123456789e29",
            ),
        ] {
            assert!(numbers_equal(&n(a), &n(b)), "{a} == {b}");
        }
        for (a, b) in [
            ("100000000000000000001", "100000000000000000002"),
            ("1e400", "1e401"),
            ("0.1", "0.10000000000000001"),
            ("-1", "1"),
            ("1e-400", "0"),
        ] {
            assert!(!numbers_equal(&n(a), &n(b)), "{a} != {b}");
        }
        assert_eq!(canonical_number(&n("1e400")), "1e400");
        assert_eq!(canonical_number(&n("1.50")), "1.5");
        assert_eq!(canonical_number(&n("0.0015")), "0.0015");
        assert_eq!(canonical_number(&n("2.0")), "2");
    }
}
