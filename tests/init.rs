//! Tests of `dsync init`.

use crate::harness::Sandbox;

#[test]
fn yes_writes_defaults_with_mode_0600() {
    let sb = Sandbox::new();
    sb.cmd().args(["init", "--yes"]).assert().success();
    let text = std::fs::read_to_string(sb.path("dsync.toml")).unwrap();
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(parsed["scheme"].as_str(), Some("cryptr"));
    assert_eq!(parsed["secret"].as_str().unwrap().len(), 64);
    assert_eq!(parsed["listen"]["port"].as_integer(), Some(8000));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.path("dsync.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // What init wrote is what config reads.
    let out = sb.cmd().args(["config", "--json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"kind\":\"file\""), "{text}");
}

#[test]
fn flags_answer_every_question_without_a_terminal() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "init", "--scheme", "stripe", "--secret", "whk", "--port", "9100",
        ])
        .args([
            "--path",
            "/hooks",
            "--forward-to",
            "http://127.0.0.1:3000/scim",
        ])
        .args(["--store", "caps"])
        .assert()
        .success();
    let parsed: toml::Value =
        toml::from_str(&std::fs::read_to_string(sb.path("dsync.toml")).unwrap()).unwrap();
    assert_eq!(parsed["scheme"].as_str(), Some("stripe"));
    assert_eq!(parsed["secret"].as_str(), Some("whk"));
    assert_eq!(parsed["store"].as_str(), Some("caps"));
    assert_eq!(parsed["listen"]["path"].as_str(), Some("/hooks"));
    assert_eq!(
        parsed["listen"]["forward_to"].as_str(),
        Some("http://127.0.0.1:3000/scim")
    );
}

#[test]
fn missing_answer_without_terminal_names_the_flag() {
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args(["init", "--scheme", "cryptr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--secret"), "{err}");
    assert!(!sb.path("dsync.toml").exists());
}

#[test]
fn never_overwrites_without_force() {
    let sb = Sandbox::new();
    sb.write("dsync.toml", "scheme = \"workos\"\n");
    let out = sb.cmd().args(["init", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--force"));
    assert_eq!(
        std::fs::read_to_string(sb.path("dsync.toml")).unwrap(),
        "scheme = \"workos\"\n"
    );
    sb.cmd()
        .args(["init", "--yes", "--force"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(sb.path("dsync.toml"))
        .unwrap()
        .contains("cryptr"));
}

#[test]
fn gitignore_gets_dsync_once_in_a_git_repo() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path(".git")).unwrap();
    sb.write(".gitignore", "target");
    sb.cmd().args(["init", "--yes"]).assert().success();
    sb.cmd()
        .args(["init", "--yes", "--force"])
        .assert()
        .success();
    let text = std::fs::read_to_string(sb.path(".gitignore")).unwrap();
    assert_eq!(text, "target\n.dsync/\n");
}

#[test]
fn no_gitignore_outside_a_repo_or_when_declined() {
    let sb = Sandbox::new();
    sb.cmd().args(["init", "--yes"]).assert().success();
    assert!(!sb.path(".gitignore").exists());
    std::fs::create_dir(sb.path(".git")).unwrap();
    sb.cmd()
        .args(["init", "--yes", "--force", "--no-gitignore"])
        .assert()
        .success();
    assert!(!sb.path(".gitignore").exists());
}
