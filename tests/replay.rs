//! Tests of `dsync replay`.

use crate::harness::Sandbox;

#[test]
fn replays_a_directory_and_skips_bad_files() {
    let sb = Sandbox::new();
    let body = std::fs::read(crate::harness::fixture("dir_sync.activated.json")).unwrap();
    sb.write("caps/a.json", &body);
    sb.write("caps/b.json", b"not json");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = vec![0; 65536];
        let mut got = Vec::new();
        while !String::from_utf8_lossy(&got).contains("\"webhook_id\"") {
            let n = s.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
        }
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        got
    });
    sb.cmd()
        .args(["replay", "caps", "--url", &url, "--secret", "k"])
        .assert()
        .success()
        .stdout(predicates::str::contains("sent 1: 2xx 1"))
        .stderr(predicates::str::contains("b.json"));
    let got = String::from_utf8(handle.join().unwrap()).unwrap();
    assert!(got.to_ascii_lowercase().contains("cryptr-signature: t="));
    assert!(got.ends_with(std::str::from_utf8(&body).unwrap()));
}

#[test]
fn event_filter_that_matches_nothing_sends_nothing() {
    let sb = Sandbox::new();
    let body = std::fs::read(crate::harness::fixture("dir_sync.activated.json")).unwrap();
    sb.write("caps/a.json", &body);
    // Nothing listens here: a delivery attempt would exit 3.
    sb.cmd()
        .args([
            "replay",
            "caps",
            "--url",
            "http://127.0.0.1:9/",
            "--event",
            "dir_sync.user.*",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("sent 0"));
    sb.cmd()
        .args([
            "replay",
            "caps",
            "--url",
            "http://127.0.0.1:9/",
            "--event",
            "dir_sync.activ*",
        ])
        .assert()
        .code(3);
}

#[test]
fn verbatim_resends_captured_headers_instead_of_resigning() {
    let sb = Sandbox::new();
    let body = std::fs::read(crate::harness::fixture("dir_sync.activated.json")).unwrap();
    let old_sig =
        "t=1676905124,v1=sha256.640e3f227fed2123e84101cc69f41fba3435ec3b8f28d4ea249231f928efa990";
    let capture = dsync::store::Capture::new(
        "POST",
        "/directory-sync",
        vec![
            ("Host".into(), "example.test".into()),
            ("cryptr-signature".into(), old_sig.into()),
        ],
        &body,
    );
    sb.write("cap.json", serde_json::to_vec(&capture).unwrap());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = vec![0; 65536];
        let mut got = Vec::new();
        while !String::from_utf8_lossy(&got).contains("\"webhook_id\"") {
            let n = s.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
        }
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        got
    });
    sb.cmd()
        .args([
            "replay",
            "cap.json",
            "--url",
            &url,
            "--secret",
            "k",
            "--verbatim",
        ])
        .assert()
        .success();
    let got = String::from_utf8(handle.join().unwrap()).unwrap();
    assert!(got.contains(old_sig), "{got}");
    assert!(!got.contains("example.test"));
}
