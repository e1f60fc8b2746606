//! The event envelope, the code catalogue and the realistic generator
//! (owned by `dsync send-test`). The choices the generator makes where the
//! spec is silent are listed once, in [`CHOICES`]: `send-test --help` and the
//! README's list are both written from it.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

pub mod envelope;
pub mod people;

pub use people::Person;

pub use envelope::{sorted, Envelope};

/// What the generator chose where the spec and fixtures are silent or
/// disagree: (what, the choice). `send-test --help` and the README show it.
pub const CHOICES: &[(&str, &str)] = &[
    (
        "`data.resource`",
        "carries `id` and `type` (user or group) besides `changes`; Cryptr's other resource keys are unknown",
    ),
    (
        "`.fail` codes",
        "carry `data.error = {code, message}`; the real failure shape is unknown",
    ),
    (
        "`data.provider`",
        "`okta` (seen on real deliveries); `azure` and `google` for `--provider azure` / `google` (their strings are unknown)",
    ),
    (
        "updates",
        "derived from a previous state of the same person or group: `previous_values` / `new_values` hold the whole top-level attributes that changed (address, phone_numbers, profile, metadata), one to three changes, never a new person",
    ),
    (
        "users",
        "`metadata = {department, employee_number, title}` (the REST user model has `metadata`, what webhooks put there is unknown); one work phone; `address.formatted` on one line in the country's order",
    ),
    (
        "group updates",
        "change `name` and/or `external_id`, and always `updated_at`, as the documented fixture does",
    ),
    (
        "group members",
        "follow the fixtures: `added_users` items are `{id}`, `removed_users` items `{email, id}`; users_added / users_removed events carry only the two lists, other group events carry them empty beside the values",
    ),
    (
        "`dir_sync.user.activate.success`",
        "announced, not available yet: shaped like a provision (`previous_values` empty)",
    ),
    (
        "`dir_sync.activated`, `dir_sync.updated_user`",
        "legacy codes seen on 2023 deliveries, not in the docs: shaped like `dir_sync.activate.success` and `dir_sync.user.update.success`; `--all` sends them too",
    ),
];

/// [`CHOICES`] as `send-test --help` prints them.
pub fn choices_help() -> String {
    let mut text = String::from("Choices where the spec is silent (also in the README):\n");
    for (what, choice) in CHOICES {
        text.push_str(&format!("  - {what}: {choice}\n"));
    }
    text
}

/// [`CHOICES`] as the README lists them (a test keeps the README in step).
pub fn choices_markdown() -> String {
    CHOICES
        .iter()
        .map(|(what, choice)| format!("| {what} | {choice} |\n"))
        .collect()
}

/// Codes seen on real deliveries but missing from the documented table.
pub const LEGACY_CODES: &[&str] = &["dir_sync.activated", "dir_sync.updated_user"];

/// Codes documented as announced but not available yet.
pub const ANNOUNCED_CODES: &[&str] = &["dir_sync.user.activate.success"];

/// Every documented Directory Sync code, then the two legacy codes seen on real deliveries.
pub const CODES: &[&str] = &[
    "dir_sync.activate.success",
    "dir_sync.deactivate.success",
    "dir_sync.user.provision.success",
    "dir_sync.user.provision.fail",
    "dir_sync.user.update.success",
    "dir_sync.user.update.fail",
    "dir_sync.user.deprovision.success",
    "dir_sync.user.deprovision.fail",
    "dir_sync.user.activate.success",
    "dir_sync.group.provision.success",
    "dir_sync.group.provision.fail",
    "dir_sync.group.update.success",
    "dir_sync.group.update.fail",
    "dir_sync.group.deprovision.success",
    "dir_sync.group.deprovision.fail",
    "dir_sync.group.users_added.success",
    "dir_sync.group.users_added.fail",
    "dir_sync.group.users_removed.success",
    "dir_sync.group.users_removed.fail",
    "dir_sync.activated",
    "dir_sync.updated_user",
];

/// What the generator is told.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    /// Unix time in microseconds used for `issued_at`.
    pub now_us: i64,
    pub org: String,
    pub environment: String,
    pub provider: String,
}

const GROUPS: &[&str] = &[
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "Design",
    "Marketing",
    "People",
];

fn uuid(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.gen())
        .into_uuid()
        .to_string()
}

fn webhook_id(rng: &mut ChaCha8Rng) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let tail: String = (0..27).map(|_| B62[rng.gen_range(0..62)] as char).collect();
    format!("webhook_{tail}")
}

/// A resource timestamp as Cryptr writes it: naive ISO 8601, seconds.
pub fn naive(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A person in the Cryptr user shape (`address`, `phone_numbers`, `profile`,
/// ...). `metadata` holds title, department and employee number: Cryptr's
/// REST user model has a `metadata` object, what its webhooks put there is
/// unknown (a stated choice).
pub fn cryptr_user(person: &Person, inserted_at: &str, updated_at: &str) -> Value {
    let a = &person.address;
    let nickname = person.given_name.clone();
    json!({
        "active": true,
        "address": {"country": a.country, "formatted": a.formatted, "locality": a.locality,
            "postal_code": a.postal_code, "region": a.region, "street_address": a.street_address},
        "email": person.email,
        "email_verified": true,
        "inserted_at": inserted_at,
        "metadata": {"department": person.department, "employee_number": person.employee_number,
            "title": person.title},
        "phone_numbers": [{"default": true, "phone_country_code": person.phone.country_code,
            "phone_national_number": person.phone.national_number, "primary": true, "type": "work",
            "value": person.phone.e164}],
        "profile": {"birthdate": person.birthdate, "family_name": person.family_name, "gender": null,
            "given_name": person.given_name, "locale": person.locale, "nickname": nickname,
            "picture": null, "preferred_username": person.email, "website": null,
            "zoneinfo": person.zoneinfo},
        "updated_at": updated_at,
    })
}

/// The top-level attributes whose value differs, before and after: Cryptr's
/// `previous_values` / `new_values` pair.
pub fn changed_attributes(before: &Value, after: &Value) -> (Value, Value) {
    let (mut prev, mut new) = (Map::new(), Map::new());
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        let (old, now) = (b.get(key), a.get(key));
        if old != now {
            prev.insert(key.clone(), old.cloned().unwrap_or(Value::Null));
            new.insert(key.clone(), now.cloned().unwrap_or(Value::Null));
        }
    }
    (Value::Object(prev), Value::Object(new))
}

fn group(rng: &mut ChaCha8Rng, updated_us: i64) -> Value {
    json!({
        "external_id": format!("00g{}", rng.gen_range(100_000u32..999_999)),
        "name": GROUPS[rng.gen_range(0..GROUPS.len())],
        "updated_at": naive(updated_us),
    })
}

/// The same group after an update: renamed, given a new `external_id`, or
/// both, with a later `updated_at` (the documented fixture changes
/// `external_id` and `updated_at`).
fn changed_group(rng: &mut ChaCha8Rng, before: &Value, updated_us: i64) -> Value {
    let mut after = before.clone();
    let rename = rng.gen_bool(0.5);
    if rename || rng.gen_bool(0.5) {
        let name = before["name"].as_str().unwrap_or_default();
        let others: Vec<&str> = GROUPS.iter().copied().filter(|g| *g != name).collect();
        after["name"] = json!(others[rng.gen_range(0..others.len())]);
    }
    if !rename {
        let old = before["external_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        after["external_id"] = json!(loop {
            let id = format!("00g{}", rng.gen_range(100_000u32..999_999));
            if id != old {
                break id;
            }
        });
    }
    after["updated_at"] = json!(naive(updated_us));
    after
}

/// A group member as `added_users` lists it in the documented fixture: `{id}`.
fn added_member(rng: &mut ChaCha8Rng) -> Value {
    json!({"id": uuid(rng)})
}

/// A group member as `removed_users` lists it in the documented fixture: `{email, id}`.
fn removed_member(rng: &mut ChaCha8Rng, domain: &str) -> Value {
    let p = people::person(rng, domain);
    json!({"email": p.email, "id": uuid(rng)})
}

/// Build the body of one event, compact, keys sorted at every level as Cryptr sends them.
pub fn generate(code: &str, index: usize, opts: &GenOptions) -> Vec<u8> {
    // One stream per (seed, code index) so adding codes does not change the others.
    let mut rng =
        ChaCha8Rng::seed_from_u64(opts.seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let dir_id = uuid(&mut rng);
    let fail = code.ends_with(".fail");
    let mut data = json!({"__type__": "DirectorySyncEvent", "directory_sync_id": dir_id, "provider": opts.provider});
    let parts: Vec<&str> = code.split('.').collect();
    let (family, action) = match parts.as_slice() {
        ["dir_sync", "user" | "group", a, _] => (parts[1], *a),
        ["dir_sync", "updated_user"] => ("user", "update"),
        _ => ("connection", ""),
    };
    if family != "connection" {
        let created_us = opts.now_us - rng.gen_range(86_400..86_400 * 400) * 1_000_000;
        // The previous state was written some minutes to days before this event.
        let previous_us = opts.now_us - rng.gen_range(60..86_400 * 30) * 1_000_000;
        let changes = if family == "user" {
            let person = people::person(&mut rng, &opts.org);
            let inserted = naive(created_us);
            let whole = cryptr_user(&person, &inserted, &naive(opts.now_us));
            let (prev, new) = match action {
                "deprovision" => (whole, json!({})),
                "update" => {
                    let after = people::change(&mut rng, &person);
                    changed_attributes(
                        &cryptr_user(&person, &inserted, &naive(previous_us)),
                        &cryptr_user(&after, &inserted, &naive(previous_us)),
                    )
                }
                _ => (json!({}), whole),
            };
            json!({"new_values": new, "previous_values": prev})
        } else {
            // Group events carry the membership lists; membership events carry
            // only them (as the documented fixture shows).
            let (prev, new) = match action {
                "provision" => (None, Some(group(&mut rng, opts.now_us))),
                "deprovision" => (Some(group(&mut rng, previous_us)), None),
                "update" => {
                    let before = group(&mut rng, previous_us);
                    let after = changed_group(&mut rng, &before, opts.now_us);
                    let (p, n) = changed_attributes(&before, &after);
                    (Some(p), Some(n))
                }
                _ => (None, None),
            };
            let count = rng.gen_range(1..4);
            let added: Vec<Value> = match action {
                "users_added" => (0..count).map(|_| added_member(&mut rng)).collect(),
                _ => vec![],
            };
            let removed: Vec<Value> = match action {
                "users_removed" => (0..count)
                    .map(|_| removed_member(&mut rng, &opts.org))
                    .collect(),
                _ => vec![],
            };
            let mut changes = json!({"added_users": added, "removed_users": removed});
            if prev.is_some() || new.is_some() {
                changes["previous_values"] = prev.unwrap_or_else(|| json!({}));
                changes["new_values"] = new.unwrap_or_else(|| json!({}));
            }
            changes
        };
        data["change"] = json!("update");
        data["resource"] = json!({"changes": changes, "id": uuid(&mut rng), "type": family});
    }
    if fail {
        data["error"] = json!({"code": "provider_error", "message": format!("the identity provider rejected the {family} {action}")});
    }
    let slug = opts.org.split('.').next().unwrap_or("acme").to_string();
    let env = Envelope {
        domain: slug,
        environment: opts.environment.clone(),
        issued_at_us: opts.now_us,
        webhook_id: webhook_id(&mut rng),
    };
    envelope::build(code, data, &env)
}
