//! The renderers: for people (coloured lines), for pull requests
//! (markdown), for scripts (JSON), and the one-line summary.

use serde::Serialize;
use serde_json::{json, Value};

use super::engine::{path_string, Change, Op, Seg};
use crate::output::Palette;

/// Counts for the summary line and `--stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    pub moved: usize,
    pub members_added: usize,
    pub members_removed: usize,
}

impl Summary {
    pub fn of(changes: &[Change], members: &[Change]) -> Summary {
        let mut s = Summary::default();
        for c in changes {
            match c.op {
                Op::Replace => s.changed += 1,
                Op::Add => s.added += 1,
                Op::Remove => s.removed += 1,
                Op::Move => s.moved += 1,
            }
        }
        for m in members {
            match m.op {
                Op::Remove => s.members_removed += 1,
                _ => s.members_added += 1,
            }
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        *self == Summary::default()
    }

    /// `3 changed, 1 added, 2 removed; members +3 -1`.
    pub fn line(&self) -> String {
        if self.is_empty() {
            return "no differences".to_string();
        }
        let mut parts = Vec::new();
        for (count, what) in [
            (self.changed, "changed"),
            (self.added, "added"),
            (self.removed, "removed"),
            (self.moved, "moved"),
        ] {
            if count > 0 {
                parts.push(format!("{count} {what}"));
            }
        }
        let mut line = parts.join(", ");
        if self.members_added + self.members_removed > 0 {
            if !line.is_empty() {
                line.push_str("; ");
            }
            line.push_str(&format!(
                "members +{} -{}",
                self.members_added, self.members_removed
            ));
        }
        line
    }
}

/// Longest value shown on a line for people; scripts get everything.
const MAX_SHOWN: usize = 160;

fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN - 1).collect();
    format!("{cut}…")
}

/// The lines for people, each prefixed with `indent`, then the summary.
pub fn human(changes: &[Change], members: &[Change], palette: Palette, indent: &str) -> String {
    let mut out = String::new();
    for change in changes {
        let path = path_string(&change.path);
        match change.op {
            Op::Replace => {
                let old = change.old.as_ref().map(shown).unwrap_or_default();
                let new = change.new.as_ref().map(shown).unwrap_or_default();
                out.push_str(&format!(
                    "{indent}{} {path}: {}  {}\n",
                    palette.yellow("~"),
                    palette.red(&format!("- {old}")),
                    palette.green(&format!("+ {new}"))
                ));
            }
            Op::Add | Op::Remove => {
                let (value, sign) = match change.op {
                    Op::Add => (change.new.as_ref(), "+"),
                    _ => (change.old.as_ref(), "-"),
                };
                // An array element reads best whole, on one line; an added
                // or removed field, one leaf per line.
                let whole_element = !matches!(change.path.last(), Some(Seg::Key(_)) | None);
                let mut leaves = Vec::new();
                match value {
                    Some(v) if whole_element => leaves.push((path.clone(), v)),
                    Some(v) => collect_leaves(path.clone(), v, &mut leaves),
                    None => {}
                }
                for (leaf_path, leaf) in leaves {
                    let line = format!("{sign} {leaf_path}: {}", shown(leaf));
                    let line = if sign == "+" {
                        palette.green(&line)
                    } else {
                        palette.red(&line)
                    };
                    out.push_str(&format!("{indent}{line}\n"));
                }
            }
            Op::Move => {
                let from = change
                    .old
                    .as_ref()
                    .map(Value::to_string)
                    .unwrap_or_default();
                let to = change
                    .new
                    .as_ref()
                    .map(Value::to_string)
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{indent}{} {path}: moved from position {from} to {to}\n",
                    palette.cyan(">")
                ));
            }
        }
    }
    for member in members {
        let (sign, value) = match member.op {
            Op::Remove => ("-", member.old.as_ref()),
            _ => ("+", member.new.as_ref()),
        };
        let line = format!(
            "{sign} {}: {}",
            path_string(&member.path),
            value.map(shown).unwrap_or_default()
        );
        let line = if sign == "+" {
            palette.green(&line)
        } else {
            palette.red(&line)
        };
        out.push_str(&format!("{indent}{line}\n"));
    }
    let summary = Summary::of(changes, members).line();
    out.push_str(&format!("{indent}{}", palette.dimmed(&summary)));
    out
}

/// An added or removed object is shown one leaf per line, so a provision
/// reads like a form; empty containers and arrays of scalars stay whole.
fn collect_leaves<'v>(path: String, value: &'v Value, out: &mut Vec<(String, &'v Value)>) {
    let join = |key: &str| {
        let seg = Seg::Key(key.to_string());
        let child = path_string(&[seg]);
        if path.is_empty() {
            child
        } else if child.starts_with('[') {
            format!("{path}{child}")
        } else {
            format!("{path}.{child}")
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                collect_leaves(join(k), v, out);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            for (i, v) in items.iter().enumerate() {
                collect_leaves(format!("{path}[{i}]"), v, out);
            }
        }
        _ => out.push((path, value)),
    }
}

/// A markdown section: a title, a table, the summary in bold.
pub fn markdown(title: Option<&str>, changes: &[Change], members: &[Change]) -> String {
    let mut out = String::new();
    if let Some(title) = title {
        out.push_str(&format!("### {}\n\n", cell(title)));
    }
    let summary = Summary::of(changes, members);
    if !summary.is_empty() {
        out.push_str("| | path | before | after |\n|---|---|---|---|\n");
        for c in changes.iter().chain(members) {
            let sign = match c.op {
                Op::Add => "+",
                Op::Remove => "−",
                Op::Replace => "~",
                Op::Move => "↕",
            };
            let value = |v: &Option<Value>| match v {
                Some(v) => format!("`{}`", cell(&shown(v))),
                None => String::new(),
            };
            out.push_str(&format!(
                "| {sign} | `{}` | {} | {} |\n",
                cell(&path_string(&c.path)),
                value(&c.old),
                value(&c.new)
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("**{}**\n", summary.line()));
    out
}

/// Table cells cannot hold a pipe or a newline.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `[{op, path, old, new}]`: `old` is absent for an addition and `new` for
/// a removal, so a `null` value stays distinct from a missing one.
pub fn json_changes(changes: &[Change], members: &[Change]) -> Value {
    let items = changes
        .iter()
        .map(|c| (c, false))
        .chain(members.iter().map(|m| (m, true)))
        .map(|(c, is_member)| {
            let mut item = json!({"op": c.op, "path": path_string(&c.path)});
            if let Some(old) = &c.old {
                item["old"] = old.clone();
            }
            if let Some(new) = &c.new {
                item["new"] = new.clone();
            }
            if is_member {
                item["membership"] = Value::Bool(true);
            }
            item
        })
        .collect();
    Value::Array(items)
}
