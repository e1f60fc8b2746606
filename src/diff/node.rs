//! The diff's own compact JSON tree.
//!
//! `serde_json::Value` (with key order preserved) costs about ten times the
//! input's size in memory: every object is a hash map and every string a
//! fresh allocation. A `Node` borrows its strings from the input buffer
//! (only strings with escapes are copied) and keeps objects as a plain
//! slice of pairs, so two 10 MB snapshots diff in a few times their size.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON number as parsed: integers stay exact.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    Int(i64),
    Uint(u64),
    Float(f64),
}

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

    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Node::Array(_))
    }
}

impl Num {
    pub fn of(n: &Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i)
        } else if let Some(u) = n.as_u64() {
            Num::Uint(u)
        } else {
            Num::Float(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    pub fn to_value(self) -> Value {
        match self {
            Num::Int(i) => Value::from(i),
            Num::Uint(u) => Value::from(u),
            Num::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Uint(u) => u as f64,
            Num::Float(f) => f,
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
        Ok(match i64::try_from(v) {
            Ok(i) => Node::Number(Num::Int(i)),
            Err(_) => Node::Number(Num::Uint(v)),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Num::Float(v)))
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
}
