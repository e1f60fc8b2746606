//! Tests of `dsync diff`, and of the diff that `dsync listen` and
//! `dsync events show` print under each event.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::harness::{fixture, Sandbox};

/// Run `dsync diff ARGS` and return (exit code, stdout, stderr).
fn diff(sb: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let out = sb.cmd().arg("diff").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write_json(sb: &Sandbox, name: &str, value: &Value) -> String {
    sb.write(name, value.to_string()).display().to_string()
}

#[test]
fn documented_group_payloads_show_fields_and_memberships() {
    let sb = Sandbox::new();
    let f = fixture("group-changes.members-removed-and-updated.json");
    let (code, out, _) = diff(&sb, &[f.to_str().unwrap()]);
    assert_eq!(code, 1, "differences exit 1");
    assert!(
        out.contains(r#"~ external_id: - "externalId"  + "externalId2""#),
        "{out}"
    );
    assert!(
        out.contains("- members[id=225be929-51d6-4772-8fbd-a57930d4371d]"),
        "{out}"
    );
    assert!(out.contains("termi.nator@gmail.com"), "{out}");
    assert!(
        out.trim_end().ends_with("2 changed; members +0 -1"),
        "{out}"
    );

    let f = fixture("group-changes.member-added.json");
    let (code, out, _) = diff(&sb, &[f.to_str().unwrap(), "--stat"]);
    assert_eq!(code, 1);
    assert_eq!(out.trim(), "members +1 -0");
}

#[test]
fn an_event_without_before_shows_everything_added_with_its_identity() {
    let sb = Sandbox::new();
    let f = fixture("dir_sync.user.update.success.docs-excerpt.json");
    let (code, out, _) = diff(&sb, &[f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.starts_with("dir_sync.user.update.success\n"), "{out}");
    assert!(out.contains(r#"+ address.locality: "Mulhouse""#), "{out}");
    assert!(
        out.contains(r#"+ phone_numbers[1].value: "+33687435543""#),
        "{out}"
    );
}

#[test]
fn generated_events_of_each_kind_diff_as_expected() {
    let sb = Sandbox::new();
    let print = |code: &str| {
        let out = sb
            .cmd()
            .args(["send-test", "--print", "--seed", "7", "--event", code])
            .output()
            .unwrap();
        assert!(out.status.success());
        sb.write(&format!("{code}.json"), out.stdout)
            .display()
            .to_string()
    };
    let (code, out, _) = diff(&sb, &[&print("dir_sync.user.deprovision.success")]);
    assert_eq!(code, 1);
    assert!(out.lines().next().unwrap().contains(" · user "), "{out}");
    assert!(out.contains("- email: "), "{out}");
    assert!(!out.contains("\n  + "), "a deprovision only removes: {out}");

    let (_, out, _) = diff(&sb, &[&print("dir_sync.group.users_added.success")]);
    assert!(out.contains("+ members[id="), "{out}");

    // A capture file stands for the body it holds.
    let body = std::fs::read_to_string(print("dir_sync.user.provision.success")).unwrap();
    let capture = json!({"format": 1, "id": "0001", "received_at": "2026-11-29T10:00:00Z",
        "method": "POST", "path": "/", "headers": [], "size": body.len(),
        "body": {"encoding": "utf8", "data": body}});
    let (code, out, _) = diff(&sb, &[&write_json(&sb, "capture.json", &capture), "--stat"]);
    assert_eq!(code, 1);
    assert!(out.trim().ends_with("added"), "{out}");
}

#[test]
fn keyed_arrays_reordering_null_versus_missing_numbers_and_unicode() {
    let sb = Sandbox::new();
    let before = json!({"members": [{"id": "a", "role": "x"}, {"id": "b"}, {"id": "c"}],
        "roles": ["admin", "dev"], "n": 1, "gone": null, "名前": "Zoë"});
    let after = json!({"members": [{"id": "c"}, {"id": "b"}, {"id": "a", "role": "y"}],
        "roles": ["dev", "admin"], "n": 1.0, "名前": "Zoé", "new": null});
    let (b, a) = (
        write_json(&sb, "b.json", &before),
        write_json(&sb, "a.json", &after),
    );
    let (code, out, _) = diff(&sb, &[&b, &a, "--format", "json"]);
    assert_eq!(code, 1);
    let changes: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        changes,
        json!([
            {"op": "replace", "path": "members[id=a].role", "old": "x", "new": "y"},
            {"op": "remove", "path": "gone", "old": null},
            {"op": "replace", "path": "名前", "old": "Zoë", "new": "Zoé"},
            {"op": "add", "path": "new", "new": null},
        ])
    );

    // Reordering alone is no change; with --ordered it is.
    let same = json!({"members": [{"id": "c"}, {"id": "b"}, {"id": "a", "role": "x"}],
        "roles": ["dev", "admin"], "n": 1, "gone": null, "名前": "Zoë"});
    let s = write_json(&sb, "same.json", &same);
    let (code, out, _) = diff(&sb, &[&b, &s]);
    assert_eq!((code, out.trim()), (0, "no differences"));
    let (code, out, _) = diff(&sb, &[&b, &s, "--ordered", "--format", "json"]);
    assert_eq!(code, 1);
    let ops: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        ops,
        json!([
            {"op": "move", "path": "members[id=c]", "old": 2, "new": 0},
            {"op": "move", "path": "members[id=a]", "old": 0, "new": 2},
            {"op": "remove", "path": "roles[1]", "old": "dev"},
            {"op": "add", "path": "roles[0]", "new": "dev"},
        ])
    );
}

#[test]
fn key_override_ignore_and_ignore_case() {
    let sb = Sandbox::new();
    let before = json!({"emails": [{"value": "a@x.io", "type": "work", "primary": true}],
        "updated_at": "1", "profile": {"updated_at": "1", "nick": "Ada"}});
    let after = json!({"emails": [{"value": "A@x.io", "type": "work", "primary": false}],
        "updated_at": "2", "profile": {"updated_at": "2", "nick": "ADA"}});
    let (b, a) = (
        write_json(&sb, "b.json", &before),
        write_json(&sb, "a.json", &after),
    );
    // Default key is `value`: the changed address is a remove and an add.
    let (_, out, _) = diff(&sb, &[&b, &a, "--format", "json"]);
    assert!(out.contains("emails[value=a@x.io]"), "{out}");
    // --key emails=type matches on type and shows the fields that changed.
    let (_, out, _) = diff(
        &sb,
        &[&b, &a, "--key", "emails=type", "--ignore", "*.updated_at"],
    );
    assert!(
        out.contains(r#"~ emails[type=work].value: - "a@x.io"  + "A@x.io""#),
        "{out}"
    );
    assert!(!out.contains("updated_at"), "{out}");
    // --ignore-case: only `primary` is left.
    let (code, out, _) = diff(
        &sb,
        &[
            &b,
            &a,
            "--ignore-case",
            "--ignore",
            "*.updated_at",
            "--stat",
        ],
    );
    assert_eq!((code, out.trim()), (1, "1 changed"));
    let (code, _, err) = diff(&sb, &[&b, &a, "--key", "nofield"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("PATH=FIELD"), "{err}");
}

#[test]
fn formats_markdown_stat_patch_and_exit_zero() {
    let sb = Sandbox::new();
    let before = json!({"profile": {"given_name": "Grace|G"}, "m": [{"id": 1}, {"id": 2, "x": 1}]});
    let after = json!({"profile": {"given_name": "Dennis"}, "m": [{"id": 3}, {"id": 2, "x": 2}]});
    let (b, a) = (
        write_json(&sb, "b.json", &before),
        write_json(&sb, "a.json", &after),
    );

    let (_, md, _) = diff(&sb, &[&b, &a, "--format", "markdown"]);
    assert!(md.contains("| | path | before | after |"), "{md}");
    assert!(
        md.contains(r#"| ~ | `profile.given_name` | `"Grace\|G"` | `"Dennis"` |"#),
        "{md}"
    );
    assert!(md.contains("**2 changed, 1 added, 1 removed**"), "{md}");

    let (code, stat, _) = diff(&sb, &[&b, &a, "--stat", "--exit-zero"]);
    assert_eq!((code, stat.trim()), (0, "2 changed, 1 added, 1 removed"));
    let (_, stat, _) = diff(&sb, &[&b, &a, "--stat", "--format", "json"]);
    let stat: Value = serde_json::from_str(&stat).unwrap();
    assert_eq!(stat["changed"], 2);
    assert_eq!(stat["removed"], 1);

    let (code, patch, _) = diff(&sb, &[&b, &a, "--format", "patch"]);
    assert_eq!(code, 1);
    let patch: json_patch::Patch = serde_json::from_str(&patch).unwrap();
    let mut doc = before.clone();
    json_patch::patch(&mut doc, &patch).unwrap();
    assert_eq!(doc, after);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let sb = Sandbox::new();
    let f = fixture("group-changes.members-removed-and-updated.json");
    let f = f.to_str().unwrap();
    let (_, piped, _) = diff(&sb, &[f]);
    assert!(!piped.contains('\x1b'), "piped output has no colour");
    let (_, forced, _) = diff(&sb, &["--color", "always", f]);
    assert!(forced.contains("\x1b[31m"), "{forced:?}");
    let out = sb
        .cmd()
        .env("NO_COLOR", "1")
        .args(["diff", "--color", "auto", f])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn bad_input_exits_2_with_a_clear_error() {
    let sb = Sandbox::new();
    let good = write_json(&sb, "good.json", &json!({"a": 1}));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed.json",
            b"{\n  \"a\": 1,\n  oops\n}".to_vec(),
            "is not valid JSON: key must be a string at line 3, column 3",
        ),
        ("empty.json", b"  \n".to_vec(), "is empty"),
        (
            "binary.json",
            vec![b'"', 0xff, 0xfe, b'"'],
            "is not valid JSON",
        ),
        ("text.json", b"hello".to_vec(), "is not valid JSON"),
        (
            "deep.json",
            [vec![b'['; 5000], vec![b']'; 5000]].concat(),
            "nested more than 128 levels deep",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = sb.write(name, bytes).display().to_string();
        let (code, out, err) = diff(&sb, &[&good, &path]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(name) && err.contains(message), "{name}: {err}");
    }
    let (code, _, err) = diff(&sb, &["missing.json", &good]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    let activated = fixture("dir_sync.activated.json");
    let (code, _, err) = diff(&sb, &[activated.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no before/after snapshot") && err.contains("previous_values"),
        "{err}"
    );
}

#[test]
fn stdin_and_workos_previous_attributes() {
    let sb = Sandbox::new();
    let event = json!({"event": "dsync.user.updated", "data": {"id": "directory_user_1",
        "first_name": "Ada", "emails": [{"primary": true, "value": "ada@x.io"}],
        "previous_attributes": {"first_name": "Grace", "job_title": null}}});
    let out = sb
        .cmd()
        .args(["diff", "-"])
        .write_stdin(event.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.starts_with("dsync.user.updated · directory_user_1"),
        "{text}"
    );
    assert!(
        text.contains(r#"~ first_name: - "Grace"  + "Ada""#),
        "{text}"
    );
    assert!(
        !text.contains("job_title"),
        "null means absent before, and it is absent after: {text}"
    );
}

#[test]
fn listen_and_events_show_print_the_diff() {
    let sb = Sandbox::new();
    let mut child = sb
        .std_cmd()
        .args(["listen", "--port", "0", "--count", "1", "--store", "store"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The URL is the first thing printed on stderr.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "listen ended early"
        );
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap().to_string();
        }
    };
    let sent = sb
        .cmd()
        .args([
            "send-test",
            "--seed",
            "1",
            "--event",
            "dir_sync.group.update.success",
            "--url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert!(
        stdout.contains("~ name: - "),
        "listen shows the diff: {stdout}"
    );
    // The generated update renames the group: a new name and a new updated_at.
    assert!(stdout.contains("~ updated_at: - "), "{stdout}");
    assert!(stdout.contains("2 changed"), "{stdout}");

    // The newest capture's id, then `events show ID`.
    let listed = sb
        .cmd()
        .args([
            "--json", "events", "list", "--store", "store", "--limit", "1",
        ])
        .output()
        .unwrap();
    let id = serde_json::from_slice::<Value>(&listed.stdout).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = sb
        .cmd()
        .args(["events", "show", "--store", "store", &id])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains("~ name: - "),
        "events show prints the diff: {shown}"
    );
}

/// JSON values shaped like directory data: objects, keyed and unkeyed
/// arrays, scalars (integers only, so equal values have one spelling).
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..5).prop_map(Value::from),
        "[a-c]{0,2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-d]", inner.clone(), 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            // Arrays of objects with a (mostly unique) `id`.
            prop::collection::vec((0u8..6, inner), 0..6).prop_map(|items| {
                Value::Array(
                    items
                        .into_iter()
                        .map(|(id, v)| json!({"id": id, "v": v}))
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Applying the patch to before gives after, exactly.
    #[test]
    fn patch_turns_before_into_after(before in arb_json(), after in arb_json(), ordered in any::<bool>()) {
        let opts = dsync::diff::Options { ordered, ..Default::default() };
        let ops = dsync::diff::patch_json(&before, &after, &opts);
        let ops: json_patch::Patch = serde_json::from_value(ops).unwrap();
        let mut doc = before.clone();
        json_patch::patch(&mut doc, &ops).unwrap();
        prop_assert_eq!(doc, after.clone());
        // With --ordered, the diff is empty exactly when the documents are equal.
        if ordered {
            prop_assert_eq!(dsync::diff::diff_json(&before, &after, &opts).is_empty(), before == after);
        }
    }
}

// ---- Numbers exact, inputs capped, --ordered bounded, duplicate keys, BOM ----

/// Apply `patch` (dsync's output) to `before` with the json-patch crate.
fn apply(before: &str, patch: &str) -> Value {
    let mut doc: Value = serde_json::from_str(before).unwrap();
    let ops: json_patch::Patch = serde_json::from_str(patch).unwrap();
    json_patch::patch(&mut doc, &ops).unwrap();
    doc
}

#[test]
fn numbers_beyond_64_bits_compare_exactly_and_keep_their_text() {
    let sb = Sandbox::new();
    sb.write(
        "a.json",
        r#"{"n":100000000000000000001,"big":1e400,"same":1.0,"tiny":1e-400}"#,
    );
    sb.write(
        "b.json",
        r#"{"n":100000000000000000002,"big":1e400,"same":1,"tiny":0}"#,
    );
    let (code, out, err) = diff(&sb, &["a.json", "b.json"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("~ n: - 100000000000000000001  + 100000000000000000002"),
        "{out}"
    );
    assert!(out.contains("~ tiny:"), "{out}");
    assert!(!out.contains("same") && !out.contains("big"), "{out}");
    assert!(out.contains("2 changed"), "{out}");
    let (_, patch, _) = diff(&sb, &["a.json", "b.json", "--format", "patch"]);
    assert!(patch.contains("100000000000000000002"), "{patch}");
    assert!(!patch.contains("e+20"), "{patch}");
    // 1e400 is valid JSON: never refused, equal to itself however written.
    sb.write("c.json", r#"{"big":10e399}"#);
    sb.write("d.json", r#"{"big":1e400}"#);
    let (code, out, err) = diff(&sb, &["c.json", "d.json"]);
    assert_eq!((code, out.trim()), (0, "no differences"), "{err}");
}

#[test]
fn an_endless_input_is_refused_at_the_cap_the_flag_sets() {
    let sb = Sandbox::new();
    sb.write("x.json", "{}");
    let (code, _, err) = diff(&sb, &["/dev/zero", "x.json", "--max-input", "1M"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--max-input") && err.contains("/dev/zero"),
        "{err}"
    );
    // Under the cap a document is read whole.
    let big = format!("[{}]", vec!["1"; 300_000].join(","));
    sb.write("big.json", &big);
    let (code, _, err) = diff(
        &sb,
        &["big.json", "x.json", "--max-input", "512K", "--stat"],
    );
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = diff(&sb, &["big.json", "x.json", "--max-input", "1M", "--stat"]);
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = diff(&sb, &["big.json", "x.json", "--max-input", "lots"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a size"), "{err}");
}

#[test]
fn ordered_diff_of_long_changed_arrays_stays_exact_past_the_bound() {
    let sb = Sandbox::new();
    // 20,000 scalars, every one shifted: past the sequence-diff bound.
    let n = 20_000;
    let before: Vec<u64> = (0..n).map(|i| i % 7).collect();
    let after: Vec<u64> = (0..n + 5).map(|i| (i * 3) % 11).collect();
    let (a, b) = (
        serde_json::to_string(&before).unwrap(),
        serde_json::to_string(&after).unwrap(),
    );
    sb.write("a.json", &a);
    sb.write("b.json", &b);
    let (code, patch, err) = diff(&sb, &["a.json", "b.json", "--ordered", "--format", "patch"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        apply(&a, &patch),
        serde_json::from_str::<Value>(&b).unwrap()
    );
    // A short changed run inside a long array still gets the minimal diff.
    let mut near = before.clone();
    near.insert(10_000, 99);
    let c = serde_json::to_string(&near).unwrap();
    sb.write("c.json", &c);
    let (code, out, _) = diff(&sb, &["a.json", "c.json", "--ordered", "--stat"]);
    assert_eq!((code, out.trim()), (1, "1 added"));
}

#[test]
fn duplicate_keys_give_a_valid_patch_and_a_warning() {
    let sb = Sandbox::new();
    sb.write("dup.json", r#"{"id":1,"id":2,"a":{"x":1,"x":3}}"#);
    sb.write("empty.json", "{}");
    let (code, patch, err) = diff(&sb, &["dup.json", "empty.json", "--format", "patch"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("repeated") && err.contains("dup.json"),
        "{err}"
    );
    let ops: Vec<Value> = serde_json::from_str(&patch).unwrap();
    assert_eq!(ops.len(), 2, "{patch}");
    // Applied to the document as every JSON parser reads it (last value wins).
    assert_eq!(
        apply(r#"{"id":1,"id":2,"a":{"x":1,"x":3}}"#, &patch),
        json!({})
    );
    let (_, out, _) = diff(&sb, &["dup.json", "empty.json"]);
    assert!(out.contains("- id: 2") && out.contains("- a.x: 3"), "{out}");
}

#[test]
fn a_byte_order_mark_is_named_and_skipped() {
    let sb = Sandbox::new();
    sb.write("bom.json", b"\xEF\xBB\xBF{\"a\":1}");
    sb.write("plain.json", r#"{"a":1}"#);
    let (code, out, err) = diff(&sb, &["bom.json", "plain.json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("byte order mark") && err.contains("bom.json"),
        "{err}"
    );
}
