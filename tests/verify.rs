//! `dsync verify`: the published Standard Webhooks vectors and the exit codes.

use predicates::prelude::*;

use crate::harness::Sandbox;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn standard_vector(sb: &Sandbox, signature: &str) -> assert_cmd::assert::Assert {
    let body = sb.write("body.json", r#"{"test": 2432232314}"#);
    sb.cmd()
        .arg("verify")
        .arg(&body)
        .args(["--scheme", "standard", "--secret", SECRET, "--no-tolerance"])
        .args(["--header", "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek"])
        .args(["--header", "webhook-timestamp: 1614265330"])
        .args(["--header", &format!("webhook-signature: {signature}")])
        .assert()
}

#[test]
fn published_standard_vector_verifies() {
    let sb = Sandbox::new();
    standard_vector(&sb, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        .code(0)
        .stdout(predicate::str::contains("valid"));
}

#[test]
fn published_negative_vector_fails_without_printing_the_secret() {
    let sb = Sandbox::new();
    standard_vector(&sb, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")
        .code(1)
        .stdout(predicate::str::contains("no signature matches"))
        .stdout(predicate::str::contains("MfKQ9r8").not())
        .stderr(predicate::str::contains("MfKQ9r8").not());
}

#[test]
fn empty_signature_fails() {
    let sb = Sandbox::new();
    standard_vector(&sb, "v1,").code(1);
}

#[test]
fn stale_timestamp_is_reported_with_its_age() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", r#"{"code":"x"}"#);
    let headers = sb
        .cmd()
        .arg("sign")
        .arg(&body)
        .args(["--secret", "k", "--timestamp", "1000000000"])
        .output()
        .unwrap();
    assert!(headers.status.success());
    let header = String::from_utf8(headers.stdout).unwrap();
    sb.cmd()
        .arg("verify")
        .arg(&body)
        .args(["--secret", "k", "--header", header.trim()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("old"));
}

#[test]
fn missing_header_is_named() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", r#"{"code":"x"}"#);
    sb.cmd()
        .arg("verify")
        .arg(&body)
        .args(["--secret", "k"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("cryptr-signature"));
}

#[test]
fn garbled_header_value_is_an_invalid_signature() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", r#"{"code":"x"}"#);
    sb.cmd()
        .arg("verify")
        .arg(&body)
        .args(["--secret", "k", "--header", "cryptr-signature: t=abc,v1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("malformed"));
}

#[test]
fn unreadable_body_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["verify", "no-such-file.json", "--secret", "k"])
        .args(["--header", "cryptr-signature: t=1,v1=00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.json"));
}
