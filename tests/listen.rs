//! Tests of `dsync listen`: real HTTP against the binary on port 0.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Stdio};

use dsync::signature::{now_ms, SchemeName, Secret, SignParams};
use sha2::{Digest, Sha256};

use crate::harness::{fixture, Sandbox};

struct Listener {
    child: Child,
    lines: BufReader<ChildStdout>,
    url: String,
}

impl Listener {
    fn start(sb: &Sandbox, extra: &[&str]) -> Listener {
        let mut child = sb
            .std_cmd()
            .args(["--json", "listen", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dsync listen");
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let ready = next_json(&mut lines);
        assert_eq!(ready["type"], "ready");
        let url = ready["url"].as_str().unwrap().to_string();
        Listener { child, lines, url }
    }

    fn next(&mut self) -> serde_json::Value {
        next_json(&mut self.lines)
    }

    fn interrupt(self) -> (i32, Vec<serde_json::Value>) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        self.finish()
    }

    fn finish(mut self) -> (i32, Vec<serde_json::Value>) {
        let mut rest = Vec::new();
        let mut line = String::new();
        while self.lines.read_line(&mut line).unwrap() > 0 {
            rest.push(serde_json::from_str(&line).expect("NDJSON line"));
            line.clear();
        }
        let status = self.child.wait().unwrap();
        (status.code().unwrap_or(-1), rest)
    }
}

fn next_json(lines: &mut BufReader<ChildStdout>) -> serde_json::Value {
    let mut line = String::new();
    lines.read_line(&mut line).expect("read stdout");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON: {line:?}: {e}"))
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

fn signed(body: &[u8], secret: &str) -> Vec<(String, String)> {
    SchemeName::Cryptr
        .scheme()
        .sign(
            &Secret::new(secret),
            body,
            &SignParams {
                timestamp_ms: now_ms(),
                id: None,
            },
        )
        .unwrap()
}

fn post(url: &str, headers: &[(String, String)], body: Vec<u8>) -> (u16, String) {
    let mut req = client().post(url);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let resp = req.body(body).send().expect("post");
    (resp.status().as_u16(), resp.text().unwrap())
}

fn saved(sb: &Sandbox, event: &serde_json::Value) -> dsync::store::Capture {
    // `file` is the database, as the store was given (relative to the working directory).
    let db = sb.work().join(event["file"].as_str().unwrap());
    let store = dsync::store::Store::open(db.parent().unwrap()).unwrap();
    let conn = store.connection().unwrap();
    dsync::store::captures::get(&conn, event["id"].as_str().unwrap())
        .unwrap()
        .expect("the capture is stored")
}

#[test]
fn saves_exact_bytes_and_header_order_and_verifies() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--secret", "s3cret"]);
    let body = std::fs::read(fixture("dir_sync.activated.json")).unwrap();
    let mut headers = vec![
        ("X-Zeta".to_string(), "1".to_string()),
        ("X-Alpha".to_string(), "2".to_string()),
    ];
    headers.extend(signed(&body, "s3cret"));
    let (status, text) = post(&l.url, &headers, body.clone());
    assert_eq!((status, text.as_str()), (200, r#"{"received":true}"#));
    let ev = l.next();
    assert_eq!(ev["type"], "event");
    assert_eq!(ev["verification"], "valid");
    let cap = saved(&sb, &ev);
    assert_eq!(
        Sha256::digest(cap.body.to_bytes().unwrap()),
        Sha256::digest(&body)
    );
    let names: Vec<_> = cap.headers.iter().map(|(n, _)| n.to_lowercase()).collect();
    let z = names.iter().position(|n| n == "x-zeta").unwrap();
    let a = names.iter().position(|n| n == "x-alpha").unwrap();
    assert!(z < a, "header order kept: {names:?}");

    // Invalid: answered 200 by default, flagged.
    let (status, _) = post(&l.url, &signed(&body, "wrong"), body.clone());
    assert_eq!(status, 200);
    let ev = l.next();
    assert_eq!(ev["verification"], "invalid");
    assert!(ev["reason"]
        .as_str()
        .unwrap()
        .contains("no signature matches"));
    let (code, rest) = l.interrupt();
    assert_eq!(code, 0);
    let summary = rest.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["requests"], 2);
    assert_eq!(summary["invalid"], 1);
}

#[test]
fn reject_invalid_and_unsigned() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--secret", "s3cret", "--reject-invalid"]);
    let (status, text) = post(&l.url, &[], b"{\"code\":\"x\"}".to_vec());
    assert_eq!(status, 401);
    assert!(text.contains("missing header"), "{text}");
    assert_eq!(l.next()["verification"], "invalid");
    l.interrupt();

    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &[]);
    post(&l.url, &[], b"{\"code\":\"x\"}".to_vec());
    assert_eq!(l.next()["verification"], "unsigned");
    l.interrupt();
}

#[test]
fn malformed_non_utf8_and_oversized() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--max-body", "100"]);
    assert_eq!(post(&l.url, &[], b"{not json".to_vec()).0, 400);
    let ev = l.next();
    assert_eq!(saved(&sb, &ev).body.to_bytes().unwrap(), b"{not json");

    let raw = vec![0xff, 0xfe, 0x00, 0x80];
    post(&l.url, &[], raw.clone());
    let cap = saved(&sb, &l.next());
    assert!(matches!(cap.body, dsync::store::Body::Base64(_)));
    assert_eq!(cap.body.to_bytes().unwrap(), raw);

    assert_eq!(post(&l.url, &[], vec![b' '; 500]).0, 413);
    let cap = saved(&sb, &l.next());
    assert_eq!(cap.body, dsync::store::Body::Omitted);
    assert_eq!(cap.size, 500);
    l.interrupt();
}

#[test]
fn wrong_path_and_method() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--path", "/hooks"]);
    let base = l.url.trim_end_matches("/hooks").to_string();
    let (status, text) = post(&format!("{base}/other"), &[], b"{}".to_vec());
    assert_eq!(status, 404);
    assert!(text.contains("/hooks"), "{text}");
    l.next();
    let resp = client().get(&l.url).send().unwrap();
    assert_eq!(resp.status().as_u16(), 405);
    l.next();
    assert_eq!(post(&l.url, &[], b"{}".to_vec()).0, 200);
    l.interrupt();
}

/// A one-shot local app answering 201 with a body; returns its URL and the
/// request it saw (head + body).
fn app() -> (String, std::thread::JoinHandle<Vec<u8>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/app", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = sock.read(&mut chunk).unwrap();
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..i]).to_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse().unwrap())
                    .unwrap_or(0);
                if buf.len() >= i + 4 + len {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        sock.write_all(
            b"HTTP/1.1 201 Created\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
        )
        .unwrap();
        buf
    });
    (url, handle)
}

#[test]
fn forwards_exact_bytes_and_passes_back_answer() {
    let sb = Sandbox::new();
    let (app_url, seen) = app();
    let mut l = Listener::start(&sb, &["--forward-to", &app_url]);
    let body = b"{\"code\":\"dir_sync.user.create.success\"}".to_vec();
    let headers = vec![("X-Custom".to_string(), "kept".to_string())];
    let (status, text) = post(&l.url, &headers, body.clone());
    assert_eq!((status, text.as_str()), (201, "hello"));
    let request = String::from_utf8(seen.join().unwrap()).unwrap();
    assert!(request.ends_with(std::str::from_utf8(&body).unwrap()));
    let lower = request.to_lowercase();
    assert!(lower.contains("x-custom: kept"));
    assert!(lower.contains("x-forwarded-for: 127.0.0.1"));
    assert!(lower.contains("x-forwarded-proto: http"));
    assert_eq!(l.next()["forward"]["status"], 201);
    l.interrupt();
}

#[test]
fn app_down_gives_502_and_still_saves() {
    let sb = Sandbox::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut l = Listener::start(&sb, &["--forward-to", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(post(&l.url, &[], b"{}".to_vec()).0, 502);
    let ev = l.next();
    assert_eq!(ev["status"], 502);
    assert!(sb.work().join(ev["file"].as_str().unwrap()).exists());
    l.interrupt();
}

#[test]
fn expect_and_count_exit_codes() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--expect", "dir_sync.user.*=2", "--timeout", "30s"]);
    for _ in 0..2 {
        post(
            &l.url,
            &[],
            b"{\"code\":\"dir_sync.user.update.success\"}".to_vec(),
        );
        l.next();
    }
    assert_eq!(l.finish().0, 0);

    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--count", "1"]);
    post(&l.url, &[], b"{}".to_vec());
    l.next();
    assert_eq!(l.finish().0, 0);

    let sb = Sandbox::new();
    let l = Listener::start(&sb, &["--expect", "never", "--timeout", "200ms"]);
    let (code, rest) = l.finish();
    assert_eq!(code, 124);
    assert_eq!(rest.last().unwrap()["expectations"][0]["seen"], 0);

    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--secret", "s", "--fail-on-invalid"]);
    post(&l.url, &[], b"{}".to_vec());
    l.next();
    assert_eq!(l.finish().0, 1);
}

#[test]
fn sigint_with_pending_expectation_exits_130() {
    let sb = Sandbox::new();
    let l = Listener::start(&sb, &["--expect", "x"]);
    let (code, rest) = l.interrupt();
    assert_eq!(code, 130);
    assert_eq!(rest.last().unwrap()["type"], "summary");
}

#[test]
fn port_in_use_exits_3() {
    let sb = Sandbox::new();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    sb.cmd()
        .args(["listen", "--port", &port])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--port 0"));
}

#[test]
fn burst_of_concurrent_requests_loses_nothing() {
    let sb = Sandbox::new();
    let mut l = Listener::start(&sb, &["--store", "burst"]);
    let url = l.url.clone();
    let threads: Vec<_> = (0..20)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let c = client();
                (0..50)
                    .filter(|i| {
                        let body = format!("{{\"code\":\"burst.{t}.{i}\"}}");
                        c.post(&url)
                            .body(body)
                            .send()
                            .is_ok_and(|r| r.status().is_success())
                    })
                    .count()
            })
        })
        .collect();
    let ok: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(ok, 1000);
    for _ in 0..1000 {
        l.next();
    }
    l.interrupt();
    let store = dsync::store::Store::open(sb.path("burst")).unwrap();
    let stored = dsync::store::captures::count(
        &store.connection().unwrap(),
        &dsync::store::captures::Query::default(),
    )
    .unwrap();
    assert_eq!(stored as usize, ok);
}

#[test]
fn stalled_clients_do_not_block_the_others() {
    use std::io::Write;
    let sb = Sandbox::new();
    let mut listener = Listener::start(&sb, &["--workers", "2", "--no-save"]);
    let addr = listener
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    // More stalled clients than workers: headers sent, a large body promised
    // (small ones are read ahead by tiny_http itself), never sent.
    let stalled: Vec<std::net::TcpStream> = (0..4)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"co").unwrap();
            s
        })
        .collect();
    let (status, _) = post(
        &listener.url,
        &[],
        br#"{"code":"dir_sync.user.update.success"}"#.to_vec(),
    );
    assert_eq!(
        status, 200,
        "a normal request is answered while others stall"
    );
    // The answered one is reported (the stalled ones are still being read).
    let event = listener.next();
    assert_eq!(event["code"], "dir_sync.user.update.success");
    drop(stalled);
    let (code, rest) = listener.interrupt();
    assert_eq!(code, 0);
    assert!(rest.iter().any(|l| l["type"] == "summary"), "{rest:?}");
}

#[test]
fn a_burst_of_keep_alive_connections_to_a_fresh_listener_is_all_answered() {
    let sb = Sandbox::new();
    let listener = Listener::start(&sb, &["--no-save", "--compact"]);
    let events = sb
        .cmd()
        .args(["send-test", "--all", "--print", "--seed", "1"])
        .output()
        .unwrap();
    assert!(events.status.success());
    sb.write("burst.ndjson", events.stdout.repeat(20));
    // 32 connections at once, each kept alive by reqwest for the whole run.
    let out = sb
        .cmd()
        .args([
            "--json",
            "replay",
            "burst.ndjson",
            "--concurrency",
            "32",
            "--timeout",
            "10s",
        ])
        .args(["--url", &listener.url])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"]["2xx"], 420, "{report}");
    assert_eq!(report["errors"], 0, "{report}");
    let (code, _) = listener.interrupt();
    assert_eq!(code, 0);
}
