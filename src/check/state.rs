//! Stateful cases: short event sequences whose end state is known, delivered
//! like Cryptr does (a non-2xx answer is retried once, re-signed, after the
//! rest of the sequence), then the app's state, printed by `--state-cmd` in
//! the `dsync.app-state.v1` format, compared with the expected one.
//!
//! Each scenario uses fresh ids, and only those ids are compared: whatever
//! else the app holds (the other cases' events, earlier runs) is not judged.
//! The command and the comparison are the shared state contract (`app_state`),
//! the one `simulate --check-cmd` uses.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use super::run::{is_2xx, Runner};
use crate::app_state;
use crate::error::Result;
use crate::event::envelope::{self, Envelope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// An update delivered before the provision it follows.
    UpdateBeforeProvision,
    /// An earlier update delivered again after a later one.
    DuplicateNotTwice,
    /// A provisioned, then deprovisioned, user.
    DeprovisionedGone,
    /// A member added to a group, then removed.
    MembershipAddedRemoved,
}

impl Scenario {
    pub const ALL: [Scenario; 4] = [
        Scenario::UpdateBeforeProvision,
        Scenario::DuplicateNotTwice,
        Scenario::DeprovisionedGone,
        Scenario::MembershipAddedRemoved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::UpdateBeforeProvision => "update-before-provision",
            Scenario::DuplicateNotTwice => "duplicate-not-applied-twice",
            Scenario::DeprovisionedGone => "deprovisioned-user-gone",
            Scenario::MembershipAddedRemoved => "membership-added-then-removed",
        }
    }

    pub fn expectation(self) -> &'static str {
        match self {
            Scenario::UpdateBeforeProvision => "user has the update's values",
            Scenario::DuplicateNotTwice => "user has the last update's values",
            Scenario::DeprovisionedGone => "user absent (or active: false)",
            Scenario::MembershipAddedRemoved => "group and user, no membership",
        }
    }

    pub fn advice(self) -> (&'static str, &'static str) {
        match self {
            Scenario::UpdateBeforeProvision => (
                "Cryptr does not guarantee order (retries span hours): an update can arrive before the user it changes, and dropping it leaves stale data for good.",
                "apply changes by issued_at: keep an update for an unknown user (or answer 5xx so Cryptr retries it), and do not let an older provision overwrite newer values.",
            ),
            Scenario::DuplicateNotTwice => (
                "a retry can deliver an old event again after newer ones: applying it again rolls the user back.",
                "record an idempotency key per event (webhook_id + code + issued_at + resource id, or a body hash) and skip one you have seen; ignore changes older than the stored issued_at.",
            ),
            Scenario::DeprovisionedGone => (
                "a deprovisioned user who stays active keeps access after leaving the company.",
                "on dir_sync.user.deprovision.success delete the user or mark them inactive (\"active\": false), and revoke their sessions.",
            ),
            Scenario::MembershipAddedRemoved => (
                "a membership that is not removed keeps a person in a group (and its permissions) they left.",
                "apply data.resource.changes.added_users and removed_users by user id on every users_added / users_removed event.",
            ),
        }
    }
}

/// How one scenario came out.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub result: std::result::Result<(), String>,
    pub answer: String,
    pub time: Duration,
}

/// One scenario's events (in delivery order) and the state they lead to.
struct Plan {
    deliveries: Vec<Vec<u8>>,
    expected: Value,
    /// Every id the scenario touched, present in `expected` or not.
    user_ids: Vec<String>,
    group_ids: Vec<String>,
}

/// Deliver every scenario, then run `cmd` and judge each scenario's part of
/// the state; while some part differs, run it again until `settle` has
/// passed (an app that acknowledges first and applies from a queue is right
/// to be a little behind).
pub async fn run(
    runner: &Runner,
    scenarios: &[Scenario],
    cmd: &str,
    timeout: Duration,
    settle: Duration,
) -> Result<Vec<Verdict>> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(runner.seed ^ 0x57A7E);
    let mut results = Vec::new();
    for scenario in scenarios {
        let started = Instant::now();
        let plan = plan(runner, *scenario, &mut rng);
        let mut statuses = Vec::new();
        let mut retry = Vec::new();
        for body in &plan.deliveries {
            let d = runner.post_signed(body.clone()).await?;
            match d.status() {
                Some(s) if is_2xx(s) || s == 410 => {}
                _ => retry.push(body.clone()),
            }
            statuses.push(d.status());
        }
        // Cryptr retries what was not acknowledged; once is enough to see the order handled.
        for body in retry {
            statuses.push(runner.post_signed(body).await?.status());
        }
        results.push((plan, statuses, started.elapsed()));
    }
    let started = Instant::now();
    let judged = loop {
        // The command blocks; let the runtime's other work go on meanwhile.
        let actual = tokio::task::block_in_place(|| run_command(cmd, timeout));
        let judged: Vec<std::result::Result<(), String>> = results
            .iter()
            .map(|(plan, _, _)| match &actual {
                Err(e) => Err(format!("--state-cmd failed: {e}")),
                Ok(actual) => compare(plan, actual),
            })
            .collect();
        // A differing state, or a command that fails (the app is not ready
        // to answer?), may still be settling.
        if judged.iter().all(|r| r.is_ok()) || started.elapsed() >= settle {
            break judged;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let waited = started.elapsed();
    Ok(results
        .into_iter()
        .zip(judged)
        .map(|((_, statuses, time), result)| {
            let sent = statuses.len();
            let acked = statuses.iter().filter(|s| s.is_some_and(is_2xx)).count();
            Verdict {
                result,
                answer: format!("{acked}/{sent} acknowledged"),
                time: time + waited,
            }
        })
        .collect())
}

fn uuid(rng: &mut impl Rng) -> String {
    uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string()
}

/// A whole user or group snapshot, as the generator writes provisions.
fn snapshot(runner: &Runner, code: &str, salt: u64) -> Value {
    let body = runner.event(code, salt);
    let value: Value = serde_json::from_slice(&body).expect("the generator writes JSON");
    value["data"]["resource"]["changes"]["new_values"].clone()
}

/// Builds one scenario's events: one directory, one clock that ticks a second per event.
struct Events {
    directory_sync_id: String,
    webhook_id: String,
    issued_at_us: i64,
}

impl Events {
    fn new(rng: &mut impl Rng) -> Events {
        Events {
            directory_sync_id: uuid(rng),
            webhook_id: format!("webhook_{}", &uuid(rng).replace('-', "")[..27]),
            // Issued a minute ago, so the sequence is in the past when it arrives.
            issued_at_us: crate::signature::now_ms() * 1000 - 60_000_000,
        }
    }

    fn event(&mut self, code: &str, kind: &str, id: &str, changes: Value) -> Vec<u8> {
        self.issued_at_us += 1_000_000;
        let data = json!({
            "__type__": "DirectorySyncEvent", "change": "update",
            "directory_sync_id": self.directory_sync_id, "provider": "okta",
            "resource": {"changes": changes, "id": id, "type": kind},
        });
        envelope::build(
            code,
            data,
            &Envelope {
                domain: "shark-academy".to_string(),
                environment: "sandbox".to_string(),
                issued_at_us: self.issued_at_us,
                webhook_id: self.webhook_id.clone(),
            },
        )
    }

    fn provision(&mut self, kind: &str, id: &str, whole: &Value) -> Vec<u8> {
        let code = format!("dir_sync.{kind}.provision.success");
        self.event(
            &code,
            kind,
            id,
            json!({"new_values": whole, "previous_values": {}}),
        )
    }

    fn update(&mut self, id: &str, before: &Value, after: &Value) -> Vec<u8> {
        // Only the changed attribute travels, on both sides.
        let changes = json!({"new_values": {"profile": after["profile"]}, "previous_values": {"profile": before["profile"]}});
        self.event("dir_sync.user.update.success", "user", id, changes)
    }

    fn membership(&mut self, action: &str, group: &str, user: &str, email: &Value) -> Vec<u8> {
        let member = vec![json!({"email": email, "id": user})];
        let (added, removed) = if action == "users_added" {
            (member, vec![])
        } else {
            (vec![], member)
        };
        let code = format!("dir_sync.group.{action}.success");
        let changes = json!({"added_users": added, "new_values": {}, "previous_values": {}, "removed_users": removed});
        self.event(&code, "group", group, changes)
    }
}

fn renamed(user: &Value, given_name: &str) -> Value {
    let mut next = user.clone();
    next["profile"]["given_name"] = json!(given_name);
    next
}

/// An expected user: the snapshot and its group ids.
fn expected_user(snapshot: &Value, groups: &[&str]) -> Value {
    let mut user = snapshot.clone();
    user["groups"] = json!(groups);
    user
}

fn plan(runner: &Runner, scenario: Scenario, rng: &mut impl Rng) -> Plan {
    let mut events = Events::new(rng);
    let salt = 1_000 + rng.gen_range(0..1_000_000u64);
    let user = snapshot(runner, "dir_sync.user.provision.success", salt);
    let user_id = uuid(rng);
    let state = |users: Map<String, Value>, groups: Map<String, Value>| json!({"format": "dsync.app-state.v1", "users": users, "groups": groups});
    match scenario {
        Scenario::UpdateBeforeProvision => {
            let after = renamed(&user, "Noor");
            let provision = events.provision("user", &user_id, &user);
            let update = events.update(&user_id, &user, &after);
            let mut users = Map::new();
            users.insert(user_id.clone(), expected_user(&after, &[]));
            Plan {
                deliveries: vec![update, provision],
                expected: state(users, Map::new()),
                user_ids: vec![user_id],
                group_ids: vec![],
            }
        }
        Scenario::DuplicateNotTwice => {
            let middle = renamed(&user, "Imani");
            let last = renamed(&user, "Noor");
            let provision = events.provision("user", &user_id, &user);
            let first = events.update(&user_id, &user, &middle);
            let second = events.update(&user_id, &middle, &last);
            let mut users = Map::new();
            users.insert(user_id.clone(), expected_user(&last, &[]));
            Plan {
                deliveries: vec![provision, first.clone(), second, first],
                expected: state(users, Map::new()),
                user_ids: vec![user_id],
                group_ids: vec![],
            }
        }
        Scenario::DeprovisionedGone => {
            let provision = events.provision("user", &user_id, &user);
            let code = "dir_sync.user.deprovision.success";
            let gone = events.event(
                code,
                "user",
                &user_id,
                json!({"new_values": {}, "previous_values": user}),
            );
            Plan {
                deliveries: vec![provision, gone],
                expected: state(Map::new(), Map::new()),
                user_ids: vec![user_id],
                group_ids: vec![],
            }
        }
        Scenario::MembershipAddedRemoved => {
            let group = snapshot(runner, "dir_sync.group.provision.success", salt);
            let group_id = uuid(rng);
            let group_event = events.provision("group", &group_id, &group);
            let user_event = events.provision("user", &user_id, &user);
            let added = events.membership("users_added", &group_id, &user_id, &user["email"]);
            let removed = events.membership("users_removed", &group_id, &user_id, &user["email"]);
            let mut users = Map::new();
            users.insert(user_id.clone(), expected_user(&user, &[]));
            let mut expected_group = group.clone();
            expected_group["members"] = json!([]);
            let mut groups = Map::new();
            groups.insert(group_id.clone(), expected_group);
            Plan {
                deliveries: vec![group_event, user_event, added, removed],
                expected: state(users, groups),
                user_ids: vec![user_id],
                group_ids: vec![group_id],
            }
        }
    }
}

/// The app's state restricted to the ids a scenario touched.
fn scoped(actual: &Value, plan: &Plan) -> Value {
    let pick = |key: &str, ids: &[String]| {
        let mut out = Map::new();
        if let Some(all) = actual.get(key).and_then(Value::as_object) {
            for id in ids {
                if let Some(v) = all.get(id) {
                    out.insert(id.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    };
    json!({
        "format": actual.get("format").cloned().unwrap_or(Value::Null),
        "users": pick("users", &plan.user_ids),
        "groups": pick("groups", &plan.group_ids),
    })
}

fn compare(plan: &Plan, actual: &Value) -> std::result::Result<(), String> {
    let comparison = app_state::compare(&plan.expected, &scoped(actual, plan));
    if comparison.is_equal() {
        Ok(())
    } else {
        Err(format!(
            "the app's state differs from the expected one (- expected, + the app's):\n{}",
            comparison.render().trim_end()
        ))
    }
}

fn run_command(cmd: &str, timeout: Duration) -> std::result::Result<Value, String> {
    app_state::run_command(cmd, timeout).map_err(|e| format!("{:#}", e.inner))
}
