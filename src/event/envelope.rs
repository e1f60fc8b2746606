//! The Cryptr event envelope: one place that wraps a `data` payload the way
//! Cryptr's deliveries are shaped (compact, keys sorted at every level).
//! `send-test`'s generator and the local directory both build through it.

use serde_json::{json, Map, Value};

/// The envelope fields that are not the payload.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// `__domain__`: the organization slug, e.g. `shark-academy`.
    pub domain: String,
    /// `__environment__`: `sandbox` or `production`.
    pub environment: String,
    /// `issued_at`, as Unix time in microseconds.
    pub issued_at_us: i64,
    /// `webhook_id`: `webhook_` + 27 base62 characters.
    pub webhook_id: String,
}

/// The human `description` Cryptr gives a code (its wording for connection
/// events is documented; the others follow the same pattern).
pub fn description(code: &str) -> String {
    let parts: Vec<&str> = code.split('.').collect();
    match parts.as_slice() {
        ["dir_sync", "deactivate", ..] => "Directory Sync (SCIM) deactivated".to_string(),
        ["dir_sync", "activate", ..] | ["dir_sync", "activated"] => {
            "Directory Sync (SCIM) activated".to_string()
        }
        ["dir_sync", "updated_user"] => "Directory Sync user update succeeded".to_string(),
        ["dir_sync", family, action, outcome] => format!(
            "Directory Sync {family} {} {}",
            action.replace('_', " "),
            if *outcome == "fail" {
                "failed"
            } else {
                "succeeded"
            }
        ),
        _ => code.to_string(),
    }
}

/// `issued_at` as Cryptr writes it: RFC 3339 UTC with microseconds.
pub fn issued_at(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// The body of one event: compact, keys sorted at every level.
pub fn build(code: &str, data: Value, env: &Envelope) -> Vec<u8> {
    let mut envelope = json!({
        "__domain__": env.domain, "__environment__": env.environment, "__type__": "Event",
        "client_id": null, "code": code, "description": description(code),
        "issued_at": issued_at(env.issued_at_us), "webhook_id": env.webhook_id,
    });
    // Moved in, not through `json!` (which would copy the payload by
    // serialising it), then sorted in place.
    envelope["data"] = data;
    envelope.sort_all_objects();
    serde_json::to_vec(&envelope).expect("JSON values always serialise")
}

/// Sort object keys at every level (serde_json keeps insertion order in this crate).
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
