//! Tests of `dsync events`.

use serde_json::{json, Value};

use crate::harness::{assert_success, ndjson, Sandbox};

/// Put a capture in the store (`.dsync/`) as `dsync listen` would have.
fn capture(sb: &Sandbox, id: &str, at: &str, body: &Value) {
    let text = body.to_string();
    let c = json!({
        "format": 1, "id": id, "received_at": at, "method": "POST",
        "path": "/directory-sync",
        "headers": [["content-type", "application/json"], ["cryptr-signature", "t=1,v1=sha256.ab"]],
        "size": text.len(), "body": {"encoding": "utf8", "data": text},
        "verification": {"status": "valid", "scheme": "cryptr"}
    });
    let c = dsync::store::Capture::from_slice(c.to_string().as_bytes()).unwrap();
    dsync::store::Store::open(sb.path(".dsync"))
        .unwrap()
        .save(&c)
        .unwrap();
}

fn user_event(code: &str, email: &str) -> Value {
    json!({"code": code, "data": {"id": "u_1", "email": email,
        "profile": {"given_name": "Ada", "phone_number": "+33612345678"}}})
}

fn seed(sb: &Sandbox) {
    let old = (chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339();
    let new = chrono::Utc::now().to_rfc3339();
    capture(
        sb,
        "0001",
        &old,
        &user_event("dir_sync.user.create.success", "ada@corp.com"),
    );
    capture(
        sb,
        "0002",
        &new,
        &user_event("dir_sync.user.update.success", "ada@corp.com"),
    );
    capture(
        sb,
        "0003",
        &new,
        &json!({"code": "dir_sync.group.update.success", "data": {"id": "g_1"}}),
    );
}

fn ids(stdout: &[u8]) -> Vec<String> {
    ndjson(stdout)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids `dsync events list --json <args>` lists, in its order; it must succeed.
fn listed(sb: &Sandbox, args: &[&str]) -> Vec<String> {
    let out = sb
        .cmd()
        .args(["events", "list", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert_success(&out);
    ids(&out.stdout)
}

#[test]
fn list_filters_by_code_and_time() {
    let sb = Sandbox::new();
    seed(&sb);
    let all = sb
        .cmd()
        .args(["events", "list", "--json"])
        .output()
        .unwrap();
    // Newest first.
    assert_eq!(ids(&all.stdout), ["0003", "0002", "0001"]);
    let row = &ndjson(&all.stdout)[2];
    assert_eq!(row["verification"], "valid");
    assert_eq!(row["resource"], "u_1");
    assert_eq!(
        listed(&sb, &["--event", "dir_sync.user.*"]),
        ["0002", "0001"]
    );
    assert_eq!(listed(&sb, &["--since", "1d"]), ["0003", "0002"]);
    assert_eq!(listed(&sb, &["--until", "1d"]), ["0001"]);
    let table = sb.cmd().args(["events", "list"]).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("dir_sync.group.update.success"), "{text}");
}

#[test]
fn show_prints_headers_and_pretty_body() {
    let sb = Sandbox::new();
    seed(&sb);
    let out = sb.cmd().args(["events", "show", "0002"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("cryptr-signature: t=1"), "{text}");
    assert!(
        text.contains("\n  \"code\": \"dir_sync.user.update.success\""),
        "{text}"
    );
    sb.cmd().args(["events", "show", "9999"]).assert().code(2);
}

#[test]
fn redacted_export_is_consistent_and_import_skips_duplicates() {
    let sb = Sandbox::new();
    seed(&sb);
    sb.cmd()
        .args(["events", "export", "--redact", "--out", "bundle.ndjson"])
        .assert()
        .success();
    let bundle = std::fs::read_to_string(sb.path("bundle.ndjson")).unwrap();
    assert!(
        !bundle.contains("ada@corp.com") && !bundle.contains("Ada"),
        "{bundle}"
    );
    assert!(!bundle.contains("+33612345678") && !bundle.contains("cryptr-signature"));
    let lines = ndjson(bundle.as_bytes());
    assert_eq!(lines.len(), 3);
    let email = |i: usize| -> String {
        let body: Value = serde_json::from_str(lines[i]["body"]["data"].as_str().unwrap()).unwrap();
        body["data"]["email"].as_str().unwrap().to_string()
    };
    assert_eq!(email(0), email(1), "same input, same stand-in");
    assert!(email(0).ends_with(".example"), "{}", email(0));

    // Into a fresh store, then again: the second import adds nothing.
    let store = sb.path("imported");
    let store = store.to_str().unwrap();
    sb.cmd()
        .args(["events", "import", "bundle.ndjson", "--store", store])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args([
            "events",
            "import",
            "bundle.ndjson",
            "--store",
            store,
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(ndjson(&out.stdout)[0]["imported"], 0);
    assert_eq!(ndjson(&out.stdout)[0]["skipped"], 3);
    assert_eq!(listed(&sb, &["--store", store]), ["0003", "0002", "0001"]);
}

#[test]
fn import_of_a_bad_bundle_imports_nothing() {
    let sb = Sandbox::new();
    sb.write("bad.ndjson", "{\"not\": \"a capture\"}\n");
    let out = sb
        .cmd()
        .args(["events", "import", "bad.ndjson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("line 1"));
}

#[test]
fn prune_by_age_and_by_count() {
    let sb = Sandbox::new();
    seed(&sb);
    sb.cmd()
        .args(["events", "prune", "--older-than", "7d"])
        .assert()
        .success();
    assert_eq!(listed(&sb, &[]), ["0003", "0002"]);
    sb.cmd()
        .args(["events", "prune", "--keep", "1"])
        .assert()
        .success();
    assert_eq!(listed(&sb, &[]), ["0003"]);
    sb.cmd().args(["events", "prune"]).assert().code(2);
}

/// A body from dsync's own generator, as `send-test` sends it.
fn generated(sb: &Sandbox, code: &str) -> Value {
    let out = sb
        .cmd()
        .args(["send-test", "--print", "--seed", "35", "--event", code])
        .args(["--now", "2026-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_success(&out);
    serde_json::from_slice(&out.stdout).expect("send-test --print writes one JSON body")
}

#[test]
fn list_names_the_resource_of_generated_events() {
    let sb = Sandbox::new();
    let at = chrono::Utc::now().to_rfc3339();
    let codes = [
        "dir_sync.user.provision.success",
        "dir_sync.user.deprovision.success",
        "dir_sync.user.update.success",
        "dir_sync.group.update.success",
        "dir_sync.activated",
    ];
    let bodies: Vec<Value> = codes.iter().map(|c| generated(&sb, c)).collect();
    for (i, body) in bodies.iter().enumerate() {
        capture(&sb, &format!("000{i}"), &at, body);
    }
    let resource = |i: usize| &bodies[i]["data"]["resource"];
    let changes = |i: usize, which: &str| &resource(i)["changes"][which];
    // Users by email (new values, or previous ones when deprovisioned); an
    // update that does not touch the email by the resource id; groups by name;
    // connection events have no resource.
    let expected = [
        format!(
            "user {}",
            changes(0, "new_values")["email"].as_str().unwrap()
        ),
        format!(
            "user {}",
            changes(1, "previous_values")["email"].as_str().unwrap()
        ),
        format!("user {}", resource(2)["id"].as_str().unwrap()),
        format!(
            "group {}",
            changes(3, "new_values")["name"].as_str().unwrap()
        ),
        "-".to_string(),
    ];
    let out = sb
        .cmd()
        .args(["events", "list", "--json"])
        .output()
        .unwrap();
    let rows = ndjson(&out.stdout);
    let got: Vec<&str> = rows
        .iter()
        .rev()
        .map(|r| r["resource"].as_str().unwrap())
        .collect();
    assert_eq!(got, expected);
    assert!(expected[0].contains('@') && expected[1].contains('@'));
    // The table shows the same.
    let table = sb.cmd().args(["events", "list"]).output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    for want in &expected[..4] {
        assert!(text.contains(want.as_str()), "{want} missing from:\n{text}");
    }
}

/// A store with the documented Cryptr payload (address, phones) and
/// generated user events (names, emails, phones).
fn seed_personal(sb: &Sandbox) -> Vec<&'static str> {
    let at = chrono::Utc::now().to_rfc3339();
    let docs: Value = serde_json::from_slice(
        &std::fs::read(crate::harness::fixture(
            "dir_sync.user.update.success.docs-excerpt.json",
        ))
        .unwrap(),
    )
    .unwrap();
    capture(sb, "0001", &at, &docs);
    capture(
        sb,
        "0002",
        &at,
        &generated(sb, "dir_sync.user.update.success"),
    );
    capture(
        sb,
        "0003",
        &at,
        &user_event("dir_sync.user.create.success", "ada.lovelace@corp.com"),
    );
    let update = generated(sb, "dir_sync.user.update.success");
    let profile = &update["data"]["resource"]["changes"]["new_values"]["profile"];
    assert_eq!(profile["given_name"], "James", "the generator changed");
    vec![
        // Documented payload: address and phone numbers.
        "Mulhouse",
        "68200",
        "lumi",
        "+33345676543",
        "345676543",
        "687435543",
        // Generated: names, usernames, phone numbers.
        "James",
        "james.williams",
        "Smith",
        "Williams",
        "+447718532945",
        "7788378952",
        "1964-03-13",
        // Hand-written: email, name, phone.
        "ada.lovelace@corp.com",
        "corp.com",
        "Ada",
        "612345678",
    ]
}

fn export(sb: &Sandbox, out: &str, extra: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = sb.cmd();
    cmd.args(["events", "export", "--redact", "--out", out])
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let result = cmd.output().unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read_to_string(sb.path(out)).unwrap()
}

#[test]
fn separate_redacted_exports_are_identical_and_hide_personal_data() {
    let sb = Sandbox::new();
    let originals = seed_personal(&sb);
    let first = export(&sb, "a.ndjson", &[], &[]);
    let second = export(&sb, "b.ndjson", &[], &[]);
    assert_eq!(first, second, "two exports of one store differ");
    for original in &originals {
        assert!(
            !first.contains(original),
            "{original} survived redaction:\n{first}"
        );
    }
    assert!(!first.contains("cryptr-signature"));
    // The key that makes them agree is kept in the store, private.
    let key_file = sb.path(".dsync/.redact-key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // ...and the same key elsewhere gives the same bundle.
    let key = std::fs::read_to_string(&key_file).unwrap();
    let shared = export(&sb, "c.ndjson", &[], &[("DSYNC_REDACT_KEY", key.trim())]);
    assert_eq!(first, shared);
    // The key file is not an event.
    assert_eq!(listed(&sb, &[]), ["0003", "0002", "0001"]);
}

#[test]
fn different_keys_give_different_stand_ins() {
    let sb = Sandbox::new();
    seed_personal(&sb);
    let one = export(&sb, "one.ndjson", &["--redact-key", "team-key-1"], &[]);
    let again = export(
        &sb,
        "again.ndjson",
        &[],
        &[("DSYNC_REDACT_KEY", "team-key-1")],
    );
    let two = export(&sb, "two.ndjson", &["--redact-key", "team-key-2"], &[]);
    assert_eq!(one, again, "--redact-key and DSYNC_REDACT_KEY disagree");
    let email = |bundle: &str| -> String {
        let line = &ndjson(bundle.as_bytes())[2];
        let body: Value = serde_json::from_str(line["body"]["data"].as_str().unwrap()).unwrap();
        body["data"]["email"].as_str().unwrap().to_string()
    };
    assert!(email(&one).contains('@'));
    assert_ne!(email(&one), email(&two));
    assert_ne!(one, two);
    // No key was needed in the store.
    assert!(!sb.path(".dsync/.redact-key").exists());
}

#[test]
fn redact_key_needs_redact_and_a_value() {
    let sb = Sandbox::new();
    seed(&sb);
    let out = sb
        .cmd()
        .args(["events", "export", "--out", "x.ndjson", "--redact-key", "k"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = sb
        .cmd()
        .args(["events", "export", "--redact", "--out", "x.ndjson"])
        .env("DSYNC_REDACT_KEY", " ")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DSYNC_REDACT_KEY"));
    assert!(!sb.path("x.ndjson").exists());
}

#[test]
fn list_shows_the_id_that_show_takes_and_show_takes_a_file_name_too() {
    let sb = Sandbox::new();
    seed(&sb);
    let list = sb
        .cmd()
        .args(["events", "list", "--reverse"])
        .output()
        .unwrap();
    let first = String::from_utf8(list.stdout).unwrap();
    assert!(first.starts_with("0001  "), "{first}");
    for wanted in ["0002", "0002-dir_sync.user.update.success.json"] {
        let shown = sb.cmd().args(["events", "show", wanted]).output().unwrap();
        let text = String::from_utf8(shown.stdout).unwrap();
        assert!(text.contains("(0002)"), "{wanted}: {text}");
    }
}

/// Captures as the pre-database store wrote them: every body encoding,
/// verification with a reason, a forward record, pretty JSON and a newline.
fn old_store_files(sb: &Sandbox, folder: &str) -> Vec<std::path::PathBuf> {
    use dsync::store::{Body, Capture, ForwardRecord, ResponseRecord, VerificationRecord};
    let mut captures = Vec::new();
    let mut c = Capture::new(
        "POST",
        "/directory-sync?x=1",
        vec![
            ("Host".into(), "127.0.0.1:8000".into()),
            ("X-Dup".into(), "1".into()),
            ("X-Dup".into(), "2".into()),
        ],
        "{\"code\":\"dir_sync.user.update.success\",  \"name\":\"Zoë\"}".as_bytes(),
    );
    c.remote_addr = Some("127.0.0.1:50000".into());
    c.verification = Some(VerificationRecord {
        status: "invalid".into(),
        scheme: "cryptr".into(),
        reason: Some("no signature matches".into()),
    });
    c.response = Some(ResponseRecord { status: 200 });
    c.forward = Some(ForwardRecord {
        url: "http://127.0.0.1:3000/hook".into(),
        status: Some(204),
        latency_ms: Some(1.234_567_891),
        error: None,
    });
    captures.push(c);
    let mut binary = Capture::new("POST", "/", vec![], &[0xff, 0xfe, 0x00, 0x7b]);
    binary.response = Some(ResponseRecord { status: 400 });
    captures.push(binary);
    let mut omitted = Capture::new("POST", "/", vec![], b"");
    omitted.size = 20_000_000;
    omitted.body = Body::Omitted;
    captures.push(omitted);
    captures
        .iter()
        .map(|c| sb.write(&format!("{folder}/{}", c.file_name()), c.to_file_bytes()))
        .collect()
}

fn files_in(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_old_store_folder_is_refused_with_how_to_import_it_then_round_trips_byte_for_byte() {
    let sb = Sandbox::new();
    old_store_files(&sb, "old");
    let before = files_in(&sb.path("old"));
    // Opening it says how to import it, and touches nothing.
    for args in [
        &["events", "list", "--store", "old"][..],
        &["listen", "--port", "0", "--store", "old"][..],
    ] {
        let out = sb.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("dsync events import old"), "{err}");
    }
    assert_eq!(files_in(&sb.path("old")), before);

    let out = sb
        .cmd()
        .args(["--json", "events", "import", "old"])
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(ndjson(&out.stdout)[0]["imported"], 3);
    assert_eq!(
        files_in(&sb.path("old")),
        before,
        "the import changed its source"
    );
    sb.cmd()
        .args(["events", "export", "--format", "files", "--out", "back"])
        .assert()
        .success();
    let after = files_in(&sb.path("back"));
    assert_eq!(after.len(), 3);
    for ((name_a, a), (name_b, b)) in before.iter().zip(&after) {
        assert_eq!(name_a, name_b);
        assert_eq!(
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b),
            "{name_a} changed in the round trip"
        );
        assert_eq!(a, b);
    }
}

#[test]
fn an_ndjson_bundle_round_trips_and_export_writes_to_stdout() {
    let sb = Sandbox::new();
    let files = old_store_files(&sb, "old");
    // A bundle: the same captures, compact, one per line.
    let mut bundle = Vec::new();
    for f in &files {
        let c = dsync::store::load_capture(f).unwrap();
        bundle.extend(serde_json::to_vec(&c).unwrap());
        bundle.push(b'\n');
    }
    let mut sorted: Vec<_> = bundle.split(|b| *b == b'\n').collect();
    sorted.sort();
    sb.write("in.ndjson", &bundle);
    sb.cmd()
        .args(["events", "import", "in.ndjson", "--store", "s"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args(["events", "export", "--store", "s", "--out", "-"])
        .output()
        .unwrap();
    assert_success(&out);
    assert!(!sb.path("-").exists(), "--out - wrote a file named -");
    let mut exported: Vec<_> = out.stdout.split(|b| *b == b'\n').collect();
    exported.sort();
    assert_eq!(exported, sorted);
    // Through files and back: the same bytes as the old store wrote.
    sb.cmd()
        .args(["events", "export", "--store", "s", "--format", "files"])
        .args(["--out", "files"])
        .assert()
        .success();
    assert_eq!(files_in(&sb.path("files")), files_in(&sb.path("old")));
}

#[test]
fn list_filters_run_in_the_database_and_pages_follow_rowids() {
    let sb = Sandbox::new();
    let now = chrono::Utc::now().to_rfc3339();
    for i in 0..12 {
        let code = if i % 3 == 0 {
            "dir_sync.group.update.success"
        } else {
            "dir_sync.user.update.success"
        };
        capture(
            &sb,
            &format!("{i:04}"),
            &now,
            &json!({"code": code, "data": {"resource": {"type": if i % 3 == 0 {"group"} else {"user"},
                "id": format!("r_{i}"), "email": format!("person{i}@corp.com")}},
                "note": if i == 7 {"the quick brown fox"} else {"nothing"}}),
        );
    }
    let list = |args: &[&str]| listed(&sb, args);
    assert_eq!(
        list(&["--event", "*.group.*"]),
        ["0009", "0006", "0003", "0000"]
    );
    assert_eq!(
        list(&["--event", "dir_sync.{group,nothing}.*", "--limit", "2"]),
        ["0009", "0006"]
    );
    // Common matches: read newest first up to the limit (not through the code index).
    assert_eq!(
        list(&["--event", "dir_sync.user.*", "--limit", "2"]),
        ["0011", "0010"]
    );
    assert_eq!(list(&["--search", "quick fox"]), ["0007"]);
    assert_eq!(list(&["--search", "person7@corp.com"]), ["0007"]);
    assert_eq!(list(&["--resource", "person1"]), ["0011", "0010", "0001"]);
    assert_eq!(list(&["--resource", "r_4"]), ["0004"]);
    assert_eq!(list(&["--verification", "invalid"]), Vec::<String>::new());
    assert_eq!(list(&["--verification", "valid", "--limit", "1"]), ["0011"]);
    // Pages: the rowid of the last row shown is where the next one starts.
    let out = sb
        .cmd()
        .args(["--json", "events", "list", "--limit", "5"])
        .output()
        .unwrap();
    let page = ndjson(&out.stdout);
    assert_eq!(page.len(), 5);
    let err = String::from_utf8_lossy(&out.stderr);
    let last = page[4]["rowid"].as_i64().unwrap().to_string();
    assert!(err.contains(&format!("--before {last}")), "{err}");
    assert_eq!(
        list(&["--limit", "3", "--before", &last]),
        ["0006", "0005", "0004"]
    );
    sb.cmd()
        .args(["events", "list", "--event", "a{b"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--event"));
}

#[test]
fn show_body_prints_the_exact_bytes_and_prune_honours_a_size_cap() {
    let sb = Sandbox::new();
    let now = chrono::Utc::now().to_rfc3339();
    for i in 0..40 {
        capture(
            &sb,
            &format!("{i:04}"),
            &now,
            &json!({"code": "dir_sync.user.update.success", "n": i, "pad": "z".repeat(20_000)}),
        );
    }
    let out = sb
        .cmd()
        .args(["events", "show", "--body", "0007"])
        .output()
        .unwrap();
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["n"], 7);
    assert_eq!(
        out.stdout,
        json!({"code": "dir_sync.user.update.success", "n": 7, "pad": "z".repeat(20_000)})
            .to_string()
            .into_bytes()
    );
    // The cap from the configuration, applied by `events prune`.
    sb.write("dsync.toml", "store_max_size = \"300KB\"\n");
    sb.cmd().args(["events", "prune"]).assert().success();
    let left = listed(&sb, &["--limit", "0", "--reverse"]);
    assert!(!left.is_empty() && left.len() < 40, "{left:?}");
    assert_eq!(left.last().unwrap(), "0039", "the newest stay");
    let db = std::fs::metadata(sb.path(".dsync/dsync.db")).unwrap().len();
    assert!(db <= 400_000, "the file did not shrink: {db} bytes");
    sb.write("dsync.toml", "store_max_size = \"lots\"\n");
    sb.cmd()
        .args(["events", "prune"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("store_max_size"));
}
