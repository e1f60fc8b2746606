//! SCIM filter evaluation over 100,000 users, as `GET /Users?filter=...`
//! scans them when the filter has no indexed `eq`: parse once, then
//! `Filter::matches` on every user. Prints, per filter, the users matched, the
//! best time of a full scan over several runs and the cost per user.
//!
//! `cargo bench --bench scim_filter [USERS]`. With `SCIM_FILTER_USERS=FILE`
//! the users are also written there (one JSON array) for
//! `benches/scim-filter-compare.sh`, which runs the same filters through the
//! npm scim2-parse-filter package side by side. `SCIM_BASELINE=1` also
//! times a bare `serde_json` hash look-up against a linear scan of the keys.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dsync::directory::scim::{filter, ResourceKind};
use serde_json::{json, Value};

/// The filters timed; the compare script reads this list from the output.
pub const FILTERS: &[&str] = &[
    r#"userName eq "user77777@example.com""#,
    r#"name.familyName sw "mar" and active eq true"#,
    r#"emails[type eq "work" and value co "99@"]"#,
    r#"emails.value ew "@example.org" or title eq "engineer""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "research""#,
    r#"meta.lastModified gt "2026-06-01T00:00:00Z""#,
    r#"not (title pr) or (userType eq "contractor" and active eq false)"#,
];

const FAMILY: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Marchand",
    "Lefebvre",
];
const GIVEN: &[&str] = &[
    "Ada", "Grace", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia", "Donald",
];
const TITLES: &[&str] = &["engineer", "designer", "manager", "analyst", "support"];
const DEPARTMENTS: &[&str] = &["research", "sales", "support", "finance"];

fn user(i: usize) -> Value {
    let family = FAMILY[i % FAMILY.len()];
    let given = GIVEN[(i / 7) % GIVEN.len()];
    let mut u = json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "id": format!("{:08x}-7f76-453a-919d-413861904646", i),
        "externalId": format!("00u{i}"),
        "userName": format!("user{i}@example.com"),
        "name": {"familyName": family, "givenName": given, "formatted": format!("{given} {family}")},
        "displayName": format!("{given} {family}"),
        "userType": if i % 5 == 0 { "contractor" } else { "employee" },
        "active": i % 10 != 0,
        "emails": [
            {"value": format!("user{i}@example.com"), "type": "work", "primary": true},
            {"value": format!("{}.{}{i}@example.org", given.to_lowercase(), family.to_lowercase()), "type": "home"}
        ],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": i.to_string(),
            "department": DEPARTMENTS[i % DEPARTMENTS.len()]
        },
        "meta": {
            "resourceType": "User",
            "created": "2026-01-01T00:00:00Z",
            "lastModified": format!("2026-{:02}-{:02}T12:00:00Z", 1 + i % 12, 1 + i % 28)
        }
    });
    if i % 3 != 0 {
        u["title"] = json!(TITLES[i % TITLES.len()]);
    }
    u
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let users: Vec<Value> = (0..n).map(user).collect();
    if let Ok(path) = std::env::var("SCIM_FILTER_USERS") {
        std::fs::write(&path, serde_json::to_vec(&users).expect("users serialise"))
            .expect("write the users");
    }
    if std::env::var_os("SCIM_BASELINE").is_some() {
        // Why `get_ci` scans small objects instead of hashing: the two
        // look-ups alone, on the same users.
        let wanted = Some("user77777@example.com");
        for _ in 0..3 {
            let t = Instant::now();
            let c = users
                .iter()
                .filter(|u| u.get("userName").and_then(Value::as_str) == wanted)
                .count();
            let hashed = t.elapsed();
            let t = Instant::now();
            let c2 = users
                .iter()
                .filter(|u| {
                    u.as_object()
                        .and_then(|o| {
                            o.iter()
                                .find(|(k, _)| k.len() == 8 && k.as_str() == "userName")
                        })
                        .and_then(|(_, v)| v.as_str())
                        == wanted
                })
                .count();
            assert_eq!(c, c2);
            println!(
                "baseline: Map::get {:.2} ms, linear scan {:.2} ms",
                hashed.as_secs_f64() * 1e3,
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
    println!("{n} users; best of the runs fitting in about a second per filter");
    println!("filter\tmatched\tms_per_scan\tns_per_user");
    for text in FILTERS {
        let parsed = filter::parse(text).expect("bench filters parse");
        let scan = || {
            users
                .iter()
                .filter(|u| parsed.matches(ResourceKind::User, black_box(u)))
                .count()
        };
        let matched = scan();
        let mut best = Duration::MAX;
        let started = Instant::now();
        let mut runs = 0;
        while runs < 3 || (started.elapsed() < Duration::from_secs(1) && runs < 50) {
            let t = Instant::now();
            black_box(scan());
            best = best.min(t.elapsed());
            runs += 1;
        }
        let ms = best.as_secs_f64() * 1e3;
        println!(
            "{text}\t{matched}\t{ms:.2}\t{:.0}",
            best.as_nanos() as f64 / n as f64
        );
    }
    let t = Instant::now();
    let rounds = 10_000;
    for _ in 0..rounds {
        for text in FILTERS {
            black_box(filter::parse(black_box(text)).expect("parses"));
        }
    }
    println!(
        "parse: {:.2} µs per filter on average",
        t.elapsed().as_secs_f64() * 1e6 / (rounds * FILTERS.len()) as f64
    );
}
