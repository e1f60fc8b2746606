//! Tests of the inspector (`dsync listen --ui`, `dsync ui`): its API over
//! real HTTP, its protections (Host, token, loopback), the live stream, and
//! the page itself in a real headless browser (Debian's chromium and
//! chromedriver over WebDriver; skipped locally without them, failed under CI).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{cryptr_signed, Sandbox};

const SECRET: &str = "inspector-test-secret-0123456789";
const WAIT: Duration = Duration::from_secs(20);

/// A running `dsync` with `--json`: its NDJSON lines, read on a thread so a
/// test waits with a deadline, never forever.
struct Proc {
    child: Child,
    lines: mpsc::Receiver<Value>,
    /// stderr, drained on a thread (a full pipe would stall dsync).
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    ready: Value,
}

impl Proc {
    fn start(sb: &Sandbox, args: &[&str]) -> Proc {
        Proc::start_with_env(sb, args, &[])
    }

    /// [`Proc::start`] with more environment variables.
    fn start_with_env(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Proc {
        let mut child = sb
            .std_cmd()
            .envs(env.iter().copied())
            .arg("--json")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dsync");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON on stdout: {line:?}: {e}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let mut proc = Proc {
            child,
            lines,
            stderr,
            ready: Value::Null,
        };
        let ready = proc.next();
        assert_eq!(ready["type"], "ready", "{ready}");
        proc.ready = ready;
        proc
    }

    /// `dsync listen --ui` on a free port, saving to `store`.
    fn listen(sb: &Sandbox, store: &str, extra: &[&str]) -> Proc {
        let mut args = vec![
            "listen",
            "--port",
            "0",
            "--store",
            store,
            "--secret",
            SECRET,
            "--compact",
        ];
        args.extend_from_slice(extra);
        Proc::start(sb, &args)
    }

    fn next(&mut self) -> Value {
        match self.lines.recv_timeout(WAIT) {
            Ok(v) => v,
            Err(_) => {
                let _ = self.child.kill();
                let err = self.stderr.lock().unwrap().clone();
                panic!("no NDJSON line from dsync within {WAIT:?}; stderr: {err}")
            }
        }
    }

    /// The next `event` line (a request the listener answered).
    fn next_event(&mut self) -> Value {
        loop {
            let v = self.next();
            if v["type"] == "event" {
                return v;
            }
        }
    }

    fn url(&self) -> String {
        self.ready["url"]
            .as_str()
            .expect("url in the ready line")
            .to_string()
    }

    fn ui_url(&self) -> String {
        self.ready["ui_url"]
            .as_str()
            .unwrap_or_else(|| panic!("no ui_url in {}", self.ready))
            .to_string()
    }

    /// `127.0.0.1:PORT` of the inspector.
    fn ui_authority(&self) -> String {
        let url = self.ui_url();
        url.trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(WAIT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The token embedded in the page.
fn page_token(ui_url: &str) -> String {
    let page = client().get(ui_url).send().unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().unwrap();
    let marker = r#"name="dsync-token" content=""#;
    let start = html.find(marker).expect("token meta in the page") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

fn api(ui_url: &str, token: &str, path: &str) -> (u16, Value) {
    let res = client()
        .get(format!("{ui_url}api/{path}"))
        .header("X-Dsync-Token", token)
        .send()
        .unwrap();
    let status = res.status().as_u16();
    (
        status,
        serde_json::from_slice(&res.bytes().unwrap()).unwrap_or(Value::Null),
    )
}

/// POST `body` signed with `secret`; the status answered.
fn post(url: &str, body: &[u8], secret: &str) -> u16 {
    let mut req = client()
        .post(url)
        .header("Content-Type", "application/json")
        .header("X-Test-Order", "first");
    for (n, v) in cryptr_signed(body, secret) {
        req = req.header(n, v);
    }
    req.body(body.to_vec()).send().unwrap().status().as_u16()
}

/// A compact Cryptr event body of `code` (the two shapes these tests need),
/// distinct per `n`. Written here rather than generated, so the assertions
/// do not depend on the generator's choices.
fn event(code: &str, n: u64) -> Vec<u8> {
    let (kind, changes) = match code {
        "dir_sync.user.update.success" => (
            "user",
            json!({
                "previous_values": {"email": format!("grace.{n}@shark-academy.io"),
                    "profile": {"given_name": "Grace", "family_name": "Hopper"}, "title": "Engineer"},
                "new_values": {"email": format!("grace.{n}@shark-academy.io"),
                    "profile": {"given_name": "Ada", "family_name": "Hopper"}, "title": "Engineer"},
            }),
        ),
        "dir_sync.group.users_added.success" => (
            "group",
            json!({
                "previous_values": {}, "new_values": {}, "removed_users": [],
                "added_users": (1..=3).map(|m| json!({"id": format!("u{n}-{m}"),
                    "email": format!("linus{m}.{n}@shark-academy.io")})).collect::<Vec<_>>(),
            }),
        ),
        other => panic!("no test body for {other}"),
    };
    json!({
        "__type__": "Event",
        "code": code,
        "data": {"__type__": "DirectorySyncEvent", "provider": "okta",
            "resource": {"type": kind, "id": format!("{kind}-{n}"), "changes": changes}},
        "issued_at": "2026-12-01T10:00:00.000000Z",
        "webhook_id": format!("webhook_{n}"),
    })
    .to_string()
    .into_bytes()
}

/// One raw HTTP/1.1 GET with a chosen Host header; the status code.
fn raw_get(authority: &str, host: &str, path: &str) -> u16 {
    let mut stream = TcpStream::connect(authority).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut head = String::new();
    BufReader::new(stream).read_line(&mut head).unwrap();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {head:?}"))
}

#[test]
fn list_detail_search_and_download() {
    let sb = Sandbox::new();
    let mut listener = Proc::listen(&sb, "store", &["--ui"]);
    let ui = listener.ui_url();
    assert!(ui.ends_with("/_dsync/"), "{ui}");
    let token = page_token(&ui);

    let update = event("dir_sync.user.update.success", 1);
    let added = event("dir_sync.group.users_added.success", 2);
    assert_eq!(post(&listener.url(), &update, SECRET), 200);
    let update_id = listener.next_event()["id"].as_str().unwrap().to_string();
    assert_eq!(post(&listener.url(), &added, SECRET), 200);
    listener.next_event();
    // A forged one: signed with another secret.
    assert_eq!(post(&listener.url(), &update, "not-the-secret-at-all"), 200);
    let forged_id = listener.next_event()["id"].as_str().unwrap().to_string();

    let (status, page) = api(&ui, &token, "captures");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 3);
    assert_eq!(page["shown"], 3);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], forged_id.as_str(), "newest first");
    assert_eq!(items[2]["id"], update_id.as_str());
    assert_eq!(items[2]["code"], "dir_sync.user.update.success");
    assert_eq!(items[2]["verification"], "valid");
    assert_eq!(items[2]["status"], 200);
    assert_eq!(items[0]["verification"], "invalid");
    assert!(items[2].get("body").is_none(), "the list carries no bodies");

    let (_, by_code) = api(&ui, &token, "captures?code=dir_sync.group.*");
    assert_eq!(by_code["shown"], 1);
    assert_eq!(by_code["total"], 3);
    assert_eq!(
        by_code["items"][0]["code"],
        "dir_sync.group.users_added.success"
    );
    let (_, invalid) = api(&ui, &token, "captures?verification=invalid");
    assert_eq!(invalid["shown"], 1);
    assert_eq!(invalid["items"][0]["id"], forged_id.as_str());
    let (_, ok) = api(&ui, &token, "captures?status=200");
    assert_eq!(ok["shown"], 3);
    assert_eq!(
        ok["statuses"],
        json!([200]),
        "the statuses the filter offers"
    );
    let (_, none) = api(&ui, &token, "captures?status=500");
    assert_eq!(none["shown"], 0);
    let (_, class) = api(&ui, &token, "captures?status=2xx");
    assert_eq!(class["shown"], 3);
    assert_eq!(class["items"].as_array().unwrap().len(), 3);
    let (_, class) = api(&ui, &token, "captures?status=4xx");
    assert_eq!(class["shown"], 0);
    let (status, _) = api(&ui, &token, "captures?status=7xx");
    assert_eq!(status, 400);
    // Full-text search over bodies: a member's email only the group event holds.
    let member: Value = serde_json::from_slice(&added).unwrap();
    let email = member["data"]["resource"]["changes"]["added_users"][0]["email"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, found) = api(
        &ui,
        &token,
        &format!("captures?q={}", email.replace('@', "%40")),
    );
    assert_eq!(found["shown"], 1, "{found}");
    assert_eq!(
        found["items"][0]["code"],
        "dir_sync.group.users_added.success"
    );
    // Keyset paging: one row at a time, no overlap.
    let (_, first) = api(&ui, &token, "captures?limit=1");
    let rowid = first["items"][0]["rowid"].as_i64().unwrap();
    let (_, second) = api(&ui, &token, &format!("captures?limit=1&before={rowid}"));
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["items"][0]["rowid"].as_i64().unwrap() < rowid);
    let (status, bad) = api(&ui, &token, "captures?verification=maybe");
    assert_eq!(status, 400, "{bad}");

    // Detail: exact body, headers in received order, diff, verdict, commands.
    let (status, d) = api(&ui, &token, &format!("captures/{update_id}"));
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["body"]["encoding"], "utf8");
    assert_eq!(
        d["body"]["raw"].as_str().unwrap().as_bytes(),
        update.as_slice()
    );
    assert!(d["body"]["pretty"]
        .as_str()
        .unwrap()
        .contains("\n  \"code\""));
    let names: Vec<String> = d["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[0].as_str().unwrap().to_ascii_lowercase())
        .collect();
    let order = names.iter().position(|n| n == "x-test-order").unwrap();
    let sig = names.iter().position(|n| n == "cryptr-signature").unwrap();
    assert!(order < sig, "headers in received order: {names:?}");
    assert_eq!(d["verification"]["status"], "valid");
    let rows = d["diff"]["rows"].as_array().unwrap();
    let given = rows
        .iter()
        .find(|r| r["path"] == "profile.given_name")
        .unwrap_or_else(|| panic!("no given_name row in {rows:?}"));
    assert_eq!(given["op"], "replace");
    assert!(d["curl"].as_str().unwrap().starts_with("curl "));
    // The replay command, run as a user would paste it (with --url added, as
    // the page does): the event arrives at another listener, re-signed.
    let mut target = Proc::listen(&sb, "target", &[]);
    let command = format!(
        "{} --url {}",
        d["replay_command"].as_str().unwrap(),
        target.url()
    );
    let bin_dir = assert_cmd::cargo::cargo_bin("dsync")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = std::process::Command::new("sh")
        .env_clear()
        .env("HOME", sb.root.path().join("home"))
        .env("XDG_CONFIG_HOME", sb.root.path().join("config"))
        .env("PATH", path)
        .env("DSYNC_SECRET", SECRET)
        .current_dir(sb.work())
        .args(["-c", &command])
        .output()
        .unwrap();
    crate::harness::assert_success(&out);
    let arrived = target.next_event();
    assert_eq!(arrived["code"], "dir_sync.user.update.success");
    assert_eq!(arrived["verification"], "valid", "{command}");
    let (_, group) = api(
        &ui,
        &token,
        &format!("captures/{}", items[1]["id"].as_str().unwrap()),
    );
    assert_eq!(
        group["diff"]["members"]["added"].as_array().unwrap().len(),
        3
    );
    assert!(group["diff"]["members"]["added"][0]
        .as_str()
        .unwrap()
        .contains(&email));
    // The forged one: why it fails, as `dsync verify` says.
    let (_, forged) = api(&ui, &token, &format!("captures/{forged_id}"));
    assert_eq!(forged["verification"]["status"], "invalid");
    assert_eq!(forged["diagnosis"]["valid"], false);
    assert!(forged["diagnosis"]["hints"][0]
        .as_str()
        .unwrap()
        .contains("secret is most likely not the one"));
    let (status, _) = api(&ui, &token, "captures/no-such-capture");
    assert_eq!(status, 404);

    // A body that is not UTF-8: kept exactly, shown as base64 and said so.
    let binary = vec![0xff, 0xfe, b'{', 0x00, b'}'];
    assert_eq!(post(&listener.url(), &binary, SECRET), 400);
    let binary_id = listener.next_event()["id"].as_str().unwrap().to_string();
    let (_, b) = api(&ui, &token, &format!("captures/{binary_id}"));
    assert_eq!(b["body"]["encoding"], "base64");
    assert_eq!(b["body"]["raw"], "//57AH0=");
    assert_eq!(b["body"]["pretty"], Value::Null);
    assert!(b["diff"].is_null());
    assert!(b["curl"]
        .as_str()
        .unwrap()
        .starts_with("printf %s //57AH0= | base64 -d | curl "));

    // Download: the capture file `dsync replay FILE` reads.
    let res = client()
        .get(format!(
            "{ui}api/captures/{update_id}/download?token={token}"
        ))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename="));
    let file = sb.write("downloaded.json", res.bytes().unwrap());
    // A capture file: `dsync verify --capture` reads it and the signature holds.
    let out = sb
        .cmd()
        .args(["verify", "--no-tolerance", "--secret", SECRET, "--capture"])
        .arg(&file)
        .output()
        .unwrap();
    crate::harness::assert_success(&out);
}

#[test]
fn host_header_and_token_are_checked() {
    let sb = Sandbox::new();
    // With --path too: the inspector answers before listen's path check.
    let listener = Proc::listen(&sb, "store", &["--ui", "--path", "/directory-sync"]);
    let ui = listener.ui_url();
    let authority = listener.ui_authority();
    let port = authority.rsplit(':').next().unwrap();

    // DNS rebinding: the browser sends the attacker's name in Host.
    assert_eq!(raw_get(&authority, &authority, "/_dsync/"), 200);
    assert_eq!(
        raw_get(&authority, &format!("localhost:{port}"), "/_dsync/"),
        200
    );
    assert_eq!(
        raw_get(&authority, &format!("evil.example:{port}"), "/_dsync/"),
        403
    );
    assert_eq!(
        raw_get(
            &authority,
            &format!("127.0.0.1.nip.io:{port}"),
            "/_dsync/app.js"
        ),
        403
    );
    assert_eq!(raw_get(&authority, "127.0.0.1:1", "/_dsync/"), 403);
    let token = page_token(&ui);
    assert_eq!(
        raw_get(
            &authority,
            &format!("evil.example:{port}"),
            &format!("/_dsync/api/captures?token={token}")
        ),
        403
    );
    // The token: missing, wrong, right.
    let list = format!("{ui}api/captures");
    assert_eq!(client().get(&list).send().unwrap().status(), 401);
    assert_eq!(
        client()
            .get(&list)
            .header("X-Dsync-Token", "guess")
            .send()
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        client()
            .get(&list)
            .header("X-Dsync-Token", &token)
            .send()
            .unwrap()
            .status(),
        200
    );
    // Another process gets another token.
    let other = Proc::listen(&sb, "store2", &["--ui"]);
    let other_token = page_token(&other.ui_url());
    assert_ne!(other_token, token);
    // The reserved path is never captured (this listener takes every path):
    // a POST there gets the inspector's 404.
    let res = client()
        .post(format!("{}hook", other.ui_url()))
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client().post(other.url()).body("{}").send().unwrap();
    assert_eq!(res.status(), 200, "elsewhere it captures");
    let (_, page) = api(&other.ui_url(), &other_token, "captures");
    assert_eq!(
        page["total"], 1,
        "only the request outside /_dsync/ was captured"
    );
    // The page may not be framed by another site, and loads nothing from elsewhere.
    let page = client().get(&ui).send().unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = page.text().unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resource"
    );
}

#[test]
fn replay_needs_the_token_and_arrives_re_signed() {
    let sb = Sandbox::new();
    let mut source = Proc::listen(&sb, "a", &["--ui"]);
    let mut target = Proc::listen(&sb, "b", &[]);
    let ui = source.ui_url();
    let token = page_token(&ui);
    let body = event("dir_sync.user.update.success", 3);
    assert_eq!(post(&source.url(), &body, SECRET), 200);
    let id = source.next_event()["id"].as_str().unwrap().to_string();
    let replay = format!("{ui}api/captures/{id}/replay");

    // Without the token (what another site's form could send): refused, nothing sent.
    let res = client()
        .post(&replay)
        .header("Content-Type", "text/plain")
        .body(json!({"url": target.url()}).to_string())
        .send()
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = client()
        .post(&replay)
        .header("X-Dsync-Token", &token)
        .body(r#"{"url": "ftp://example.com/"}"#)
        .send()
        .unwrap();
    assert_eq!(res.status(), 400);

    let res = client()
        .post(&replay)
        .header("X-Dsync-Token", &token)
        .body(json!({"url": target.url()}).to_string())
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let answer: Value = serde_json::from_slice(&res.bytes().unwrap()).unwrap();
    assert_eq!(answer["status"], 200, "{answer}");
    assert_eq!(answer["signed"], true);
    let arrived = target.next_event();
    assert_eq!(arrived["code"], "dir_sync.user.update.success");
    assert_eq!(
        arrived["verification"], "valid",
        "re-signed with a fresh timestamp"
    );
    // Exact bytes: the target stored what the source received.
    let target_ui = Proc::listen(&sb, "b", &["--ui"]);
    let t_token = page_token(&target_ui.ui_url());
    let (_, d) = api(
        &target_ui.ui_url(),
        &t_token,
        &format!("captures/{}", arrived["id"].as_str().unwrap()),
    );
    assert_eq!(
        d["body"]["raw"].as_str().unwrap().as_bytes(),
        body.as_slice()
    );
}

#[test]
fn the_live_stream_pushes_each_new_capture() {
    let sb = Sandbox::new();
    let mut listener = Proc::listen(&sb, "store", &["--ui"]);
    let ui = listener.ui_url();
    let token = page_token(&ui);
    let frames = sse(&format!("{ui}api/live?token={token}"));
    // The stream is open once its first frame arrived.
    let first = frames.recv_timeout(WAIT).expect("the stream opens");
    assert!(first.contains("retry:"), "{first:?}");

    let body = event("dir_sync.user.update.success", 4);
    let sent = Instant::now();
    assert_eq!(post(&listener.url(), &body, SECRET), 200);
    let id = listener.next_event()["id"].as_str().unwrap().to_string();
    let mut seen = String::new();
    while !seen.contains(&id) {
        let chunk = frames
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no capture frame; saw {seen:?}"));
        seen.push_str(&chunk);
    }
    // (Not a timing assertion: the figure is printed for the report.)
    eprintln!("capture frame after {:?}", sent.elapsed());
    assert!(seen.contains("event: capture"), "{seen}");
    let data = seen
        .lines()
        .find(|l| l.starts_with("data: ") && l.contains(&id))
        .unwrap();
    let summary: Value = serde_json::from_str(&data["data: ".len()..]).unwrap();
    assert_eq!(summary["code"], "dir_sync.user.update.success");
    assert_eq!(summary["verification"], "valid");
}

/// The `dsync-stream` threads of process `pid`: the server runs one per
/// streamed answer, until that answer ends.
#[cfg(target_os = "linux")]
fn stream_threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the process's threads")
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "dsync-stream")
        .count()
}

#[test]
#[cfg(target_os = "linux")]
fn heartbeats_reach_an_idle_stream_and_free_a_closed_one() {
    let sb = Sandbox::new();
    let ui_proc = Proc::start_with_env(
        &sb,
        &["ui", "--port", "0", "--store", "store", "--secret", SECRET],
        &[("DSYNC_UI_HEARTBEAT_MS", "100")],
    );
    let ui = ui_proc.ui_url();
    let token = page_token(&ui);
    let kept = sse(&format!("{ui}api/live?token={token}"));
    let closed = sse(&format!("{ui}api/live?token={token}"));
    for frames in [&kept, &closed] {
        let first = frames.recv_timeout(WAIT).expect("the stream opens");
        assert!(first.contains("retry:"), "{first:?}");
    }
    assert_eq!(stream_threads(ui_proc.child.id()), 2);

    // No capture arrives, yet pings do: three of them within WAIT, where the
    // default interval (15 s) would give one.
    let pings_within = |frames: &mpsc::Receiver<String>, count: usize| {
        let deadline = Instant::now() + WAIT;
        let mut seen = String::new();
        while seen.matches(": ping\n\n").count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match frames.recv_timeout(left) {
                Ok(chunk) => seen.push_str(&chunk),
                Err(_) => panic!("fewer than {count} pings within {WAIT:?}: {seen:?}"),
            }
        }
        assert!(!seen.contains("event: capture"), "{seen}");
    };
    pings_within(&kept, 3);

    // A page that goes away: its client closes at the next ping, and the
    // ping after that finds the closed connection and ends the stream.
    drop(closed);
    let deadline = Instant::now() + WAIT;
    while stream_threads(ui_proc.child.id()) > 1 {
        assert!(
            Instant::now() < deadline,
            "the closed stream is still served after {WAIT:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The open one is untouched.
    pings_within(&kept, 1);
    assert_eq!(stream_threads(ui_proc.child.id()), 1);
}

/// Read a Server-Sent Events stream on a thread; chunks as they come.
fn sse(url: &str) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let url = url.to_string();
    std::thread::spawn(move || {
        let client = reqwest::blocking::Client::builder()
            .timeout(None)
            .build()
            .unwrap();
        let mut res = client.get(&url).send().unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        let mut buf = [0u8; 4096];
        loop {
            match res.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx
                        .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    rx
}

#[test]
fn dsync_ui_shows_what_another_process_writes() {
    let sb = Sandbox::new();
    let ui_proc = Proc::start(
        &sb,
        &["ui", "--port", "0", "--store", "shared", "--secret", SECRET],
    );
    let ui = ui_proc.ui_url();
    let token = page_token(&ui);
    let frames = sse(&format!("{ui}api/live?token={token}"));
    frames.recv_timeout(WAIT).expect("the stream opens");

    let mut listener = Proc::listen(&sb, "shared", &[]);
    assert!(listener.ready["ui_url"].is_null(), "no --ui, no inspector");
    let body = event("dir_sync.group.users_added.success", 5);
    assert_eq!(post(&listener.url(), &body, SECRET), 200);
    let id = listener.next_event()["id"].as_str().unwrap().to_string();
    let mut seen = String::new();
    while !seen.contains(&id) {
        seen.push_str(&frames.recv_timeout(WAIT).expect("a capture frame"));
    }
    let (status, d) = api(&ui, &token, &format!("captures/{id}"));
    assert_eq!(status, 200);
    assert_eq!(d["verification"]["status"], "valid");

    // The local directory writes its events into the same store: they show too.
    let directory = Proc::start(
        &sb,
        &[
            "directory",
            "serve",
            "--port",
            "0",
            "--no-auth",
            "--store",
            "shared",
        ],
    );
    let scim = directory.ready["scim_url"].as_str().unwrap().to_string();
    let created = client()
        .post(format!("{scim}/Users"))
        .header("Content-Type", "application/scim+json")
        .body(
            json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "ada@acme.io", "emails": [{"value": "ada@acme.io", "primary": true}],
                "name": {"givenName": "Ada", "familyName": "Lovelace"}, "active": true})
            .to_string(),
        )
        .send()
        .unwrap();
    assert_eq!(created.status(), 201);
    let mut seen = String::new();
    while !seen.contains("dir_sync.user.provision.success") {
        seen.push_str(&frames.recv_timeout(WAIT).expect("the directory's capture"));
    }
    let data = seen
        .lines()
        .find(|l| l.starts_with("data: ") && l.contains("dir_sync.user.provision.success"))
        .unwrap();
    let summary: Value = serde_json::from_str(&data["data: ".len()..]).unwrap();
    assert_eq!(summary["source"], "directory");
    assert_eq!(summary["resource"], "user ada@acme.io");
}

#[test]
fn non_loopback_needs_a_token() {
    let sb = Sandbox::new();
    // listen on every interface: the inspector is off without --ui-token.
    let listener = Proc::listen(&sb, "store", &["--ui", "--host", "0.0.0.0"]);
    assert!(listener.ready["ui_url"].is_null(), "{}", listener.ready);
    let base = listener.url();
    let authority = base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let port = authority.rsplit(':').next().unwrap().to_string();
    let local = format!("127.0.0.1:{port}");
    assert_eq!(raw_get(&local, &local, "/_dsync/"), 404);

    // With --ui-token: the page and the API need it.
    let token = "a-long-enough-token-1234";
    let guarded = Proc::listen(
        &sb,
        "store2",
        &["--ui", "--host", "0.0.0.0", "--ui-token", token],
    );
    let ui = guarded.ui_url();
    assert!(ui.contains(&format!("?token={token}")), "{ui}");
    let port = ui
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let local = format!("127.0.0.1:{port}");
    assert_eq!(raw_get(&local, &local, "/_dsync/"), 401);
    assert_eq!(
        raw_get(&local, &local, "/_dsync/?token=wrong-but-long-enough"),
        403
    );
    assert_eq!(
        raw_get(&local, &local, &format!("/_dsync/?token={token}")),
        200
    );
    let (status, _) = api(&format!("http://{local}/_dsync/"), token, "captures");
    assert_eq!(status, 200);

    // dsync ui refuses a non-loopback address without a token (exit 2).
    let out = sb
        .cmd()
        .args(["ui", "--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
    let out = sb
        .cmd()
        .args(["listen", "--ui", "--ui-token", "short", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A store named by flag that is not there is a typo, not a new store.
    let out = sb
        .cmd()
        .args(["ui", "--store", "no/such/store", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no store at"));
    assert!(!sb.path("no/such/store").exists());
}

#[test]
fn dsync_ui_on_a_port_in_use_exits_3() {
    let sb = Sandbox::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = sb.cmd().args(["ui", "--port", &port]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is in use"));
}

#[test]
fn the_secret_never_reaches_the_page() {
    let sb = Sandbox::new();
    let mut listener = Proc::listen(&sb, "store", &["--ui"]);
    let ui = listener.ui_url();
    let token = page_token(&ui);
    let body = event("dir_sync.user.update.success", 6);
    assert_eq!(
        post(&listener.url(), &body, "wrong-secret-for-a-diagnosis"),
        200
    );
    let id = listener.next_event()["id"].as_str().unwrap().to_string();
    let mut seen = String::new();
    for path in ["", "app.js", "app.css"] {
        seen.push_str(
            &client()
                .get(format!("{ui}{path}"))
                .send()
                .unwrap()
                .text()
                .unwrap(),
        );
    }
    for path in ["captures".to_string(), format!("captures/{id}")] {
        seen.push_str(&api(&ui, &token, &path).1.to_string());
    }
    assert!(seen.contains(&id));
    assert!(!seen.contains(SECRET), "the secret leaked to the page");
}

// ---- the page in a real browser --------------------------------------------

/// chromium and chromedriver, or `None` (locally) when they are missing;
/// under CI their absence fails the test.
fn browser() -> Option<(String, String)> {
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(n))
                    .find(|p| p.is_file())
                    .map(|p| p.display().to_string())
            })
        })
    };
    let found = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    );
    match found {
        (Some(chrome), Some(driver)) => Some((chrome, driver)),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("CI is set but chromium / chromedriver are missing (.ci/run installs them)")
        }
        _ => {
            eprintln!("skipped: chromium and chromedriver are not installed");
            None
        }
    }
}

/// chromedriver on a free port, until dropped.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
    chrome: String,
}

impl Driver {
    fn start(chrome: String, driver: &str) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        // Ready when it says so on stdout.
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let deadline = Instant::now() + WAIT;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap_or(0) == 0 || Instant::now() > deadline {
                panic!("chromedriver did not start");
            }
            if line.contains("started successfully") {
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _profile: tempfile::tempdir().unwrap(),
            chrome,
        }
    }

    fn capabilities(&self) -> serde_json::Map<String, Value> {
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1400,900",
                    format!("--user-data-dir={}", self._profile.path().display()),
                ],
            },
        });
        caps.as_object().unwrap().clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_page_in_a_real_browser() {
    let Some((chrome, driver)) = browser() else {
        return;
    };
    let sb = Sandbox::new();
    let mut source = Proc::listen(&sb, "a", &["--ui"]);
    let mut target = Proc::listen(&sb, "b", &[]);
    let driver = Driver::start(chrome, &driver);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let browser = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(driver.capabilities())
        .connect(&driver.url)
        .await
        .expect("a WebDriver session");
        let result = in_browser(&browser, &mut source, &mut target).await;
        let _ = browser.close().await;
        result
    });
}

async fn in_browser(browser: &fantoccini::Client, source: &mut Proc, target: &mut Proc) {
    use fantoccini::Locator;

    let ui = source.ui_url();
    browser.goto(&ui).await.unwrap();
    wait_text(browser, "#live", "live").await;
    wait_text(browser, "#list-end", "No captures yet").await;
    // The first capture of an empty store appears live.
    let seed = event("dir_sync.group.users_added.success", 7);
    blocking(|| {
        assert_eq!(post(&source.url(), &seed, SECRET), 200);
        source.next_event();
    });
    wait_text(browser, "#count", "1 of 1 shown").await;

    // A signed event appears without a reload.
    let body = event("dir_sync.user.update.success", 8);
    let id = blocking(|| {
        assert_eq!(post(&source.url(), &body, SECRET), 200);
        source.next_event()["id"].as_str().unwrap().to_string()
    });
    wait_text(browser, "#count", "2 of 2 shown").await;
    let first = browser
        .find(Locator::Css("#list li:first-child"))
        .await
        .unwrap();
    assert_eq!(
        first.attr("data-id").await.unwrap().as_deref(),
        Some(id.as_str())
    );
    assert!(first
        .text()
        .await
        .unwrap()
        .contains("dir_sync.user.update.success"));

    // Keyboard: focus the list, j / k, Enter opens.
    browser
        .find(Locator::Css("#list"))
        .await
        .unwrap()
        .send_keys("jk")
        .await
        .unwrap();
    browser
        .find(Locator::Css("#list"))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    wait_text(browser, "#detail h2", "dir_sync.user.update.success").await;
    // The diff lines and the verification.
    wait_text(browser, "#detail table.diff", "profile.given_name").await;
    let replaced = browser
        .find_all(Locator::Css("#detail table.diff tr.replace"))
        .await
        .unwrap();
    assert!(!replaced.is_empty(), "changed attributes are highlighted");
    wait_text(browser, "#detail .verdict", "valid").await;
    // Pretty and raw bodies.
    browser
        .find(Locator::XPath("//button[starts-with(., 'Raw')]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let raw = browser
        .find(Locator::Css("#body-text"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        raw.as_bytes(),
        body.as_slice(),
        "the raw view shows the exact bytes"
    );

    // Filter: only group events.
    browser
        .find(Locator::Css("#f-code"))
        .await
        .unwrap()
        .send_keys("dir_sync.group.*")
        .await
        .unwrap();
    wait_text(browser, "#count", "1 of 2 shown").await;
    let rows = browser.find_all(Locator::Css("#list li")).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0]
        .text()
        .await
        .unwrap()
        .contains("dir_sync.group.users_added.success"));
    browser
        .find(Locator::Css("#f-code"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    browser
        .execute(
            "document.getElementById('filters').dispatchEvent(new Event('input'))",
            vec![],
        )
        .await
        .unwrap();
    wait_text(browser, "#count", "2 of 2 shown").await;

    // Every control has a name a screen reader can say.
    let controls = browser
        .execute(
            "const all = [...document.querySelectorAll('input, select, button, a')]; \
             return {count: all.length, unnamed: all.filter(e => e.matches('input, select') \
               ? e.labels.length === 0 : !e.textContent.trim()).map(e => e.outerHTML)}",
            vec![],
        )
        .await
        .unwrap();
    assert!(controls["count"].as_u64().unwrap() >= 10, "{controls}");
    assert_eq!(controls["unnamed"], json!([]), "controls without a label");

    // Replay the opened capture to a second listener: it arrives there.
    let url_input = browser.find(Locator::Css("#replay-url")).await.unwrap();
    url_input.clear().await.unwrap();
    url_input.send_keys(&target.url()).await.unwrap();
    browser
        .find(Locator::Css("#replay-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(browser, "#replay-result", "200 from").await;
    let arrived = blocking(|| target.next_event());
    assert_eq!(arrived["code"], "dir_sync.user.update.success");
    assert_eq!(arrived["verification"], "valid");
}

/// Blocking work (the test's HTTP client, waiting for dsync's lines) from
/// inside the browser session's runtime.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

/// Wait (up to `WAIT`) until the element's text contains `text`.
async fn wait_text(browser: &fantoccini::Client, css: &str, text: &str) {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(el) = browser.find(fantoccini::Locator::Css(css)).await {
            if let Ok(t) = el.text().await {
                if t.contains(text) {
                    return;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css} never showed {text:?}; last text: {last:?}");
}
