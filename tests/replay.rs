//! Tests of `dsync replay`.

use predicates::prelude::*;

use crate::harness::{assert_success, Sandbox};
use crate::send_test::{receiver, secret_for, signature_valid, Received};

/// A capture of `body` as if received at `at` (RFC 3339).
fn capture_at(body: &[u8], at: &str) -> dsync::store::Capture {
    let mut c = dsync::store::Capture::new("POST", "/hook", vec![], body);
    c.received_at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::Utc);
    c
}

/// A small event body with a marker and an `issued_at`.
fn event(n: usize, issued_at: &str) -> Vec<u8> {
    format!(r#"{{"code":"dir_sync.user.update.success","issued_at":"{issued_at}","n":{n}}}"#)
        .into_bytes()
}

/// Three captures: received in order 0, 1, 2 but issued in order 2, 1, 0;
/// written to a bundle in the scrambled line order 1, 2, 0.
fn scrambled_bundle() -> Vec<u8> {
    let caps = [
        capture_at(&event(0, "2024-01-01T00:00:03Z"), "2024-06-01T10:00:00Z"),
        capture_at(&event(1, "2024-01-01T00:00:02Z"), "2024-06-01T11:00:00Z"),
        capture_at(&event(2, "2024-01-01T00:00:01Z"), "2024-06-01T12:00:00Z"),
    ];
    let mut out = Vec::new();
    for i in [1, 2, 0] {
        out.extend(serde_json::to_vec(&caps[i]).unwrap());
        out.push(b'\n');
    }
    out
}

fn marker(r: &Received) -> u64 {
    serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["n"]
        .as_u64()
        .unwrap()
}

fn json_report(out: &std::process::Output) -> serde_json::Value {
    assert_success(out);
    serde_json::from_slice(&out.stdout).expect("one JSON report on stdout")
}

#[test]
fn replays_a_directory_and_skips_bad_files() {
    let sb = Sandbox::new();
    let body = std::fs::read(crate::harness::fixture("dir_sync.activated.json")).unwrap();
    sb.write("caps/a.json", &body);
    sb.write("caps/b.json", b"not json");
    let (url, rx) = receiver(1, 200);
    sb.cmd()
        .args(["replay", "caps", "--url", &url, "--secret", "k"])
        .assert()
        .success()
        .stderr(
            predicates::str::contains("sent 1: 2xx 1").and(predicates::str::contains("b.json")),
        );
    let got = rx.recv().unwrap();
    assert!(got.header("cryptr-signature").starts_with("t="));
    assert_eq!(got.body, body);
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
        .stderr(predicates::str::contains("sent 0"));
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
    let (url, rx) = receiver(1, 200);
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
    let got = rx.recv().unwrap();
    assert_eq!(got.header("cryptr-signature"), old_sig);
    assert!(
        got.headers.iter().all(|(_, v)| !v.contains("example.test")),
        "{:?}",
        got.headers
    );
    assert_eq!(got.body, body);
}

#[test]
fn each_scheme_round_trips_through_an_independent_check() {
    let sb = Sandbox::new();
    sb.write("ev.json", event(7, "2024-01-01T00:00:00Z"));
    for scheme in ["cryptr", "standard", "stripe", "workos"] {
        let (url, rx) = receiver(1, 200);
        sb.cmd()
            .args(["replay", "ev.json", "--url", &url, "--scheme", scheme])
            .args(["--secret", secret_for(scheme)])
            .assert()
            .success();
        let got = rx.recv().unwrap();
        assert_eq!(got.body, event(7, "2024-01-01T00:00:00Z"), "bytes kept");
        assert!(
            signature_valid(scheme, secret_for(scheme), &got),
            "{scheme}"
        );
    }
}

#[test]
fn bundle_is_ordered_by_capture_time_or_issued_at() {
    let sb = Sandbox::new();
    sb.write("bundle.ndjson", scrambled_bundle());
    let order = |extra: &[&str]| -> Vec<u64> {
        let (url, rx) = receiver(3, 200);
        sb.cmd()
            .args([
                "replay",
                "bundle.ndjson",
                "--url",
                &url,
                "--concurrency",
                "1",
            ])
            .args(extra)
            .assert()
            .success();
        rx.try_iter().map(|r| marker(&r)).collect()
    };
    assert_eq!(order(&[]), vec![0, 1, 2]);
    assert_eq!(order(&["--order", "issued_at"]), vec![2, 1, 0]);
}

#[test]
fn since_and_until_select_by_capture_time() {
    let sb = Sandbox::new();
    sb.write("bundle.ndjson", scrambled_bundle());
    let (url, rx) = receiver(3, 200);
    sb.cmd()
        .args([
            "replay",
            "bundle.ndjson",
            "--url",
            &url,
            "--concurrency",
            "1",
        ])
        .args([
            "--since",
            "2024-06-01T10:30:00Z",
            "--until",
            "2024-06-01T12:00:00Z",
        ])
        .assert()
        .success();
    let got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
    assert_eq!(got, vec![1]);
    sb.cmd()
        .args([
            "replay",
            "bundle.ndjson",
            "--url",
            &url,
            "--since",
            "yesterday-ish",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--since"));
}

#[test]
fn stdin_takes_a_bundle_or_a_raw_body() {
    let sb = Sandbox::new();
    let (url, rx) = receiver(4, 200);
    sb.cmd()
        .args(["replay", "-", "--url", &url, "--concurrency", "1"])
        .write_stdin(scrambled_bundle())
        .assert()
        .success();
    sb.cmd()
        .args(["replay", "-", "--url", &url, "--secret", "k"])
        .write_stdin(event(9, "2024-01-01T00:00:00Z"))
        .assert()
        .success();
    let got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
    assert_eq!(got, vec![0, 1, 2, 9]);
}

#[test]
fn concurrency_8_delivers_each_of_200_captures_exactly_once() {
    let sb = Sandbox::new();
    for n in 0..200 {
        let c = capture_at(&event(n, "2024-01-01T00:00:00Z"), "2024-06-01T10:00:00Z");
        sb.write(
            &format!("caps/{}", c.file_name()),
            serde_json::to_vec_pretty(&c).unwrap(),
        );
    }
    let (url, rx) = receiver(usize::MAX, 200);
    let out = sb
        .cmd()
        .args([
            "replay",
            "caps",
            "--url",
            &url,
            "--concurrency",
            "8",
            "--json",
        ])
        .args(["--secret", "k"])
        .output()
        .unwrap();
    let report = json_report(&out);
    let mut got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
    got.sort_unstable();
    assert_eq!(got, (0..200).collect::<Vec<u64>>());
    assert_eq!(report["sent"], 200);
    assert_eq!(report["status"]["2xx"], 200);
    assert_eq!(report["errors"], 0);
    let lat = &report["latency_ms"];
    assert!(lat["p50"].as_f64().unwrap() <= lat["p99"].as_f64().unwrap());
    assert!(lat["p99"].as_f64().unwrap() <= lat["max"].as_f64().unwrap());
}

#[test]
fn repeat_and_duplicate_send_the_expected_counts() {
    let sb = Sandbox::new();
    for n in 0..4 {
        sb.write(&format!("caps/{n}.json"), event(n, "2024-01-01T00:00:00Z"));
    }
    let (url, rx) = receiver(usize::MAX, 200);
    let report = json_report(
        &sb.cmd()
            .args(["replay", "caps", "--url", &url, "--repeat", "3", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(report["sent"], 12);
    let got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
    assert_eq!(got.len(), 12);
    for n in 0..4 {
        assert_eq!(got.iter().filter(|m| **m == n).count(), 3);
    }
    let dup = |seed: &str| {
        let report = json_report(
            &sb.cmd()
                .args([
                    "replay",
                    "caps",
                    "--url",
                    &url,
                    "--json",
                    "--concurrency",
                    "1",
                ])
                .args(["--duplicate", "0.5", "--shuffle", "--seed", seed])
                .output()
                .unwrap(),
        );
        assert_eq!(report["sent"], 6);
        let got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
        assert_eq!(got.len(), 6);
        // Exactly two events went twice, the others once.
        let twice = (0..4)
            .filter(|n| got.iter().filter(|m| *m == n).count() == 2)
            .count();
        assert_eq!(twice, 2);
        got
    };
    assert_eq!(dup("11"), dup("11"), "same seed, same order");
}

#[test]
fn non_2xx_exits_1_unless_allowed_and_the_report_counts_it() {
    let sb = Sandbox::new();
    sb.write("ev.json", event(1, "2024-01-01T00:00:00Z"));
    let (url, _rx) = receiver(2, 503);
    let out = sb
        .cmd()
        .args(["replay", "ev.json", "--url", &url, "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"]["5xx"], 1);
    assert_eq!(report["status"]["2xx"], 0);
    sb.cmd()
        .args(["replay", "ev.json", "--url", &url, "--allow-failures"])
        .assert()
        .success()
        .stderr(predicates::str::contains("5xx 1"));
}

#[test]
fn unreachable_url_exits_3_naming_it() {
    let sb = Sandbox::new();
    sb.write("ev.json", event(1, "2024-01-01T00:00:00Z"));
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/gone", dead.local_addr().unwrap());
    drop(dead);
    sb.cmd()
        .args(["replay", "ev.json", "--url", &url])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(url));
}

#[test]
fn bad_bundle_line_is_skipped_or_fatal_with_strict() {
    let sb = Sandbox::new();
    let mut bundle = scrambled_bundle();
    bundle.extend(b"{broken\n");
    sb.write("bundle.ndjson", &bundle);
    let (url, rx) = receiver(3, 200);
    sb.cmd()
        .args(["replay", "bundle.ndjson", "--url", &url])
        .assert()
        .success()
        .stderr(predicates::str::contains("bundle.ndjson line 4"));
    assert_eq!(rx.try_iter().count(), 3);
    sb.cmd()
        .args(["replay", "bundle.ndjson", "--url", &url, "--strict"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 4"));
}

#[test]
fn a_bundle_written_by_events_export_replays() {
    let sb = Sandbox::new();
    let store = dsync::store::Store::open(sb.path("store")).unwrap();
    for n in 0..3 {
        let at = format!("2024-06-01T1{n}:00:00Z");
        store
            .save(&capture_at(&event(n, "2024-01-01T00:00:00Z"), &at))
            .unwrap();
    }
    sb.cmd()
        .args(["events", "export", "--store", "store", "--out", "b.ndjson"])
        .assert()
        .success();
    let (url, rx) = receiver(3, 200);
    sb.cmd()
        .args(["replay", "b.ndjson", "--url", &url, "--concurrency", "1"])
        .assert()
        .success();
    let got: Vec<u64> = rx.try_iter().map(|r| marker(&r)).collect();
    assert_eq!(got, vec![0, 1, 2]);
}

#[test]
fn rate_spaces_deliveries_out() {
    let sb = Sandbox::new();
    for n in 0..5 {
        sb.write(&format!("caps/{n}.json"), event(n, "2024-01-01T00:00:00Z"));
    }
    let (url, rx) = receiver(5, 200);
    let started = std::time::Instant::now();
    sb.cmd()
        .args(["replay", "caps", "--url", &url, "--rate", "20/s"])
        .assert()
        .success();
    // Five sends at 20/s need at least four 50 ms gaps (a lower bound only: never flaky).
    assert!(started.elapsed() >= std::time::Duration::from_millis(200));
    assert_eq!(rx.try_iter().count(), 5);
    sb.cmd()
        .args(["replay", "caps", "--url", &url, "--rate", "fast"])
        .assert()
        .code(2);
}

#[test]
fn lines_of_raw_bodies_are_sent_one_by_one_but_a_lone_body_whole() {
    let sb = Sandbox::new();
    let mut lines = event(0, "2024-01-01T00:00:00Z");
    lines.push(b'\n');
    lines.extend(event(1, "2024-01-01T00:00:00Z"));
    lines.push(b'\n');
    sb.write("bodies.ndjson", &lines);
    let mut lone = event(5, "2024-01-01T00:00:00Z");
    lone.push(b'\n');
    sb.write("lone.json", &lone);
    let (url, rx) = receiver(3, 200);
    sb.cmd()
        .args([
            "replay",
            "bodies.ndjson",
            "--url",
            &url,
            "--concurrency",
            "1",
        ])
        .assert()
        .success();
    sb.cmd()
        .args(["replay", "lone.json", "--url", &url])
        .assert()
        .success();
    let got: Vec<Received> = rx.try_iter().collect();
    assert_eq!(got.iter().map(marker).collect::<Vec<_>>(), vec![0, 1, 5]);
    assert_eq!(got[0].body, event(0, "2024-01-01T00:00:00Z"));
    assert_eq!(got[2].body, lone, "a lone body keeps its trailing newline");
}

#[test]
fn ctrl_c_stops_sending_prints_the_summary_and_exits_130() {
    let sb = Sandbox::new();
    for n in 0..50 {
        sb.write(
            &format!("caps/{n:02}.json"),
            event(n, "2024-01-01T00:00:00Z"),
        );
    }
    let (url, rx) = receiver(50, 200);
    let child = sb
        .std_cmd()
        .args(["replay", "caps", "--url", &url, "--rate", "5/s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first delivery has arrived: replay is under way.
    rx.recv_timeout(std::time::Duration::from_secs(20))
        .expect("a first delivery");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted") && stderr.contains("sent "),
        "{stderr}"
    );
    assert!(rx.try_iter().count() < 49, "sending stopped early");
}

#[test]
fn since_and_until_are_read_as_events_reads_them() {
    let sb = Sandbox::new();
    sb.write("bundle.ndjson", scrambled_bundle());
    // Nothing listens here, and nothing is sent: the window is refused first.
    let replay = ["replay", "bundle.ndjson", "--url", "http://127.0.0.1:9/"];
    let events = ["events", "list", "--json"];
    for command in [&replay[..], &events[..]] {
        for (flag, value, says) in [
            (
                "--since",
                "yesterday",
                "invalid --since \"yesterday\": use a duration ago (2h, 7d) or an RFC 3339 time (",
            ),
            (
                "--until",
                "100000000000d",
                "invalid --until \"100000000000d\": too long ago",
            ),
        ] {
            sb.cmd()
                .args(command)
                .args([flag, value])
                .assert()
                .code(2)
                .stdout("")
                .stderr(predicate::str::contains(says));
        }
    }
}
