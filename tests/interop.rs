//! Interop: what `dsync sign` produces is accepted by the providers' own
//! Python libraries (`standardwebhooks`, `stripe`, `svix`, `workos`), and what
//! `standardwebhooks` and `svix` sign is accepted by `dsync verify`; an
//! unpadded `whsec_` secret works both ways, and dsync's WorkOS window is the
//! SDK's.
//!
//! Needs python3 with the modules (`.ci/run` installs them). Without them the
//! tests print a skip notice, except under CI (`CI` set), where they fail.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{assert_success, fixture, Sandbox};

const STANDARD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const STRIPE_SECRET: &str = "whsec_test_interop_secret";

/// Verifies (or, for `standard-sign`, signs) with the providers' libraries.
/// argv: mode, body file, headers as a JSON object, secret.
const SCRIPT: &str = r#"
import datetime, json, sys, time
mode, body_path, headers_json, secret = sys.argv[1:5]
with open(body_path, "rb") as f:
    body = f.read()
headers = json.loads(headers_json)
if mode == "standard":
    from standardwebhooks import Webhook
    Webhook(secret).verify(body, headers)
elif mode == "stripe":
    import stripe
    stripe.Webhook.construct_event(body, headers["Stripe-Signature"], secret)
elif mode == "svix":
    from svix.webhooks import Webhook
    Webhook(secret).verify(body, headers)
elif mode == "workos":
    # Several headers in one run (the SDK is slow to import): one verdict each.
    from workos import WorkOSClient
    client = WorkOSClient(api_key="sk_test_interop", client_id="client_interop")
    verdicts = []
    for h in headers:
        try:
            client.webhooks.verify_header(event_body=body, event_signature=h["WorkOS-Signature"], secret=secret)
            verdicts.append(True)
        except ValueError:
            verdicts.append(False)
    print(json.dumps(verdicts))
    sys.exit(0)
elif mode in ("standard-sign", "svix-sign"):
    now = datetime.datetime.fromtimestamp(int(time.time()), tz=datetime.timezone.utc)
    if mode == "svix-sign":
        from svix.webhooks import Webhook
        prefix = "svix"
    else:
        from standardwebhooks import Webhook
        prefix = "webhook"
    signature = Webhook(secret).sign("msg_interop", now, body.decode("utf-8"))
    print(json.dumps({prefix + "-id": "msg_interop",
                      prefix + "-timestamp": str(int(now.timestamp())),
                      prefix + "-signature": signature}))
    sys.exit(0)
print("accepted")
"#;

/// Whether python3 with the standardwebhooks and stripe libraries is here.
fn python_ready(test: &str) -> bool {
    python_has(test, &["standardwebhooks", "stripe"])
}

/// Whether python3 can import `modules`. Under CI their absence fails the
/// test; elsewhere it is a skip.
fn python_has(test: &str, modules: &[&str]) -> bool {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {}", modules.join(", "))])
        .output();
    let problem = match probe {
        Err(e) => format!("python3 cannot be run ({e})"),
        Ok(out) if !out.status.success() => format!(
            "python3 lacks one of {}: {}",
            modules.join(", "),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        ),
        Ok(_) => return true,
    };
    let fix = format!(
        "install them with `python3 -m pip install {}` (.ci/run does)",
        modules.join(" ")
    );
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("interop test {test} cannot run under CI: {problem}; {fix}");
    }
    eprintln!("skipped interop test {test}: {problem}; {fix}");
    false
}

/// Run the script; returns (accepted, stdout, stderr).
fn python(mode: &str, body: &Path, headers: &Value, secret: &str) -> (bool, String, String) {
    let out = Command::new("python3")
        .args(["-c", SCRIPT, mode])
        .arg(body)
        .arg(headers.to_string())
        .arg(secret)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `dsync --json sign` of `body` now: the headers object.
fn dsync_sign(sb: &Sandbox, scheme: &str, secret: &str, body: &Path) -> Value {
    let out = sb
        .cmd()
        .args(["--json", "sign"])
        .arg(body)
        .args(["--scheme", scheme, "--secret", secret])
        .output()
        .unwrap();
    assert_success(&out);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("sign --json prints JSON");
    doc["headers"].clone()
}

/// A documented payload, with non-ASCII text and a trailing newline added, so
/// any re-encoding of the bytes would show.
fn body(sb: &Sandbox) -> std::path::PathBuf {
    let mut bytes =
        std::fs::read(fixture("dir_sync.user.update.success.docs-excerpt.json")).unwrap();
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    assert!(
        bytes.iter().any(|b| !b.is_ascii()),
        "the fixture should hold non-ASCII text"
    );
    sb.write("event.json", bytes)
}

fn tampered(sb: &Sandbox, body: &Path) -> std::path::PathBuf {
    let mut bytes = std::fs::read(body).unwrap();
    bytes.insert(bytes.len() - 1, b' ');
    sb.write("tampered.json", bytes)
}

#[test]
fn standardwebhooks_accepts_dsync_standard_signatures() {
    if !python_ready("standardwebhooks_accepts_dsync_standard_signatures") {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let headers = dsync_sign(&sb, "standard", STANDARD_SECRET, &body);
    let (ok, stdout, stderr) = python("standard", &body, &headers, STANDARD_SECRET);
    assert!(
        ok && stdout.contains("accepted"),
        "standardwebhooks rejected {headers}: {stderr}"
    );
    // The library really checks: a changed body is refused.
    let (ok, _, stderr) = python("standard", &tampered(&sb, &body), &headers, STANDARD_SECRET);
    assert!(!ok, "standardwebhooks accepted a tampered body");
    assert!(stderr.contains("WebhookVerificationError"), "{stderr}");
}

#[test]
fn stripe_accepts_dsync_stripe_signatures() {
    if !python_ready("stripe_accepts_dsync_stripe_signatures") {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let headers = dsync_sign(&sb, "stripe", STRIPE_SECRET, &body);
    let (ok, stdout, stderr) = python("stripe", &body, &headers, STRIPE_SECRET);
    assert!(
        ok && stdout.contains("accepted"),
        "stripe rejected {headers}: {stderr}"
    );
    let (ok, _, stderr) = python("stripe", &tampered(&sb, &body), &headers, STRIPE_SECRET);
    assert!(!ok, "stripe accepted a tampered body");
    assert!(stderr.contains("SignatureVerificationError"), "{stderr}");
}

#[test]
fn dsync_accepts_standardwebhooks_signatures() {
    if !python_ready("dsync_accepts_standardwebhooks_signatures") {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let (ok, stdout, stderr) = python("standard-sign", &body, &Value::Null, STANDARD_SECRET);
    assert!(ok, "standardwebhooks could not sign: {stderr}");
    let headers: Value = serde_json::from_str(stdout.trim()).expect("the script prints JSON");
    let mut cmd = sb.cmd();
    cmd.arg("verify")
        .arg(&body)
        .args(["--scheme", "standard", "--secret", STANDARD_SECRET]);
    for (name, value) in headers.as_object().unwrap() {
        cmd.args(["--header", &format!("{name}: {}", value.as_str().unwrap())]);
    }
    cmd.assert().code(0);
    // And dsync refuses it for a changed body.
    let mut cmd = sb.cmd();
    cmd.arg("verify").arg(tampered(&sb, &body)).args([
        "--scheme",
        "standard",
        "--secret",
        STANDARD_SECRET,
    ]);
    for (name, value) in headers.as_object().unwrap() {
        cmd.args(["--header", &format!("{name}: {}", value.as_str().unwrap())]);
    }
    cmd.assert().code(1);
}

/// A Standard Webhooks secret whose base64 lacks its `==` padding.
const UNPADDED_SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODw";

/// `dsync verify` of `body` with the headers of a JSON object; its exit code.
fn dsync_verify(sb: &Sandbox, scheme: &str, secret: &str, body: &Path, headers: &Value) -> i32 {
    let mut cmd = sb.cmd();
    cmd.arg("verify")
        .arg(body)
        .args(["--scheme", scheme, "--secret", secret]);
    for (name, value) in headers.as_object().unwrap() {
        cmd.args(["--header", &format!("{name}: {}", value.as_str().unwrap())]);
    }
    cmd.output().unwrap().status.code().unwrap()
}

#[test]
fn an_unpadded_whsec_secret_works_both_ways_with_standardwebhooks() {
    if !python_has(
        "an_unpadded_whsec_secret_works_both_ways_with_standardwebhooks",
        &["standardwebhooks"],
    ) {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let headers = dsync_sign(&sb, "standard", UNPADDED_SECRET, &body);
    let (ok, _, stderr) = python("standard", &body, &headers, UNPADDED_SECRET);
    assert!(ok, "standardwebhooks rejected dsync's signature: {stderr}");
    let (ok, stdout, stderr) = python("standard-sign", &body, &Value::Null, UNPADDED_SECRET);
    assert!(ok, "standardwebhooks could not sign: {stderr}");
    let theirs: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        dsync_verify(&sb, "standard", UNPADDED_SECRET, &body, &theirs),
        0
    );
    assert_eq!(
        dsync_verify(
            &sb,
            "standard",
            UNPADDED_SECRET,
            &tampered(&sb, &body),
            &theirs
        ),
        1
    );
}

#[test]
fn svix_signed_requests_with_svix_header_names_verify_and_back() {
    if !python_has(
        "svix_signed_requests_with_svix_header_names_verify_and_back",
        &["svix"],
    ) {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let (ok, stdout, stderr) = python("svix-sign", &body, &Value::Null, STANDARD_SECRET);
    assert!(ok, "svix could not sign: {stderr}");
    let theirs: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert!(theirs.get("svix-id").is_some(), "{theirs}");
    assert_eq!(
        dsync_verify(&sb, "svix", STANDARD_SECRET, &body, &theirs),
        0
    );
    assert_eq!(
        dsync_verify(&sb, "svix", STANDARD_SECRET, &tampered(&sb, &body), &theirs),
        1
    );
    // And the svix library accepts what dsync signs.
    let ours = dsync_sign(&sb, "svix", STANDARD_SECRET, &body);
    let (ok, _, stderr) = python("svix", &body, &ours, STANDARD_SECRET);
    assert!(ok, "svix rejected dsync's signature: {stderr}");
    let (ok, _, _) = python("svix", &tampered(&sb, &body), &ours, STANDARD_SECRET);
    assert!(!ok, "svix accepted a tampered body");
}

#[test]
fn workos_sdk_and_dsync_agree_on_the_timestamp_window() {
    if !python_has(
        "workos_sdk_and_dsync_agree_on_the_timestamp_window",
        &["workos"],
    ) {
        return;
    }
    let sb = Sandbox::new();
    let body = body(&sb);
    let secret = "workos_interop_secret";
    let now = chrono::Utc::now().timestamp();
    // (seconds from now, accepted by both)
    let cases = [
        (0, true),
        (90, true),
        (-90, true),
        (600, false),
        (-600, false),
        (365 * 86_400, false),
    ];
    let mut signed = Vec::new();
    for (offset, accepted) in cases {
        let out = sb
            .cmd()
            .args(["--json", "sign"])
            .arg(&body)
            .args(["--scheme", "workos", "--secret", secret])
            .args(["--timestamp", &(now + offset).to_string()])
            .output()
            .unwrap();
        assert_success(&out);
        let headers = serde_json::from_slice::<Value>(&out.stdout).unwrap()["headers"].clone();
        let ours = dsync_verify(&sb, "workos", secret, &body, &headers);
        assert_eq!(ours, if accepted { 0 } else { 1 }, "dsync at {offset:+} s");
        signed.push(headers);
    }
    let (ok, stdout, stderr) = python("workos", &body, &Value::Array(signed), secret);
    assert!(ok, "the workos script failed: {stderr}");
    let sdk: Vec<bool> = serde_json::from_str(stdout.trim()).unwrap();
    let expected: Vec<bool> = cases.iter().map(|(_, a)| *a).collect();
    assert_eq!(sdk, expected, "the workos SDK's verdicts at {cases:?}");
}
