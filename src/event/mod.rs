//! The event envelope, the code catalogue and the realistic generator
//! (owned by `dsync send-test`).
//!
//! Choices where the spec says **unknown** (documented in `--help`):
//! - `data.resource` carries `id` and `type` besides `changes`.
//! - `.fail` codes carry `data.error = { "code", "message" }`; the real shape is unknown.
//! - `data.provider` for Azure / Google is `"azure"` / `"google"` (only `"okta"` is seen).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

pub mod envelope;

pub use envelope::{sorted, Envelope};

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

const GIVEN: &[&str] = &[
    "Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis",
];
const FAMILY: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
];
const CITIES: &[(&str, &str, &str, &str, u32)] = &[
    ("FR", "Lyon", "Auvergne-Rhône-Alpes", "69002", 33),
    ("US", "Austin", "TX", "73301", 1),
    ("GB", "London", "England", "EC1A 1BB", 44),
    ("DE", "Berlin", "Berlin", "10115", 49),
];
const GROUPS: &[&str] = &["Engineering", "Sales", "Support", "Finance", "Design"];

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

fn naive(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn user(rng: &mut ChaCha8Rng, opts: &GenOptions) -> Value {
    let given = GIVEN[rng.gen_range(0..GIVEN.len())];
    let family = FAMILY[rng.gen_range(0..FAMILY.len())];
    let (country, city, region, postal, cc) = CITIES[rng.gen_range(0..CITIES.len())];
    let national: u64 = rng.gen_range(600_000_000..799_999_999);
    let street = format!(
        "{} {} Street",
        rng.gen_range(1..200),
        FAMILY[rng.gen_range(0..FAMILY.len())]
    );
    let created = opts.now_us - rng.gen_range(86_400..86_400 * 400) * 1_000_000;
    json!({
        "active": true,
        "address": {"country": country, "formatted": format!("{street}, {postal} {city}, {country}"),
            "locality": city, "postal_code": postal, "region": region, "street_address": street},
        "email": format!("{}.{}@{}", given.to_lowercase(), family.to_lowercase(), opts.org),
        "email_verified": true,
        "inserted_at": naive(created),
        "phone_numbers": [{"default": true, "phone_country_code": cc, "phone_national_number": national.to_string(),
            "primary": true, "type": "work", "value": format!("+{cc}{national}")}],
        "profile": {"birthdate": format!("19{}-0{}-1{}", rng.gen_range(60..99), rng.gen_range(1..9), rng.gen_range(0..9)),
            "family_name": family, "gender": null, "given_name": given, "locale": "en",
            "nickname": given.to_lowercase(), "picture": null, "preferred_username": format!("{}{}", given.to_lowercase(), &family[..1].to_lowercase()),
            "website": null, "zoneinfo": "Europe/Paris"},
        "updated_at": naive(opts.now_us),
    })
}

fn group(rng: &mut ChaCha8Rng, opts: &GenOptions) -> Value {
    json!({
        "external_id": format!("00g{}", rng.gen_range(100_000u32..999_999)),
        "name": GROUPS[rng.gen_range(0..GROUPS.len())],
        "updated_at": naive(opts.now_us),
    })
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
        let whole = if family == "user" {
            user(&mut rng, opts)
        } else {
            group(&mut rng, opts)
        };
        let (prev, new) = match action {
            "provision" | "activate" => (json!({}), whole),
            "deprovision" => (whole, json!({})),
            "update" => {
                let old = if family == "user" {
                    user(&mut rng, opts)
                } else {
                    group(&mut rng, opts)
                };
                let keys: &[&str] = if family == "user" {
                    &["phone_numbers", "profile"]
                } else {
                    &["name"]
                };
                let pick = |v: &Value| {
                    Value::Object(
                        keys.iter()
                            .map(|k| (k.to_string(), v[*k].clone()))
                            .collect(),
                    )
                };
                (pick(&old), pick(&whole))
            }
            _ => (json!({}), json!({})),
        };
        let mut changes = json!({"new_values": new, "previous_values": prev});
        if action == "users_added" || action == "users_removed" {
            let members: Vec<Value> = (0..rng.gen_range(1..4))
                .map(|_| json!({"email": user(&mut rng, opts)["email"], "id": uuid(&mut rng)}))
                .collect();
            let (added, removed) = if action == "users_added" {
                (members, vec![])
            } else {
                (vec![], members)
            };
            changes["added_users"] = Value::Array(added);
            changes["removed_users"] = Value::Array(removed);
        }
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
