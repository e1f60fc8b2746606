//! The indexed fields of a body (code, resource type / id / label), read
//! without building a `serde_json::Value`: only the few members they come
//! from are kept, everything else is skipped as it is parsed. Saving reads
//! them for every capture (measured: a `Value` of a 1 KiB event cost more
//! than the rest of preparing its row).
//!
//! The answer is the one [`super::capture::Indexed::of_value`] gives for the
//! same body. Where the two readings could differ (a member that is not an
//! object where one is expected, `null` included; a key given twice, where a
//! `Value` keeps the last) this reader gives up and the caller reads a
//! `Value` instead; a test compares both on generated bodies.

use std::borrow::Cow;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::capture::Indexed;

/// The fields, or `None` when the body needs the `Value` reading.
pub(super) fn read(text: &str) -> Option<Indexed> {
    let top: Object<Top> = serde_json::from_str(text).ok()?;
    top.0.map(|t| t.indexed())
}

/// A member read for its text: absent, a string, or anything else.
#[derive(Default)]
enum Text<'a> {
    #[default]
    Absent,
    Str(Cow<'a, str>),
    Other,
}

impl<'a> Text<'a> {
    /// As `Value::as_str` on the member: a string, else nothing.
    fn as_str(&self) -> Option<&str> {
        match self {
            Text::Str(s) => Some(s),
            _ => None,
        }
    }

    fn is_absent(&self) -> bool {
        matches!(self, Text::Absent)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'a>, E> {
                Ok(Text::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'a>, E> {
                Ok(Text::Str(Cow::Owned(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'a>, E> {
                Ok(Text::Str(Cow::Owned(s)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            fn visit_unit<E>(self) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            fn visit_none<E>(self) -> Result<Text<'a>, E> {
                Ok(Text::Other)
            }
            // Objects (numbers too, with arbitrary_precision) and arrays:
            // skipped to their end.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An object member: absent, or an object (anything else, `null` and
/// arrays included, fails the reading, so the `Value` reading decides).
struct Object<T>(Option<T>);

impl<T> Default for Object<T> {
    fn default() -> Self {
        Object(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through `deserialize_map`: a derived struct would also take an
        // array, field by position.
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|t| Object(Some(t)))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(default, borrow)]
    code: Text<'a>,
    #[serde(default, borrow)]
    data: Object<Data<'a>>,
    #[serde(default, borrow)]
    resource_id: Text<'a>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(default, borrow)]
    resource: Object<Resource<'a>>,
    #[serde(default, borrow)]
    id: Text<'a>,
}

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Text<'a>,
    #[serde(default, borrow)]
    id: Text<'a>,
    #[serde(default, borrow)]
    changes: Object<Changes<'a>>,
    #[serde(default, borrow)]
    email: Text<'a>,
    #[serde(default, borrow)]
    display_name: Text<'a>,
    #[serde(default, borrow)]
    name: Text<'a>,
}

#[derive(Deserialize)]
struct Changes<'a> {
    #[serde(default, borrow)]
    new_values: Object<Names<'a>>,
    #[serde(default, borrow)]
    previous_values: Object<Names<'a>>,
}

/// The members a label is made of.
#[derive(Deserialize)]
struct Names<'a> {
    #[serde(default, borrow)]
    email: Text<'a>,
    #[serde(default, borrow)]
    display_name: Text<'a>,
    #[serde(default, borrow)]
    name: Text<'a>,
}

/// The first of `choices` that is a string, if it is not empty (as the
/// `Value` reading: an empty first choice does not fall to the next).
fn first<'s>(choices: &[&'s Text]) -> Option<&'s str> {
    choices
        .iter()
        .find_map(|t| t.as_str())
        .filter(|x| !x.is_empty())
}

impl<'a> Names<'a> {
    /// Email, display name, name: the order a user's label prefers.
    fn texts(&self) -> [&Text<'a>; 3] {
        [&self.email, &self.display_name, &self.name]
    }
}

impl Top<'_> {
    fn indexed(&self) -> Indexed {
        let data = self.data.0.as_ref();
        let resource = data.and_then(|d| d.resource.0.as_ref());
        let text = |t: &Text| t.as_str().map(str::to_string);
        Indexed {
            code: text(&self.code),
            resource_type: resource.and_then(|r| text(&r.kind)),
            resource_id: resource
                .and_then(|r| text(&r.id))
                .or_else(|| data.and_then(|d| text(&d.id)))
                .or_else(|| text(&self.resource_id)),
            resource_label: data.and_then(|d| self.label(d)),
        }
    }

    fn label(&self, data: &Data) -> Option<String> {
        let Some(r) = data.resource.0.as_ref() else {
            // Other shapes: the resource's id in `data`, else at the top.
            let id = if data.id.is_absent() {
                &self.resource_id
            } else {
                &data.id
            };
            return id.as_str().map(str::to_string);
        };
        let changes = r.changes.0.as_ref();
        let snapshots = [
            changes
                .and_then(|c| c.new_values.0.as_ref())
                .map(Names::texts),
            changes
                .and_then(|c| c.previous_values.0.as_ref())
                .map(Names::texts),
            Some([&r.email, &r.display_name, &r.name]),
        ];
        let kind = r.kind.as_str();
        // A group is named by its display name or name, never an email.
        let skip = usize::from(kind == Some("group"));
        let name = snapshots
            .into_iter()
            .flatten()
            .find_map(|s| first(&s[skip..]));
        let ident = name.or_else(|| r.id.as_str());
        match (kind, ident) {
            (Some(kind), Some(ident)) => Some(format!("{kind} {ident}")),
            (None, Some(ident)) => Some(ident.to_string()),
            (Some(kind), None) => Some(kind.to_string()),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::capture::Indexed;

    /// JSON text, written by hand so that keys can repeat; the keys are the
    /// ones the fields come from, the values every kind of JSON value.
    fn json(depth: u32) -> BoxedStrategy<String> {
        let key = prop::sample::select(vec![
            "code",
            "data",
            "resource",
            "id",
            "type",
            "changes",
            "new_values",
            "previous_values",
            "email",
            "display_name",
            "name",
            "resource_id",
            "x",
        ]);
        let leaf = prop_oneof![
            6 => prop::sample::select(vec!["", "user", "group", "ada@corp.example", "Admins", "u_1"])
                .prop_map(|s| serde_json::to_string(s).unwrap()),
            1 => Just("\"esc\\u00e9\\\"q\"".to_string()),
            1 => Just("null".to_string()),
            1 => Just("true".to_string()),
            1 => Just("12345678901234567890123".to_string()),
            1 => Just("-1.5e3".to_string()),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        let inner = json(depth - 1);
        prop_oneof![
            2 => leaf,
            1 => prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(","))),
            4 => prop::collection::vec((key, inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
        .boxed()
    }

    /// An object of some of `keys` (each maybe absent) with `value`s.
    fn object(
        keys: &'static [&'static str],
        value: BoxedStrategy<String>,
    ) -> BoxedStrategy<String> {
        prop::collection::vec(prop::option::of(value), keys.len())
            .prop_map(move |values| {
                let members: Vec<String> = keys
                    .iter()
                    .zip(values)
                    .filter_map(|(k, v)| v.map(|v| format!("\"{k}\":{v}")))
                    .collect();
                format!("{{{}}}", members.join(","))
            })
            .boxed()
    }

    /// Event-shaped bodies: the members where they belong, some missing,
    /// empty or of another kind.
    fn event() -> BoxedStrategy<String> {
        let text = json(0);
        let names = object(&["email", "display_name", "name", "x"], text.clone());
        let changes = object(&["new_values", "previous_values"], names.clone());
        let resource = (
            object(
                &["type", "id", "email", "display_name", "name"],
                text.clone(),
            ),
            changes,
        )
            .prop_map(|(r, c)| {
                let sep = if r == "{}" { "" } else { "," };
                format!("{}{sep}\"changes\":{c}}}", &r[..r.len() - 1])
            })
            .boxed();
        let data = object(
            &["resource", "id"],
            prop_oneof![3 => resource, 1 => text.clone()].boxed(),
        );
        object(
            &["code", "data", "resource_id"],
            prop_oneof![3 => data, 1 => text].boxed(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_quick_reading_agrees_with_the_value_reading(text in json(4)) {
            if let Some(quick) = super::read(&text) {
                prop_assert_eq!(quick, Indexed::of_value(&text), "{}", text);
            }
        }

        #[test]
        fn the_quick_reading_agrees_on_event_shapes(text in event()) {
            if let Some(quick) = super::read(&text) {
                prop_assert_eq!(quick, Indexed::of_value(&text), "{}", text);
            }
        }
    }

    #[test]
    fn documented_events_take_the_quick_reading() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cryptr");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let quick = super::read(&text).unwrap_or_else(|| panic!("{}", path.display()));
                assert_eq!(quick, Indexed::of_value(&text), "{}", path.display());
                read += 1;
            }
        }
        assert!(read >= 3, "only {read} fixtures under {}", dir.display());
        // And one with every field: the label comes from the new values.
        let text = r#"{"code":"dir_sync.user.update.success","data":{"resource":{"type":"user","id":"u_1","changes":{"new_values":{"email":"ada@corp.example"}}}}}"#;
        let quick = super::read(text).unwrap();
        assert_eq!(quick.code.as_deref(), Some("dir_sync.user.update.success"));
        assert_eq!(quick.resource_id.as_deref(), Some("u_1"));
        assert_eq!(
            quick.resource_label.as_deref(),
            Some("user ada@corp.example")
        );
    }

    #[test]
    fn shapes_it_cannot_vouch_for_are_left_to_the_value_reading() {
        for text in [
            r#"{"code":"a","code":"b"}"#,
            r#"{"data":null,"resource_id":"r"}"#,
            r#"["dir_sync.user.update.success"]"#,
            r#"{"data":{"resource":[1]}}"#,
        ] {
            assert!(super::read(text).is_none(), "{text}");
        }
    }
}
