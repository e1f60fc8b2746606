//! Tests of `dsync completions` and `dsync man`. The checked-in files under
//! `completions/` must match what the binary generates; run with
//! `DSYNC_UPDATE_COMPLETIONS=1 cargo test completions` to rewrite them.

use std::path::PathBuf;

use crate::harness::Sandbox;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "dsync.bash"),
    ("zsh", "_dsync"),
    ("fish", "dsync.fish"),
    ("powershell", "_dsync.ps1"),
    ("elvish", "dsync.elv"),
];

#[test]
fn checked_in_completions_match_the_binary() {
    let sb = Sandbox::new();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("DSYNC_UPDATE_COMPLETIONS").is_some();
    let mut drifted = Vec::new();
    for (shell, file) in SHELLS {
        let out = sb.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "completions {shell} failed");
        assert!(out.stdout.len() > 500, "completions {shell} look empty");
        let path = dir.join(file);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &out.stdout).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&out.stdout[..]) {
            drifted.push(path.display().to_string());
        }
    }
    assert!(
        drifted.is_empty(),
        "completions drifted from the binary: {drifted:?}; \
         run `DSYNC_UPDATE_COMPLETIONS=1 cargo test completions` to rewrite them"
    );
}

#[test]
fn completions_mention_every_subcommand() {
    let sb = Sandbox::new();
    let out = sb.cmd().args(["completions", "bash"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["listen", "send-test", "replay", "events", "init", "config"] {
        assert!(text.contains(sub), "bash completions lack {sub}");
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.cmd().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_prints_a_roff_page() {
    let sb = Sandbox::new();
    let out = sb.cmd().arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.contains(".TH dsync"),
        "{text:.200}"
    );
    assert!(text.contains("listen"));
}
