//! Tests of `dsync directory`: the real binary serving SCIM on port 0, driven
//! by raw HTTP and by an independent SCIM client library (Python
//! scim2-client), delivering to a test receiver that checks every signature
//! with the hmac crate (not dsync's signing code).

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::harness::{assert_success, Sandbox};

const SECRET: &str = "directory-test-secret";
const TOKEN: &str = "test-token-123";
const WAIT: Duration = Duration::from_secs(20);

/// One webhook the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    json: Value,
    at: Instant,
}

impl Hit {
    fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or("")
    }
    fn resource_id(&self) -> &str {
        self.json["data"]["resource"]["id"].as_str().unwrap_or("")
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// `cryptr-signature: t=..,v1=sha256.<hex>` over `t.body`, checked here.
    fn signature_valid(&self) -> bool {
        let Some(header) = self.header("cryptr-signature") else {
            return false;
        };
        let mut t = None;
        let mut v1 = Vec::new();
        for part in header.split(',') {
            match part.trim().split_once('=') {
                Some(("t", v)) => t = Some(v.to_string()),
                Some(("v1", v)) => v1.push(v.trim_start_matches("sha256.").to_string()),
                _ => {}
            }
        }
        let Some(t) = t else { return false };
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(t.as_bytes());
        mac.update(b".");
        mac.update(&self.body);
        let expected = hex::encode(mac.finalize().into_bytes());
        v1.iter().any(|v| *v == expected)
    }
}

type Policy = Arc<dyn Fn(&Hit, usize) -> (u16, Vec<(String, String)>) + Send + Sync>;

/// A webhook receiver on 127.0.0.1:0 answering by `policy(hit, nth try of
/// that body)`; every request is recorded before it is answered.
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    server: Arc<tiny_http::Server>,
}

impl Receiver {
    fn start(policy: Policy) -> Receiver {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let url = format!("http://{}/webhooks", server.server_addr().to_ip().unwrap());
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        for _ in 0..8 {
            let server = server.clone();
            let hits = hits.clone();
            let policy = policy.clone();
            std::thread::spawn(move || {
                while let Ok(mut req) = server.recv() {
                    let headers = req
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.as_str().as_str().to_string(),
                                h.value.as_str().to_string(),
                            )
                        })
                        .collect();
                    let mut body = Vec::new();
                    std::io::Read::read_to_end(req.as_reader(), &mut body).unwrap();
                    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let hit = Hit {
                        headers,
                        body,
                        json,
                        at: Instant::now(),
                    };
                    let tries = {
                        let mut all = hits.lock().unwrap();
                        all.push(hit.clone());
                        all.iter().filter(|h| h.body == hit.body).count()
                    };
                    let (status, extra) = policy(&hit, tries);
                    let mut response =
                        tiny_http::Response::from_string("ok").with_status_code(status);
                    for (n, v) in extra {
                        response.add_header(
                            tiny_http::Header::from_bytes(n.as_bytes(), v.as_bytes()).unwrap(),
                        );
                    }
                    let _ = req.respond(response);
                }
            });
        }
        Receiver { url, hits, server }
    }

    fn ok() -> Receiver {
        Receiver::start(Arc::new(|_, _| (200, vec![])))
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Wait until `n` requests arrived.
    fn wait_for(&self, n: usize) -> Vec<Hit> {
        let deadline = Instant::now() + WAIT;
        loop {
            let hits = self.hits();
            if hits.len() >= n {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "expected {n} webhooks, got {}: {:?}",
                hits.len(),
                codes(&hits)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        for _ in 0..8 {
            self.server.unblock();
        }
    }
}

fn codes(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.code().to_string()).collect()
}

/// `dsync --json directory serve` on port 0, its NDJSON read in the background.
struct Serve {
    child: Child,
    records: mpsc::Receiver<Value>,
    seen: Vec<Value>,
    scim: String,
    ready: Value,
}

impl Serve {
    fn start(sb: &Sandbox, extra: &[&str]) -> Serve {
        let mut child = sb
            .std_cmd()
            .args([
                "--json",
                "directory",
                "serve",
                "--port",
                "0",
                "--secret",
                SECRET,
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dsync directory serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, records) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON: {line:?}: {e}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let ready = records.recv_timeout(WAIT).expect("a ready line");
        assert_eq!(ready["type"], "ready", "{ready}");
        let scim = ready["scim_url"].as_str().unwrap().to_string();
        Serve {
            child,
            records,
            seen: vec![ready.clone()],
            scim,
            ready,
        }
    }

    /// Wait for the next record matching `pred` (records before it are kept in `seen`).
    fn wait_record(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(v) = self.seen.iter().find(|v| pred(v)) {
            return v.clone();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .records
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {what} record; saw {:?}", self.seen));
            self.seen.push(v.clone());
            if pred(&v) {
                return v;
            }
        }
    }

    /// SIGTERM, then every remaining record (the summary last) and the exit code.
    fn stop(mut self) -> (i32, Vec<Value>) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        let mut all = std::mem::take(&mut self.seen);
        while let Ok(v) = self.records.recv_timeout(Duration::from_secs(5)) {
            all.push(v);
        }
        (status.code().unwrap_or(-1), all)
    }

    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

/// A SCIM request with the test token; returns status, headers and JSON body.
fn scim(method: &str, url: &str, body: Option<Value>) -> (u16, reqwest::header::HeaderMap, Value) {
    scim_with(
        method,
        url,
        body,
        &[("authorization", &format!("Bearer {TOKEN}"))],
    )
}

fn scim_with(
    method: &str,
    url: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = client().request(method.parse().unwrap(), url);
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/scim+json")
            .body(b.to_string());
    }
    let resp = req.send().expect("SCIM request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({status}): {text:?}: {e}"))
    };
    (status, headers, json)
}

fn user_body(user_name: &str) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "phoneNumbers": [{"value": "+33 6 87 43 55 43", "type": "work"}],
        "title": "Engineer", "active": true})
}

#[test]
fn a_lifecycle_sends_the_exact_cryptr_webhook_sequence_signed() {
    let sb = Sandbox::new();
    let receiver = Receiver::ok();
    let mut serve = Serve::start(
        &sb,
        &[
            "--token",
            TOKEN,
            "--forward-to",
            &receiver.url,
            "--delivery-concurrency",
            "1",
            "--org",
            "shark-academy",
        ],
    );
    let base = serve.scim.clone();

    let (status, headers, ada) = scim(
        "POST",
        &format!("{base}/Users"),
        Some(user_body("ada@shark.example")),
    );
    assert_eq!(status, 201, "{ada}");
    assert_eq!(headers["content-type"], "application/scim+json");
    let ada_id = ada["id"].as_str().unwrap().to_string();
    assert_eq!(
        headers["location"].to_str().unwrap(),
        format!("{base}/Users/{ada_id}")
    );
    let (_, _, bob) = scim(
        "POST",
        &format!("{base}/Users"),
        Some(user_body("bob@shark.example")),
    );
    let bob_id = bob["id"].as_str().unwrap().to_string();
    let (status, _, group) = scim(
        "POST",
        &format!("{base}/Groups"),
        Some(
            json!({"displayName": "Engineering", "externalId": "00g1", "members": [{"value": ada_id}]}),
        ),
    );
    assert_eq!(status, 201, "{group}");
    let gid = group["id"].as_str().unwrap().to_string();
    // A title change: an update with only what changed.
    let mut changed = user_body("ada@shark.example");
    changed["title"] = json!("CTO");
    let (status, _, _) = scim(
        "PUT",
        &format!("{base}/Users/{ada_id}"),
        Some(changed.clone()),
    );
    assert_eq!(status, 200);
    // The same PUT again changes nothing and sends nothing.
    assert_eq!(
        scim("PUT", &format!("{base}/Users/{ada_id}"), Some(changed)).0,
        200
    );
    // Rename, add bob, remove ada.
    let put_group =
        json!({"displayName": "Platform", "externalId": "00g1", "members": [{"value": bob_id}]});
    assert_eq!(
        scim("PUT", &format!("{base}/Groups/{gid}"), Some(put_group)).0,
        200
    );
    // Okta's deactivation: a no-path replace of active.
    let deactivate = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": false}}]});
    assert_eq!(
        scim("PATCH", &format!("{base}/Users/{ada_id}"), Some(deactivate)).0,
        200
    );
    // Deleting a deprovisioned user sends nothing more; deleting bob deprovisions him.
    assert_eq!(
        scim("DELETE", &format!("{base}/Users/{ada_id}"), None).0,
        204
    );
    assert_eq!(scim("DELETE", &format!("{base}/Groups/{gid}"), None).0, 204);
    assert_eq!(
        scim("DELETE", &format!("{base}/Users/{bob_id}"), None).0,
        204
    );

    let expected = [
        "dir_sync.activate.success",
        "dir_sync.user.provision.success",
        "dir_sync.user.provision.success",
        "dir_sync.group.provision.success",
        "dir_sync.group.users_added.success",
        "dir_sync.user.update.success",
        "dir_sync.group.update.success",
        "dir_sync.group.users_added.success",
        "dir_sync.group.users_removed.success",
        "dir_sync.user.deprovision.success",
        "dir_sync.group.deprovision.success",
        "dir_sync.user.deprovision.success",
    ];
    let hits = receiver.wait_for(expected.len());
    assert_eq!(codes(&hits), expected);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        receiver.hits().len(),
        expected.len(),
        "nothing more is sent"
    );

    let dir_id = hits[0].json["data"]["directory_sync_id"]
        .as_str()
        .unwrap()
        .to_string();
    for h in &hits {
        assert!(h.signature_valid(), "bad signature on {}", h.code());
        assert_eq!(h.json["data"]["directory_sync_id"], json!(dir_id));
        assert_eq!(h.json["__domain__"], "shark-academy");
        assert_eq!(
            h.header("content-type"),
            Some("application/json; charset=UTF-8")
        );
    }
    assert_eq!(serve.ready["directory_sync_id"], json!(dir_id));
    // Provision: the whole user; ids are the SCIM ids.
    let p = &hits[1].json["data"]["resource"];
    assert_eq!(p["id"], json!(ada_id));
    assert_eq!(p["type"], "user");
    assert_eq!(p["changes"]["previous_values"], json!({}));
    let new = &p["changes"]["new_values"];
    assert_eq!(new["email"], "ada@shark.example");
    assert_eq!(new["profile"]["given_name"], "Ada");
    assert_eq!(new["phone_numbers"][0]["phone_country_code"], 33);
    assert_eq!(
        new["phone_numbers"][0]["phone_national_number"],
        "687435543"
    );
    // Update: only the changed attributes on both sides.
    let u = &hits[5].json["data"]["resource"]["changes"];
    // (updated_at is there too when the change falls in another second.)
    let keys: Vec<&String> = u["new_values"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "updated_at")
        .collect();
    assert_eq!(keys, ["metadata"], "{u}");
    assert_eq!(
        u["previous_values"]["metadata"],
        json!({"title": "Engineer"})
    );
    assert_eq!(u["new_values"]["metadata"], json!({"title": "CTO"}));
    // Group events name the users.
    assert_eq!(
        hits[4].json["data"]["resource"]["changes"]["added_users"],
        json!([{"email": "ada@shark.example", "id": ada_id}])
    );
    assert_eq!(
        hits[6].json["data"]["resource"]["changes"]["new_values"]["name"],
        "Platform"
    );
    assert_eq!(
        hits[6].json["data"]["resource"]["changes"]["previous_values"]["name"],
        "Engineering"
    );
    assert_eq!(
        hits[7].json["data"]["resource"]["changes"]["added_users"],
        json!([{"email": "bob@shark.example", "id": bob_id}])
    );
    assert_eq!(
        hits[8].json["data"]["resource"]["changes"]["removed_users"],
        json!([{"email": "ada@shark.example", "id": ada_id}])
    );
    assert_eq!(hits[9].json["data"]["resource"]["id"], json!(ada_id));
    assert_eq!(hits[10].json["data"]["resource"]["id"], json!(gid));

    // Every event is in the event store, byte for byte what the app got.
    serve.wait_record("12th delivery", |v| {
        v["type"] == "delivery"
            && v["code"] == "dir_sync.user.deprovision.success"
            && v["resource"] == json!(format!("user:{bob_id}"))
    });
    let (code, records) = serve.stop();
    assert_eq!(code, 0);
    let summary = records.last().unwrap();
    assert_eq!(summary["type"], "summary", "{summary}");
    assert_eq!(summary["outbox"]["delivered"], 12);
    let requests = records.iter().filter(|r| r["type"] == "request").count();
    assert_eq!(requests, 10);
    let out = sb
        .cmd()
        .args(["events", "export", "--out", "-"])
        .output()
        .unwrap();
    assert_success(&out);
    let stored: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let c: Value = serde_json::from_str(l).unwrap();
            c["body"]["data"].as_str().unwrap().to_string()
        })
        .collect();
    for h in &hits {
        let body = String::from_utf8(h.body.clone()).unwrap();
        assert!(
            stored.contains(&body),
            "{} is not in the store byte for byte",
            h.code()
        );
    }
}
