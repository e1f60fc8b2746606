//! The command contract where it touches commands beyond signing and diffing:
//! `listen --forward-to` forwards what does not parse, `replay` turns
//! impossible inputs into usage errors, `config` tells the truth about
//! `listen.path`, and `events export` counts in English.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::harness::{assert_success, Sandbox};
use crate::send_test::receiver_answering;

#[test]
fn listen_forwards_bodies_that_do_not_parse_and_flags_them() {
    let sb = Sandbox::new();
    let bodies: [&[u8]; 4] = [b"", b"not json", b"{\"code\":", b"\xff\xfe"];
    let (app_url, seen) = receiver_answering(bodies.len(), 200, "php-ok");
    let mut child = sb
        .std_cmd()
        .args(["listen", "--port", "0", "--forward-to", &app_url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Readiness: the `listening on URL` line on stderr.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "listen ended early"
        );
        if let Some(rest) = line.trim().strip_prefix("listening on ") {
            break rest.to_string();
        }
    };
    let client = reqwest::blocking::Client::new();
    for body in bodies {
        let answer = client.post(&url).body(body.to_vec()).send().unwrap();
        assert_eq!(
            answer.status().as_u16(),
            200,
            "{body:?}: the app's own answer"
        );
        assert_eq!(answer.text().unwrap(), "php-ok");
        assert_eq!(
            seen.recv().unwrap().body,
            body,
            "the app got the exact bytes"
        );
    }
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut flagged = 0;
    while flagged < bodies.len() {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "listen ended early"
        );
        if line.contains("not valid JSON (forwarded as received)") {
            flagged += 1;
        }
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
}

#[test]
fn listen_without_forwarding_still_answers_400_to_a_body_that_does_not_parse() {
    let sb = Sandbox::new();
    let mut child = sb
        .std_cmd()
        .args(["--json", "listen", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
    let answer = reqwest::blocking::Client::new()
        .post(ready["url"].as_str().unwrap())
        .body("not json")
        .send()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
}

#[test]
fn replay_since_and_until_beyond_the_calendar_are_usage_errors() {
    let sb = Sandbox::new();
    sb.write("e.json", r#"{"code":"dir_sync.activated"}"#);
    for (flag, value) in [
        ("--since", "99999999d"),
        ("--until", "300000y"),
        ("--since", "300000y"),
    ] {
        let out = sb
            .cmd()
            .args([
                "replay",
                "e.json",
                "--url",
                "http://127.0.0.1:9/",
                flag,
                value,
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag) && !err.contains("panicked"), "{err}");
    }
}

#[test]
fn replay_verbatim_names_a_header_http_cannot_carry() {
    let sb = Sandbox::new();
    for (name, value) in [
        ("x-note", "one\r\ntwo"),
        ("x-nul", "a\0b"),
        ("bad name", "v"),
    ] {
        let capture = dsync::store::Capture::new(
            "POST",
            "/directory-sync",
            vec![(name.to_string(), value.to_string())],
            br#"{"code":"dir_sync.activated"}"#,
        );
        sb.write("cap.json", serde_json::to_vec(&capture).unwrap());
        let out = sb
            .cmd()
            .args([
                "replay",
                "cap.json",
                "--url",
                "http://127.0.0.1:9/",
                "--verbatim",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{name:?}")) && err.contains("--verbatim"),
            "{err}"
        );
    }
}

#[test]
fn config_says_listen_takes_any_path_unless_one_is_set() {
    let sb = Sandbox::new();
    let out = sb.cmd().arg("config").output().unwrap();
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().find(|l| l.starts_with("listen.path")).unwrap();
    assert!(
        row.contains("(unset: any path)") && !row.contains("/directory-sync"),
        "{row}"
    );
    let out = sb
        .cmd()
        .arg("config")
        .env("DSYNC_PATH", "/hooks")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().find(|l| l.starts_with("listen.path")).unwrap();
    assert!(
        row.contains("/hooks") && row.contains("DSYNC_PATH"),
        "{row}"
    );
}

#[test]
fn exporting_one_event_says_event() {
    let sb = Sandbox::new();
    let capture =
        dsync::store::Capture::new("POST", "/", vec![], br#"{"code":"dir_sync.activated"}"#);
    sb.write("cap.json", serde_json::to_vec(&capture).unwrap());
    assert_success(
        &sb.cmd()
            .args(["events", "import", "cap.json"])
            .output()
            .unwrap(),
    );
    let out = sb
        .cmd()
        .args(["events", "export", "--out", "one.ndjson"])
        .output()
        .unwrap();
    assert_success(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("exported 1 event to") && !err.contains("1 events"),
        "{err}"
    );
}
