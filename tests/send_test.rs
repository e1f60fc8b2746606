//! Tests of `dsync send-test`, with a receiver that checks signatures using
//! the hmac/sha2 crates directly (independent of the product's signing code).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::harness::Sandbox;

const SECRET: &str = "G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZKe2mikvF1";

/// One captured request: lower-cased headers and the raw body.
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Serve `count` requests on 127.0.0.1:0, answering `status`; return the URL and a channel.
fn receiver(count: usize, status: u16) -> (String, mpsc::Receiver<Received>) {
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
            let answer =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            stream.write_all(answer.as_bytes()).unwrap();
            tx.send(Received { headers, body }).unwrap();
        }
    });
    (url, rx)
}

fn cryptr_valid(r: &Received) -> bool {
    let header = &r
        .headers
        .iter()
        .find(|(n, _)| n == "cryptr-signature")
        .expect("signature header")
        .1;
    let mut t = "";
    let mut v1 = "";
    for pair in header.split(',') {
        match pair.split_once('=') {
            Some(("t", x)) => t = x,
            Some(("v1", x)) => v1 = x.trim_start_matches("sha256."),
            _ => {}
        }
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(&r.body);
    hex::encode(mac.finalize().into_bytes()) == v1
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
    sb.cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
            "--url",
            &url,
            "--expect-status",
            "2xx",
        ])
        .assert()
        .code(1);
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}/x", dead.local_addr().unwrap());
    drop(dead);
    sb.cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
            "--url",
            &dead_url,
        ])
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
    let out = sb
        .cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
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
    sb.cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
            "--print",
            "--set",
            "code.x.y=1",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("code.x.y"));
}

#[test]
fn retry_resigns_every_try_and_stops_on_410() {
    let sb = Sandbox::new();
    let (url, rx) = receiver(2, 500);
    sb.cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
            "--url",
            &url,
            "--secret",
            SECRET,
        ])
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
    sb.cmd()
        .args([
            "send-test",
            "--event",
            "dir_sync.activated",
            "--url",
            &url,
            "--retry",
            "--retry-schedule",
            "0,1ms,1ms",
        ])
        .assert()
        .success();
    assert_eq!(rx.iter().count(), 1);
}
