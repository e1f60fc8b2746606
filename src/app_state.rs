//! The expected-state format shared by `directory export`, `simulate
//! --state-out/--check-cmd` and `check --state-cmd`: what a receiver should
//! hold after applying every webhook, keyed by the ids the webhooks carry.
//!
//! ```json
//! {"format": "dsync.app-state.v1",
//!  "users":  {"<user id>": {"email": "...", "active": true, "profile": {...}, "groups": ["<group id>"]}},
//!  "groups": {"<group id>": {"name": "...", "external_id": "...", "members": ["<user id>"]}}}
//! ```
//! Users: provisioned and not deprovisioned. Groups: provisioned and not
//! deprovisioned. `members` / `groups` sorted.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::diff::{self, Change};
use crate::error::{Error, Exit, Result};
use crate::output::Palette;

pub const FORMAT: &str = "dsync.app-state.v1";

/// Run `cmd` with `sh -c` and parse its stdout as an app state. A command
/// that fails, times out or prints something else is an error naming it.
pub fn run_command(cmd: &str, timeout: Duration) -> Result<Value> {
    use std::os::unix::process::CommandExt as _;
    // Its own process group, so a timeout ends the whole command (`sh -c
    // 'sleep 30'` leaves `sleep` holding stdout open if only `sh` is killed).
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(anyhow::Error::new(e).context(format!("cannot run {cmd:?}"))))?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(Error::io)? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error {
                exit: Exit::Timeout,
                inner: anyhow::anyhow!("state command {cmd:?} did not finish within {timeout:?}"),
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(Error::input(anyhow::anyhow!(
            "state command {cmd:?} failed ({status}): {}",
            String::from_utf8_lossy(&stderr).trim()
        )));
    }
    let value: Value = serde_json::from_slice(&stdout).map_err(|e| {
        Error::input(anyhow::Error::new(e).context(format!(
            "state command {cmd:?} did not print JSON (expected the {FORMAT} format)"
        )))
    })?;
    if !value.get("users").is_some_and(Value::is_object)
        && !value.get("groups").is_some_and(Value::is_object)
    {
        return Err(Error::input(anyhow::anyhow!(
            "state command {cmd:?} printed JSON without \"users\" or \"groups\" objects (the {FORMAT} format)"
        )));
    }
    Ok(value)
}

/// The differences between the expected state and an app's.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub changes: Vec<Change>,
}

impl Comparison {
    pub fn is_equal(&self) -> bool {
        self.changes.is_empty()
    }

    /// Human lines: `- users.<id>` (missing in the app), `+` (extra), `~` (different).
    pub fn render(&self) -> String {
        diff::render::human(&self.changes, &[], Palette { enabled: false }, "  ")
    }

    /// The differences as JSON (the diff engine's format).
    pub fn to_json(&self) -> Value {
        diff::render::json_changes(&self.changes, &[])
    }
}

/// Compare `expected` (the directory's state) with `actual` (the app's):
/// ids, memberships, and every attribute the app printed. An app user with
/// `"active": false` counts as absent; `members` / `groups` compare as sets.
pub fn compare(expected: &Value, actual: &Value) -> Comparison {
    let mut exp = Map::new();
    let mut act = Map::new();
    for section in ["users", "groups"] {
        let empty = Map::new();
        let e = expected
            .get(section)
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let a = actual
            .get(section)
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let a: Map<String, Value> = a
            .iter()
            .filter(|(_, v)| !(section == "users" && v.get("active") == Some(&Value::Bool(false))))
            .map(|(k, v)| (k.clone(), sort_sets(v)))
            .collect();
        let e: Map<String, Value> = e
            .iter()
            .map(|(k, v)| {
                let v = sort_sets(v);
                // Only what the app printed about a resource it holds is compared.
                let v = match a.get(k) {
                    Some(app) => restrict(&v, app),
                    None => v,
                };
                (k.clone(), v)
            })
            .collect();
        exp.insert(section.to_string(), Value::Object(e));
        act.insert(section.to_string(), Value::Object(a));
    }
    let changes = diff::diff_json(
        &Value::Object(exp),
        &Value::Object(act),
        &diff::Options::default(),
    );
    Comparison { changes }
}

/// `members` and `groups` as sorted lists of ids.
fn sort_sets(v: &Value) -> Value {
    let mut v = v.clone();
    for key in ["members", "groups"] {
        if let Some(Value::Array(items)) = v.get_mut(key) {
            items.sort_by_key(|a| {
                a.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| a.to_string())
            });
            items.dedup();
        }
    }
    v
}

/// `expected` cut down to the keys `app` has (objects, recursively).
fn restrict(expected: &Value, app: &Value) -> Value {
    match (expected, app) {
        (Value::Object(e), Value::Object(a)) => Value::Object(
            e.iter()
                .filter_map(|(k, v)| a.get(k).map(|av| (k.clone(), restrict(v, av))))
                .collect(),
        ),
        _ => expected.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compare_uses_what_the_app_printed_and_sees_missing_members() {
        let expected = json!({"format": FORMAT,
            "users": {"u1": {"email": "a@x", "active": true, "profile": {"given_name": "A", "family_name": "B"}, "groups": ["g1"]},
                      "u2": {"email": "b@x", "active": true, "groups": []}},
            "groups": {"g1": {"name": "Eng", "external_id": null, "members": ["u1"]}}});
        let same = json!({"users": {"u1": {"email": "a@x", "groups": ["g1"]}, "u2": {"email": "b@x"},
                                    "u3": {"email": "gone@x", "active": false}},
                          "groups": {"g1": {"name": "Eng", "members": ["u1"]}}});
        assert!(
            compare(&expected, &same).is_equal(),
            "{}",
            compare(&expected, &same).render()
        );
        let stale = json!({"users": {"u1": {"email": "a@x"}, "u2": {"email": "b@x"}},
                           "groups": {"g1": {"name": "Eng", "members": ["u1", "u2"]}}});
        let c = compare(&expected, &stale);
        assert!(!c.is_equal());
        assert!(c.render().contains("u2"), "{}", c.render());
        let missing = json!({"users": {"u1": {"email": "a@x"}}, "groups": {}});
        let c = compare(&expected, &missing);
        assert!(c.render().contains("users.u2"), "{}", c.render());
        assert!(c.render().contains("groups.g1"), "{}", c.render());
    }

    #[test]
    fn run_command_parses_stdout_and_names_failures() {
        let v = run_command(
            "echo '{\"users\": {}, \"groups\": {}}'",
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(v["users"], json!({}));
        assert!(run_command("echo nope", Duration::from_secs(5)).is_err());
        assert!(run_command("exit 3", Duration::from_secs(5)).is_err());
        let e = run_command("sleep 5", Duration::from_millis(100)).unwrap_err();
        assert_eq!(e.exit, Exit::Timeout);
    }

    #[test]
    fn a_timeout_ends_the_commands_children_too() {
        // Killing only `sh` would leave `sleep` holding stdout open for 30 s.
        let started = Instant::now();
        let e = run_command("sleep 30; echo late", Duration::from_millis(100)).unwrap_err();
        assert_eq!(e.exit, Exit::Timeout);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
}
