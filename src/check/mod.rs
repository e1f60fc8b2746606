//! `dsync check`: a conformance suite for a webhook receiver.
//!
//! The catalogue of cases (this file), how each one is delivered and graded
//! (`run`), the stateful scenarios checked through `--state-cmd` (`state`),
//! and the three renderings of the outcome: table, JSON, JUnit (`report`).

use std::time::Duration;

use serde::Serialize;

use crate::event::CODES;
use crate::signature::{human_seconds, SchemeName, Tolerance};

pub mod report;
pub mod run;
pub mod state;
pub mod suite;

/// How much a case weighs in the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the run.
    Required,
    /// Warns; fails the run with `--strict`.
    Recommended,
    /// Needs `--state-cmd`; fails the run when it runs and the state differs.
    Stateful,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Required => "required",
            Level::Recommended => "recommended",
            Level::Stateful => "stateful",
        }
    }
}

/// What one case sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A valid signed event of one documented code.
    Valid(&'static str),
    /// A valid event with exactly the headers Cryptr sends.
    ExactHeaders,
    /// Right format, MAC made with another key.
    Forged,
    /// No signature header at all.
    MissingSignature,
    /// Signed, then one space added to the body.
    Tampered,
    /// Signed with a timestamp older than the tolerance.
    Stale,
    /// Signed with a timestamp further ahead than the tolerance.
    Future,
    /// Two `v1` entries: an old key's, then the current key's.
    KeyRotation,
    /// The same bytes and headers twice.
    Duplicate,
    /// Not JSON, validly signed.
    MalformedJson,
    /// A group `users_added` with 5,000 users.
    Large,
    /// 50 distinct events at once.
    Concurrent,
    /// A code no catalogue knows, validly signed.
    UnknownCode,
    /// GET and HEAD on the endpoint.
    GetHead,
    /// The 99th percentile of every answer time in the run.
    P99,
    /// One plain event, delivered alone.
    Plain,
    /// A stateful scenario (see `state`).
    State(state::Scenario),
}

/// One case of the suite.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub level: Level,
    pub kind: Kind,
}

/// Users in the large event by default (`--large-users`).
pub const LARGE_USERS: usize = 5_000;
/// Deliveries sent at once by the concurrency case.
pub const CONCURRENT: usize = 50;
/// Recommended answer-time limits.
pub const P99_LIMIT: Duration = Duration::from_secs(2);
pub const PLAIN_LIMIT: Duration = Duration::from_secs(1);
/// A code no version of the catalogue has, shaped like a real one.
pub const UNKNOWN_CODE: &str = "dir_sync.user.suspend.success";

/// Every case, in the order the report lists them.
pub fn catalogue() -> Vec<Case> {
    let mut cases: Vec<Case> = CODES
        .iter()
        .map(|code| Case {
            name: format!("valid/{code}"),
            level: Level::Required,
            kind: Kind::Valid(code),
        })
        .collect();
    let required = [
        ("exact-headers", Kind::ExactHeaders),
        ("forged-signature", Kind::Forged),
        ("missing-signature", Kind::MissingSignature),
        ("tampered-body", Kind::Tampered),
        ("stale-timestamp", Kind::Stale),
        ("future-timestamp", Kind::Future),
        ("key-rotation", Kind::KeyRotation),
        ("duplicate-delivery", Kind::Duplicate),
        ("malformed-json", Kind::MalformedJson),
        ("large-event", Kind::Large),
        ("concurrent-50", Kind::Concurrent),
    ];
    let recommended = [
        ("unknown-code", Kind::UnknownCode),
        ("get-head", Kind::GetHead),
        ("p99-latency", Kind::P99),
        ("plain-latency", Kind::Plain),
    ];
    for (name, kind) in required {
        cases.push(Case {
            name: name.to_string(),
            level: Level::Required,
            kind,
        });
    }
    for (name, kind) in recommended {
        cases.push(Case {
            name: name.to_string(),
            level: Level::Recommended,
            kind,
        });
    }
    for scenario in state::Scenario::ALL {
        cases.push(Case {
            name: format!("state/{}", scenario.name()),
            level: Level::Stateful,
            kind: Kind::State(scenario),
        });
    }
    cases
}

/// The window the time cases step outside of: the configured tolerance.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub past: Option<Duration>,
    pub future: Option<Duration>,
}

impl Window {
    pub fn of(tolerance: Tolerance) -> Window {
        // Duration::MAX stands for "no limit that way" (Stripe and WorkOS look back only).
        let bounded = |d: Duration| (d < Duration::from_secs(u32::MAX as u64)).then_some(d);
        match tolerance {
            Tolerance::Window { past, future } => Window {
                past: bounded(past),
                future: bounded(future),
            },
            Tolerance::Unlimited => Window {
                past: None,
                future: None,
            },
        }
    }
}

/// How far outside a window the stale and future cases sign: the tolerance
/// again, at least 5 minutes, so a receiver a little more lenient than the
/// configured tolerance still fails the case.
pub fn beyond(tolerance: Duration) -> Duration {
    tolerance + tolerance.max(Duration::from_secs(300))
}

impl Case {
    /// What a safe receiver answers, in a few words.
    pub fn expectation(&self, window: Window, scheme: SchemeName, large_users: usize) -> String {
        let off = |d: Option<Duration>, way: &str| match d {
            Some(d) => format!(
                "4xx for t {} {way} (tolerance {})",
                human_seconds(beyond(d).as_secs() as i64),
                human_seconds(d.as_secs() as i64)
            ),
            None => "4xx (needs a bounded tolerance)".to_string(),
        };
        match &self.kind {
            Kind::Valid(_) => "2xx".to_string(),
            Kind::ExactHeaders => match scheme {
                SchemeName::Cryptr => "2xx to Cryptr's headers (charset=UTF-8)".to_string(),
                other => format!("2xx to Cryptr's Content-Type + {other} headers"),
            },
            Kind::Forged => "4xx (right format, wrong key)".to_string(),
            Kind::MissingSignature => "4xx".to_string(),
            Kind::Tampered => "4xx (one space added after signing)".to_string(),
            Kind::Stale => off(window.past, "old"),
            Kind::Future => off(window.future, "ahead"),
            Kind::KeyRotation => "2xx (old key's v1, then the current key's)".to_string(),
            Kind::Duplicate => "2xx both times".to_string(),
            Kind::MalformedJson => "4xx, not 5xx".to_string(),
            Kind::Large => format!("2xx to {large_users} users in time"),
            Kind::Concurrent => format!("{CONCURRENT} at once, all 2xx"),
            Kind::UnknownCode => format!("2xx to {UNKNOWN_CODE}"),
            Kind::GetHead => "GET and HEAD: not 5xx".to_string(),
            Kind::P99 => format!("p99 answer time < {}", human_ms(P99_LIMIT)),
            Kind::Plain => format!("answer < {}", human_ms(PLAIN_LIMIT)),
            Kind::State(s) => s.expectation().to_string(),
        }
    }

    /// Why a failure of this case matters, and what to change.
    pub fn advice(&self) -> (&'static str, &'static str) {
        match &self.kind {
            Kind::Valid(_) => (
                "Cryptr retries a non-2xx answer for hours, then gives up: this event would be lost, and the app out of step with the directory.",
                "answer 2xx once the event is stored, for every code (also the ones you ignore); verify the signature with the same secret as dsync (--secret).",
            ),
            Kind::ExactHeaders => (
                "this is what Cryptr really sends: an endpoint that rejects it rejects every real delivery.",
                "match the media type, not the whole Content-Type header (\"application/json; charset=UTF-8\" is JSON); read cryptr-signature case-insensitively.",
            ),
            Kind::Forged => (
                "your endpoint accepted a forged signature: anyone who knows the URL can create, change or delete users in your app.",
                "verify cryptr-signature (HMAC-SHA256 with your signature_key over \"<t>.\" + the raw body) before parsing the body, compare in constant time, answer 401; `dsync verify --capture` shows how.",
            ),
            Kind::MissingSignature => (
                "your endpoint accepted an unsigned request: the signature check is optional, so it protects nothing.",
                "answer 401 when the signature header is absent, before doing anything with the body.",
            ),
            Kind::Tampered => (
                "your endpoint accepted a body that differs from the signed one: the signature is checked over something else (a re-serialised body?), so a changed payload gets through.",
                "compute the HMAC over the raw request bytes as received, before any JSON parsing (Express: express.raw(); Django: request.body; PHP: php://input).",
            ),
            Kind::Stale => (
                "your endpoint accepted an old signed request: a captured delivery can be replayed to it forever.",
                "reject a timestamp older than your tolerance (Cryptr: 5 minutes) with 4xx; pass --tolerance to dsync if yours differs.",
            ),
            Kind::Future => (
                "your endpoint accepted a timestamp far in the future: a request signed ahead of time stays valid for as long as the attacker chose.",
                "reject a timestamp further ahead than your tolerance with 4xx (check |now - t|, not only now - t).",
            ),
            Kind::KeyRotation => (
                "during a key rotation a delivery carries several v1 signatures; an endpoint that reads only the first rejects valid deliveries.",
                "accept the request when any v1 entry matches; ignore v0 and entries you cannot decode.",
            ),
            Kind::Duplicate => (
                "Cryptr delivers at least once: a retry repeats an event you already have. Answering non-2xx to it makes Cryptr retry it for hours.",
                "answer 2xx to a duplicate without applying it again (derive a key: webhook_id + code + issued_at + resource id, or a hash of the body).",
            ),
            Kind::MalformedJson => (
                "an unparsable body is the sender's fault: 5xx means \"try again\" and Cryptr retries it for hours; 2xx acknowledges a body nobody can read.",
                "answer 400 when the verified body is not JSON; keep 5xx for your own failures.",
            ),
            Kind::Large => (
                "a group with thousands of members arrives as one event: a body-size limit or a slow handler drops it, and the whole group is out of step.",
                "raise the body limit (Express's json() defaults to 100 kB) to at least 10 MB, and store the event before processing it.",
            ),
            Kind::Concurrent => (
                "a bulk change in the IdP (an import, a reorganisation) sends many events at once: the ones refused are retried for hours or lost.",
                "answer fast and queue the work; do not hold a global lock or a single connection while handling a request.",
            ),
            Kind::UnknownCode => (
                "Cryptr adds event codes; an endpoint that fails on a new one makes Cryptr retry it for hours.",
                "answer 2xx to codes you do not handle (log them), instead of 4xx/5xx.",
            ),
            Kind::GetHead => (
                "health checks, crawlers and people open the URL in a browser; a 5xx there pages someone for nothing.",
                "answer 405 (or 200) to GET and HEAD.",
            ),
            Kind::P99 => (
                "a slow answer ties up Cryptr's delivery and risks its timeout, which turns a delivered event into a retry.",
                "store the raw event and answer 2xx at once; do the work afterwards (a queue, a background job).",
            ),
            Kind::Plain => (
                "a plain event that takes over a second to acknowledge means the work is done before answering.",
                "answer 2xx as soon as the event is stored; process it afterwards.",
            ),
            Kind::State(s) => s.advice(),
        }
    }
}

/// A duration for the table: "12 ms", "1.4 s".
pub fn human_ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{} ms", ms.round() as u64)
    } else {
        let text = format!("{:.1}", ms / 1000.0);
        format!("{} s", text.strip_suffix(".0").unwrap_or(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_short() {
        assert_eq!(human_ms(Duration::from_millis(12)), "12 ms");
        assert_eq!(human_ms(Duration::from_secs(2)), "2 s");
        assert_eq!(human_ms(Duration::from_millis(1430)), "1.4 s");
    }

    #[test]
    fn case_names_are_unique() {
        let cases = catalogue();
        let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn the_time_cases_step_well_outside_the_window() {
        assert_eq!(beyond(Duration::from_secs(300)), Duration::from_secs(600));
        assert_eq!(beyond(Duration::from_secs(30)), Duration::from_secs(330));
        let w = Window::of(Tolerance::Window {
            past: Duration::from_secs(300),
            future: Duration::MAX,
        });
        assert_eq!(w.past, Some(Duration::from_secs(300)));
        assert_eq!(w.future, None);
    }
}
