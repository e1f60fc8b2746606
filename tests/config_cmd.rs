//! Tests of `dsync config`: effective values, their sources, the secret masked.

use crate::harness::{ndjson, Sandbox};

fn values(stdout: &[u8]) -> Vec<serde_json::Value> {
    ndjson(stdout)[0]["values"].as_array().unwrap().clone()
}

fn entry<'a>(values: &'a [serde_json::Value], key: &str) -> &'a serde_json::Value {
    values.iter().find(|v| v["key"] == key).unwrap()
}

#[test]
fn defaults_env_and_file_are_attributed() {
    let sb = Sandbox::new();
    sb.write("dsync.toml", "scheme = \"stripe\"\n[listen]\nport = 9001\n");
    let out = sb
        .cmd()
        .args(["config", "--json"])
        .env("DSYNC_URL", "http://127.0.0.1:1/hook")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v = values(&out.stdout);
    assert_eq!(entry(&v, "scheme")["value"], "stripe");
    assert_eq!(entry(&v, "scheme")["source"]["kind"], "file");
    assert_eq!(entry(&v, "listen.port")["value"], "9001");
    assert_eq!(entry(&v, "url")["source"]["kind"], "env");
    // listen takes any path unless told: no default path to show.
    assert_eq!(entry(&v, "listen.path")["value"], serde_json::Value::Null);
    assert_eq!(entry(&v, "listen.path")["source"]["kind"], "default");
    assert_eq!(entry(&v, "cryptr_layout")["value"], "t.body,hex,prefix,s");
}

#[test]
fn secret_is_masked_unless_asked() {
    let sb = Sandbox::new();
    let secret = "supersecretvalue1234567890";
    let out = sb
        .cmd()
        .arg("config")
        .env("DSYNC_SECRET", secret)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(!text.contains(secret), "{text}");
    assert!(text.contains("masked"), "{text}");
    assert!(text.contains("environment (DSYNC_SECRET)"), "{text}");
    let shown = sb
        .cmd()
        .args(["config", "--show-secret"])
        .env("DSYNC_SECRET", secret)
        .output()
        .unwrap();
    assert!(String::from_utf8(shown.stdout).unwrap().contains(secret));
}

#[test]
fn the_scim_token_is_listed_masked_from_env_or_file() {
    let sb = Sandbox::new();
    let token = "scim-token-0123456789abcdef";
    let from_env = sb
        .cmd()
        .args(["config", "--json"])
        .env("DSYNC_SCIM_TOKEN", token)
        .output()
        .unwrap();
    assert!(from_env.status.success());
    let v = values(&from_env.stdout);
    let row = entry(&v, "directory.token");
    assert_eq!(row["env"], "DSYNC_SCIM_TOKEN");
    assert_eq!(row["source"]["detail"], "DSYNC_SCIM_TOKEN");
    assert!(!from_env
        .stdout
        .windows(token.len())
        .any(|w| w == token.as_bytes()));
    assert!(row["value"].as_str().unwrap().contains("masked"), "{row}");

    sb.write("dsync.toml", format!("[directory]\ntoken = \"{token}\"\n"));
    let from_file = sb
        .cmd()
        .args(["config", "--json", "--show-secret"])
        .output()
        .unwrap();
    assert!(from_file.status.success());
    let v = values(&from_file.stdout);
    assert_eq!(entry(&v, "directory.token")["value"], token);
    assert_eq!(entry(&v, "directory.token")["source"]["kind"], "file");

    // Unset: the human listing points at the file `directory serve` keeps.
    std::fs::remove_file(sb.path("dsync.toml")).unwrap();
    let unset = sb.cmd().arg("config").output().unwrap();
    let text = String::from_utf8(unset.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("directory.token "))
        .unwrap_or_else(|| panic!("no directory.token row in {text}"));
    assert!(
        line.contains("(unset: see .dsync/directory-token)"),
        "{line}"
    );
}
