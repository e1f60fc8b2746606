//! `dsync verify`: the published Standard Webhooks vectors and the exit codes.

use predicates::prelude::*;

use crate::harness::{assert_success, stdout_lines, Sandbox};

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

// ---- Each diagnosis: the culprit is named in the human line and in --json ----

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine as _;
use dsync::signature::hmac_sha256;
use serde_json::Value;

/// "Now" for every diagnosis test (`--at`), and the timestamp signed.
const T: i64 = 1_700_000_000;
/// Cryptr's documented signature_key shape: 128 URL-safe characters.
const CRYPTR_KEY: &str = "G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZKe2mikvF1-YMx2pQ3RKIsKmHOWWVv5ZTWahxxQuKM72vCMvz84jBeAhfYQsjMqLGA3Tg9nlgBUfa3BOEaUNZH";
const COMPACT: &str =
    r#"{"code":"dir_sync.user.update.success","data":{"email":"ada@example.com","n":1}}"#;

fn hex_mac(key: &[u8], parts: &[&[u8]]) -> String {
    hex::encode(hmac_sha256(key, parts))
}

/// `dsync sign` headers for `body` at time `t`.
fn signed_headers(sb: &Sandbox, scheme: &str, secret: &str, body: &[u8], t: i64) -> Vec<String> {
    let file = sb.write("signed-body", body);
    let out = sb
        .cmd()
        .arg("sign")
        .arg(&file)
        .args(["--scheme", scheme, "--secret", secret, "--id", "msg_1"])
        .args(["--timestamp", &t.to_string()])
        .output()
        .unwrap();
    assert_success(&out);
    stdout_lines(&out)
}

/// Run `dsync verify` as of `T`, human then `--json`; both must exit 1.
/// Returns (human stdout, JSON report).
fn verify_fails(
    sb: &Sandbox,
    scheme: &str,
    secret: &str,
    body: &[u8],
    headers: &[String],
) -> (String, Value) {
    let file = sb.write("received-body", body);
    let run = |json: bool| {
        let mut cmd = sb.cmd();
        if json {
            cmd.arg("--json");
        }
        cmd.arg("verify")
            .arg(&file)
            .args(["--scheme", scheme, "--secret", secret])
            .args(["--at", &T.to_string()]);
        for h in headers {
            cmd.args(["--header", h]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "json={json} stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        out.stdout
    };
    let human = String::from_utf8(run(false)).unwrap();
    let report: Value =
        serde_json::from_slice(&run(true)).expect("--json stdout is one JSON document");
    assert_eq!(report["valid"], false, "{report}");
    assert!(!human.contains(secret), "the secret was printed: {human}");
    (human, report)
}

/// The culprit `kind` is named in both outputs; returns the explanation.
fn assert_culprit(
    sb: &Sandbox,
    scheme: &str,
    secret: &str,
    body: &[u8],
    headers: &[String],
    kind: &str,
) -> String {
    let (human, report) = verify_fails(sb, scheme, secret, body, headers);
    assert!(
        human.contains(&format!("culprit ({kind}):")),
        "expected culprit {kind} in: {human}"
    );
    assert_eq!(report["culprit"]["kind"], kind, "{report}");
    let explanation = report["culprit"]["explanation"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(human.contains(&explanation), "{human}");
    explanation
}

/// [`assert_culprit`] for a Cryptr request checked with [`CRYPTR_KEY`].
fn assert_cryptr_culprit(sb: &Sandbox, body: &[u8], headers: &[String], kind: &str) -> String {
    assert_culprit(sb, "cryptr", CRYPTR_KEY, body, headers, kind)
}

/// A Cryptr request signed over `signed` (with [`CRYPTR_KEY`] at `T`) but
/// received as `received`: [`assert_cryptr_culprit`].
fn assert_signed_cryptr_culprit(
    sb: &Sandbox,
    signed: &[u8],
    received: &[u8],
    kind: &str,
) -> String {
    let headers = signed_headers(sb, "cryptr", CRYPTR_KEY, signed, T);
    assert_cryptr_culprit(sb, received, &headers, kind)
}

#[test]
fn culprit_other_scheme() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "stripe", "whsec_abc", COMPACT.as_bytes(), T);
    // Default scheme is cryptr: its header is missing, but the request is Stripe's.
    let explanation = assert_culprit(
        &sb,
        "cryptr",
        "whsec_abc",
        COMPACT.as_bytes(),
        &headers,
        "other_scheme",
    );
    assert!(explanation.contains("--scheme stripe"), "{explanation}");
}

#[test]
fn culprit_key_base64_decoded_where_raw_expected() {
    let sb = Sandbox::new();
    let key = B64URL.decode(CRYPTR_KEY).unwrap();
    let mac = hex_mac(&key, &[T.to_string().as_bytes(), b".", COMPACT.as_bytes()]);
    let headers = [format!("cryptr-signature: t={T},v1=sha256.{mac}")];
    assert_culprit(
        &sb,
        "cryptr",
        CRYPTR_KEY,
        COMPACT.as_bytes(),
        &headers,
        "key_base64_decoded",
    );
}

#[test]
fn culprit_key_raw_where_base64_decoded_expected() {
    let sb = Sandbox::new();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let mac = hmac_sha256(
        secret.as_bytes(),
        &[
            b"msg_1.",
            T.to_string().as_bytes(),
            b".",
            COMPACT.as_bytes(),
        ],
    );
    let headers = [
        "webhook-id: msg_1".to_string(),
        format!("webhook-timestamp: {T}"),
        format!("webhook-signature: v1,{}", B64.encode(mac)),
    ];
    assert_culprit(
        &sb,
        "standard",
        secret,
        COMPACT.as_bytes(),
        &headers,
        "key_not_base64_decoded",
    );
}

#[test]
fn culprit_secret_with_and_without_whsec() {
    let sb = Sandbox::new();
    // Signed with the prefix (Stripe keeps it), verified without.
    let headers = signed_headers(&sb, "stripe", "whsec_plain", COMPACT.as_bytes(), T);
    assert_culprit(
        &sb,
        "stripe",
        "plain",
        COMPACT.as_bytes(),
        &headers,
        "key_with_whsec",
    );
    // Signed without, verified with.
    let headers = signed_headers(&sb, "stripe", "plain", COMPACT.as_bytes(), T);
    assert_culprit(
        &sb,
        "stripe",
        "whsec_plain",
        COMPACT.as_bytes(),
        &headers,
        "key_without_whsec",
    );
}

#[test]
fn culprit_body_only_hmac() {
    let sb = Sandbox::new();
    let mac = hex_mac(CRYPTR_KEY.as_bytes(), &[COMPACT.as_bytes()]);
    let headers = [format!("cryptr-signature: t={T},v1=sha256.{mac}")];
    let explanation = assert_cryptr_culprit(&sb, COMPACT.as_bytes(), &headers, "cryptr_layout");
    assert!(explanation.contains("body only"), "{explanation}");
    assert!(
        explanation.contains("--cryptr-layout body,hex,prefix,s"),
        "{explanation}"
    );
}

#[test]
fn culprit_t_body_where_id_t_body_expected() {
    let sb = Sandbox::new();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let key = B64.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let mac = hmac_sha256(&key, &[T.to_string().as_bytes(), b".", COMPACT.as_bytes()]);
    let headers = [
        "webhook-id: msg_1".to_string(),
        format!("webhook-timestamp: {T}"),
        format!("webhook-signature: v1,{}", B64.encode(mac)),
    ];
    let explanation = assert_culprit(
        &sb,
        "standard",
        secret,
        COMPACT.as_bytes(),
        &headers,
        "t_body",
    );
    assert!(
        explanation.contains(&format!("\"{T}.\" + body")),
        "{explanation}"
    );
}

#[test]
fn culprit_trailing_newline_added_or_lost() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), T);
    let with_newline = format!("{COMPACT}\n");
    assert_cryptr_culprit(
        &sb,
        with_newline.as_bytes(),
        &headers,
        "body_trailing_newline",
    );
    assert_signed_cryptr_culprit(
        &sb,
        with_newline.as_bytes(),
        COMPACT.as_bytes(),
        "body_trailing_newline",
    );
}

#[test]
fn culprit_crlf_line_ends() {
    let sb = Sandbox::new();
    let lf = "{\n  \"code\": \"x\",\n  \"n\": 1\n}";
    let crlf = lf.replace('\n', "\r\n");
    assert_signed_cryptr_culprit(&sb, lf.as_bytes(), crlf.as_bytes(), "body_crlf");
    assert_signed_cryptr_culprit(&sb, crlf.as_bytes(), lf.as_bytes(), "body_crlf");
}

#[test]
fn culprit_pretty_vs_compact_reserialisation() {
    let sb = Sandbox::new();
    let value: Value = serde_json::from_str(COMPACT).unwrap();
    let pretty = serde_json::to_string_pretty(&value).unwrap();
    // Signed compact, received pretty (with the newline jq and editors add).
    assert_signed_cryptr_culprit(
        &sb,
        COMPACT.as_bytes(),
        format!("{pretty}\n").as_bytes(),
        "body_compact",
    );
    // Signed pretty, received compact.
    let headers = signed_headers(&sb, "stripe", "whsec_abc", pretty.as_bytes(), T);
    assert_culprit(
        &sb,
        "stripe",
        "whsec_abc",
        COMPACT.as_bytes(),
        &headers,
        "body_pretty",
    );
}

#[test]
fn culprit_on_another_schemes_header_says_which_scheme() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "stripe", "whsec_abc", COMPACT.as_bytes(), T);
    let received = format!("{COMPACT}\n");
    let explanation = assert_culprit(
        &sb,
        "cryptr",
        "whsec_abc",
        received.as_bytes(),
        &headers,
        "body_trailing_newline",
    );
    assert!(explanation.contains("--scheme stripe"), "{explanation}");
}

#[test]
fn culprit_only_v0_matches() {
    let sb = Sandbox::new();
    let good = hex_mac(
        CRYPTR_KEY.as_bytes(),
        &[T.to_string().as_bytes(), b".", COMPACT.as_bytes()],
    );
    let headers = [format!(
        "cryptr-signature: t={T},v1=sha256.{},v0=sha256.{good}",
        "0".repeat(64)
    )];
    let explanation = assert_cryptr_culprit(&sb, COMPACT.as_bytes(), &headers, "signature_version");
    assert!(explanation.contains("v0"), "{explanation}");
}

#[test]
fn no_culprit_means_the_secret_is_wrong() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), T);
    let (human, report) = verify_fails(&sb, "cryptr", "another-key", COMPACT.as_bytes(), &headers);
    assert!(report.get("culprit").is_none(), "{report}");
    assert_eq!(report["failure"]["kind"], "no_match");
    assert!(
        human.contains("secret is most likely not the one"),
        "{human}"
    );
    assert!(!human.contains("culprit ("), "{human}");
}

// ---- Timestamps outside the tolerance ----

#[test]
fn stale_timestamp_says_by_how_much() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), T - 3600);
    let (human, report) = verify_fails(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), &headers);
    assert!(
        human.contains("timestamp is 1h old, 55m beyond the 5m tolerance"),
        "{human}"
    );
    assert!(human.contains("--at"), "{human}");
    assert_eq!(report["failure"]["kind"], "too_old");
    assert_eq!(report["failure"]["age_seconds"], 3600);
    assert_eq!(report["failure"]["tolerance_seconds"], 300);
}

#[test]
fn future_timestamp_is_reported_and_tolerance_flag_widens_it() {
    let sb = Sandbox::new();
    let headers = signed_headers(
        &sb,
        "standard",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        COMPACT.as_bytes(),
        T + 600,
    );
    let (human, report) = verify_fails(
        &sb,
        "standard",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        COMPACT.as_bytes(),
        &headers,
    );
    assert!(
        human.contains("timestamp is 10m in the future, 5m beyond the 5m tolerance"),
        "{human}"
    );
    assert_eq!(report["failure"]["kind"], "in_future");
    assert_eq!(report["failure"]["ahead_seconds"], 600);
    let file = sb.write("received-body", COMPACT);
    let mut cmd = sb.cmd();
    cmd.arg("verify").arg(&file).args([
        "--scheme",
        "standard",
        "--secret",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "--at",
        &T.to_string(),
        "--tolerance",
        "11m",
    ]);
    for h in &headers {
        cmd.args(["--header", h]);
    }
    cmd.assert().code(0);
}

#[test]
fn milliseconds_where_seconds_expected_is_hinted() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), T * 1000);
    let (human, report) = verify_fails(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), &headers);
    assert_eq!(report["failure"]["kind"], "in_future");
    let hint = format!(
        "timestamp {} looks like milliseconds where seconds were expected",
        T * 1000
    );
    assert!(human.contains(&hint), "{human}");
    assert!(
        report["hints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().starts_with(&hint)),
        "{report}"
    );
    assert!(human.contains("--cryptr-layout ms"), "{human}");
}

#[test]
fn seconds_where_workos_expects_milliseconds_is_hinted() {
    let sb = Sandbox::new();
    let mac = hex_mac(
        b"workos_secret",
        &[T.to_string().as_bytes(), b".", COMPACT.as_bytes()],
    );
    let headers = [format!("WorkOS-Signature: t={T}, v1={mac}")];
    let (human, report) =
        verify_fails(&sb, "workos", "workos_secret", COMPACT.as_bytes(), &headers);
    assert_eq!(report["failure"]["kind"], "too_old");
    assert!(
        human.contains("looks like seconds where milliseconds were expected"),
        "{human}"
    );
}

#[test]
fn extreme_timestamp_fails_cleanly() {
    let sb = Sandbox::new();
    let t = i64::MIN.to_string();
    let mac = hex_mac(
        CRYPTR_KEY.as_bytes(),
        &[t.as_bytes(), b".", COMPACT.as_bytes()],
    );
    let headers = [format!("cryptr-signature: t={t},v1={mac}")];
    let (_, report) = verify_fails(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), &headers);
    assert_eq!(report["failure"]["kind"], "too_old");
}

// ---- Colour: never in a pipe or with NO_COLOR; forced by CLICOLOR_FORCE or --color always ----

/// A cryptr-signed body and its header, valid as of `T`.
fn colour_case(sb: &Sandbox) -> (std::path::PathBuf, String) {
    let header = signed_headers(sb, "cryptr", "k", COMPACT.as_bytes(), T).remove(0);
    (sb.write("body.json", COMPACT), header)
}

fn verify_stdout(sb: &Sandbox, global: &[&str], env: &[(&str, &str)], secret: &str) -> Vec<u8> {
    let (body, header) = colour_case(sb);
    let mut cmd = sb.cmd();
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(global)
        .arg("verify")
        .arg(&body)
        .args([
            "--secret",
            secret,
            "--at",
            &T.to_string(),
            "--header",
            &header,
        ])
        .output()
        .unwrap()
        .stdout
}

#[test]
fn verify_colour_follows_pipe_no_color_and_force() {
    let sb = Sandbox::new();
    for secret in ["k", "wrong"] {
        let piped = verify_stdout(&sb, &[], &[], secret);
        assert!(!piped.contains(&0x1b), "{secret}: piped output is coloured");
        assert!(!piped.is_empty());
        for (global, env) in [
            (&["--color", "always"][..], &[][..]),
            (&[][..], &[("CLICOLOR_FORCE", "1")][..]),
        ] {
            let forced = verify_stdout(&sb, global, env, secret);
            assert!(
                forced.contains(&0x1b),
                "{secret} {global:?} {env:?}: no colour"
            );
        }
        let no_color = verify_stdout(
            &sb,
            &[],
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            secret,
        );
        assert!(!no_color.contains(&0x1b), "{secret}: NO_COLOR ignored");
        let never = verify_stdout(
            &sb,
            &["--color", "never"],
            &[("CLICOLOR_FORCE", "1")],
            secret,
        );
        assert!(!never.contains(&0x1b), "{secret}: --color never ignored");
        let json = verify_stdout(&sb, &["--color", "always", "--json"], &[], secret);
        assert!(!json.contains(&0x1b), "{secret}: JSON is coloured");
        serde_json::from_slice::<Value>(&json).expect("JSON");
    }
}

/// On a real terminal (a pseudo-terminal from `script`), `auto` colours and
/// NO_COLOR still wins.
#[test]
fn verify_colours_a_terminal_unless_no_color() {
    let sb = Sandbox::new();
    let (body, header) = colour_case(&sb);
    let dsync = assert_cmd::cargo::cargo_bin("dsync");
    let line = format!(
        "'{}' verify '{}' --secret k --at {T} --header '{header}'",
        dsync.display(),
        body.display()
    );
    let on_tty = |extra: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new("script");
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", sb.root.path().join("home"))
            .env("XDG_CONFIG_HOME", sb.root.path().join("config"))
            .env("TERM", "xterm-256color")
            .env("SHELL", "/bin/sh")
            .current_dir(sb.work())
            .args(["-qec", &line, "/dev/null"])
            .stdin(std::process::Stdio::null());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.output().ok()
    };
    let Some(out) = on_tty(&[]) else {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    };
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("valid"), "{text}");
    assert!(text.contains('\x1b'), "no colour on a terminal: {text:?}");
    let out = on_tty(&[("NO_COLOR", "1")]).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("valid"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "NO_COLOR ignored on a terminal: {text:?}"
    );
}

#[test]
fn culprit_python_json_dumps_reserialisation() {
    let sb = Sandbox::new();
    // Signed as Python's json.dumps writes it, received compact.
    let python = r#"{"code": "dir_sync.user.update.success", "name": "Zo\u00eb", "n": [1, 2]}"#;
    let compact = r#"{"code":"dir_sync.user.update.success","name":"Zoë","n":[1,2]}"#;
    let explanation = assert_signed_cryptr_culprit(
        &sb,
        python.as_bytes(),
        compact.as_bytes(),
        "body_python_json",
    );
    assert!(explanation.contains("json.dumps"), "{explanation}");
    // ensure_ascii=False keeps the characters.
    let raw = r#"{"code": "dir_sync.user.update.success", "name": "Zoë", "n": [1, 2]}"#;
    assert_signed_cryptr_culprit(&sb, raw.as_bytes(), compact.as_bytes(), "body_python_json");
}

#[test]
fn culprit_signature_written_in_base64_where_hex_expected() {
    let sb = Sandbox::new();
    let mac = hmac_sha256(
        CRYPTR_KEY.as_bytes(),
        &[T.to_string().as_bytes(), b".", COMPACT.as_bytes()],
    );
    let headers = [format!("cryptr-signature: t={T},v1={}", B64.encode(mac))];
    let explanation = assert_cryptr_culprit(&sb, COMPACT.as_bytes(), &headers, "cryptr_layout");
    assert!(
        explanation.contains("written base64 without the sha256. prefix"),
        "{explanation}"
    );
    assert!(
        explanation.contains("--cryptr-layout t.body,base64,no-prefix,s"),
        "{explanation}"
    );
}

#[test]
fn capture_from_the_store_is_verified_and_diagnosed() {
    let sb = Sandbox::new();
    let header = signed_headers(&sb, "cryptr", CRYPTR_KEY, COMPACT.as_bytes(), T).remove(0);
    let (name, value) = header.split_once(": ").unwrap();
    let capture = |body: &str| {
        serde_json::json!({
            "format": 1, "id": "0001", "received_at": "2023-11-14T22:13:20Z", "method": "POST",
            "path": "/directory-sync",
            "headers": [["content-type", "application/json"], [name, value]],
            "size": body.len(), "body": {"encoding": "utf8", "data": body},
        })
        .to_string()
    };
    let exact = sb.write("exact.json", capture(COMPACT));
    sb.cmd()
        .args([
            "verify",
            "--secret",
            CRYPTR_KEY,
            "--at",
            &T.to_string(),
            "--capture",
        ])
        .arg(&exact)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("valid"));
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(COMPACT).unwrap()).unwrap();
    let reformatted = sb.write("pretty.json", capture(&pretty));
    let out = sb
        .cmd()
        .args([
            "--json",
            "verify",
            "--secret",
            CRYPTR_KEY,
            "--at",
            &T.to_string(),
            "--capture",
        ])
        .arg(&reformatted)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["culprit"]["kind"], "body_compact", "{report}");
}

// ---- Cryptr layouts, Svix names, unpadded secrets, windows, bad timestamps ----

/// `dsync verify` of `body` with `headers` and extra args, as of `T`.
fn verify_with(
    sb: &Sandbox,
    body: &[u8],
    headers: &[String],
    extra: &[&str],
) -> std::process::Output {
    let file = sb.write("layout-body", body);
    let mut cmd = sb.cmd();
    cmd.arg("verify")
        .arg(&file)
        .args(["--at", &T.to_string()])
        .args(extra);
    for h in headers {
        cmd.args(["--header", h]);
    }
    cmd.output().unwrap()
}

#[test]
fn every_cryptr_layout_is_diagnosed_and_then_verifies_with_the_named_switch() {
    let sb = Sandbox::new();
    let key = CRYPTR_KEY.as_bytes();
    let body = COMPACT.as_bytes();
    let t = T.to_string();
    let t_ms = (T * 1000).to_string();
    // (header as a sender in that layout writes it, the switch dsync must name)
    let cases = [
        (
            format!("t={t},v1=sha256.{}", hex_mac(key, &[body])),
            "body,hex,prefix,s",
        ),
        (
            format!("t={t},v1={}", hex_mac(key, &[t.as_bytes(), body])),
            "tbody,hex,no-prefix,s",
        ),
        (
            format!(
                "t={t},v1=sha256.{}",
                hex_mac(key, &[body, b".", t.as_bytes()])
            ),
            "body.t,hex,prefix,s",
        ),
        (
            format!(
                "t={t},v1={}",
                B64.encode(hmac_sha256(key, &[t.as_bytes(), b".", body]))
            ),
            "t.body,base64,no-prefix,s",
        ),
        (
            format!(
                "t={t_ms},v1=sha256.{}",
                B64.encode(hmac_sha256(key, &[body, b".", t_ms.as_bytes()]))
            ),
            "body.t,base64,prefix,ms",
        ),
    ];
    for (value, layout) in cases {
        let headers = [format!("cryptr-signature: {value}")];
        let explanation = assert_cryptr_culprit(&sb, body, &headers, "cryptr_layout");
        assert!(
            explanation.contains(&format!("--cryptr-layout {layout}")),
            "{value}: {explanation}"
        );
        // The switch named makes it verify, by flag, by variable and by file.
        let flag = verify_with(
            &sb,
            body,
            &headers,
            &["--secret", CRYPTR_KEY, "--cryptr-layout", layout],
        );
        assert_eq!(
            flag.status.code(),
            Some(0),
            "{layout}: {}",
            String::from_utf8_lossy(&flag.stdout)
        );
        let file = sb.write("layout-body", body);
        let mut by_env = sb.cmd();
        by_env
            .arg("verify")
            .arg(&file)
            .args([
                "--at",
                &T.to_string(),
                "--secret",
                CRYPTR_KEY,
                "--header",
                &headers[0],
            ])
            .env("DSYNC_CRYPTR_LAYOUT", layout);
        by_env.assert().code(0);
        sb.write("dsync.toml", format!("cryptr_layout = \"{layout}\"\n"));
        let by_file = verify_with(&sb, body, &headers, &["--secret", CRYPTR_KEY]);
        assert_eq!(by_file.status.code(), Some(0), "{layout} from dsync.toml");
        std::fs::remove_file(sb.path("dsync.toml")).unwrap();
        // ...and the inferred default still refuses it.
        let default = verify_with(&sb, body, &headers, &["--secret", CRYPTR_KEY]);
        assert_eq!(
            default.status.code(),
            Some(1),
            "{layout} with the default layout"
        );
    }
}

#[test]
fn a_bad_layout_is_a_usage_error_naming_the_words() {
    let sb = Sandbox::new();
    let out = verify_with(
        &sb,
        b"{}",
        &[],
        &["--secret", "k", "--cryptr-layout", "sha1"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("t.body") && err.contains("base64"), "{err}");
    let out = sb
        .cmd()
        .args(["verify", "x", "--secret", "k"])
        .env("DSYNC_CRYPTR_LAYOUT", "body,tbody")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("DSYNC_CRYPTR_LAYOUT"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A Standard Webhooks secret (the bytes 0..16) whose base64 lacks its `==`.
const UNPADDED: &str = "whsec_AAECAwQFBgcICQoLDA0ODw";

#[test]
fn unpadded_whsec_secrets_sign_and_verify() {
    let sb = Sandbox::new();
    let body = COMPACT.as_bytes();
    let key: Vec<u8> = (0u8..16).collect();
    let mac = hmac_sha256(&key, &[b"msg_1.", T.to_string().as_bytes(), b".", body]);
    let headers = [
        "webhook-id: msg_1".to_string(),
        format!("webhook-timestamp: {T}"),
        format!("webhook-signature: v1,{}", B64.encode(mac)),
    ];
    let out = verify_with(
        &sb,
        body,
        &headers,
        &["--scheme", "standard", "--secret", UNPADDED],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // dsync signs with it the same bytes.
    assert_eq!(signed_headers(&sb, "standard", UNPADDED, body, T), headers);
}

#[test]
fn svix_header_names_are_read_and_svix_is_a_scheme_name() {
    let sb = Sandbox::new();
    let body = COMPACT.as_bytes();
    let signed = signed_headers(&sb, "standard", SECRET, body, T);
    let svix: Vec<String> = signed
        .iter()
        .map(|h| h.replacen("webhook-", "svix-", 1))
        .collect();
    assert!(svix[0].starts_with("svix-id: "), "{svix:?}");
    for scheme in ["standard", "svix"] {
        let out = verify_with(&sb, body, &svix, &["--scheme", scheme, "--secret", SECRET]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{scheme}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // A tampered body still fails under the Svix names.
    let out = verify_with(&sb, b"{}", &svix, &["--scheme", "svix", "--secret", SECRET]);
    assert_eq!(out.status.code(), Some(1));
    // Missing both sets: both names are given.
    let out = verify_with(&sb, body, &[], &["--scheme", "svix", "--secret", SECRET]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("webhook-id") && text.contains("svix-id"),
        "{text}"
    );
}

#[test]
fn workos_bounds_the_future_like_its_python_sdk_and_stripe_too() {
    let sb = Sandbox::new();
    let body = COMPACT.as_bytes();
    for (scheme, secret, window) in [("workos", "workos_secret", 180), ("stripe", "whsec_x", 300)] {
        for (offset, valid) in [
            (window - 30, true),
            (-(window - 30), true),
            (600, false),
            (365 * 86_400, false),
            (-600, false),
        ] {
            let headers = signed_headers(&sb, scheme, secret, body, T + offset);
            let out = verify_with(
                &sb,
                body,
                &headers,
                &["--scheme", scheme, "--secret", secret],
            );
            assert_eq!(
                out.status.code(),
                Some(if valid { 0 } else { 1 }),
                "{scheme} signed {offset:+} s from now: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        // The far future is never valid.
        let max = i64::MAX;
        let header = match scheme {
            "workos" => format!(
                "WorkOS-Signature: t={max}, v1={}",
                hex_mac(secret.as_bytes(), &[max.to_string().as_bytes(), b".", body])
            ),
            _ => format!(
                "Stripe-Signature: t={max},v1={}",
                hex_mac(secret.as_bytes(), &[max.to_string().as_bytes(), b".", body])
            ),
        };
        let out = verify_with(
            &sb,
            body,
            &[header],
            &["--scheme", scheme, "--secret", secret],
        );
        assert_eq!(out.status.code(), Some(1), "{scheme} t=i64::MAX");
        assert!(String::from_utf8_lossy(&out.stdout).contains("in the future"));
    }
}

#[test]
fn a_timestamp_beyond_64_bits_is_out_of_range_not_a_non_integer() {
    let sb = Sandbox::new();
    for (scheme, header) in [
        ("cryptr", "cryptr-signature: t=9223372036854775808,v1=00"),
        ("stripe", "Stripe-Signature: t=9223372036854775808,v1=00"),
        ("workos", "WorkOS-Signature: t=9223372036854775808, v1=00"),
    ] {
        let out = verify_with(
            &sb,
            b"{}",
            &[header.to_string()],
            &["--scheme", scheme, "--secret", "k"],
        );
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("out of range") && !text.contains("not an integer"),
            "{scheme}: {text}"
        );
    }
}

#[test]
fn a_1970_timestamp_is_named_not_given_a_56_year_tolerance() {
    let sb = Sandbox::new();
    let headers = signed_headers(&sb, "cryptr", "k", b"{}", 5);
    let (human, _) = verify_fails(&sb, "cryptr", "k", b"{}", &headers);
    assert!(human.contains("in 1970, or in milliseconds?"), "{human}");
    assert!(!human.contains("--tolerance"), "{human}");
    // A capture a few hours old still gets the tolerance it needs.
    let headers = signed_headers(&sb, "cryptr", "k", b"{}", T - 3 * 3600);
    let (human, _) = verify_fails(&sb, "cryptr", "k", b"{}", &headers);
    assert!(human.contains("--tolerance 3h1m"), "{human}");
}

#[test]
fn verify_capture_names_the_layout_of_a_real_delivery() {
    let sb = Sandbox::new();
    // As if Cryptr signed body + ".<t>" in base64: the capture settles the layout.
    let t = T.to_string();
    let sig = B64.encode(hmac_sha256(
        CRYPTR_KEY.as_bytes(),
        &[COMPACT.as_bytes(), b".", t.as_bytes()],
    ));
    let mut capture = dsync::store::Capture::new(
        "POST",
        "/directory-sync",
        vec![("cryptr-signature".into(), format!("t={t},v1=sha256.{sig}"))],
        COMPACT.as_bytes(),
    );
    capture.id = "0001".into();
    let file = sb.write("capture.json", serde_json::to_vec(&capture).unwrap());
    let run = |extra: &[&str]| {
        sb.cmd()
            .args([
                "--json",
                "verify",
                "--secret",
                CRYPTR_KEY,
                "--at",
                &t,
                "--capture",
            ])
            .arg(&file)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["culprit"]["kind"], "cryptr_layout", "{report}");
    let explanation = report["culprit"]["explanation"].as_str().unwrap();
    let layout = explanation
        .split("--cryptr-layout ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no layout named: {explanation}"));
    assert_eq!(layout, "body.t,base64,prefix,s");
    let out = run(&["--cryptr-layout", layout]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
