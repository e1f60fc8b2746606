//! The structural diff engine and its renderers (owned by `dsync diff`;
//! `dsync listen` and `dsync events show` reuse it through `render_event`).
//!
//! - [`engine`]: walks two values and lists the changes with readable paths;
//! - [`arrays`]: pairs array elements by identity, as multisets or by position;
//! - [`patch`]: the same pairing written as an RFC 6902 JSON Patch;
//! - [`event`]: finds the before and after inside one event body;
//! - [`render`]: human lines, markdown, JSON and the summary.

pub mod arrays;
pub mod engine;
pub mod event;
pub mod node;
pub mod patch;
pub mod pattern;
pub mod render;
pub mod value;

use serde_json::Value;

pub use engine::{diff, path_string, Change, Op, Options, Seg};
pub use event::{extract, EventSnapshot, Identity};
pub use node::Node;
pub use render::Summary;

use crate::output::Palette;

/// One event's changes: the snapshot diff and the membership changes.
pub fn event_changes(snapshot: &EventSnapshot, opts: &Options) -> (Vec<Change>, Vec<Change>) {
    let changes = diff(
        &Node::from_value(&snapshot.before),
        &Node::from_value(&snapshot.after),
        opts,
    );
    let member = |op: Op, user: &Value| {
        let seg = ["id", "email"]
            .iter()
            .find_map(|f| {
                user.get(f)
                    .and_then(|v| value::key_text(&Node::from_value(v), false))
                    .map(|id| Seg::Keyed {
                        field: f.to_string(),
                        id,
                    })
            })
            .unwrap_or(Seg::Member);
        let (old, new) = match op {
            Op::Remove => (Some(user.clone()), None),
            _ => (None, Some(user.clone())),
        };
        Change {
            op,
            path: vec![Seg::Key("members".to_string()), seg],
            old,
            new,
        }
    };
    let members = snapshot
        .members_removed
        .iter()
        .map(|u| member(Op::Remove, u))
        .chain(snapshot.members_added.iter().map(|u| member(Op::Add, u)))
        .collect();
    (changes, members)
}

/// [`diff`] of two `serde_json` values.
pub fn diff_json(before: &Value, after: &Value, opts: &Options) -> Vec<Change> {
    diff(&Node::from_value(before), &Node::from_value(after), opts)
}

/// [`patch::patch`] of two `serde_json` values.
pub fn patch_json(before: &Value, after: &Value, opts: &Options) -> Value {
    patch::patch(&Node::from_value(before), &Node::from_value(after), opts)
}

/// The human rendering of one event's before/after (Cryptr `previous_values`
/// / `new_values` and membership changes, WorkOS / Stripe
/// `previous_attributes`), or `None` when the body holds no snapshot.
pub fn render_event(body: &[u8], palette: Palette) -> Option<String> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let snapshot = extract(&doc)?;
    let (changes, members) = event_changes(&snapshot, &Options::default());
    Some(render::human(&changes, &members, palette, "    "))
}
