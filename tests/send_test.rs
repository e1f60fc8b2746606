//! Tests of `dsync send-test`, with a receiver that checks signatures using
//! the hmac/sha2 crates directly (independent of the product's signing code).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::harness::{assert_success, Sandbox};

const SECRET: &str = "G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZKe2mikvF1";

/// One captured request: lower-cased headers and the raw body.
pub(crate) struct Received {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
    }
}

/// `dsync send-test --event dir_sync.activated`, to which a test adds the rest.
fn send_activated(sb: &Sandbox) -> assert_cmd::Command {
    let mut cmd = sb.cmd();
    cmd.args(["send-test", "--event", "dir_sync.activated"]);
    cmd
}

/// Serve `count` requests on 127.0.0.1:0, answering `status`; return the URL and a channel.
pub(crate) fn receiver(count: usize, status: u16) -> (String, mpsc::Receiver<Received>) {
    receiver_answering(count, status, "ok")
}

/// [`receiver`], answering `status` with `answer` as a text/html body.
pub(crate) fn receiver_answering(
    count: usize,
    status: u16,
    answer: &'static str,
) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/directory-sync", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let mut stream = stream.expect("accept");
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (n, v) = l.split_once(':').unwrap();
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap_or(0);
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            // Recorded before answering: once dsync has every answer, the channel has every request.
            tx.send(Received { headers, body }).unwrap();
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (url, rx)
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// `t=..,v1=..` pairs of a signature header.
fn pairs(header: &str) -> Vec<(String, String)> {
    header
        .split(',')
        .filter_map(|p| p.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn pair<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key}= in {pairs:?}"))
}

/// Check a delivery's signature for `scheme` with the published recipe for
/// each, computed here with hmac/sha2/base64 (not dsync's signing code).
pub(crate) fn signature_valid(scheme: &str, secret: &str, r: &Received) -> bool {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    match scheme {
        "cryptr" => {
            let p = pairs(r.header("cryptr-signature"));
            let t = pair(&p, "t");
            let v1 = pair(&p, "v1").trim_start_matches("sha256.");
            hex::encode(hmac_sha256(
                secret.as_bytes(),
                &[t.as_bytes(), b".", &r.body],
            )) == v1
        }
        "stripe" => {
            let p = pairs(r.header("stripe-signature"));
            let t = pair(&p, "t");
            hex::encode(hmac_sha256(
                secret.as_bytes(),
                &[t.as_bytes(), b".", &r.body],
            )) == pair(&p, "v1")
        }
        "workos" => {
            let p = pairs(r.header("workos-signature"));
            let t = pair(&p, "t");
            // WorkOS timestamps are milliseconds.
            assert!(t.len() >= 13, "WorkOS t= should be in ms: {t}");
            hex::encode(hmac_sha256(
                secret.as_bytes(),
                &[t.as_bytes(), b".", &r.body],
            )) == pair(&p, "v1")
        }
        "standard" => {
            let key = b64
                .decode(secret.trim_start_matches("whsec_"))
                .expect("whsec_ secret");
            let (id, ts) = (r.header("webhook-id"), r.header("webhook-timestamp"));
            let expected = b64.encode(hmac_sha256(
                &key,
                &[id.as_bytes(), b".", ts.as_bytes(), b".", &r.body],
            ));
            r.header("webhook-signature")
                .split(' ')
                .any(|entry| entry == format!("v1,{expected}"))
        }
        other => panic!("unknown scheme {other}"),
    }
}

/// A secret each scheme accepts (Standard Webhooks wants whsec_ + base64).
pub(crate) fn secret_for(scheme: &str) -> &'static str {
    if scheme == "standard" {
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    } else {
        SECRET
    }
}

fn cryptr_valid(r: &Received) -> bool {
    signature_valid("cryptr", SECRET, r)
}

#[test]
fn print_is_deterministic_under_seed_and_now() {
    let sb = Sandbox::new();
    let run = |seed: &str| {
        sb.cmd()
            .args([
                "send-test",
                "--all",
                "--print",
                "--seed",
                seed,
                "--now",
                "2024-03-22T17:14:27Z",
            ])
            .output()
            .unwrap()
    };
    let a = run("7");
    assert!(a.status.success());
    assert_eq!(a.stdout, run("7").stdout);
    assert_ne!(a.stdout, run("8").stdout);
    let lines: Vec<serde_json::Value> = crate::harness::ndjson(&a.stdout);
    assert_eq!(lines.len(), 21);
    for v in &lines {
        assert_eq!(v["issued_at"], "2024-03-22T17:14:27.000000Z");
        assert!(v["webhook_id"].as_str().unwrap().len() == 35);
    }
    let provision = lines
        .iter()
        .find(|v| v["code"] == "dir_sync.user.provision.success")
        .unwrap();
    assert_eq!(
        provision["data"]["resource"]["changes"]["previous_values"],
        serde_json::json!({})
    );
    assert!(
        provision["data"]["resource"]["changes"]["new_values"]["email"]
            .as_str()
            .unwrap()
            .ends_with("@shark-academy.io")
    );
}

#[test]
fn every_code_is_delivered_validly_signed() {
    let sb = Sandbox::new();
    let (url, rx) = receiver(21, 200);
    sb.cmd()
        .args([
            "send-test",
            "--all",
            "--url",
            &url,
            "--secret",
            SECRET,
            "--expect-status",
            "2xx",
        ])
        .assert()
        .success();
    let got: Vec<Received> = rx.iter().take(21).collect();
    for r in &got {
        assert!(
            cryptr_valid(r),
            "bad signature on {}",
            String::from_utf8_lossy(&r.body)
        );
        serde_json::from_slice::<serde_json::Value>(&r.body).expect("JSON body");
    }
}

#[test]
fn expect_status_mismatch_exits_1_and_unreachable_exits_3() {
    let sb = Sandbox::new();
    let (url, _rx) = receiver(1, 500);
    send_activated(&sb)
        .args(["--url", &url, "--expect-status", "2xx"])
        .assert()
        .code(1);
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/x", dead.local_addr().unwrap());
    drop(dead);
    send_activated(&sb)
        .args(["--url", &dead_url])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(dead_url));
}

#[test]
fn no_event_without_terminal_names_the_flag() {
    Sandbox::new()
        .cmd()
        .args(["send-test", "--print"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--event"));
}

#[test]
fn set_overrides_fields_and_a_bad_path_exits_2() {
    let sb = Sandbox::new();
    let out = send_activated(&sb)
        .args([
            "--print",
            "--set",
            "data.provider=azure",
            "--set",
            "client_id=42",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data"]["provider"], "azure");
    assert_eq!(v["client_id"], 42);
    send_activated(&sb)
        .args(["--print", "--set", "code.x.y=1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("code.x.y"));
}

#[test]
fn retry_resigns_every_try_and_stops_on_410() {
    let sb = Sandbox::new();
    let (url, rx) = receiver(2, 500);
    send_activated(&sb)
        .args(["--url", &url, "--secret", SECRET])
        .args([
            "--retry",
            "--retry-schedule",
            "0,1ms",
            "--expect-status",
            "2xx",
        ])
        .assert()
        .code(1);
    let got: Vec<Received> = rx.iter().take(2).collect();
    assert!(got.iter().all(cryptr_valid));
    let (url, rx) = receiver(1, 410);
    send_activated(&sb)
        .args(["--url", &url, "--retry", "--retry-schedule", "0,1ms,1ms"])
        .assert()
        // 410 stops the retries, and is not a 2xx: exit 1, as replay.
        .code(1);
    assert_eq!(rx.iter().count(), 1);
}

#[test]
fn each_scheme_round_trips_through_an_independent_check() {
    let sb = Sandbox::new();
    for scheme in ["cryptr", "standard", "stripe", "workos"] {
        let (url, rx) = receiver(1, 200);
        sb.cmd()
            .args(["send-test", "--event", "dir_sync.user.update.success"])
            .args([
                "--url",
                &url,
                "--scheme",
                scheme,
                "--secret",
                secret_for(scheme),
            ])
            .assert()
            .success();
        let got = rx.recv().unwrap();
        assert!(
            signature_valid(scheme, secret_for(scheme), &got),
            "{scheme}"
        );
        // Tampering must be caught by the same check: it is not a yes-machine.
        let tampered = Received {
            headers: got.headers.clone(),
            body: [got.body.as_slice(), b" "].concat(),
        };
        assert!(
            !signature_valid(scheme, secret_for(scheme), &tampered),
            "{scheme}"
        );
    }
}

#[test]
fn merge_patch_overrides_adds_and_deletes_fields() {
    let sb = Sandbox::new();
    sb.write(
        "patch.json",
        r#"{"data":{"provider":"google","extra":{"k":1}},"client_id":null,"new_top":"x"}"#,
    );
    let print = |extra: &[&str]| {
        let out = send_activated(&sb)
            .args(["--print", "--seed", "3"])
            .args(["--now", "2024-03-22T17:14:27Z"])
            .args(extra)
            .output()
            .unwrap();
        assert_success(&out);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let plain = print(&[]);
    let merged = print(&["--merge", "patch.json"]);
    assert!(plain.get("client_id").is_some());
    assert!(merged.get("client_id").is_none());
    assert_eq!(merged["data"]["provider"], "google");
    assert_eq!(merged["data"]["extra"]["k"], 1);
    assert_eq!(merged["new_top"], "x");
    // Untouched fields survive the merge.
    assert_eq!(merged["issued_at"], plain["issued_at"]);
    assert_eq!(merged["code"], plain["code"]);
    sb.write("bad.json", "{not json");
    sb.cmd()
        .args(["send-test", "--event", "dir_sync.activated", "--print"])
        .args(["--merge", "bad.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.json"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Every generated update is a real change of the same resource: the two
    /// sides differ, the diff says so, and it touches one to four leaves.
    #[test]
    fn every_generated_update_changes_one_to_four_leaves(
        seed in proptest::prelude::any::<u64>(),
        code in proptest::sample::select(vec![
            "dir_sync.user.update.success",
            "dir_sync.user.update.fail",
            "dir_sync.updated_user",
            "dir_sync.group.update.success",
            "dir_sync.group.update.fail",
        ]),
        now_s in 1_000_000_000i64..4_000_000_000,
    ) {
        use dsync::event::{generate, GenOptions, CODES};
        let opts = GenOptions {
            seed,
            now_us: now_s * 1_000_000,
            org: "shark-academy.io".into(),
            environment: "sandbox".into(),
            provider: "okta".into(),
        };
        let index = CODES.iter().position(|c| *c == code).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&generate(code, index, &opts)).unwrap();
        let changes = &body["data"]["resource"]["changes"];
        proptest::prop_assert_ne!(&changes["previous_values"], &changes["new_values"]);
        let snapshot = dsync::diff::extract(&body).expect("an update carries a snapshot");
        let (diff, members) = dsync::diff::event_changes(&snapshot, &Default::default());
        proptest::prop_assert!(members.is_empty());
        proptest::prop_assert!(
            (1..=4).contains(&diff.len()),
            "{} leaves changed: {}", diff.len(), changes
        );
    }
}

// ---- Shapes as the fixtures, the help from one table, the command contract ----

fn printed(sb: &Sandbox, code: &str, seed: u64) -> serde_json::Value {
    let out = sb
        .cmd()
        .args([
            "send-test",
            "--print",
            "--event",
            code,
            "--seed",
            &seed.to_string(),
        ])
        .args(["--now", "2024-03-22T17:14:27Z"])
        .output()
        .unwrap();
    assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn group_events_follow_the_documented_fixtures() {
    let sb = Sandbox::new();
    let fixture = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(crate::harness::fixture(name)).unwrap()).unwrap()
    };
    let added_fixture = fixture("group-changes.member-added.json");
    let updated_fixture = fixture("group-changes.members-removed-and-updated.json");
    for seed in 1..20 {
        let added = printed(&sb, "dir_sync.group.users_added.success", seed);
        let changes = &added["data"]["resource"]["changes"];
        // Membership events: only the two lists, as the fixture.
        assert_eq!(keys(changes), keys(&added_fixture), "seed {seed}");
        for item in changes["added_users"].as_array().unwrap() {
            assert_eq!(
                keys(item),
                keys(&added_fixture["added_users"][0]),
                "seed {seed}"
            );
        }
        let removed = printed(&sb, "dir_sync.group.users_removed.success", seed);
        let changes = &removed["data"]["resource"]["changes"];
        assert_eq!(keys(changes), ["added_users", "removed_users"]);
        for item in changes["removed_users"].as_array().unwrap() {
            assert_eq!(
                keys(item),
                keys(&updated_fixture["removed_users"][0]),
                "seed {seed}"
            );
        }
        // Group updates: name and/or external_id, always updated_at, both sides.
        let update = printed(&sb, "dir_sync.group.update.success", seed);
        let changes = &update["data"]["resource"]["changes"];
        assert_eq!(keys(changes), keys(&updated_fixture));
        let (prev, new) = (&changes["previous_values"], &changes["new_values"]);
        assert_eq!(keys(prev), keys(new), "seed {seed}");
        assert!(keys(new).contains(&"updated_at"), "seed {seed}: {new}");
        assert!(keys(new).len() >= 2, "seed {seed}: {new}");
        for key in keys(new) {
            assert!(
                ["name", "external_id", "updated_at"].contains(&key),
                "{key}"
            );
            assert_ne!(prev[key], new[key], "seed {seed}: {key} did not change");
        }
    }
}

#[test]
fn user_updates_change_one_to_three_attributes_of_the_same_person() {
    let sb = Sandbox::new();
    let mut touched = std::collections::BTreeSet::new();
    for seed in 1..40 {
        let update = printed(&sb, "dir_sync.user.update.success", seed);
        let changes = &update["data"]["resource"]["changes"];
        let (prev, new) = (&changes["previous_values"], &changes["new_values"]);
        assert_eq!(keys(prev), keys(new), "seed {seed}");
        assert!((1..=3).contains(&keys(new).len()), "seed {seed}: {new}");
        for key in keys(new) {
            assert_ne!(prev[key], new[key], "seed {seed}: {key} unchanged");
            touched.insert(key.to_string());
        }
        // Never the whole person: the given name and birthdate stay.
        if let Some(profile) = new.get("profile") {
            assert_eq!(profile["given_name"], prev["profile"]["given_name"]);
            assert_eq!(profile["birthdate"], prev["profile"]["birthdate"]);
        }
        if let Some(phones) = new.get("phone_numbers") {
            assert_eq!(
                phones[0]["phone_country_code"],
                prev["phone_numbers"][0]["phone_country_code"]
            );
        }
    }
    // Over 40 seeds every kind of change shows up, addresses included.
    for kind in ["address", "phone_numbers", "profile", "metadata"] {
        assert!(touched.contains(kind), "{kind} never changed: {touched:?}");
    }
}

#[test]
fn generated_people_are_consistent_with_their_country() {
    let sb = Sandbox::new();
    for seed in 1..40 {
        let user = printed(&sb, "dir_sync.user.provision.success", seed);
        let v = &user["data"]["resource"]["changes"]["new_values"];
        let country = v["address"]["country"].as_str().unwrap();
        let phone = &v["phone_numbers"][0];
        let national = phone["phone_national_number"].as_str().unwrap();
        let (cc, lengths, locale): (u64, &[usize], &str) = match country {
            "FR" => (33, &[9], "fr-FR"),
            "US" => (1, &[10], "en-US"),
            "CA" => (1, &[10], "en-CA"),
            "GB" => (44, &[10], "en-GB"),
            "DE" => (49, &[10, 11], "de-DE"),
            other => panic!("unexpected country {other}"),
        };
        assert_eq!(phone["phone_country_code"], cc, "seed {seed}");
        assert!(
            lengths.contains(&national.len()),
            "seed {seed}: {country} {national}"
        );
        assert_eq!(phone["value"], format!("+{cc}{national}"));
        assert_eq!(v["profile"]["locale"], locale, "seed {seed}");
        let zone = v["profile"]["zoneinfo"].as_str().unwrap();
        let zone_ok = match country {
            "FR" => zone == "Europe/Paris",
            "GB" => zone == "Europe/London",
            "DE" => zone == "Europe/Berlin",
            _ => zone.starts_with("America/"),
        };
        assert!(zone_ok, "seed {seed}: {country} in {zone}");
        let a = &v["address"];
        let s = |k: &str| a[k].as_str().unwrap();
        let formatted = match country {
            "US" | "CA" => format!(
                "{}, {}, {} {}",
                s("street_address"),
                s("locality"),
                s("region"),
                s("postal_code")
            ),
            "GB" => format!(
                "{}, {}, {}",
                s("street_address"),
                s("locality"),
                s("postal_code")
            ),
            _ => format!(
                "{}, {} {}",
                s("street_address"),
                s("postal_code"),
                s("locality")
            ),
        };
        assert_eq!(s("formatted"), formatted, "seed {seed}");
    }
}

#[test]
fn help_states_every_choice_from_the_table_the_readme_lists() {
    let sb = Sandbox::new();
    let out = sb.cmd().args(["send-test", "--help"]).output().unwrap();
    assert_success(&out);
    let help = String::from_utf8(out.stdout).unwrap();
    // Help is wrapped: compare without line breaks.
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = flat(&help);
    for (what, choice) in dsync::event::CHOICES {
        assert!(
            help.contains(&flat(&format!("{what}: {choice}"))),
            "--help lacks {what}"
        );
    }
    assert!(help.contains("Exit codes"), "{help}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for line in dsync::event::choices_markdown().lines() {
        assert!(readme.contains(line), "README lacks the choice line {line}");
    }
}

#[test]
fn list_marks_legacy_and_announced_codes() {
    let sb = Sandbox::new();
    let out = sb.cmd().args(["send-test", "--list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        let code = line.split_whitespace().next().unwrap();
        let marked = line.contains("(legacy") || line.contains("(announced");
        let should = [
            "dir_sync.activated",
            "dir_sync.updated_user",
            "dir_sync.user.activate.success",
        ]
        .contains(&code);
        assert_eq!(marked, should, "{line}");
    }
    let out = sb
        .cmd()
        .args(["--json", "send-test", "--list"])
        .output()
        .unwrap();
    let rows = crate::harness::ndjson(&out.stdout);
    assert_eq!(rows.len(), 21);
    assert_eq!(rows.iter().filter(|r| r["status"] == "legacy").count(), 2);
    assert_eq!(
        rows.iter().filter(|r| r["status"] == "documented").count(),
        18
    );
}

const NOT_FOUND_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>404 Not Found</title></head>\r\n<body>\n\t<h1>Not Found</h1>\n<p>The requested URL was not found on this server. It may have moved, or it never existed; check the path.</p>\n</body>\n</html>\n";

#[test]
fn a_non_2xx_answer_exits_1_on_one_escaped_line() {
    let sb = Sandbox::new();
    let (url, _rx) = receiver_answering(1, 404, NOT_FOUND_PAGE);
    let out = sb
        .cmd()
        .args(["send-test", "--event", "dir_sync.activated", "--url", &url])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text:?}");
    assert!(text.starts_with("dir_sync.activated -> 404 in "), "{text}");
    assert!(text.contains("<!DOCTYPE html> <html> <head>"), "{text}");
    assert!(text.trim_end().ends_with('…'), "{text}");
    assert!(!text.contains('\t') && !text.contains('\r'));
    // An expected 404 is met.
    let (url, _rx) = receiver_answering(1, 404, NOT_FOUND_PAGE);
    send_activated(&sb)
        .args(["--url", &url, "--expect-status", "404"])
        .assert()
        .success();
}

#[test]
fn json_makes_stdout_pure_json_either_way_it_is_asked() {
    let sb = Sandbox::new();
    for global in [true, false] {
        let (url, _rx) = receiver_answering(1, 404, NOT_FOUND_PAGE);
        let mut cmd = sb.cmd();
        if global {
            cmd.arg("--json");
        }
        cmd.args([
            "send-test",
            "--event",
            "dir_sync.user.update.success",
            "--url",
            &url,
        ]);
        if !global {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let rows = crate::harness::ndjson(&out.stdout);
        assert_eq!(rows.len(), 1, "{}", String::from_utf8_lossy(&out.stdout));
        assert_eq!(rows[0]["event"], "dir_sync.user.update.success");
        assert_eq!(rows[0]["status"], 404);
        assert_eq!(rows[0]["ok"], false);
        assert_eq!(rows[0]["answer"], NOT_FOUND_PAGE);
    }
}

#[test]
fn a_bad_set_path_names_the_missing_part_without_echoing_it_all() {
    let sb = Sandbox::new();
    let run = |set: &str| {
        let out = sb
            .cmd()
            .args([
                "send-test",
                "--event",
                "dir_sync.user.update.success",
                "--print",
                "--set",
                set,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let err = run("data.resource.nope.c=1");
    assert!(err.contains("`data.resource` has no key \"nope\""), "{err}");
    assert!(err.contains("part 3 of 4"), "{err}");
    let err = run("code.x=1");
    assert!(err.contains("`code` is a string"), "{err}");
    let long = format!("{}=1", vec!["a"; 5000].join("."));
    let err = run(&long);
    assert!(err.len() < 600, "{} bytes of error: {err}", err.len());
    assert!(err.contains("part 1 of 5000"), "{err}");
}

#[test]
fn a_code_not_on_the_list_is_sent_with_a_warning_and_the_codes_it_is_part_of() {
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args(["send-test", "--print", "--event", "user.update"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "user.update");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning:"), "{err}");
    assert!(
        err.contains("did you mean dir_sync.user.update.success or dir_sync.user.update.fail?"),
        "{err}"
    );
    // Too vague for a suggestion: counted, not listed; empty: nothing to suggest.
    for (code, says) in [
        ("user", "listed codes contain it"),
        ("", "with no resource\n"),
    ] {
        let out = sb
            .cmd()
            .args(["send-test", "--print", "--event", code])
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && !err.contains("did you mean"), "{err}");
    }
    // A listed code, legacy ones included, says nothing.
    send_activated(&sb)
        .arg("--print")
        .assert()
        .success()
        .stderr("");
}
