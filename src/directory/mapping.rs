//! SCIM resource → Cryptr webhook shape. **Inferred**: Cryptr documents the
//! webhook's user and group attributes, not how its SCIM endpoint fills them,
//! so every row of [`USER_MAPPING`] is dsync's choice. The same table is
//! printed in the README (keep them in step: a unit test renders it).

use serde_json::{json, Map, Value};

/// The enterprise extension's URN (RFC 7643 §4.3).
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// How a row turns SCIM into Cryptr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The value at the SCIM path, copied (strings, booleans) or `null`.
    Copy,
    /// The primary email, else the first, else `userName`.
    Email,
    /// Every phone number: E.164 `value`, `phone_country_code`, `phone_national_number`.
    Phones,
    /// The primary address (else the first), field by field.
    Address,
    /// The primary photo's value (else the first).
    Photo,
    /// `meta.created` / `meta.lastModified` as naive ISO 8601.
    Timestamp,
}

/// One row of the mapping: SCIM attribute, Cryptr attribute, how.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub scim: &'static str,
    pub cryptr: &'static str,
    pub rule: Rule,
}

const fn row(scim: &'static str, cryptr: &'static str, rule: Rule) -> Row {
    Row { scim, cryptr, rule }
}

/// The SCIM → Cryptr user mapping (inferred). Enterprise attributes are the
/// part after `ENTERPRISE:`; Cryptr paths are dotted.
pub const USER_MAPPING: &[Row] = &[
    row("emails[primary].value, else userName", "email", Rule::Email),
    row("active", "active", Rule::Copy),
    row("externalId", "external_id", Rule::Copy),
    row("name.givenName", "profile.given_name", Rule::Copy),
    row("name.familyName", "profile.family_name", Rule::Copy),
    row("nickName", "profile.nickname", Rule::Copy),
    row("userName", "profile.preferred_username", Rule::Copy),
    row("locale", "profile.locale", Rule::Copy),
    row("timezone", "profile.zoneinfo", Rule::Copy),
    row("profileUrl", "profile.website", Rule::Copy),
    row("photos[primary].value", "profile.picture", Rule::Photo),
    row("(none)", "profile.birthdate", Rule::Copy),
    row("(none)", "profile.gender", Rule::Copy),
    row("phoneNumbers", "phone_numbers", Rule::Phones),
    row("addresses[primary]", "address", Rule::Address),
    row("displayName", "metadata.display_name", Rule::Copy),
    row("title", "metadata.title", Rule::Copy),
    row("userType", "metadata.user_type", Rule::Copy),
    row(
        "enterprise:employeeNumber",
        "metadata.employee_number",
        Rule::Copy,
    ),
    row("enterprise:costCenter", "metadata.cost_center", Rule::Copy),
    row(
        "enterprise:organization",
        "metadata.organization",
        Rule::Copy,
    ),
    row("enterprise:division", "metadata.division", Rule::Copy),
    row("enterprise:department", "metadata.department", Rule::Copy),
    row(
        "enterprise:manager.value",
        "metadata.manager_id",
        Rule::Copy,
    ),
    row(
        "enterprise:manager.displayName",
        "metadata.manager_name",
        Rule::Copy,
    ),
    row("meta.created", "inserted_at", Rule::Timestamp),
    row("meta.lastModified", "updated_at", Rule::Timestamp),
];

/// The group mapping (inferred; Cryptr's samples show `external_id` and `updated_at`).
pub const GROUP_MAPPING: &[Row] = &[
    row("displayName", "name", Rule::Copy),
    row("externalId", "external_id", Rule::Copy),
    row("meta.lastModified", "updated_at", Rule::Timestamp),
];

/// Attributes that change on every write and so never count as a change by themselves.
pub const VOLATILE: &[&str] = &["updated_at"];

/// The mapping tables as Markdown (the README carries this output).
pub fn markdown() -> String {
    let mut out = String::from("| resource | SCIM attribute | Cryptr attribute |\n|---|---|---|\n");
    for (kind, rows) in [("user", USER_MAPPING), ("group", GROUP_MAPPING)] {
        for r in rows {
            let scim = r.scim.replace("enterprise:", "enterprise extension ");
            out.push_str(&format!("| {kind} | `{scim}` | `{}` |\n", r.cryptr));
        }
    }
    out
}

/// A SCIM attribute by path: `name.givenName`, `enterprise:manager.value`
/// (attribute names compared case-insensitively, RFC 7643 §2.1).
fn lookup<'a>(resource: &'a Value, path: &str) -> Option<&'a Value> {
    let (mut node, rest) = match path.strip_prefix("enterprise:") {
        Some(rest) => (get_ci(resource, ENTERPRISE)?, rest),
        None => (resource, path),
    };
    for part in rest.split('.') {
        node = get_ci(node, part)?;
    }
    Some(node)
}

fn get_ci<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let map = value.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A boolean as IdPs send it: JSON, or `"True"` / `"false"` strings.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The primary element of a multi-valued attribute, else the first.
fn primary<'a>(resource: &'a Value, attr: &str) -> Option<&'a Value> {
    let items = get_ci(resource, attr)?.as_array()?;
    items
        .iter()
        .find(|i| truthy(get_ci(i, "primary")))
        .or_else(|| items.first())
}

fn set_path(out: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((head, rest)) => {
            let child = out
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = child {
                set_path(map, rest, value);
            }
        }
        None => {
            out.insert(path.to_string(), value);
        }
    }
}

/// `2024-03-22T17:14:27`, from an RFC 3339 SCIM timestamp.
pub fn naive(rfc3339: &str) -> Value {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            json!(t
                .with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string())
        })
        .unwrap_or(Value::Null)
}

fn scalar(value: Option<&Value>) -> Value {
    match value {
        Some(v @ (Value::String(_) | Value::Bool(_) | Value::Number(_))) => v.clone(),
        _ => Value::Null,
    }
}

/// Country calling codes of one and two digits (ITU-T E.164 assignments);
/// every other code has three.
const SHORT_CODES: &[&str] = &[
    "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45",
    "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
    "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// `+33 6 87-43 55 43` or `tel:+33687435543` → (`+33687435543`, Some(33), `687435543`).
pub fn split_phone(raw: &str) -> (String, Option<u32>, String) {
    let raw = raw.trim();
    let raw = raw.strip_prefix("tel:").unwrap_or(raw);
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if !raw.starts_with('+') || digits.len() < 4 {
        return (raw.to_string(), None, digits);
    }
    let cc_len = if SHORT_CODES.contains(&&digits[..1]) {
        1
    } else if SHORT_CODES.contains(&&digits[..2]) {
        2
    } else {
        3
    };
    let cc = digits[..cc_len].parse().ok();
    (format!("+{digits}"), cc, digits[cc_len..].to_string())
}

fn phones(resource: &Value) -> Value {
    let Some(items) = get_ci(resource, "phoneNumbers").and_then(Value::as_array) else {
        return json!([]);
    };
    let default = items
        .iter()
        .position(|i| truthy(get_ci(i, "primary")))
        .unwrap_or(0);
    let list: Vec<Value> = items
        .iter()
        .enumerate()
        .filter_map(|(n, item)| {
            let value = get_ci(item, "value")?.as_str()?;
            let (e164, cc, national) = split_phone(value);
            Some(json!({
                "default": n == default,
                "phone_country_code": cc,
                "phone_national_number": national,
                "primary": truthy(get_ci(item, "primary")),
                "type": scalar(get_ci(item, "type")),
                "value": e164,
            }))
        })
        .collect();
    Value::Array(list)
}

fn address(resource: &Value) -> Value {
    let Some(a) = primary(resource, "addresses") else {
        return Value::Null;
    };
    json!({
        "country": scalar(get_ci(a, "country")),
        "formatted": scalar(get_ci(a, "formatted")),
        "locality": scalar(get_ci(a, "locality")),
        "postal_code": scalar(get_ci(a, "postalCode")),
        "region": scalar(get_ci(a, "region")),
        "street_address": scalar(get_ci(a, "streetAddress")),
    })
}

/// The email a Cryptr user carries: the primary email, else the first, else `userName`.
pub fn email(resource: &Value) -> Value {
    primary(resource, "emails")
        .and_then(|e| get_ci(e, "value"))
        .filter(|v| v.is_string())
        .or_else(|| get_ci(resource, "userName"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn apply(rows: &[Row], resource: &Value, created: &str, modified: &str) -> Value {
    let mut out = Map::new();
    for r in rows {
        let value = match r.rule {
            Rule::Copy if r.scim == "(none)" => Value::Null,
            Rule::Copy if r.cryptr == "active" => {
                // Absent means active (RFC 7643 leaves it to the provider).
                json!(get_ci(resource, "active").is_none_or(|v| truthy(Some(v))))
            }
            Rule::Copy => scalar(lookup(resource, r.scim)),
            Rule::Email => email(resource),
            Rule::Phones => phones(resource),
            Rule::Address => address(resource),
            Rule::Photo => primary(resource, "photos")
                .map(|p| scalar(get_ci(p, "value")))
                .unwrap_or(Value::Null),
            Rule::Timestamp if r.scim == "meta.created" => naive(created),
            Rule::Timestamp => naive(modified),
        };
        // `metadata` holds only what the IdP set (profile keeps Cryptr's whole model).
        if value.is_null() && r.cryptr.starts_with("metadata.") {
            out.entry("metadata").or_insert_with(|| json!({}));
            continue;
        }
        set_path(&mut out, r.cryptr, value);
    }
    Value::Object(out)
}

/// A SCIM user as Cryptr's webhook shows it (no `id`: it travels as `data.resource.id`).
pub fn cryptr_user(resource: &Value, created: &str, modified: &str) -> Value {
    apply(USER_MAPPING, resource, created, modified)
}

/// A SCIM group as Cryptr's webhook shows it.
pub fn cryptr_group(resource: &Value, created: &str, modified: &str) -> Value {
    apply(GROUP_MAPPING, resource, created, modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_split_into_country_code_and_national_number() {
        assert_eq!(
            split_phone("+33 6 87 43 55 43"),
            ("+33687435543".into(), Some(33), "687435543".into())
        );
        assert_eq!(
            split_phone("tel:+1-201-555-0123"),
            ("+12015550123".into(), Some(1), "2015550123".into())
        );
        assert_eq!(
            split_phone("+353 1 234 5678"),
            ("+35312345678".into(), Some(353), "12345678".into())
        );
        assert_eq!(
            split_phone("555-0123"),
            ("555-0123".into(), None, "5550123".into())
        );
    }

    #[test]
    fn an_okta_user_maps_to_the_cryptr_shape() {
        let scim = json!({
            "userName": "ada@example.com", "active": "True", "externalId": "00u1",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada.work@example.com", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "+33 6 87 43 55 43", "type": "work"}],
            "addresses": [{"locality": "Lyon", "country": "FR", "type": "work"}],
            ENTERPRISE: {"department": "R&D", "manager": {"value": "m1"}},
        });
        let user = cryptr_user(&scim, "2024-03-22T17:02:45Z", "2024-03-22T17:14:27.5Z");
        assert_eq!(user["email"], "ada.work@example.com");
        assert_eq!(user["active"], true);
        assert_eq!(user["external_id"], "00u1");
        assert_eq!(user["profile"]["given_name"], "Ada");
        assert_eq!(user["profile"]["preferred_username"], "ada@example.com");
        assert_eq!(user["profile"]["birthdate"], Value::Null);
        assert_eq!(user["phone_numbers"][0]["phone_country_code"], 33);
        assert_eq!(user["phone_numbers"][0]["default"], true);
        assert_eq!(user["address"]["locality"], "Lyon");
        assert_eq!(user["metadata"]["department"], "R&D");
        assert_eq!(user["metadata"]["manager_id"], "m1");
        assert_eq!(user["inserted_at"], "2024-03-22T17:02:45");
        assert_eq!(user["updated_at"], "2024-03-22T17:14:27");
    }

    #[test]
    fn the_readme_carries_the_mapping_table() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown()),
            "README.md must contain the output of directory::mapping::markdown():\n{}",
            markdown()
        );
    }
}
