//! A sandbox per test: its own working directory, HOME and XDG folders, and
//! an environment with no `DSYNC_*`, `NO_COLOR` or `CI` leaking in.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use dsync::signature::{now_ms, SchemeName, Secret, SignParams};
use tempfile::TempDir;

pub struct Sandbox {
    pub root: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::tempdir().expect("temp dir");
        for sub in ["work", "home", "config"] {
            std::fs::create_dir_all(root.path().join(sub)).expect("sandbox folder");
        }
        Sandbox { root }
    }

    /// The working directory the binary runs in (where `./dsync.toml` and
    /// `./.dsync/` are looked for).
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// A path inside the working directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.work().join(rel)
    }

    /// Write a file inside the working directory and return its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent folder");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// The user configuration folder (`$XDG_CONFIG_HOME/dsync`).
    pub fn user_config_dir(&self) -> PathBuf {
        self.root.path().join("config").join("dsync")
    }

    /// `dsync` with an isolated environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("dsync").expect("dsync binary");
        isolate(&mut cmd, self.root.path());
        cmd
    }

    /// The same isolation for a `std::process::Command` (for long-running
    /// children such as `dsync listen`).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dsync"));
        cmd.env_clear();
        for (k, v) in base_env(self.root.path()) {
            cmd.env(k, v);
        }
        cmd.current_dir(self.root.path().join("work"));
        cmd
    }
}

fn base_env(root: &Path) -> Vec<(String, String)> {
    let mut env = vec![
        ("HOME".to_string(), root.join("home").display().to_string()),
        (
            "XDG_CONFIG_HOME".to_string(),
            root.join("config").display().to_string(),
        ),
        ("TERM".to_string(), "dumb".to_string()),
    ];
    if let Ok(path) = std::env::var("PATH") {
        env.push(("PATH".to_string(), path));
    }
    env
}

fn isolate(cmd: &mut Command, root: &Path) {
    cmd.env_clear();
    for (k, v) in base_env(root) {
        cmd.env(k, v);
    }
    cmd.current_dir(root.join("work"));
}

/// A fixture from the shared, documented Cryptr payloads.
pub fn fixture(name: &str) -> PathBuf {
    let candidates = [Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cryptr")
        .join(name)];
    candidates
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("fixture {name} not found under tests/fixtures/cryptr"))
}

/// The headers that sign `body` with `secret` now, as Cryptr does (dsync's
/// inferred layout).
pub fn cryptr_signed(body: &[u8], secret: &str) -> Vec<(String, String)> {
    SchemeName::Cryptr
        .scheme()
        .sign(
            &Secret::new(secret),
            body,
            &SignParams {
                timestamp_ms: now_ms(),
                id: None,
            },
        )
        .expect("Cryptr signs any body")
}

/// Parse every stdout line as JSON (NDJSON).
pub fn ndjson(stdout: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(stdout)
        .expect("stdout is UTF-8")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

/// Fail with the command's exit code and stderr unless it succeeded.
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Stdout as lines.
pub fn stdout_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .expect("stdout is UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}
