//! Tests of `dsync check` against receivers written here, on 127.0.0.1:0:
//! one that acknowledges everything (the handbook quickstart's behaviour) and
//! one that does it right, with its own HMAC code (hmac/sha2, not dsync's),
//! a tolerance, deduplication, and an app state it prints for --state-cmd.
//! The JUnit file is read back with Python's `junitparser`, the `--json`
//! report validated against the checked-in schema with Python's `jsonschema`
//! (skipped without them, failing under CI; `.ci/run` installs both).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::harness::Sandbox;

const SECRET: &str = "G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZKe2mikvF1-YMx2pQ3RKIs";

/// One request as the receivers see it.
struct Request {
    method: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = Arc<dyn Fn(&Request) -> u16 + Send + Sync>;

/// A small HTTP/1.1 server: a thread per connection, keep-alive, Content-Length bodies.
fn serve(handler: Handler) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().expect("clone stream");
                let mut reader = BufReader::new(stream);
                while let Some(request) = read_request(&mut reader) {
                    let status = handler(&request);
                    let body = format!("{{\"status\":{status}}}");
                    let mut answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if request.method != "HEAD" {
                        answer.push_str(&body);
                    }
                    if writer.write_all(answer.as_bytes()).is_err() {
                        break;
                    }
                }
            });
        }
    });
    url
}

fn read_request(reader: &mut BufReader<std::net::TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let method = line.split_whitespace().next()?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':')?;
        headers.push((n.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap_or(0))
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        headers,
        body,
    })
}

/// The handbook quickstart: 200 to anything.
fn naive_receiver() -> String {
    serve(Arc::new(|_| 200))
}

/// Whether `header` signs `body` with SECRET within 300 s, computed here.
fn signature_ok(header: &str, body: &[u8], now: i64) -> bool {
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => candidates.push(v.strip_prefix("sha256.").unwrap_or(v).to_string()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now - t).abs() > 300 {
        return false;
    }
    candidates.iter().any(|c| {
        let Ok(received) = hex::decode(c) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(&received).is_ok()
    })
}

/// The app behind the correct receiver: every attribute and membership
/// stamped with the issued_at that set it, so order and repeats do not matter.
#[derive(Default)]
struct App {
    seen: HashSet<String>,
    /// id → attribute → (issued_at, value)
    users: BTreeMap<String, BTreeMap<String, (String, Value)>>,
    groups: BTreeMap<String, BTreeMap<String, (String, Value)>>,
    /// id → (issued_at, exists) of the last provision / deprovision
    user_life: BTreeMap<String, (String, bool)>,
    group_life: BTreeMap<String, (String, bool)>,
    /// (group, user) → (issued_at, member)
    members: BTreeMap<(String, String), (String, bool)>,
    /// Ordered by arrival, ignoring issued_at and repeats (the buggy variant).
    arrival_order: bool,
}

impl App {
    fn set(
        map: &mut BTreeMap<String, BTreeMap<String, (String, Value)>>,
        id: &str,
        at: &str,
        values: &Value,
        arrival: bool,
    ) {
        let attrs = map.entry(id.to_string()).or_default();
        for (k, v) in values.as_object().into_iter().flatten() {
            let newer = attrs
                .get(k)
                .is_none_or(|(old, _)| arrival || at > old.as_str());
            if newer {
                attrs.insert(k.clone(), (at.to_string(), v.clone()));
            }
        }
    }

    fn life(
        map: &mut BTreeMap<String, (String, bool)>,
        id: &str,
        at: &str,
        exists: bool,
        arrival: bool,
    ) {
        let newer = map
            .get(id)
            .is_none_or(|(old, _)| arrival || at > old.as_str());
        if newer {
            map.insert(id.to_string(), (at.to_string(), exists));
        }
    }

    fn apply(&mut self, event: &Value) {
        let code = event["code"].as_str().unwrap_or_default();
        let at = event["issued_at"].as_str().unwrap_or_default().to_string();
        let resource = &event["data"]["resource"];
        let id = resource["id"].as_str().unwrap_or_default().to_string();
        let key = format!("{}|{code}|{at}|{id}", event["webhook_id"]);
        if !self.seen.insert(key) && !self.arrival_order {
            return;
        }
        let changes = &resource["changes"];
        let arrival = self.arrival_order;
        let known_user = self.user_life.get(&id).is_some_and(|(_, e)| *e);
        match code {
            "dir_sync.user.provision.success" => {
                Self::life(&mut self.user_life, &id, &at, true, arrival);
                Self::set(&mut self.users, &id, &at, &changes["new_values"], arrival);
            }
            // The buggy variant drops an update for a user it does not know yet.
            "dir_sync.user.update.success" if arrival && !known_user => {}
            "dir_sync.user.update.success" => {
                Self::set(&mut self.users, &id, &at, &changes["new_values"], arrival)
            }
            "dir_sync.user.deprovision.success" => {
                Self::life(&mut self.user_life, &id, &at, false, arrival)
            }
            "dir_sync.group.provision.success" => {
                Self::life(&mut self.group_life, &id, &at, true, arrival);
                Self::set(&mut self.groups, &id, &at, &changes["new_values"], arrival);
            }
            "dir_sync.group.update.success" => {
                Self::set(&mut self.groups, &id, &at, &changes["new_values"], arrival)
            }
            "dir_sync.group.deprovision.success" => {
                Self::life(&mut self.group_life, &id, &at, false, arrival)
            }
            "dir_sync.group.users_added.success" | "dir_sync.group.users_removed.success" => {
                for (list, member) in [("added_users", true), ("removed_users", false)] {
                    for u in changes[list].as_array().into_iter().flatten() {
                        let user = u["id"].as_str().unwrap_or_default().to_string();
                        let k = (id.clone(), user);
                        let newer = self
                            .members
                            .get(&k)
                            .is_none_or(|(old, _)| arrival || at > *old);
                        if newer {
                            self.members.insert(k, (at.clone(), member));
                        }
                    }
                }
            }
            _ => {} // unknown and .fail codes: acknowledged, nothing to apply
        }
    }

    /// The dsync.app-state.v1 document.
    fn state(&self) -> Value {
        let alive = |life: &BTreeMap<String, (String, bool)>, id: &str| {
            life.get(id).is_some_and(|(_, e)| *e)
        };
        // One pass over the memberships, indexed both ways.
        let mut groups_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut members_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for ((group, user), (_, member)) in &self.members {
            if *member {
                groups_of.entry(user).or_default().push(group);
                members_of.entry(group).or_default().push(user);
            }
        }
        let mut users = serde_json::Map::new();
        for (id, attrs) in &self.users {
            if !alive(&self.user_life, id) {
                continue;
            }
            let mut u: serde_json::Map<String, Value> = attrs
                .iter()
                .map(|(k, (_, v))| (k.clone(), v.clone()))
                .collect();
            let groups = groups_of.get(id.as_str()).cloned().unwrap_or_default();
            u.insert("groups".into(), json!(groups));
            users.insert(id.clone(), Value::Object(u));
        }
        let mut groups = serde_json::Map::new();
        for (id, attrs) in &self.groups {
            if !alive(&self.group_life, id) {
                continue;
            }
            let mut g: serde_json::Map<String, Value> = attrs
                .iter()
                .map(|(k, (_, v))| (k.clone(), v.clone()))
                .collect();
            let ids = members_of.get(id.as_str()).cloned().unwrap_or_default();
            g.insert("members".into(), json!(ids));
            groups.insert(id.clone(), Value::Object(g));
        }
        json!({"format": "dsync.app-state.v1", "users": users, "groups": groups})
    }
}

/// How the correct receiver's app applies what it acknowledged.
#[derive(Clone, Copy)]
enum Apply {
    /// Before answering, by issued_at, each event once.
    Now,
    /// Before answering, in arrival order, repeats included (the buggy app).
    InArrivalOrder,
    /// From a queue, this long after answering.
    Queued(Duration),
}

/// Verifies over the raw bytes, checks the tolerance, answers 400 to bad
/// JSON and 405 to other methods, dedups, and saves the app state to
/// `state_file` (before acknowledging, unless queued).
fn correct_receiver(state_file: PathBuf, apply: Apply) -> String {
    let app = Arc::new(Mutex::new(App {
        arrival_order: matches!(apply, Apply::InArrivalOrder),
        ..App::default()
    }));
    let commit = Arc::new(move |app: &Mutex<App>, event: &Value| {
        let mut app = app.lock().unwrap();
        app.apply(event);
        let tmp = state_file.with_extension("tmp");
        std::fs::write(&tmp, app.state().to_string()).unwrap();
        std::fs::rename(&tmp, &state_file).unwrap();
    });
    serve(Arc::new(move |req: &Request| {
        if req.method != "POST" {
            return 405;
        }
        let Some(sig) = req.header("cryptr-signature") else {
            return 401;
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        if !signature_ok(sig, &req.body, now) {
            return 401;
        }
        let Ok(event) = serde_json::from_slice::<Value>(&req.body) else {
            return 400;
        };
        match apply {
            Apply::Queued(after) => {
                let (app, commit) = (app.clone(), commit.clone());
                std::thread::spawn(move || {
                    std::thread::sleep(after);
                    commit(&app, &event);
                });
            }
            Apply::Now | Apply::InArrivalOrder => commit(&app, &event),
        }
        200
    }))
}

/// Whether python3 can import `module`; its absence fails the test under CI.
fn python_has(module: &str, test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return true;
    }
    let fix = format!("install it with `python3 -m pip install {module}` (.ci/run does)");
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{test} cannot run under CI: python3 lacks {module}; {fix}");
    }
    eprintln!("skipped {test}: python3 lacks {module}; {fix}");
    false
}

/// Each testcase's name and what junitparser reads as its result.
fn junit_results(path: &Path) -> BTreeMap<String, String> {
    const SCRIPT: &str = r#"
import json, sys
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromfile(sys.argv[1])
out = {}
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        out[case.name] = kinds[0] if kinds else "Passed"
print(json.dumps(out))
"#;
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "junitparser: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}

fn check(sb: &Sandbox, url: &str, extra: &[&str]) -> std::process::Output {
    let junit = sb.path("junit.xml");
    let mut cmd = sb.cmd();
    cmd.args(["check", url, "--secret", SECRET, "--junit"])
        .arg(&junit)
        .args(extra);
    cmd.output().expect("dsync runs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

const UNSAFE_ACCEPTED: [&str; 5] = [
    "forged-signature",
    "missing-signature",
    "tampered-body",
    "stale-timestamp",
    "future-timestamp",
];

#[test]
fn an_acknowledge_everything_receiver_fails_the_signature_and_time_cases() {
    let sb = Sandbox::new();
    let url = naive_receiver();
    let out = check(&sb, &url, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = stdout(&out);
    for name in UNSAFE_ACCEPTED {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name} in\n{table}"));
        assert!(row.trim_end().ends_with("FAIL"), "{row}");
    }
    // Malformed JSON acknowledged is a failure too: nobody can read it.
    assert!(table
        .lines()
        .any(|l| l.starts_with("malformed-json ") && l.ends_with("FAIL")));
    assert!(table.contains("why it matters: your endpoint accepted a forged signature"));
    assert!(table.contains("`dsync verify --capture` shows how"));
    assert!(table
        .lines()
        .any(|l| l.starts_with("valid/dir_sync.user.update.success ") && l.ends_with("pass")));

    let junit = sb.path("junit.xml");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<failure message=\"expected 4xx (right format, wrong key)"));
    if python_has("junitparser", "an_acknowledge_everything_receiver_fails...") {
        let results = junit_results(&junit);
        let failures: BTreeSet<&str> = results
            .iter()
            .filter(|(_, r)| *r == "Failure")
            .map(|(n, _)| n.as_str())
            .collect();
        let mut expected: BTreeSet<&str> = UNSAFE_ACCEPTED.into_iter().collect();
        expected.insert("malformed-json");
        assert_eq!(failures, expected);
        // Stateful cases without --state-cmd are listed, as not run.
        assert_eq!(results["state/deprovisioned-user-gone"], "Skipped");
        assert_eq!(results["key-rotation"], "Passed");
    }
}

#[test]
fn a_correct_receiver_passes_every_case_and_its_state_matches() {
    let sb = Sandbox::new();
    let state = sb.path("app-state.json");
    let url = correct_receiver(state.clone(), Apply::Now);
    let cmd = format!("cat '{}'", state.display());
    // Strict, so the recommended cases count too, except the two that time
    // answers: on a loaded machine they measure the machine (benches do that).
    let out = check(
        &sb,
        &url,
        &["--strict", "--skip", "*-latency", "--state-cmd", &cmd],
    );
    let table = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{table}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<&str> = table
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), dsync::check::catalogue().len() - 2, "{table}");
    for row in &rows {
        assert!(row.ends_with("pass"), "{row}");
    }
    assert!(
        table.contains(" passed, 0 failed, 0 warned, 0 skipped in "),
        "{table}"
    );
    if python_has("junitparser", "a_correct_receiver_passes_every_case...") {
        let results = junit_results(&sb.path("junit.xml"));
        assert_eq!(results.len(), rows.len());
        assert!(results.values().all(|r| r == "Passed"), "{results:?}");
    }
}

#[test]
fn an_app_that_applies_events_in_arrival_order_fails_the_order_cases() {
    let sb = Sandbox::new();
    let state = sb.path("app-state.json");
    let url = correct_receiver(state.clone(), Apply::InArrivalOrder);
    let cmd = format!("cat '{}'", state.display());
    let out = check(
        &sb,
        &url,
        &[
            "--only",
            "state/*",
            "--state-cmd",
            &cmd,
            "--state-wait",
            "0s",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("pure JSON on stdout");
    let outcome = |name: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    let stale = outcome("state/update-before-provision");
    assert_eq!(stale["outcome"], "fail", "{stale}");
    assert!(
        stale["detail"].as_str().unwrap().contains("given_name"),
        "{stale}"
    );
    assert_eq!(
        outcome("state/duplicate-not-applied-twice")["outcome"],
        "fail"
    );
    assert_eq!(outcome("state/deprovisioned-user-gone")["outcome"], "pass");
    assert_eq!(
        outcome("state/membership-added-then-removed")["outcome"],
        "pass"
    );
}

#[test]
fn an_app_that_applies_from_a_queue_is_given_time_to_settle() {
    let sb = Sandbox::new();
    let state = sb.path("app-state.json");
    // Applied 2 s after the answer; the state command fails until the first write.
    let url = correct_receiver(state.clone(), Apply::Queued(Duration::from_secs(2)));
    let cmd = format!("cat '{}'", state.display());
    let patient = check(&sb, &url, &["--only", "state/*", "--state-cmd", &cmd]);
    assert_eq!(patient.status.code(), Some(0), "{}", stdout(&patient));
    let hasty = check(
        &sb,
        &url,
        &[
            "--only",
            "state/*",
            "--state-cmd",
            &cmd,
            "--state-wait",
            "0s",
        ],
    );
    assert_eq!(hasty.status.code(), Some(1), "{}", stdout(&hasty));
}

#[test]
fn the_json_report_follows_the_checked_in_schema() {
    let sb = Sandbox::new();
    let url = naive_receiver();
    let out = check(&sb, &url, &["--json", "--skip", "valid/*"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("pure JSON on stdout");
    assert_eq!(report["format"], "dsync.check-report.v1");
    assert_eq!(report["exit_code"], 1);
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/report.schema.json");
    // The schema the binary prints is the checked-in one.
    let printed = sb.cmd().args(["check", "--print-schema"]).output().unwrap();
    assert_eq!(printed.stdout, std::fs::read(&schema).unwrap());
    if !python_has(
        "jsonschema",
        "the_json_report_follows_the_checked_in_schema",
    ) {
        return;
    }
    let report_file = sb.write("report.json", &out.stdout);
    const SCRIPT: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(json.load(open(sys.argv[2])))]
# A document that breaks the schema must be refused: the check can fail.
bad = json.load(open(sys.argv[2])); bad["cases"][0]["outcome"] = "maybe"
assert not validator.is_valid(bad), "the schema accepts an unknown outcome"
print("\n".join(errors)); sys.exit(1 if errors else 0)
"#;
    let v = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&schema)
        .arg(&report_file)
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn recommended_cases_warn_and_fail_only_with_strict() {
    let sb = Sandbox::new();
    // Signature checks right, but 500 to GET/HEAD and to unknown codes.
    let url = serve(Arc::new(|req: &Request| {
        if req.method != "POST" {
            return 500;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        if !req
            .header("cryptr-signature")
            .is_some_and(|s| signature_ok(s, &req.body, now))
        {
            return 401;
        }
        match serde_json::from_slice::<Value>(&req.body) {
            Err(_) => 400,
            Ok(e) if e["code"] == "dir_sync.user.suspend.success" => 500,
            Ok(_) => 200,
        }
    }));
    let lenient = check(&sb, &url, &["--only", "get-head", "--only", "unknown-code"]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stdout(&lenient));
    let table = stdout(&lenient);
    assert!(table.contains("warn get-head: GET answered 500"), "{table}");
    assert!(
        table.contains("0 passed, 0 failed, 2 warned, 0 skipped"),
        "{table}"
    );
    if python_has(
        "junitparser",
        "recommended_cases_warn_and_fail_only_with_strict",
    ) {
        let results = junit_results(&sb.path("junit.xml"));
        assert_eq!(results["get-head"], "Skipped");
        let xml = std::fs::read_to_string(sb.path("junit.xml")).unwrap();
        assert!(xml.contains("<skipped message=\"warning: expected GET and HEAD: not 5xx"));
    }
    let strict = check(
        &sb,
        &url,
        &["--only", "get-head", "--only", "unknown-code", "--strict"],
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("FAIL unknown-code: answered 500 instead of 2xx"));
}

#[test]
fn a_receiver_nobody_runs_is_exit_3_naming_the_url() {
    let sb = Sandbox::new();
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhooks", dead.local_addr().unwrap());
    drop(dead);
    let out = check(&sb, &url, &[]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("cannot reach {url}")), "{err}");
    assert!(out.stdout.is_empty());
    // CI still gets a report saying why.
    let xml = std::fs::read_to_string(sb.path("junit.xml")).unwrap();
    assert!(xml.contains("<error message=\"cannot reach"), "{xml}");
    if python_has(
        "junitparser",
        "a_receiver_nobody_runs_is_exit_3_naming_the_url",
    ) {
        assert_eq!(junit_results(&sb.path("junit.xml"))["reachable"], "Error");
    }
}

#[test]
fn only_skip_list_and_usage_errors() {
    let sb = Sandbox::new();
    let list = sb.cmd().args(["check", "--list"]).output().unwrap();
    assert!(list.status.success());
    let names: Vec<String> = stdout(&list)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), dsync::check::catalogue().len());
    assert!(names.contains(&"forged-signature".to_string()));
    let only = sb
        .cmd()
        .args(["check", "--list", "--only", "valid/*", "--skip", "*.fail"])
        .output()
        .unwrap();
    let only = stdout(&only);
    assert!(
        only.lines()
            .all(|l| l.starts_with("valid/") && !l.contains(".fail ")),
        "{only}"
    );
    assert_eq!(
        only.lines().count(),
        dsync::event::CODES
            .iter()
            .filter(|c| !c.ends_with(".fail"))
            .count()
    );

    // Each is a usage error (exit 2), and what stderr must say, if anything.
    let usage_error = |args: &[&str], says: Option<&str>| {
        let out = sb.cmd().arg("check").args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "check {args:?}: {stderr}");
        if let Some(says) = says {
            assert!(stderr.contains(says), "check {args:?}: {stderr}");
        }
    };
    let closed = "http://127.0.0.1:1/";
    usage_error(
        &[closed, "--secret", "s", "--only", "forgd*"],
        Some("--only \"forgd*\" matches no case"),
    );
    usage_error(&[closed], None);
    usage_error(&["--secret", "s"], None);
    usage_error(&["ftp://x/", "--secret", "s"], None);
    usage_error(&[closed, "--secret", "s", "-H", "no colon"], None);
    // Known before any case runs: nothing is sent to the (closed) port, so
    // the answer is 2 (usage), not 3 (unreachable).
    usage_error(
        &[closed, "--secret", "s", "--timeout", "0s"],
        Some("--timeout 0s"),
    );
    usage_error(
        &[closed, "--secret", "s", "--junit", "no/such/folder/j.xml"],
        Some("does not exist"),
    );
}

#[test]
fn extra_headers_reach_every_request() {
    let sb = Sandbox::new();
    // Behind a gate: nothing gets in without the header.
    let url = serve(Arc::new(|req: &Request| match req.header("x-gate") {
        Some("open") => 200,
        _ => 403,
    }));
    let out = check(
        &sb,
        &url,
        &[
            "--only",
            "valid/dir_sync.user.*",
            "--only",
            "get-head",
            "-H",
            "X-Gate: open",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let without = check(&sb, &url, &["--only", "valid/dir_sync.user.update.success"]);
    assert_eq!(without.status.code(), Some(1));
}
