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
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
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
        v1.contains(&expected)
    }
}

type Policy = Arc<dyn Fn(&Hit, usize) -> (u16, Vec<(String, String)>) + Send + Sync>;

/// A webhook receiver on 127.0.0.1:0 answering by `policy(hit, nth try of
/// that body)`; every request is recorded before it is answered. A thread
/// per connection, keep-alive (plain std: no server library between the
/// directory and what the test sees).
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    fn start(policy: Policy) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let shared = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { break };
                let hits = shared.clone();
                let policy = policy.clone();
                std::thread::spawn(move || serve_connection(stream, &hits, &policy));
            }
        });
        Receiver { url, hits }
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

fn serve_connection(stream: std::net::TcpStream, hits: &Mutex<Vec<Hit>>, policy: &Policy) {
    use std::io::{Read, Write};
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_string(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
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
        let mut answer = format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\n");
        for (n, v) in extra {
            answer.push_str(&format!("{n}: {v}\r\n"));
        }
        answer.push_str("\r\nok");
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
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
        Serve::start_env(sb, extra, &[])
    }

    /// `serve --token TOKEN --forward-to URL EXTRA...`.
    fn forwarding(sb: &Sandbox, url: &str, extra: &[&str]) -> Serve {
        let mut args = vec!["--token", TOKEN, "--forward-to", url];
        args.extend_from_slice(extra);
        Serve::start(sb, &args)
    }

    fn start_env(sb: &Sandbox, extra: &[&str], env: &[(&str, &str)]) -> Serve {
        let mut cmd = sb.std_cmd();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
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

/// A test that fails mid-way must not leave the server running.
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
    json!({"schemas": [USER], "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "phoneNumbers": [{"value": "+33 6 87 43 55 43", "type": "work"}],
        "title": "Engineer", "active": true})
}

#[test]
fn a_lifecycle_sends_the_exact_cryptr_webhook_sequence_signed() {
    let sb = Sandbox::new();
    let receiver = Receiver::ok();
    let mut serve = Serve::forwarding(
        &sb,
        &receiver.url,
        &["--delivery-concurrency", "1", "--org", "shark-academy"],
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
            json!({"schemas": [GROUP], "displayName": "Engineering", "externalId": "00g1", "members": [{"value": ada_id}]}),
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
    let put_group = json!({"schemas": [GROUP], "displayName": "Platform", "externalId": "00g1", "members": [{"value": bob_id}]});
    assert_eq!(
        scim("PUT", &format!("{base}/Groups/{gid}"), Some(put_group)).0,
        200
    );
    // Okta's deactivation: a no-path replace of active.
    let deactivate = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": false}}]});
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

fn create_user(base: &str, user_name: &str) -> String {
    let (status, _, body) = scim("POST", &format!("{base}/Users"), Some(user_body(user_name)));
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn create_group(base: &str, name: &str, members: &[&str]) -> String {
    let members: Vec<Value> = members.iter().map(|m| json!({"value": m})).collect();
    let (status, _, body) = scim(
        "POST",
        &format!("{base}/Groups"),
        Some(json!({"schemas": [GROUP], "displayName": name, "members": members})),
    );
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn patch(base: &str, what: &str, ops: Value) -> (u16, Value) {
    let (status, _, body) = scim(
        "PATCH",
        &format!("{base}/{what}"),
        Some(json!({"schemas": [PATCH_OP], "Operations": ops})),
    );
    (status, body)
}

#[test]
fn okta_and_entra_patch_bodies_are_understood() {
    let sb = Sandbox::new();
    let receiver = Receiver::ok();
    let serve = Serve::forwarding(&sb, &receiver.url, &["--delivery-concurrency", "1"]);
    let base = serve.scim.clone();
    let ada = create_user(&base, "ada@corp.example");
    let bob = create_user(&base, "bob@corp.example");
    let group = create_group(&base, "Admins", &[]);
    receiver.wait_for(4);

    // Entra ID (default): capitalised ops, one per path, string booleans, enterprise URN paths.
    let (s, body) = patch(
        &base,
        &format!("Users/{ada}"),
        json!([
            {"op": "Replace", "path": "name.familyName", "value": "Byron"},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "ada.byron@corp.example"},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "R&D"},
        ]),
    );
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["name"]["familyName"], "Byron");
    // Entra adds and removes members with value arrays and $ref: null.
    let (s, body) = patch(
        &base,
        &format!("Groups/{group}"),
        json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": ada}, {"$ref": null, "value": bob}]}]),
    );
    assert_eq!(s, 200, "{body}");
    let (s, _) = patch(
        &base,
        &format!("Groups/{group}"),
        json!([{"op": "Remove", "path": "members", "value": [{"value": bob}]}]),
    );
    assert_eq!(s, 200);
    // Okta: remove by value filter, rename echo with its own id (no change when the name is the same).
    let (s, _) = patch(
        &base,
        &format!("Groups/{group}"),
        json!([{"op": "remove", "path": format!("members[value eq \"{ada}\"]")}]),
    );
    assert_eq!(s, 200);
    let (s, _) = patch(
        &base,
        &format!("Groups/{group}"),
        json!([{"op": "replace", "value": {"id": group, "displayName": "Admins"}}]),
    );
    assert_eq!(s, 200);
    // Entra's soft delete: Replace active "False".
    let (s, body) = patch(
        &base,
        &format!("Users/{ada}"),
        json!([{"op": "Replace", "path": "active", "value": "False"}]),
    );
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["active"], false);
    // An atomic PATCH: one bad operation changes nothing, sends nothing.
    let (s, body) = patch(
        &base,
        &format!("Users/{bob}"),
        json!([
            {"op": "replace", "path": "title", "value": "Boss"},
            {"op": "replace", "path": "id", "value": "stolen"},
        ]),
    );
    assert_eq!(s, 400, "{body}");
    assert_eq!(body["scimType"], "mutability");
    let (_, _, bob_now) = scim("GET", &format!("{base}/Users/{bob}"), None);
    assert_eq!(bob_now["title"], "Engineer", "nothing applied");

    let expected_tail = [
        "dir_sync.user.update.success",
        "dir_sync.group.users_added.success",
        "dir_sync.group.users_removed.success",
        "dir_sync.group.users_removed.success",
        "dir_sync.user.deprovision.success",
    ];
    let hits = receiver.wait_for(4 + expected_tail.len());
    assert_eq!(codes(&hits[4..]), expected_tail);
    let update = &hits[4].json["data"]["resource"]["changes"];
    assert_eq!(update["new_values"]["email"], "ada.byron@corp.example");
    assert_eq!(update["previous_values"]["email"], "ada@corp.example");
    assert_eq!(update["new_values"]["profile"]["family_name"], "Byron");
    assert_eq!(update["new_values"]["metadata"]["department"], "R&D");
    let added = &hits[5].json["data"]["resource"]["changes"]["added_users"];
    assert_eq!(added.as_array().unwrap().len(), 2);
    assert_eq!(
        hits[6].json["data"]["resource"]["changes"]["removed_users"],
        json!([{"email": "bob@corp.example", "id": bob}])
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        receiver.hits().len(),
        9,
        "the rename echo and the failed PATCH sent nothing: {:?}",
        codes(&receiver.hits())
    );
    serve.stop();
}

fn assert_scim_error(
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &Value,
    want: u16,
    scim_type: Option<&str>,
) {
    assert_eq!(status, want, "{body}");
    assert_eq!(headers["content-type"], "application/scim+json");
    assert_eq!(
        body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(body["status"], json!(want.to_string()));
    assert_eq!(
        body.get("scimType").and_then(Value::as_str),
        scim_type,
        "{body}"
    );
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn every_error_is_an_rfc_7644_error_body() {
    let sb = Sandbox::new();
    let serve = Serve::start(&sb, &["--token", TOKEN, "--max-body", "2000"]);
    let base = serve.scim.clone();
    // 401: no token, a wrong token.
    for auth in [None, Some("Bearer nope"), Some("Basic dGVzdA==")] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", *a)).collect();
        let (s, h, b) = scim_with("GET", &format!("{base}/Users"), None, &headers);
        assert_scim_error(s, &h, &b, 401, None);
        assert!(h["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer"));
        // A token that is there but wrong is said so, not "required".
        let detail = b["detail"].as_str().unwrap_or_default();
        let wanted = if auth.is_some() {
            "does not match"
        } else {
            "is required"
        };
        assert!(detail.contains(wanted), "{auth:?}: {detail}");
    }
    let ada = create_user(&base, "ada@corp.example");
    // 409: userName taken, whatever its case.
    let (s, h, b) = scim(
        "POST",
        &format!("{base}/Users"),
        Some(user_body("ADA@Corp.Example")),
    );
    assert_scim_error(s, &h, &b, 409, Some("uniqueness"));
    // 404.
    let (s, h, b) = scim("GET", &format!("{base}/Users/no-such-id"), None);
    assert_scim_error(s, &h, &b, 404, None);
    let (s, h, b) = scim("DELETE", &format!("{base}/Groups/no-such-id"), None);
    assert_scim_error(s, &h, &b, 404, None);
    let (s, h, b) = scim("GET", &format!("{base}/Nope"), None);
    assert_scim_error(s, &h, &b, 404, None);
    // 412: If-Match with a stale version; the current one works.
    let (_, h, _) = scim("GET", &format!("{base}/Users/{ada}"), None);
    let etag = h["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, "W/\"1\"");
    let mut body = user_body("ada@corp.example");
    body["title"] = json!("CTO");
    let auth = format!("Bearer {TOKEN}");
    let (s, h, b) = scim_with(
        "PUT",
        &format!("{base}/Users/{ada}"),
        Some(body.clone()),
        &[("authorization", &auth), ("if-match", "W/\"7\"")],
    );
    assert_scim_error(s, &h, &b, 412, None);
    let (s, h, b) = scim_with(
        "PUT",
        &format!("{base}/Users/{ada}"),
        Some(body),
        &[("authorization", &auth), ("if-match", &etag)],
    );
    assert_eq!(s, 200, "{b}");
    assert_eq!(h["etag"], "W/\"2\"");
    assert_eq!(b["meta"]["version"], "W/\"2\"");
    // 413 over --max-body.
    let mut big = user_body("big@corp.example");
    big["title"] = json!("x".repeat(5000));
    let (s, h, b) = scim("POST", &format!("{base}/Users"), Some(big));
    assert_scim_error(s, &h, &b, 413, None);
    // 400s.
    let (s, h, b) = scim("GET", &format!("{base}/Users?filter=userName%20eq"), None);
    assert_scim_error(s, &h, &b, 400, Some("invalidFilter"));
    let (s, h, b) = scim_with(
        "POST",
        &format!("{base}/Users"),
        None,
        &[("authorization", &auth)],
    );
    assert_scim_error(s, &h, &b, 400, Some("invalidSyntax"));
    let resp = client()
        .post(format!("{base}/Users"))
        .header("authorization", &auth)
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let resp = client()
        .post(format!("{base}/Users"))
        .header("authorization", &auth)
        .body(vec![0xff, 0xfe, b'{'])
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let (s, h, b) = scim(
        "POST",
        &format!("{base}/Users"),
        Some(json!({"schemas": [USER], "name": {"givenName": "No"}})),
    );
    assert_scim_error(s, &h, &b, 400, Some("invalidValue"));
    let (s, b) = patch(
        &base,
        &format!("Users/{ada}"),
        json!([{"op": "replace", "path": "name[[", "value": 1}]),
    );
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["scimType"], "invalidPath");
    let (s, b) = patch(
        &base,
        &format!("Users/{ada}"),
        json!([{"op": "replace", "path": "meta.created", "value": "x"}]),
    );
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["scimType"], "mutability");
    let (s, h, b) = scim("GET", &format!("{base}/Users?count=abc"), None);
    assert_scim_error(s, &h, &b, 400, Some("invalidValue"));
    // Discovery documents.
    let (s, _, spc) = scim("GET", &format!("{base}/ServiceProviderConfig"), None);
    assert_eq!(s, 200);
    assert_eq!(spc["patch"]["supported"], true);
    let (s, _, schemas) = scim("GET", &format!("{base}/Schemas"), None);
    assert_eq!(s, 200);
    assert!(schemas["totalResults"].as_u64().unwrap() >= 3);
    let (s, _, user_schema) = scim("GET", &format!("{base}/Schemas/{USER}"), None);
    assert_eq!(s, 200);
    assert_eq!(user_schema["id"], USER);
    let (s, _, rt) = scim("GET", &format!("{base}/ResourceTypes/User"), None);
    assert_eq!(s, 200, "{rt}");
    serve.stop();
}

#[test]
fn lists_filter_page_and_project() {
    let sb = Sandbox::new();
    let serve = Serve::start(&sb, &["--token", TOKEN]);
    let base = serve.scim.clone();
    let ids: Vec<String> = (0..5)
        .map(|i| create_user(&base, &format!("user{i}@corp.example")))
        .collect();
    let g = create_group(&base, "Sales", &[&ids[1], &ids[3]]);
    let q = |query: &str| {
        let url = reqwest::Url::parse_with_params(&format!("{base}/Users"), &[("filter", query)])
            .unwrap();
        let (s, _, b) = scim("GET", url.as_str(), None);
        assert_eq!(s, 200, "{b}");
        b
    };
    // Okta's look-up, case-insensitive on userName.
    let hit = q("userName eq \"USER2@corp.example\"");
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["id"], json!(ids[2]));
    // No match: 200 and an empty list (Entra's test connection).
    let none = q("userName eq \"11111111-2222-3333-4444-555555555555\"");
    assert_eq!(none["totalResults"], 0);
    assert_eq!(none["Resources"], json!([]));
    assert_eq!(
        q("userName sw \"user\" and not (userName ew \"3@corp.example\")")["totalResults"],
        4
    );
    assert_eq!(
        q("emails[type eq \"work\" and value co \"user4\"]")["totalResults"],
        1
    );
    assert_eq!(q(&format!("groups.value eq \"{g}\""))["totalResults"], 2);
    // Paging: stable creation order, totalResults for the whole set.
    let (_, _, page) = scim("GET", &format!("{base}/Users?startIndex=2&count=2"), None);
    assert_eq!(page["totalResults"], 5);
    assert_eq!(page["startIndex"], 2);
    assert_eq!(page["itemsPerPage"], 2);
    assert_eq!(page["Resources"][0]["id"], json!(ids[1]));
    assert_eq!(page["Resources"][1]["id"], json!(ids[2]));
    // Projection, and Entra's group look-up without members.
    let (_, _, some) = scim(
        "GET",
        &format!("{base}/Users?attributes=userName&count=1"),
        None,
    );
    let keys: Vec<&String> = some["Resources"][0].as_object().unwrap().keys().collect();
    assert!(
        keys.contains(&&"userName".to_string()) && !keys.contains(&&"name".to_string()),
        "{keys:?}"
    );
    let url = reqwest::Url::parse_with_params(
        &format!("{base}/Groups"),
        &[
            ("excludedAttributes", "members"),
            ("filter", "displayName eq \"sales\""),
        ],
    )
    .unwrap();
    let (_, _, groups) = scim("GET", url.as_str(), None);
    assert_eq!(groups["totalResults"], 1);
    assert!(groups["Resources"][0].get("members").is_none());
    let (_, _, one) = scim("GET", &format!("{base}/Groups/{g}"), None);
    assert_eq!(one["members"].as_array().unwrap().len(), 2);
    serve.stop();
}

#[test]
fn state_and_undelivered_events_survive_a_restart() {
    let sb = Sandbox::new();
    // The app is down at first (500), then up.
    let up = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let receiver = {
        let up = up.clone();
        Receiver::start(Arc::new(move |_, _| {
            (
                if up.load(std::sync::atomic::Ordering::SeqCst) {
                    200
                } else {
                    500
                },
                vec![],
            )
        }))
    };
    let args = [
        "--token",
        TOKEN,
        "--forward-to",
        &receiver.url,
        "--retry-schedule",
        "0,300ms,300ms,300ms,300ms,300ms,300ms",
    ];
    let mut first = Serve::start(&sb, &args);
    let base = first.scim.clone();
    let ada = create_user(&base, "ada@corp.example");
    let group = create_group(&base, "Eng", &[&ada]);
    first.wait_record("a failed try", |v| {
        v["type"] == "delivery" && v["outcome"] == "retry"
    });
    let dir_id = first.ready["directory_sync_id"].clone();
    first.stop();
    let tried = receiver.hits().len();
    assert!(tried >= 1);

    // kill -9 right after an acknowledged write loses nothing.
    let killed = Serve::start(&sb, &args);
    let bob = create_user(&killed.scim, "bob@corp.example");
    killed.kill9();

    up.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut second = Serve::start(&sb, &args);
    assert_eq!(
        second.ready["directory_sync_id"], dir_id,
        "the same directory"
    );
    let base = second.scim.clone();
    for (what, id) in [("Users", &ada), ("Users", &bob), ("Groups", &group)] {
        let (s, _, b) = scim("GET", &format!("{base}/{what}/{id}"), None);
        assert_eq!(s, 200, "{what} {id} is back: {b}");
    }
    let (_, _, g) = scim("GET", &format!("{base}/Groups/{group}"), None);
    assert_eq!(g["members"][0]["value"], json!(ada));
    // Every event reaches the app once it is up: activate, ada, group, members, bob.
    let deadline = Instant::now() + WAIT;
    let delivered = loop {
        let ok: Vec<Hit> = receiver
            .hits()
            .into_iter()
            .filter(|h| h.at > Instant::now() - WAIT)
            .collect();
        let mut unique: Vec<String> = ok
            .iter()
            .map(|h| String::from_utf8(h.body.clone()).unwrap())
            .collect();
        unique.sort();
        unique.dedup();
        if unique.len() >= 5 || Instant::now() > deadline {
            break unique;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut got: Vec<String> = delivered
        .iter()
        .map(|b| {
            serde_json::from_str::<Value>(b).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "dir_sync.activate.success",
            "dir_sync.group.provision.success",
            "dir_sync.group.users_added.success",
            "dir_sync.user.provision.success",
            "dir_sync.user.provision.success"
        ]
    );
    // Bob was committed by the run that was killed (its first try may or may not have been made).
    second.wait_record("bob delivered", |v| {
        v["type"] == "delivery"
            && v["outcome"] == "delivered"
            && v["resource"] == json!(format!("user:{bob}"))
    });
    let (_, records) = second.stop();
    assert!(
        !records
            .iter()
            .any(|r| r["type"] == "event" && r["code"] == "dir_sync.activate.success"),
        "a restart is not a first start"
    );
    let summary = records.last().unwrap();
    assert_eq!(summary["outbox"]["pending"], 0, "{summary}");
    assert_eq!(summary["outbox"]["delivered"], 5, "{summary}");
}

#[test]
fn events_of_one_user_arrive_in_order_while_users_go_in_parallel() {
    let sb = Sandbox::new();
    // Every provision fails on its first try: its updates must wait behind it.
    // And u0's first try is held until another user's provision arrives: if
    // deliveries of different users went one after the other, none would
    // arrive while it is held (the hold gives up after 10 s).
    let gate = Arc::new((Mutex::new((false, false)), std::sync::Condvar::new()));
    let receiver_gate = gate.clone();
    let receiver = Receiver::start(Arc::new(move |hit, tries| {
        if hit.code() == "dir_sync.user.provision.success" {
            let email = hit.json["data"]["resource"]["changes"]["new_values"]["email"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let (lock, cvar) = &*receiver_gate;
            if email == "u0@corp.example" && tries == 1 {
                let held = lock.lock().unwrap();
                let (mut held, _) = cvar
                    .wait_timeout_while(held, Duration::from_secs(10), |(other, _)| !*other)
                    .unwrap();
                held.1 = held.0;
            } else if email != "u0@corp.example" {
                lock.lock().unwrap().0 = true;
                cvar.notify_all();
            }
        }
        if hit.code() == "dir_sync.user.provision.success" && tries == 1 {
            (503, vec![("Retry-After".into(), "0".into())])
        } else {
            (200, vec![])
        }
    }));
    let serve = Serve::forwarding(&sb, &receiver.url, &["--retry-schedule", "0,50ms,50ms"]);
    let base = serve.scim.clone();
    let users = 12;
    let updates = 3;
    let threads: Vec<_> = (0..users)
        .map(|u| {
            let base = base.clone();
            std::thread::spawn(move || {
                let id = create_user(&base, &format!("u{u}@corp.example"));
                for n in 0..updates {
                    let (s, _) = patch(
                        &base,
                        &format!("Users/{id}"),
                        json!([{"op": "replace", "path": "title", "value": format!("step {n}")}]),
                    );
                    assert_eq!(s, 200);
                }
                id
            })
        })
        .collect();
    let ids: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    // activate + per user: one failed try, the provision, the updates.
    let hits = receiver.wait_for(1 + users * (2 + updates));
    for id in &ids {
        let mine: Vec<&Hit> = hits.iter().filter(|h| h.resource_id() == id).collect();
        let seq: Vec<String> = mine
            .iter()
            .map(|h| match h.code() {
                "dir_sync.user.update.success" => h.json["data"]["resource"]["changes"]
                    ["new_values"]["metadata"]["title"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(
            seq,
            [
                "dir_sync.user.provision.success",
                "dir_sync.user.provision.success",
                "step 0",
                "step 1",
                "step 2"
            ],
            "user {id}"
        );
        let issued: Vec<&str> = mine
            .iter()
            .map(|h| h.json["issued_at"].as_str().unwrap())
            .collect();
        assert!(issued.windows(2).all(|w| w[0] <= w[1]), "{issued:?}");
    }
    assert!(
        gate.0.lock().unwrap().1,
        "another user's provision arrived only after u0's was answered: users were delivered one after the other"
    );
    serve.stop();
}

#[test]
fn gone_stops_the_target_and_retry_after_sets_the_delay() {
    let sb = Sandbox::new();
    let gone = Receiver::start(Arc::new(|_, _| (410, vec![])));
    let slow = Receiver::start(Arc::new(|_, tries| {
        if tries == 1 {
            (503, vec![("Retry-After".into(), "1".into())])
        } else {
            (200, vec![])
        }
    }));
    let users_only = format!("{} dir_sync.user.*", slow.url);
    let mut serve = Serve::forwarding(
        &sb,
        &gone.url,
        &[
            "--forward-to",
            &users_only,
            "--retry-schedule",
            "0,10ms,10ms",
        ],
    );
    let base = serve.scim.clone();
    create_user(&base, "ada@corp.example");
    serve.wait_record("gone", |v| {
        v["type"] == "delivery" && v["outcome"] == "gone"
    });
    let bob = create_user(&base, "bob@corp.example");
    let hits = slow.wait_for(4);
    assert!(
        hits.iter()
            .all(|h| h.code() == "dir_sync.user.provision.success"),
        "only user events: {:?}",
        codes(&hits)
    );
    let (first, retry) = (
        &hits[0],
        hits.iter()
            .skip(1)
            .find(|h| h.body == hits[0].body)
            .unwrap(),
    );
    assert!(
        retry.at.duration_since(first.at) >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );
    let (_, records) = serve.stop();
    // What was in flight when the 410 came may have arrived too; nothing new after it.
    let to_gone = gone.hits();
    assert!(to_gone.len() <= 2, "{:?}", codes(&to_gone));
    assert!(
        !to_gone.iter().any(|h| h.resource_id() == bob),
        "nothing after 410"
    );
    let summary = records.last().unwrap();
    assert_eq!(
        summary["outbox"]["gone"], 3,
        "activate and both users, for the gone target: {summary}"
    );
    assert_eq!(summary["outbox"]["delivered"], 2, "{summary}");
}

#[test]
fn a_generated_token_is_saved_0600_and_shown_once() {
    let sb = Sandbox::new();
    let first = Serve::start(&sb, &[]);
    let token = first.ready["token"]
        .as_str()
        .expect("a fresh token is shown")
        .to_string();
    let path = std::path::PathBuf::from(first.ready["token_source"].as_str().unwrap());
    let path = if path.is_absolute() {
        path
    } else {
        sb.work().join(path)
    };
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (s, _, _) = scim_with(
        "GET",
        &format!("{}/Users", first.scim),
        None,
        &[("authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(s, 200);
    first.stop();
    let second = Serve::start(&sb, &[]);
    assert!(second.ready.get("token").is_none(), "shown once");
    let (s, _, _) = scim_with(
        "GET",
        &format!("{}/Users", second.scim),
        None,
        &[("authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(s, 200, "the saved token still works");
    second.stop();
    // DSYNC_SCIM_TOKEN wins over the file; the saved token no longer works then.
    let env = Serve::start_env(&sb, &[], &[("DSYNC_SCIM_TOKEN", "from-env")]);
    assert!(
        env.ready["token_source"]
            .as_str()
            .unwrap()
            .contains("DSYNC_SCIM_TOKEN"),
        "{}",
        env.ready
    );
    let get = |t: &str| {
        scim_with(
            "GET",
            &format!("{}/Users", env.scim),
            None,
            &[("authorization", &format!("Bearer {t}"))],
        )
        .0
    };
    assert_eq!(get("from-env"), 200);
    assert_eq!(get(&token), 401);
    env.stop();
    // --no-auth is the only way to serve without a token.
    let open = Serve::start(&sb, &["--no-auth"]);
    assert_eq!(open.ready["auth"], "none");
    assert_eq!(
        scim_with("GET", &format!("{}/Users", open.scim), None, &[]).0,
        200
    );
    open.stop();
}

#[test]
fn show_export_reset_and_deactivate() {
    let sb = Sandbox::new();
    let serve = Serve::start(&sb, &["--token", TOKEN]);
    let base = serve.scim.clone();
    let ada = create_user(&base, "ada@corp.example");
    let bob = create_user(&base, "bob@corp.example");
    let carl = create_user(&base, "carl@corp.example");
    let eng = create_group(&base, "Engineering", &[&ada, &bob]);
    patch(
        &base,
        &format!("Users/{carl}"),
        json!([{"op": "replace", "value": {"active": false}}]),
    );
    serve.stop();

    let out = sb.cmd().args(["directory", "export"]).output().unwrap();
    assert_success(&out);
    let state: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(state["format"], "dsync.app-state.v1");
    let users = state["users"].as_object().unwrap();
    assert_eq!(
        users.len(),
        2,
        "the deprovisioned user is not expected in the app"
    );
    assert_eq!(users[&ada]["email"], "ada@corp.example");
    assert_eq!(users[&ada]["groups"], json!([eng]));
    let mut members = vec![ada.clone(), bob.clone()];
    members.sort();
    assert_eq!(state["groups"][&eng]["members"], json!(members));
    assert_eq!(state["groups"][&eng]["name"], "Engineering");

    let out = sb.cmd().args(["directory", "show"]).output().unwrap();
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("3 users (2 provisioned), 1 groups"), "{text}");
    assert!(
        text.contains("Engineering") && text.contains("  ada@corp.example"),
        "{text}"
    );
    let out = sb
        .cmd()
        .args(["--json", "directory", "show"])
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["tree"][0]["members"].as_array().unwrap().len(), 2);

    // Deactivate: the connection event, delivered.
    let receiver = Receiver::ok();
    let out = sb
        .cmd()
        .args([
            "directory",
            "deactivate",
            "--secret",
            SECRET,
            "--forward-to",
            &receiver.url,
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let hits = receiver.wait_for(1);
    assert_eq!(codes(&hits), ["dir_sync.deactivate.success"]);
    assert!(hits[0].signature_valid());

    // Reset asks; without a terminal it needs --yes.
    let out = sb.cmd().args(["directory", "reset"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_success(
        &sb.cmd()
            .args(["directory", "reset", "--yes"])
            .output()
            .unwrap(),
    );
    let out = sb.cmd().args(["directory", "export"]).output().unwrap();
    let state: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(state["users"], json!({}));
    // A reset directory activates again on its next start.
    let serve = Serve::start(&sb, &["--token", TOKEN]);
    let (_, records) = serve.stop();
    assert!(records
        .iter()
        .any(|r| r["type"] == "event" && r["code"] == "dir_sync.activate.success"));
}

/// scim2-client (Python, with httpx2): an independent SCIM implementation driving the directory.
#[test]
fn an_independent_scim_client_library_drives_it() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import scim2_client.engines.httpx2, scim2_models"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "scim2-client and httpx2 are required under CI (pip install scim2-client httpx2)"
        );
        eprintln!("skipped: python3 with scim2-client and httpx2 not found");
        return;
    }
    let sb = Sandbox::new();
    let receiver = Receiver::ok();
    let serve = Serve::forwarding(&sb, &receiver.url, &["--delivery-concurrency", "1"]);
    let script = r#"
import os, sys, httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import User, Group, Email, Name, SearchRequest, GroupMember, EnterpriseUser
http = httpx2.Client(base_url=os.environ["SCIM_URL"], headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
scim = SyncSCIMClient(http, resource_models=(User[EnterpriseUser], Group))
scim.discover()
ada = scim.create(User[EnterpriseUser](user_name="ada@lib.example", name=Name(given_name="Ada", family_name="Lovelace"),
                       emails=[Email(value="ada@lib.example", primary=True)], active=True))
found = scim.query(User[EnterpriseUser], query_parameters=SearchRequest(filter='userName eq "ADA@lib.example"'))
assert found.total_results == 1, found
assert found.resources[0].id == ada.id
got = scim.query(User[EnterpriseUser], ada.id)
assert got.name.family_name == "Lovelace"
got.name.family_name = "Byron"
replaced = scim.replace(got)
assert replaced.name.family_name == "Byron", replaced
group = scim.create(Group(display_name="Analysts", members=[GroupMember(value=ada.id)]))
assert group.members[0].value == ada.id
scim.delete(Group, group.id)
scim.delete(User[EnterpriseUser], ada.id)
print("ok")
"#;
    let out = std::process::Command::new("python3")
        .args(["-W", "ignore::DeprecationWarning", "-c", script])
        .env("SCIM_URL", &serve.scim)
        .env("TOKEN", TOKEN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let hits = receiver.wait_for(7);
    assert_eq!(
        codes(&hits),
        [
            "dir_sync.activate.success",
            "dir_sync.user.provision.success",
            "dir_sync.user.update.success",
            "dir_sync.group.provision.success",
            "dir_sync.group.users_added.success",
            "dir_sync.group.deprovision.success",
            "dir_sync.user.deprovision.success",
        ]
    );
    assert!(hits.iter().all(Hit::signature_valid));
    serve.stop();
}

#[test]
fn serve_with_seed_and_now_hands_out_the_same_ids_and_times() {
    let run = |seed: &str| {
        let sb = Sandbox::new();
        let serve = Serve::start(
            &sb,
            &[
                "--token",
                TOKEN,
                "--seed",
                seed,
                "--now",
                "2025-03-04T05:06:07Z",
            ],
        );
        let (status, _, user) = scim(
            "POST",
            &format!("{}/Users", serve.scim),
            Some(user_body("ada@corp.example")),
        );
        assert_eq!(status, 201, "{user}");
        (user["id"].clone(), user["meta"]["created"].clone())
    };
    let (id, created) = run("1");
    assert_eq!((id.clone(), created.clone()), run("1"));
    assert_ne!(id, run("2").0);
    // The first reading is the activation; the create is the next, 1 ms later.
    assert_eq!(created, "2025-03-04T05:06:07.001Z");
}
