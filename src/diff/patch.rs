//! RFC 6902 JSON Patch generation: a list of operations that turns `before`
//! into `after`, keyed arrays included. It pairs array elements exactly as
//! the diff does, then emits removals (from the end), then, position by
//! position, additions and moves so the order of `after` is reproduced, and
//! recurses into each paired element at its final position.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::engine::{element_seg, Options, Seg};
use super::node::Node;
use super::value::{values_equal, Lookup};

/// The patch as a JSON array of operations.
pub fn patch(before: &Node, after: &Node, opts: &Options) -> Value {
    let mut writer = PatchWriter {
        opts,
        path: Vec::new(),
        pointer: String::new(),
        ops: Vec::new(),
    };
    writer.value(before, after);
    Value::Array(writer.ops)
}

struct PatchWriter<'o> {
    opts: &'o Options,
    /// The diff's path, for `--ignore` and `--key`.
    path: Vec<Seg>,
    /// The RFC 6901 pointer of the current location.
    pointer: String,
    ops: Vec<Value>,
}

impl PatchWriter<'_> {
    fn value(&mut self, before: &Node, after: &Node) {
        match (before, after) {
            (Node::Object(a), Node::Object(b)) => self.objects(a, b),
            (Node::Array(a), Node::Array(b)) => self.arrays(a, b),
            _ if values_equal(before, after, self.opts.ignore_case) => {}
            _ => self
                .ops
                .push(json!({"op": "replace", "path": self.pointer, "value": after.to_value()})),
        }
    }

    fn with_child<R>(&mut self, seg: Seg, token: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.pointer.len();
        self.pointer.push('/');
        self.pointer
            .push_str(&token.replace('~', "~0").replace('/', "~1"));
        self.path.push(seg);
        let r = f(self);
        self.path.pop();
        self.pointer.truncate(len);
        r
    }

    fn objects(&mut self, a: &[(Cow<str>, Node)], b: &[(Cow<str>, Node)]) {
        let (in_a, in_b) = (Lookup::new(a), Lookup::new(b));
        for (key, old) in a {
            self.with_child(Seg::Key(key.to_string()), key, |w| {
                if w.opts.is_ignored(&w.path) {
                    return;
                }
                match in_b.get(key) {
                    Some(new) => w.value(old, new),
                    None => w.ops.push(json!({"op": "remove", "path": w.pointer})),
                }
            });
        }
        for (key, new) in b {
            if !in_a.contains(key) {
                self.with_child(Seg::Key(key.to_string()), key, |w| {
                    if !w.opts.is_ignored(&w.path) {
                        w.ops
                            .push(json!({"op": "add", "path": w.pointer, "value": new.to_value()}));
                    }
                });
            }
        }
    }

    fn arrays(&mut self, a: &[Node], b: &[Node]) {
        let m = self.opts.match_arrays(&self.path, a, b);
        // 1. Drop what is gone, from the end so indices stay valid.
        for &i in m.removed.iter().rev() {
            let at = format!("{}/{}", self.pointer, i);
            self.ops.push(json!({"op": "remove", "path": at}));
        }
        // 2. The array is now the paired elements in their before order.
        //    Fill positions 0.. of `after`: the prefix is final, the rest is
        //    the remaining paired elements, still in before order. A Fenwick
        //    tree tells how many remaining elements precede one (its offset).
        let mut partner: Vec<Option<usize>> = vec![None; b.len()];
        let mut remaining = Fenwick::new(a.len());
        for &(i, j) in &m.pairs {
            partner[j] = Some(i);
            remaining.add(i, 1);
        }
        for (t, item) in b.iter().enumerate() {
            match partner[t] {
                None => {
                    let at = format!("{}/{}", self.pointer, t);
                    self.ops
                        .push(json!({"op": "add", "path": at, "value": item.to_value()}));
                }
                Some(i) => {
                    let offset = remaining.prefix(i);
                    if offset > 0 {
                        let from = format!("{}/{}", self.pointer, t + offset);
                        let to = format!("{}/{}", self.pointer, t);
                        self.ops
                            .push(json!({"op": "move", "from": from, "path": to}));
                    }
                    remaining.add(i, -1);
                    let seg = element_seg(&m.matching, t, item);
                    self.with_child(seg, &t.to_string(), |w| {
                        // Ignoring applies to object members only: skipping an
                        // array element would shift every index after it.
                        w.value(&a[i], item)
                    });
                }
            }
        }
    }
}

/// Counts over positions with prefix sums in O(log n).
struct Fenwick {
    tree: Vec<i64>,
}

impl Fenwick {
    fn new(n: usize) -> Fenwick {
        Fenwick {
            tree: vec![0; n + 1],
        }
    }

    fn add(&mut self, index: usize, delta: i64) {
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
    }

    /// Sum over positions `0..index`.
    fn prefix(&self, index: usize) -> usize {
        let mut i = index;
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(before: Value, after: Value) {
        let ops = patch(
            &Node::from_value(&before),
            &Node::from_value(&after),
            &Options::default(),
        );
        let ops: json_patch::Patch = serde_json::from_value(ops).unwrap();
        let mut doc = before.clone();
        json_patch::patch(&mut doc, &ops).unwrap();
        assert_eq!(doc, after);
    }

    #[test]
    fn keyed_reordered_arrays_reproduce_after() {
        check(
            json!({"m": [{"id": 1, "x": 1}, {"id": 2}, {"id": 3}, {"id": 4}]}),
            json!({"m": [{"id": 4}, {"id": 5}, {"id": 1, "x": 2}, {"id": 3}]}),
        );
        check(json!(["a", "b", "c"]), json!(["c", "d", "a"]));
        check(json!({"a/b~": 1}), json!({"a/b~": 2}));
        check(json!(1), json!({"a": 1}));
    }
}
