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
