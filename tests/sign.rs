//! `dsync sign`: what it prints verifies with `dsync verify`, for every scheme,
//! and a changed body does not.

use crate::harness::{assert_success, stdout_lines, Sandbox};

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
    assert_success(&out);
    stdout_lines(&out)
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

// ---- Colour: never in a pipe or with NO_COLOR; forced by CLICOLOR_FORCE or --color always ----

const ESC: u8 = 0x1b;

/// `dsync [global] sign body.json` with extra environment; returns stdout.
fn sign_output(sb: &Sandbox, global: &[&str], env: &[(&str, &str)], format: &[&str]) -> Vec<u8> {
    let body = sb.write("body.json", b"{}");
    let mut cmd = sb.cmd();
    // A capable terminal type, so only the pipe or the variables decide.
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(global)
        .arg("sign")
        .arg(&body)
        .args(["--secret", "k", "--timestamp", "1676905124"])
        .args(format)
        .output()
        .unwrap();
    assert_success(&out);
    out.stdout
}

#[test]
fn sign_colour_follows_pipe_no_color_and_force() {
    let sb = Sandbox::new();
    let plain = sign_output(&sb, &[], &[], &[]);
    assert!(!plain.contains(&ESC), "piped output is coloured");
    let value = format!(
        "t=1676905124,v1=sha256.{}",
        hex::encode(dsync::signature::hmac_sha256(b"k", &[b"1676905124.{}"]))
    );
    assert_eq!(
        String::from_utf8(plain).unwrap(),
        format!("cryptr-signature: {value}\n")
    );
    for (global, env) in [
        (&["--color", "always"][..], &[][..]),
        (&[][..], &[("CLICOLOR_FORCE", "1")][..]),
    ] {
        let forced = String::from_utf8(sign_output(&sb, global, env, &[])).unwrap();
        assert!(forced.contains('\x1b'), "{global:?} {env:?}: no colour");
        // Colour only wraps the name: the value is intact.
        assert!(forced.contains(&format!(": {value}\n")), "{forced}");
    }
    let no_color = sign_output(&sb, &[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")], &[]);
    assert!(!no_color.contains(&ESC), "NO_COLOR ignored");
    let never = sign_output(&sb, &["--color", "never"], &[("CLICOLOR_FORCE", "1")], &[]);
    assert!(!never.contains(&ESC), "--color never ignored");
    // Machine outputs are never coloured.
    let json = sign_output(&sb, &["--color", "always", "--json"], &[], &[]);
    assert!(!json.contains(&ESC));
    serde_json::from_slice::<serde_json::Value>(&json).expect("JSON");
    let curl = sign_output(
        &sb,
        &["--color", "always"],
        &[],
        &["--format", "curl", "--url", "http://127.0.0.1:1/hook"],
    );
    assert!(!curl.contains(&ESC), "the curl line is coloured");
}
