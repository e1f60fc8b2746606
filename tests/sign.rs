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

// ---- --cryptr-layout: one switch for every command that signs or verifies ----

use base64::Engine as _;

/// HMAC-SHA256 with the hmac crate, not dsync's signing code.
fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    use hmac::Mac as _;
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

/// The `t` and `v1` of a cryptr-signature value.
fn t_and_v1(value: &str) -> (String, String) {
    let get = |k: &str| {
        value
            .split(',')
            .find_map(|p| p.trim().strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k}= in {value}"))
            .to_string()
    };
    (get("t"), get("v1"))
}

/// What a sender in `layout` writes, recomputed here from the words alone.
fn expected_v1(layout: &str, key: &str, t: &str, body: &[u8]) -> String {
    let words: Vec<&str> = layout.split(',').collect();
    let message: Vec<&[u8]> = if words.contains(&"body") {
        vec![body]
    } else if words.contains(&"tbody") {
        vec![t.as_bytes(), body]
    } else if words.contains(&"body.t") {
        vec![body, b".", t.as_bytes()]
    } else {
        vec![t.as_bytes(), b".", body]
    };
    let m = mac(key.as_bytes(), &message);
    let sig = if words.contains(&"base64") {
        base64::engine::general_purpose::STANDARD.encode(m)
    } else {
        hex::encode(m)
    };
    if words.contains(&"no-prefix") {
        sig
    } else {
        format!("sha256.{sig}")
    }
}

const LAYOUTS: [&str; 5] = [
    "t.body",
    "body",
    "tbody,no-prefix",
    "body.t,base64",
    "base64,ms,no-prefix",
];

#[test]
fn sign_writes_each_cryptr_layout_as_the_recipe_says() {
    let sb = Sandbox::new();
    let body = sb.write("body.json", br#"{"code":"dir_sync.activated"}"#);
    let key = SCHEMES[0].1;
    for layout in LAYOUTS {
        let out = sb
            .cmd()
            .arg("sign")
            .arg(&body)
            .args([
                "--secret",
                key,
                "--cryptr-layout",
                layout,
                "--timestamp",
                "1700000000",
            ])
            .output()
            .unwrap();
        assert_success(&out);
        let line = stdout_lines(&out).remove(0);
        let value = line.strip_prefix("cryptr-signature: ").unwrap();
        let (t, v1) = t_and_v1(value);
        let want_t = if layout.contains("ms") {
            "1700000000000"
        } else {
            "1700000000"
        };
        assert_eq!(t, want_t, "{layout}");
        assert_eq!(
            v1,
            expected_v1(layout, key, &t, br#"{"code":"dir_sync.activated"}"#),
            "{layout}"
        );
    }
    // The older flag is the same as the no-prefix word.
    let out = sb
        .cmd()
        .arg("sign")
        .arg(&body)
        .args([
            "--secret",
            key,
            "--no-sha256-prefix",
            "--timestamp",
            "1700000000",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sha256."));
}

#[test]
fn send_test_replay_and_listen_take_the_same_layout() {
    let sb = Sandbox::new();
    let key = SCHEMES[0].1;
    let layout = "body.t,base64,no-prefix";
    // send-test: the receiver checks with the recipe above.
    let (url, rx) = crate::send_test::receiver(1, 200);
    let out = sb
        .cmd()
        .args(["send-test", "--event", "dir_sync.activated", "--url", &url])
        .args(["--secret", key, "--cryptr-layout", layout])
        .output()
        .unwrap();
    assert_success(&out);
    let got = rx.recv().unwrap();
    let (t, v1) = t_and_v1(got.header("cryptr-signature"));
    assert_eq!(v1, expected_v1(layout, key, &t, &got.body));
    // replay, with the layout from the environment.
    let event = sb.write("event.json", got.body.clone());
    let (url, rx) = crate::send_test::receiver(1, 200);
    let out = sb
        .cmd()
        .arg("replay")
        .arg(&event)
        .args(["--url", &url, "--secret", key])
        .env("DSYNC_CRYPTR_LAYOUT", "tbody")
        .output()
        .unwrap();
    assert_success(&out);
    let got = rx.recv().unwrap();
    let (t, v1) = t_and_v1(got.header("cryptr-signature"));
    assert_eq!(v1, expected_v1("tbody", key, &t, &got.body));
    // listen verifies in the layout it is given, and not in another one.
    for (listen_layout, expected) in [(layout, "valid"), ("t.body", "invalid")] {
        let mut child = sb
            .std_cmd()
            .args(["--json", "listen", "--port", "0", "--secret", key])
            .args(["--cryptr-layout", listen_layout])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        std::io::BufRead::read_line(&mut lines, &mut line).unwrap();
        let ready: serde_json::Value = serde_json::from_str(&line).unwrap();
        let listen_url = ready["url"].as_str().unwrap().to_string();
        let out = sb
            .cmd()
            .args([
                "send-test",
                "--event",
                "dir_sync.activated",
                "--url",
                &listen_url,
            ])
            .args(["--secret", key, "--cryptr-layout", layout])
            .output()
            .unwrap();
        assert_success(&out);
        line.clear();
        std::io::BufRead::read_line(&mut lines, &mut line).unwrap();
        let event: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            event["verification"], expected,
            "listen {listen_layout}: {event}"
        );
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        child.wait().unwrap();
    }
}
