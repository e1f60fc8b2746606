//! Interop: what `dsync sign` produces is accepted by the providers' own
//! Python libraries (`standardwebhooks`, `stripe`), and what
//! `standardwebhooks` signs is accepted by `dsync verify`.
//!
//! Needs python3 with both modules (`.ci/run` installs them). Without them the
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
elif mode == "standard-sign":
    from standardwebhooks import Webhook
    now = datetime.datetime.fromtimestamp(int(time.time()), tz=datetime.timezone.utc)
    signature = Webhook(secret).sign("msg_interop", now, body.decode("utf-8"))
    print(json.dumps({"webhook-id": "msg_interop",
                      "webhook-timestamp": str(int(now.timestamp())),
                      "webhook-signature": signature}))
    sys.exit(0)
print("accepted")
"#;

/// Whether python3 with both libraries is here. Under CI their absence fails
/// the test; elsewhere it is a skip.
fn python_ready(test: &str) -> bool {
    let probe = Command::new("python3")
        .args(["-c", "import standardwebhooks, stripe"])
        .output();
    let problem = match probe {
        Err(e) => format!("python3 cannot be run ({e})"),
        Ok(out) if !out.status.success() => format!(
            "python3 lacks the standardwebhooks or stripe module: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        ),
        Ok(_) => return true,
    };
    let fix = "install them with `python3 -m pip install standardwebhooks stripe` (.ci/run does)";
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
