//! The structural diff: walks two JSON values and lists what changed, with
//! full paths a person can read (`phone_numbers[value=+33345676543].primary`).

use serde::Serialize;
use std::borrow::Cow;

use serde_json::Value;

use super::arrays::{match_arrays, ArrayMatch, ArrayRules, Matching};
use super::node::Node;
use super::pattern::path_matches;
use super::value::{key_text, values_equal, Lookup};

/// What the user can tune.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Report reordering (and match scalar arrays by position).
    pub ordered: bool,
    /// `(array path pattern, identity field)` from `--key PATH=FIELD`.
    pub keys: Vec<(String, String)>,
    /// Path patterns whose changes are not reported (`--ignore`).
    pub ignore: Vec<String>,
    /// Strings compare without case (SCIM attributes that are not case-exact).
    pub ignore_case: bool,
}

impl Options {
    pub fn is_ignored(&self, path: &[Seg]) -> bool {
        if self.ignore.is_empty() {
            return false;
        }
        let text = path_string(path);
        self.ignore.iter().any(|p| path_matches(p, &text))
    }

    /// The identity field `--key` gives for the array at `path`: the pattern
    /// may name the whole path or just the array's own name.
    pub fn key_for(&self, path: &[Seg]) -> Option<&str> {
        if self.keys.is_empty() {
            return None;
        }
        let text = path_string(path);
        let name = path.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            _ => None,
        });
        self.keys
            .iter()
            .find(|(pattern, _)| {
                path_matches(pattern, &text) || name.is_some_and(|n| path_matches(pattern, n))
            })
            .map(|(_, field)| field.as_str())
    }

    pub fn match_arrays(&self, path: &[Seg], before: &[Node], after: &[Node]) -> ArrayMatch {
        match_arrays(
            before,
            after,
            &ArrayRules {
                ordered: self.ordered,
                ignore_case: self.ignore_case,
                key: self.key_for(path),
            },
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Add,
    Remove,
    Replace,
    Move,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// An object member.
    Key(String),
    /// An array element by position.
    Index(usize),
    /// An array element by identity: `[field=id]`.
    Keyed { field: String, id: String },
    /// A member of an array of scalars (a multiset): `[]`.
    Member,
}

/// One difference.
#[derive(Debug, Clone)]
pub struct Change {
    pub op: Op,
    pub path: Vec<Seg>,
    /// The value before (absent for an addition).
    pub old: Option<Value>,
    /// The value after (absent for a removal).
    pub new: Option<Value>,
}

/// `profile.given_name`, `phone_numbers[value=+33345676543].primary`,
/// `roles[]`, `emails[2]`, `["odd.key"]`.
pub fn path_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if is_plain_key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Key(k) => {
                out.push('[');
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(']');
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Seg::Keyed { field, id } => {
                out.push('[');
                out.push_str(field);
                out.push('=');
                out.push_str(id);
                out.push(']');
            }
            Seg::Member => out.push_str("[]"),
        }
    }
    out
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$' || c == '@')
}

/// Everything that differs between `before` and `after`.
pub fn diff(before: &Node, after: &Node, opts: &Options) -> Vec<Change> {
    let mut walker = Walker {
        opts,
        path: Vec::new(),
        changes: Vec::new(),
    };
    walker.value(before, after);
    walker.changes
}

struct Walker<'o> {
    opts: &'o Options,
    path: Vec<Seg>,
    changes: Vec<Change>,
}

impl Walker<'_> {
    fn push(&mut self, op: Op, old: Option<Value>, new: Option<Value>) {
        self.changes.push(Change {
            op,
            path: self.path.clone(),
            old,
            new,
        });
    }

    fn value(&mut self, before: &Node, after: &Node) {
        match (before, after) {
            (Node::Object(a), Node::Object(b)) => self.objects(a, b),
            (Node::Array(a), Node::Array(b)) => self.arrays(a, b),
            _ if values_equal(before, after, self.opts.ignore_case) => {}
            _ => self.push(Op::Replace, Some(before.to_value()), Some(after.to_value())),
        }
    }

    fn objects(&mut self, a: &[(Cow<str>, Node)], b: &[(Cow<str>, Node)]) {
        let (in_a, in_b) = (Lookup::new(a), Lookup::new(b));
        for (key, old) in a {
            self.path.push(Seg::Key(key.to_string()));
            if !self.opts.is_ignored(&self.path) {
                match in_b.get(key) {
                    Some(new) => self.value(old, new),
                    None => self.push(Op::Remove, Some(old.to_value()), None),
                }
            }
            self.path.pop();
        }
        for (key, new) in b {
            if !in_a.contains(key) {
                self.path.push(Seg::Key(key.to_string()));
                if !self.opts.is_ignored(&self.path) {
                    self.push(Op::Add, None, Some(new.to_value()));
                }
                self.path.pop();
            }
        }
    }

    fn arrays(&mut self, a: &[Node], b: &[Node]) {
        let m = self.opts.match_arrays(&self.path, a, b);
        for &i in &m.removed {
            self.element(&m.matching, i, &a[i], |w| {
                w.push(Op::Remove, Some(a[i].to_value()), None)
            });
        }
        for &(i, j) in &m.pairs {
            self.element(&m.matching, j, &b[j], |w| w.value(&a[i], &b[j]));
        }
        if self.opts.ordered && m.matching != Matching::Positional {
            // An element moved when its rank among the paired elements
            // changed: an insertion at the top shifts indices, not ranks.
            let mut befores: Vec<usize> = m.pairs.iter().map(|&(i, _)| i).collect();
            befores.sort_unstable();
            for (rank_after, &(i, j)) in m.pairs.iter().enumerate() {
                if befores.binary_search(&i) != Ok(rank_after) {
                    self.element(&m.matching, j, &b[j], |w| {
                        w.push(Op::Move, Some(Value::from(i)), Some(Value::from(j)))
                    });
                }
            }
        }
        for &j in &m.added {
            self.element(&m.matching, j, &b[j], |w| {
                w.push(Op::Add, None, Some(b[j].to_value()))
            });
        }
    }

    /// Run `f` with the path pointing at one array element.
    fn element(
        &mut self,
        matching: &Matching,
        index: usize,
        item: &Node,
        f: impl FnOnce(&mut Self),
    ) {
        self.path.push(element_seg(matching, index, item));
        if !self.opts.is_ignored(&self.path) {
            f(self);
        }
        self.path.pop();
    }
}

pub fn element_seg(matching: &Matching, index: usize, item: &Node) -> Seg {
    match matching {
        Matching::Keyed(field) => match item.get(field).and_then(|k| key_text(k, false)) {
            Some(id) => Seg::Keyed {
                field: field.clone(),
                id,
            },
            None => Seg::Index(index),
        },
        Matching::Members => Seg::Member,
        Matching::Unordered | Matching::Positional => Seg::Index(index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(before: Value, after: Value, opts: &Options) -> Vec<String> {
        diff(&Node::from_value(&before), &Node::from_value(&after), opts)
            .iter()
            .map(|c| {
                format!(
                    "{:?} {} {} {}",
                    c.op,
                    path_string(&c.path),
                    c.old.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                    c.new.as_ref().map(|v| v.to_string()).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn nested_keyed_and_null_versus_missing() {
        let before = json!({"profile": {"given_name": "Grace", "nick": null},
            "phone_numbers": [{"value": "+1", "primary": true}, {"value": "+2", "primary": false}]});
        let after = json!({"profile": {"given_name": "Dennis"},
            "phone_numbers": [{"value": "+2", "primary": true}, {"value": "+1", "primary": true}]});
        assert_eq!(
            lines(before, after, &Options::default()),
            vec![
                "Replace profile.given_name \"Grace\" \"Dennis\"",
                "Remove profile.nick null ",
                "Replace phone_numbers[value=+2].primary false true",
            ]
        );
    }

    #[test]
    fn ordered_reports_moves() {
        let opts = Options {
            ordered: true,
            ..Options::default()
        };
        let got = lines(
            json!([{"id": 1}, {"id": 2}]),
            json!([{"id": 2}, {"id": 1}]),
            &opts,
        );
        assert_eq!(got, vec!["Move [id=2] 1 0", "Move [id=1] 0 1"]);
        assert!(lines(
            json!([{"id": 1}, {"id": 2}]),
            json!([{"id": 2}, {"id": 1}]),
            &Options::default()
        )
        .is_empty());
    }

    #[test]
    fn ignore_patterns() {
        let opts = Options {
            ignore: vec!["*.updated_at".into()],
            ..Options::default()
        };
        let got = lines(
            json!({"updated_at": 1, "a": {"updated_at": 1, "b": 1}}),
            json!({"updated_at": 2, "a": {"updated_at": 2, "b": 2}}),
            &opts,
        );
        assert_eq!(got, vec!["Replace a.b 1 2"]);
    }
}
