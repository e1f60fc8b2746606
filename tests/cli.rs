//! The conventions every command shares.

use predicates::prelude::*;

use crate::harness::Sandbox;

#[test]
fn help_lists_commands_and_exit_codes() {
    let sb = Sandbox::new();
    sb.cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("listen"))
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("124"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let sb = Sandbox::new();
    sb.cmd().arg("frobnicate").assert().code(2);
}

#[test]
fn version_is_printed() {
    let sb = Sandbox::new();
    sb.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("dsync "));
}

#[test]
fn malformed_config_file_is_reported_with_its_path() {
    let sb = Sandbox::new();
    sb.write("dsync.toml", "secret = [unterminated");
    sb.cmd()
        .args(["config"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("dsync.toml"));
}
