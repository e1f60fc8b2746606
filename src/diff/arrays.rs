//! How two arrays' elements are paired before they are compared.
//!
//! - arrays of objects with an identity field (`id`, `email`, ... or the one
//!   `--key` names) are matched by that identity, in O(n) expected time;
//! - arrays of scalars are multisets: members are added or removed, order
//!   does not matter;
//! - other arrays: equal elements are matched wherever they are, and what is
//!   left is paired in order so that changed objects show as changes;
//! - with `--ordered` (and no identity field), a sequence diff (Myers)
//!   pairs elements by position.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::node::Node;
use super::value::{canonical, key_text};

/// Fields tried, in this order, as an array's identity.
pub const KEY_CANDIDATES: &[&str] = &[
    "id",
    "value",
    "email",
    "external_id",
    "externalId",
    "userName",
    "type",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matching {
    /// Objects matched by the value of this field.
    Keyed(String),
    /// Scalars as a multiset.
    Members,
    /// Equal elements matched anywhere; leftovers paired in order.
    Unordered,
    /// A sequence diff, by position.
    Positional,
}

/// The pairing of two arrays' elements.
#[derive(Debug)]
pub struct ArrayMatch {
    pub matching: Matching,
    /// `(before index, after index)`, sorted by after index.
    pub pairs: Vec<(usize, usize)>,
    /// Before indices with no partner, ascending.
    pub removed: Vec<usize>,
    /// After indices with no partner, ascending.
    pub added: Vec<usize>,
}

pub struct ArrayRules<'a> {
    pub ordered: bool,
    pub ignore_case: bool,
    /// The identity field `--key` gives for this array, if any.
    pub key: Option<&'a str>,
}

pub fn match_arrays(before: &[Node], after: &[Node], rules: &ArrayRules) -> ArrayMatch {
    let ic = rules.ignore_case;
    let all_objects = || before.iter().chain(after).all(Node::is_object);
    let key = match rules.key {
        Some(k) => Some(k.to_string()),
        None if !before.is_empty() && !after.is_empty() && all_objects() => {
            detect_key(before, after, ic)
        }
        None => None,
    };
    if let Some(field) = key {
        let m = by_identity(before, after, |v| keyed_identity(v, &field, ic));
        return ArrayMatch {
            matching: Matching::Keyed(field.clone()),
            ..m
        };
    }
    if rules.ordered {
        return positional(before, after, ic);
    }
    let all_scalars = before
        .iter()
        .chain(after)
        .all(|v| !v.is_object() && !v.is_array());
    let mut m = by_identity(before, after, |v| Cow::Owned(canonical(v, ic)));
    if all_scalars {
        m.matching = Matching::Members;
        return m;
    }
    // Pair the leftovers in order when both are containers of one kind, so a
    // changed object without an identity shows as a change, not remove + add.
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut leftover_after = m.added.iter().copied().peekable();
    for &i in &m.removed {
        match leftover_after.peek() {
            Some(&j) if same_container_kind(&before[i], &after[j]) => {
                m.pairs.push((i, j));
                leftover_after.next();
            }
            _ => removed.push(i),
        }
    }
    added.extend(leftover_after);
    m.pairs.sort_unstable_by_key(|&(_, j)| j);
    ArrayMatch {
        matching: Matching::Unordered,
        pairs: m.pairs,
        removed,
        added,
    }
}

fn same_container_kind(a: &Node, b: &Node) -> bool {
    (a.is_object() && b.is_object()) || (a.is_array() && b.is_array())
}

fn keyed_identity<'v>(item: &'v Node, field: &str, ic: bool) -> Cow<'v, str> {
    match item.get(field).and_then(|k| key_cow(k, ic)) {
        Some(k) => k,
        // No identity field: only an identical element matches it.
        None => Cow::Owned(format!("\u{0}{}", canonical(item, ic))),
    }
}

fn key_cow<'v>(value: &'v Node, ignore_case: bool) -> Option<Cow<'v, str>> {
    match value {
        Node::String(s) if !ignore_case => Some(Cow::Borrowed(s.as_ref())),
        other => key_text(other, ignore_case).map(Cow::Owned),
    }
}

/// The first candidate field that every element has as a scalar and that is
/// unique on each side.
fn detect_key(before: &[Node], after: &[Node], ic: bool) -> Option<String> {
    KEY_CANDIDATES
        .iter()
        .find(|field| unique_on(before, field, ic) && unique_on(after, field, ic))
        .map(|f| f.to_string())
}

fn unique_on(items: &[Node], field: &str, ic: bool) -> bool {
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().all(|item| {
        item.get(field)
            .and_then(|k| key_cow(k, ic))
            .is_some_and(|k| seen.insert(k))
    })
}

/// Match elements with equal identities; the k-th occurrence of an identity
/// before pairs with its k-th occurrence after (so duplicates work too).
fn by_identity<'v, 'a: 'v, F>(
    before: &'v [Node<'a>],
    after: &'v [Node<'a>],
    identity: F,
) -> ArrayMatch
where
    F: Fn(&'v Node<'a>) -> Cow<'v, str>,
{
    const NONE: usize = usize::MAX;
    // identity -> first unused before index; `next` chains repeated
    // identities in order. One small entry per element, no per-key vector.
    let mut first: HashMap<Cow<'v, str>, usize> = HashMap::with_capacity(before.len());
    let mut next = vec![NONE; before.len()];
    for (i, item) in before.iter().enumerate().rev() {
        match first.entry(identity(item)) {
            Entry::Occupied(mut e) => {
                next[i] = *e.get();
                *e.get_mut() = i;
            }
            Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    let mut used = vec![false; before.len()];
    let mut pairs = Vec::with_capacity(after.len().min(before.len()));
    let mut added = Vec::new();
    for (j, item) in after.iter().enumerate() {
        match first.get_mut(&identity(item)) {
            Some(head) if *head != NONE => {
                let i = *head;
                *head = next[i];
                used[i] = true;
                pairs.push((i, j));
            }
            _ => added.push(j),
        }
    }
    let removed = (0..before.len()).filter(|&i| !used[i]).collect();
    ArrayMatch {
        matching: Matching::Unordered,
        pairs,
        removed,
        added,
    }
}

/// Most elements, on either side, between the common prefix and suffix that
/// `--ordered` gives to the sequence diff. Myers costs O((N+M)·D) time, so a
/// bound keeps the worst case (every element changed) well under a second;
/// longer changed runs are paired position by position, in linear time.
pub const ORDERED_DIFF_LIMIT: usize = 4_000;

fn positional(before: &[Node], after: &[Node], ic: bool) -> ArrayMatch {
    let old: Vec<String> = before.iter().map(|v| canonical(v, ic)).collect();
    let new: Vec<String> = after.iter().map(|v| canonical(v, ic)).collect();
    let mut m = ArrayMatch {
        matching: Matching::Positional,
        pairs: Vec::new(),
        removed: Vec::new(),
        added: Vec::new(),
    };
    // Equal ends are matched first: they cost nothing and keep the middle small.
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    m.pairs.extend((0..prefix).map(|i| (i, i)));
    if old_end - prefix > ORDERED_DIFF_LIMIT || new_end - prefix > ORDERED_DIFF_LIMIT {
        // Position by position: changed elements pair in order, the longer
        // side's tail is added or removed.
        let common = (old_end - prefix).min(new_end - prefix);
        m.pairs.extend((prefix..prefix + common).map(|i| (i, i)));
        m.removed.extend(prefix + common..old_end);
        m.added.extend(prefix + common..new_end);
    } else {
        let ops = similar::capture_diff(
            similar::Algorithm::Myers,
            &old,
            prefix..old_end,
            &new,
            prefix..new_end,
        );
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                similar::DiffTag::Equal => m.pairs.extend(o.zip(n)),
                similar::DiffTag::Delete => m.removed.extend(o),
                similar::DiffTag::Insert => m.added.extend(n),
                similar::DiffTag::Replace => {
                    let common = o.len().min(n.len());
                    m.pairs.extend(o.clone().zip(n.clone()).take(common));
                    m.removed.extend(o.skip(common));
                    m.added.extend(n.skip(common));
                }
            }
        }
    }
    m.pairs
        .extend((0..suffix).map(|k| (old_end + k, new_end + k)));
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> ArrayRules<'static> {
        ArrayRules {
            ordered: false,
            ignore_case: false,
            key: None,
        }
    }

    #[test]
    fn keyed_arrays_match_by_identity_whatever_the_order() {
        let a = json!([{"id": 1, "n": "a"}, {"id": 2, "n": "b"}, {"id": 3}]);
        let b = json!([{"id": 3}, {"id": 2, "n": "B"}, {"id": 4}]);
        let (a, b) = (Node::from_value(&a), Node::from_value(&b));
        let (Node::Array(a), Node::Array(b)) = (a, b) else {
            unreachable!()
        };
        let m = match_arrays(&a, &b, &rules());
        assert_eq!(m.matching, Matching::Keyed("id".into()));
        assert_eq!(m.pairs, vec![(2, 0), (1, 1)]);
        assert_eq!(m.removed, vec![0]);
        assert_eq!(m.added, vec![2]);
    }

    #[test]
    fn scalars_are_multisets() {
        let a = json!(["x", "y", "y", 1]);
        let b = json!(["y", 1.0, "z"]);
        let (a, b) = (Node::from_value(&a), Node::from_value(&b));
        let (Node::Array(a), Node::Array(b)) = (a, b) else {
            unreachable!()
        };
        let m = match_arrays(&a, &b, &rules());
        assert_eq!(m.matching, Matching::Members);
        assert_eq!(m.removed, vec![0, 2]);
        assert_eq!(m.added, vec![2]);
    }
}
