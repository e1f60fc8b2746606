//! One capture as the detail pane shows it: the before/after through the diff
//! engine, the body exact and pretty, the signature verdict with the
//! diagnosis `dsync verify` gives, and ready-to-copy commands. Never the secret.

use serde_json::{json, Value};

use crate::commands::Signing;
use crate::diff::{self, Change, Op, Seg};
use crate::signature::diagnose::find_culprit;
use crate::signature::{Failure, Header, Verdict};
use crate::store::{resource_label, Body, Capture};

/// Longest value shown in a diff cell; the body view has everything.
const MAX_CELL: usize = 300;
/// Largest body also sent pretty-printed (the raw one is always sent).
const MAX_PRETTY: usize = 2 * 1024 * 1024;

/// The detail document for the page.
pub fn detail(capture: &Capture, signing: &Signing, store_dir: &str) -> Value {
    let bytes = capture.body.to_bytes().ok();
    let diff = bytes.as_deref().and_then(diff_view);
    json!({
        "id": capture.id,
        "summary": {
            "code": capture.code(),
            "resource": bytes.as_deref().and_then(resource_label),
            "verification": capture.verification.as_ref().map(|v| &v.status),
            "status": capture.response.as_ref().map(|r| r.status),
        },
        "file_name": capture.file_name(),
        "received_at": capture.received_at,
        "remote_addr": capture.remote_addr,
        "method": capture.method,
        "path": capture.path,
        "headers": capture.headers,
        "body": body_view(&capture.body, capture.size),
        "verification": capture.verification,
        "diagnosis": bytes.as_deref().and_then(|b| diagnosis(capture, b, signing)),
        "response": capture.response,
        "forward": capture.forward,
        "diff": diff,
        "curl": curl(capture),
        "replay_command": replay_command(capture, store_dir),
    })
}

/// The body exactly as received (UTF-8 text, or base64 when it is not), and
/// a pretty-printed copy for reading when it is JSON.
fn body_view(body: &Body, size: u64) -> Value {
    match body {
        Body::Utf8(text) => {
            let pretty = Some(text)
                .filter(|t| t.len() <= MAX_PRETTY)
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
                .and_then(|v| serde_json::to_string_pretty(&v).ok());
            json!({"encoding": "utf8", "raw": text, "pretty": pretty, "size": size})
        }
        Body::Base64(data) => {
            json!({"encoding": "base64", "raw": data, "pretty": null, "size": size})
        }
        Body::Omitted => json!({"encoding": "omitted", "raw": "", "pretty": null, "size": size}),
    }
}

/// Side-by-side rows of what changed, the members added and removed, and the
/// untouched top-level attributes (collapsed by the page).
fn diff_view(body: &[u8]) -> Option<Value> {
    let doc: Value = serde_json::from_slice(body).ok()?;
    let snapshot = diff::extract(&doc)?;
    let (changes, members) = diff::event_changes(&snapshot, &diff::Options::default());
    let summary = diff::Summary::of(&changes, &members).line();
    let rows: Vec<Value> = changes.iter().map(row).collect();
    let member_label = |c: &Change| match c.path.last() {
        Some(Seg::Keyed { field, id }) => {
            let user = c.new.as_ref().or(c.old.as_ref());
            let email = user
                .and_then(|u| u.get("email"))
                .and_then(Value::as_str)
                .filter(|e| field != "email" && !e.is_empty());
            match email {
                Some(email) => format!("{email} ({field} {id})"),
                None => format!("{field} {id}"),
            }
        }
        _ => cell(c.new.as_ref().or(c.old.as_ref())).unwrap_or_default(),
    };
    let added: Vec<String> = members
        .iter()
        .filter(|c| c.op != Op::Remove)
        .map(member_label)
        .collect();
    let removed: Vec<String> = members
        .iter()
        .filter(|c| c.op == Op::Remove)
        .map(member_label)
        .collect();
    // Top-level attributes no change touches, from the after (or, for a
    // deprovision, the before).
    let touched: std::collections::HashSet<&str> = changes
        .iter()
        .filter_map(|c| match c.path.first() {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let side = if snapshot.after.as_object().is_some_and(|m| !m.is_empty()) {
        &snapshot.after
    } else {
        &snapshot.before
    };
    let unchanged: Vec<Value> = side
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| !touched.contains(k.as_str()))
                .map(|(k, v)| json!({"path": k, "value": cell(Some(v))}))
                .collect()
        })
        .unwrap_or_default();
    Some(json!({
        "title": snapshot.identity.title(),
        "summary": summary,
        "rows": rows,
        "unchanged": unchanged,
        "members": {"added": added, "removed": removed},
    }))
}

fn row(change: &Change) -> Value {
    let op = match change.op {
        Op::Add => "add",
        Op::Remove => "remove",
        Op::Replace => "replace",
        Op::Move => "move",
    };
    json!({
        "op": op,
        "path": diff::path_string(&change.path),
        "before": cell(change.old.as_ref()),
        "after": cell(change.new.as_ref()),
    })
}

/// A value for a table cell: compact JSON, large arrays and objects
/// collapsed to their counts, long text cut.
fn cell(value: Option<&Value>) -> Option<String> {
    let value = value?;
    let text = match value {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(items) if items.len() > 20 => return Some(format!("[{} items]", items.len())),
        Value::Object(map) if map.len() > 30 => {
            return Some(format!("{{{} attributes}}", map.len()))
        }
        other => other.to_string(),
    };
    if text.chars().count() <= MAX_CELL {
        return Some(text);
    }
    let cut: String = text.chars().take(MAX_CELL).collect();
    Some(format!("{cut}… ({} characters)", text.chars().count()))
}

/// The verdict as of the time of receipt, and when it fails the culprit
/// `dsync verify` would name; `None` without a secret (nothing to check with).
fn diagnosis(capture: &Capture, body: &[u8], signing: &Signing) -> Option<Value> {
    let secret = &signing.secret.as_ref()?.value;
    let scheme = signing.scheme;
    let at = capture.received_at.timestamp_millis();
    let verdict =
        signing
            .scheme_impl()
            .verify(secret, &capture.headers, body, at, signing.tolerance);
    let note = "checked again with the current secret, as of the time it was received";
    Some(match verdict {
        Verdict::Valid { .. } => json!({"valid": true, "scheme": scheme, "note": note}),
        Verdict::Invalid(failure) => {
            let culprit = match failure {
                Failure::NoMatch { .. } | Failure::MissingHeader { .. } => find_culprit(
                    scheme,
                    signing.cryptr_layout,
                    secret,
                    &capture.headers,
                    body,
                    at,
                ),
                _ => None,
            };
            let hints: Vec<&str> = match (&failure, &culprit) {
                (Failure::NoMatch { .. }, None) => vec![
                    "no usual culprit matches either: the secret is most likely not the one that signed this request",
                ],
                _ => Vec::new(),
            };
            json!({"valid": false, "scheme": scheme, "reason": failure.to_string(),
                   "failure": failure, "culprit": culprit, "hints": hints, "note": note})
        }
    })
}

/// The request as received, as a curl command (its original signature
/// headers included: a receiver with a timestamp tolerance may refuse it
/// later; `dsync replay` re-signs).
fn curl(capture: &Capture) -> String {
    let host = crate::signature::header_value(&capture.headers, "host").unwrap_or("127.0.0.1:8000");
    let url = format!("http://{host}{}", capture.path);
    let mut parts = vec![
        "curl".to_string(),
        "-sS".to_string(),
        "-X".to_string(),
        shell_quote(&capture.method),
        shell_quote(&url),
    ];
    let headers: Vec<&Header> = capture
        .headers
        .iter()
        .filter(|(n, _)| !crate::deliver::is_hop_by_hop(n))
        .collect();
    for (name, value) in headers {
        parts.push("-H".to_string());
        parts.push(shell_quote(&format!("{name}: {value}")));
    }
    match &capture.body {
        Body::Utf8(text) => {
            parts.push("--data-binary".to_string());
            parts.push(shell_quote(text));
            parts.join(" ")
        }
        // Not text: decode the exact bytes on the way in.
        Body::Base64(data) => {
            parts.push("--data-binary".to_string());
            parts.push("@-".to_string());
            format!(
                "printf %s {} | base64 -d | {}",
                shell_quote(data),
                parts.join(" ")
            )
        }
        Body::Omitted => format!(
            "{}  # the body was not kept (over the size limit)",
            parts.join(" ")
        ),
    }
}

/// The `dsync replay` command for this capture (re-signed on the way out
/// with the secret of wherever it runs); the page appends `--url` with the
/// address typed in "Replay to".
fn replay_command(capture: &Capture, store_dir: &str) -> String {
    format!(
        "dsync --json events --store {} show {} | dsync replay -",
        shell_quote(store_dir),
        shell_quote(&capture.id)
    )
}

/// Quote for a POSIX shell: bare when safe, else in single quotes.
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc"), "abc");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn cells_collapse_large_values() {
        let many = Value::Array((0..3000).map(Value::from).collect());
        assert_eq!(cell(Some(&many)).unwrap(), "[3000 items]");
        assert_eq!(cell(Some(&json!("Ada"))).unwrap(), "\"Ada\"");
        assert!(cell(Some(&json!("x".repeat(400))))
            .unwrap()
            .ends_with("(402 characters)"));
        assert_eq!(cell(None), None);
    }

    #[test]
    fn diff_rows_members_and_unchanged() {
        let body = json!({"code": "dir_sync.group.update.success", "data": {"resource": {"type": "group", "id": "g1",
            "changes": {"previous_values": {"name": "Eng", "size": 2}, "new_values": {"name": "Engineering", "size": 2},
                        "added_users": [{"id": "u1", "email": "ada@x.io"}], "removed_users": [{"id": "u2"}]}}}});
        let view = diff_view(body.to_string().as_bytes()).unwrap();
        assert_eq!(view["rows"][0]["path"], "name");
        assert_eq!(view["rows"][0]["op"], "replace");
        assert_eq!(view["rows"][0]["before"], "\"Eng\"");
        assert_eq!(view["members"]["added"][0], "ada@x.io (id u1)");
        assert_eq!(view["members"]["removed"][0], "id u2");
        assert_eq!(view["unchanged"][0]["path"], "size");
    }
}
