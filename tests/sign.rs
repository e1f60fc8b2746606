//! `dsync sign`: what it prints verifies with `dsync verify`, for every scheme,
//! and a changed body does not.

use crate::harness::Sandbox;

/// A valid secret for every scheme (base64 after whsec_), but not the signer's.
const OTHER_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

const SCHEMES: [(&str, &str); 4] = [
    ("cryptr", "G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZ"),
    ("standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ("stripe", "whsec_test_secret"),
    ("workos", "workos_secret"),
];

fn sign(sb: &Sandbox, scheme: &str, secret: &str, body: &std::path::Path) -> Vec<String> {
    let out = sb
        .cmd()
        .arg("sign")
        .arg(body)
        .args(["--scheme", scheme, "--secret", secret, "--id", "msg_1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn verify(
    sb: &Sandbox,
    scheme: &str,
    secret: &str,
    body: &std::path::Path,
    headers: &[String],
) -> i32 {
    let mut cmd = sb.cmd();
    cmd.arg("verify")
        .arg(body)
        .args(["--scheme", scheme, "--secret", secret]);
    for h in headers {
        cmd.args(["--header", h]);
    }
    cmd.output().unwrap().status.code().unwrap()
}

#[test]
fn round_trip_for_every_scheme_and_tampering_fails() {
    let sb = Sandbox::new();
    let body = sb.write(
        "body.json",
        br#"{"code":"dir_sync.user.update.success","n":1}"#,
    );
    let tampered = sb.write(
        "tampered.json",
        br#"{"code":"dir_sync.user.update.success","n":2}"#,
    );
    for (scheme, secret) in SCHEMES {
        let headers = sign(&sb, scheme, secret, &body);
        assert!(!headers.is_empty(), "{scheme}: no headers printed");
        assert_eq!(
            verify(&sb, scheme, secret, &body, &headers),
            0,
            "{scheme}: round trip"
        );
        assert_eq!(
            verify(&sb, scheme, secret, &tampered, &headers),
            1,
            "{scheme}: tampered body"
        );
        assert_eq!(
            verify(&sb, scheme, OTHER_SECRET, &body, &headers),
            1,
            "{scheme}: wrong secret"
        );
    }
}

#[test]
fn json_output_parses_and_names_the_headers() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", b"{}");
    let out = sb
        .cmd()
        .args(["--json", "sign"])
        .arg(&body)
        .args(["--secret", "k", "--timestamp", "1676905124"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert!(value.to_string().contains("t=1676905124"), "{value}");
}

#[test]
fn missing_secret_names_the_ways_to_give_one() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", b"{}");
    let out = sb.cmd().arg("sign").arg(&body).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--secret"));
}
