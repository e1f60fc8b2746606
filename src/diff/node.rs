//! The diff's own compact JSON tree.
//!
//! `serde_json::Value` (with key order preserved) costs about ten times the
//! input's size in memory: every object is a hash map and every string a
//! fresh allocation. A `Node` borrows its strings from the input buffer
//! (only strings with escapes are copied) and keeps objects as a plain
//! slice of pairs, so two 10 MB snapshots diff in a few times their size.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON number, exact: an `i64` when it is a plain one (most numbers),
/// else its text as written (`100000000000000000001`, `1.50`, `1e400`), so
/// nothing is rounded and a patch writes it back as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Num {
    Int(i64),
    Text(Box<str>),
}

/// The key under which serde_json (with `arbitrary_precision`) hands a
/// number's text to a visitor.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A JSON value whose strings borrow from the parsed input when they can.
#[derive(Debug, Clone)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    Number(Num),
    String(Cow<'a, str>),
    Array(Box<[Node<'a>]>),
    /// Members in document order.
    Object(Box<[(Cow<'a, str>, Node<'a>)]>),
}

impl<'a> Node<'a> {
    /// Parse JSON text, borrowing strings from `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Node<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// A view of an existing `serde_json::Value` (strings borrowed from it).
    pub fn from_value(value: &'a Value) -> Node<'a> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(Num::of(n)),
            Value::String(s) => Node::String(Cow::Borrowed(s)),
            Value::Array(items) => Node::Array(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// An owned `serde_json::Value`, for output.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => n.to_value(),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members.iter() {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The value of member `key` of an object (the last one if repeated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Node::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Keep one member per key in every object: the last value, at the
    /// first key's place (what `serde_json::Value` and JSON.parse do).
    /// Returns the JSON Pointers of the objects that had repeated keys.
    pub fn dedupe_keys(&mut self) -> Vec<String> {
        let mut found = Vec::new();
        let mut pointer = String::new();
        self.dedupe_at(&mut pointer, &mut found);
        found
    }

    fn dedupe_at(&mut self, pointer: &mut String, found: &mut Vec<String>) {
        let len = pointer.len();
        match self {
            Node::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    // Only containers can hold an object; no pointer work for leaves.
                    if matches!(item, Node::Array(_) | Node::Object(_)) {
                        let _ = write!(pointer, "/{i}");
                        item.dedupe_at(pointer, found);
                        pointer.truncate(len);
                    }
                }
            }
            Node::Object(members) => {
                if has_repeated_key(members) {
                    found.push(if pointer.is_empty() {
                        "/".to_string()
                    } else {
                        pointer.clone()
                    });
                    let mut kept: Vec<(Cow<'a, str>, Node<'a>)> = Vec::new();
                    let mut at: std::collections::HashMap<String, usize> = Default::default();
                    for (k, v) in std::mem::take(members).into_vec() {
                        match at.get(k.as_ref()) {
                            Some(&i) => kept[i].1 = v,
                            None => {
                                at.insert(k.to_string(), kept.len());
                                kept.push((k, v));
                            }
                        }
                    }
                    *members = kept.into_boxed_slice();
                }
                for (k, v) in members.iter_mut() {
                    if !matches!(v, Node::Array(_) | Node::Object(_)) {
                        continue;
                    }
                    pointer.push('/');
                    for c in k.chars() {
                        match c {
                            '~' => pointer.push_str("~0"),
                            '/' => pointer.push_str("~1"),
                            c => pointer.push(c),
                        }
                    }
                    v.dedupe_at(pointer, found);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Node::Array(_))
    }
}

/// Whether an object repeats a key: a scan for small objects, a set for large.
fn has_repeated_key(members: &[(Cow<str>, Node)]) -> bool {
    if members.len() <= 8 {
        return members
            .iter()
            .enumerate()
            .any(|(i, (k, _))| members[..i].iter().any(|(j, _)| j == k));
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    !members.iter().all(|(k, _)| seen.insert(k.as_ref()))
}

impl Num {
    pub fn of(n: &Number) -> Num {
        Num::from_text(&n.to_string())
    }

    /// From a JSON number's text.
    pub fn from_text(text: &str) -> Num {
        match text.parse::<i64>() {
            // "-0" keeps its text: it is not written as 0.
            Ok(i) if !text.starts_with("-0") => Num::Int(i),
            _ => Num::Text(text.into()),
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Num::Int(i) => Value::from(*i),
            Num::Text(t) => t
                .parse::<Number>()
                .map_or_else(|_| Value::String(t.to_string()), Value::Number),
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Num::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Num::from_text(&v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Num::from_text(&v.to_string())))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items.into_boxed_slice()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key()? {
            if members.is_empty() && key == NUMBER_TOKEN {
                // A number, as its exact text (serde_json's arbitrary_precision).
                let text: String = map.next_value()?;
                return Ok(Node::Number(Num::from_text(&text)));
            }
            members.push((key, map.next_value()?));
        }
        Ok(Node::Object(members.into_boxed_slice()))
    }
}

/// An object key, borrowed when it has no escapes (serde's own `Cow<str>`
/// always copies).
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_borrowing_and_round_trips() {
        let text = br#"{"a":"plain","b":"esc\"aped","c":[1,-2,1.5,18446744073709551615,null,true],"d":{}}"#;
        let node = Node::parse(text).unwrap();
        assert!(matches!(
            node.get("a"),
            Some(Node::String(Cow::Borrowed("plain")))
        ));
        assert_eq!(
            node.to_value(),
            json!({"a":"plain","b":"esc\"aped","c":[1,-2,1.5,18446744073709551615u64,null,true],"d":{}})
        );
        let value = node.to_value();
        assert_eq!(Node::from_value(&value).to_value(), value);
        assert!(Node::parse(b"{\"a\":}").is_err());
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        // serde_json writes an unsigned exponent with its `+`: the same value.
        let text = br#"[100000000000000000001,1e+400,1.50,-0,7]"#;
        let Node::Array(items) = Node::parse(text).unwrap() else {
            panic!("an array")
        };
        let got: Vec<Num> = items
            .iter()
            .map(|n| match n {
                Node::Number(n) => n.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                Num::Text("100000000000000000001".into()),
                Num::Text("1e+400".into()),
                Num::Text("1.50".into()),
                Num::Text("-0".into()),
                Num::Int(7)
            ]
        );
        // Written back as read.
        let back = serde_json::to_string(&Node::parse(text).unwrap().to_value()).unwrap();
        assert_eq!(back.as_bytes(), text);
    }
}
