//! The event store under load and under failure, through the real binary:
//! `kill -9` mid-burst, two writers and a reader at once, a full disk, a
//! newer schema, a corrupt file; and the readers that take a stored
//! capture by id (`replay`, `verify --capture`, `diff`).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::harness::{assert_success, ndjson, Sandbox};

/// `dsync listen --json` on port 0; stdout drained by a thread so the
/// listener never blocks on a full pipe. Returns the child and its URL.
fn listen(mut cmd: std::process::Command) -> (Child, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dsync listen");
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut ready = String::new();
    lines.read_line(&mut ready).unwrap();
    let ready: Value = serde_json::from_str(&ready)
        .unwrap_or_else(|e| panic!("listen did not start: {ready:?} ({e})"));
    assert_eq!(ready["type"], "ready");
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = lines.read_to_string(&mut sink);
    });
    (child, ready["url"].as_str().unwrap().to_string())
}

/// `program` with the sandbox's isolated environment and working directory
/// (as `Sandbox::std_cmd` sets them up for dsync itself).
fn isolated(sb: &Sandbox, program: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear()
        .env("HOME", sb.root.path().join("home"))
        .env("XDG_CONFIG_HOME", sb.root.path().join("config"))
        .env("TERM", "dumb")
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(sb.work());
    cmd
}

fn listen_cmd(sb: &Sandbox, store: &str) -> std::process::Command {
    let mut cmd = sb.std_cmd();
    cmd.args(["--json", "listen", "--port", "0", "--store", store]);
    cmd
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut text);
    }
    text
}

/// Every stored capture's body (exact bytes), by its `code`, read back
/// through `events export --out -`.
fn exported_bodies(sb: &Sandbox, store: &str) -> Vec<Vec<u8>> {
    let out = sb
        .cmd()
        .args(["events", "export", "--store", store, "--out", "-"])
        .output()
        .unwrap();
    assert_success(&out);
    ndjson(&out.stdout)
        .into_iter()
        .map(|v| {
            let c = dsync::store::Capture::from_slice(v.to_string().as_bytes()).unwrap();
            let body = c.body.to_bytes().unwrap();
            assert_eq!(body.len() as u64, c.size, "size and body agree");
            body
        })
        .collect()
}

/// A body unique to (thread, n), with non-ASCII text and odd spacing, so
/// a re-serialised copy would not compare equal.
fn body(thread: usize, n: usize) -> Vec<u8> {
    format!(
        "{{\"code\":\"dir_sync.user.update.success\" , \"n\":\"{thread}-{n}\",\n \"name\":\"Zoë Ångström 北京 {n}\",\"pad\":\"{}\"}}",
        "x".repeat(n % 700)
    )
    .into_bytes()
}

#[test]
fn kill_9_mid_burst_loses_no_acknowledged_event() {
    let sb = Sandbox::new();
    let (mut child, url) = listen(listen_cmd(&sb, "s"));
    let acked: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let total = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..8)
        .map(|t| {
            let (url, acked, total) = (url.clone(), acked.clone(), total.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .unwrap();
                for n in 0.. {
                    let b = body(t, n);
                    match client.post(&url).body(b.clone()).send() {
                        Ok(r) if r.status().is_success() => {
                            acked.lock().unwrap().push(b);
                            total.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => panic!("listen answered {}", r.status()),
                        // The listener is gone: stop.
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    // Kill it in the middle of the burst, while requests are in flight.
    while total.load(Ordering::SeqCst) < 400 {
        std::thread::yield_now();
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for s in senders {
        s.join().unwrap();
    }
    let acked = acked.lock().unwrap();
    assert!(acked.len() >= 400);
    let stored: HashSet<Vec<u8>> = exported_bodies(&sb, "s").into_iter().collect();
    let lost: Vec<_> = acked.iter().filter(|b| !stored.contains(*b)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged bodies are not in the store, e.g. {:?}",
        lost.len(),
        acked.len(),
        String::from_utf8_lossy(lost[0])
    );
}

#[test]
fn two_listeners_write_one_store_while_a_reader_lists_it() {
    let sb = Sandbox::new();
    let (mut first, url1) = listen(listen_cmd(&sb, "shared"));
    let (mut second, url2) = listen(listen_cmd(&sb, "shared"));
    let writing = Arc::new(AtomicBool::new(true));
    let reader = {
        let writing = writing.clone();
        let mut list = sb.std_cmd();
        list.args([
            "--json", "events", "list", "--store", "shared", "--limit", "0",
        ]);
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while writing.load(Ordering::SeqCst) {
                let out = list.output().unwrap();
                assert!(
                    out.status.success(),
                    "a reader during writes failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                seen.push(ndjson(&out.stdout).len());
            }
            seen
        })
    };
    let posters: Vec<_> = [url1, url2]
        .into_iter()
        .flat_map(|url| (0..4).map(move |t| (url.clone(), t)))
        .enumerate()
        .map(|(i, (url, _))| {
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::new();
                for n in 0..60 {
                    let r = client.post(&url).body(body(i, n)).send().unwrap();
                    assert!(r.status().is_success(), "{}", r.status());
                }
            })
        })
        .collect();
    for p in posters {
        p.join().unwrap();
    }
    writing.store(false, Ordering::SeqCst);
    let seen = reader.join().unwrap();
    assert!(!seen.is_empty());
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "a listing went backwards: {seen:?}"
    );
    for child in [&mut first, &mut second] {
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        assert!(child.wait().unwrap().success(), "{}", stderr_of(child));
    }
    let bodies = exported_bodies(&sb, "shared");
    assert_eq!(bodies.len(), 8 * 60);
    let distinct: HashSet<_> = bodies.iter().collect();
    assert_eq!(distinct.len(), 8 * 60);
}

/// A file-size limit (`ulimit -f`, SIGXFSZ ignored so writes fail with
/// EFBIG instead of killing the process) stands in for a full disk: it
/// needs no root and no tmpfs, so it runs in CI as it runs here.
#[test]
fn a_full_disk_gets_5xx_and_a_reason_never_2xx() {
    let sb = Sandbox::new();
    let mut cmd = isolated(&sb, std::path::Path::new("sh"));
    // 4096 blocks of 512 bytes: 2 MiB for any file dsync writes.
    cmd.args([
        "-c",
        "trap '' XFSZ; ulimit -f 4096 && exec \"$0\" --json listen --port 0 --store full",
    ])
    .arg(assert_cmd::cargo::cargo_bin("dsync"));
    let (mut child, url) = listen(cmd);
    let client = reqwest::blocking::Client::new();
    let mut statuses: Vec<u16> = Vec::new();
    let mut acked = Vec::new();
    for n in 0..400 {
        let b = format!(
            "{{\"code\":\"dir_sync.user.create.success\",\"n\":{n},\"pad\":\"{}\"}}",
            "y".repeat(32 * 1024)
        )
        .into_bytes();
        let r = client.post(&url).body(b.clone()).send().unwrap();
        let status = r.status().as_u16();
        statuses.push(status);
        if (200..300).contains(&status) {
            acked.push(b);
        }
        if statuses.iter().filter(|s| **s >= 500).count() >= 3 {
            break;
        }
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
    let stderr = stderr_of(&mut child);
    let failures = statuses.iter().filter(|s| **s >= 500).count();
    assert!(
        failures >= 3,
        "never refused past the limit: {} answers, {:?}",
        statuses.len(),
        &statuses[statuses.len().saturating_sub(5)..]
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 500),
        "{statuses:?}"
    );
    assert!(stderr.contains("could not save capture"), "{stderr}");
    assert!(
        stderr.contains("refused the write") || stderr.contains("disk is full"),
        "{stderr}"
    );
    // What was answered 2xx is stored, byte for byte.
    let stored: HashSet<Vec<u8>> = exported_bodies(&sb, "full").into_iter().collect();
    assert!(acked.iter().all(|b| stored.contains(b)));
    assert!(
        !acked.is_empty(),
        "the store took nothing before it filled up"
    );
}

#[test]
fn a_store_from_a_newer_dsync_and_a_corrupt_file_are_refused() {
    let sb = Sandbox::new();
    dsync::store::Store::open(sb.path("newer")).unwrap();
    let conn = rusqlite::Connection::open(sb.path("newer/dsync.db")).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    for args in [
        &["events", "list", "--store", "newer"][..],
        &["listen", "--port", "0", "--store", "newer"][..],
    ] {
        let out = sb.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("newer dsync") && err.contains("schema version 999"),
            "{err}"
        );
    }

    sb.write(
        "corrupt/dsync.db",
        "this is not a database, just text\n".repeat(100),
    );
    let out = sb
        .cmd()
        .args(["events", "list", "--store", "corrupt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("corrupt/dsync.db") && err.contains("not an SQLite database"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Three stored events, through `listen`, signed with `secret`.
fn seed_through_listen(sb: &Sandbox, secret: &str) -> Vec<Value> {
    let (mut child, url) = listen({
        let mut c = listen_cmd(sb, ".dsync");
        c.args(["--secret", secret]);
        c
    });
    for code in [
        "dir_sync.user.update.success",
        "dir_sync.group.update.success",
        "dir_sync.user.update.success",
    ] {
        let out = sb
            .cmd()
            .args(["send-test", "--event", code, "--seed", "3", "--url", &url])
            .args(["--secret", secret])
            .output()
            .unwrap();
        assert_success(&out);
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
    let out = sb
        .cmd()
        .args(["--json", "events", "list", "--reverse"])
        .output()
        .unwrap();
    assert_success(&out);
    ndjson(&out.stdout)
}

#[test]
fn verify_and_diff_take_a_stored_capture_by_id() {
    let sb = Sandbox::new();
    let rows = seed_through_listen(&sb, "s3cret-key");
    let id = rows[0]["id"].as_str().unwrap();
    sb.cmd()
        .args(["verify", "--secret", "s3cret-key", "--capture", id])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("valid"));
    sb.cmd()
        .args(["verify", "--secret", "wrong", "--capture", id])
        .assert()
        .code(1);
    // A prefix is enough when it is unique; an unknown id is a usage error.
    let diff = sb.cmd().args(["diff", "--exit-zero", id]).output().unwrap();
    assert_success(&diff);
    assert!(!diff.stdout.is_empty());
    sb.cmd()
        .args(["verify", "--secret", "k", "--capture", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no event \"nope\""));
}

#[test]
fn replay_reads_the_store_with_its_filters_in_sql() {
    let sb = Sandbox::new();
    let rows = seed_through_listen(&sb, "k1");
    assert_eq!(rows.len(), 3);
    let got: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let server = Arc::new(server);
    {
        let (server, got) = (server.clone(), got.clone());
        std::thread::spawn(move || {
            for mut req in server.incoming_requests() {
                let mut b = Vec::new();
                req.as_reader().read_to_end(&mut b).unwrap();
                got.lock().unwrap().push(b);
                let _ = req.respond(tiny_http::Response::empty(200));
            }
        });
    }
    let url = format!("http://127.0.0.1:{port}/hook");
    let out = sb
        .cmd()
        .args([
            "--json",
            "replay",
            "--url",
            &url,
            "--event",
            "dir_sync.user.*",
        ])
        .args(["--concurrency", "1"])
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(ndjson(&out.stdout)[0]["sent"], 2);
    // The bytes replayed are the bytes stored.
    let stored: HashMap<String, Vec<u8>> = rows
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap();
            let out = sb
                .cmd()
                .args(["events", "show", "--body", id])
                .output()
                .unwrap();
            (r["code"].as_str().unwrap().to_string() + id, out.stdout)
        })
        .collect();
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 2);
    for b in got.iter() {
        assert!(stored.values().any(|s| s == b), "replayed bytes differ");
    }
    server.unblock();
}

#[test]
fn listen_keeps_the_store_under_its_configured_size() {
    let sb = Sandbox::new();
    sb.write("dsync.toml", "store_max_size = \"400KB\"\n");
    let (mut child, url) = listen(listen_cmd(&sb, "capped"));
    let client = reqwest::blocking::Client::new();
    let post = |n: usize| {
        let b = format!(
            "{{\"code\":\"dir_sync.user.update.success\",\"n\":{n},\"pad\":\"{}\"}}",
            "q".repeat(20_000)
        );
        assert!(client
            .post(&url)
            .body(b)
            .send()
            .unwrap()
            .status()
            .is_success());
    };
    for n in 0..=60 {
        post(n);
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    child.wait().unwrap();
    let stderr = stderr_of(&mut child);
    assert!(!stderr.contains("warning"), "{stderr}");
    let store = dsync::store::Store::open(sb.path("capped")).unwrap();
    let conn = store.connection().unwrap();
    let left = dsync::store::captures::list(
        &conn,
        &dsync::store::captures::Query {
            oldest_first: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(left.len() < 40, "{} captures left", left.len());
    let used = dsync::store::used_bytes(&conn).unwrap();
    assert!(
        used <= 400_000,
        "{used} bytes in use, {} captures: {stderr}",
        left.len()
    );
    // The oldest went first.
    let newest = dsync::store::captures::get(&conn, &left.last().unwrap().id)
        .unwrap()
        .unwrap();
    assert!(String::from_utf8(newest.body.to_bytes().unwrap())
        .unwrap()
        .contains("\"n\":60"));
}
