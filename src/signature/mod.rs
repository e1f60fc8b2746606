//! Signature schemes behind one trait.
//!
//! Each scheme signs a body (returning the headers to send) and verifies a
//! received request (headers + the exact raw body bytes). All of them are
//! HMAC-SHA256 over some layout of timestamp, id and body; they differ in
//! header names, encodings, timestamp units, key handling and tolerance.

pub mod cryptr;
pub mod diagnose;
mod hmac_util;
mod standard;
mod stripe;
mod timed_header;
mod workos;

use std::fmt;
use std::time::Duration;

use serde::Serialize;

pub use cryptr::{Cryptr, CryptrLayout};
pub use hmac_util::{hmac_sha256, matches_constant_time};
pub use standard::Standard;
pub use stripe::Stripe;
pub(crate) use timed_header::{mac_t_dot_body, parse_pairs, TimedHeader};
pub use workos::Workos;

/// A header as sent or received: name and value, in order, duplicates kept.
pub type Header = (String, String);

/// All values of a header, matched case-insensitively, in received order.
pub fn header_values<'a>(headers: &'a [Header], name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The first value of a header, matched case-insensitively.
pub fn header_value<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A signing secret. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The secret itself: only for computing MACs and explicit `--show-secret` output.
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// A masked form for display: the first 4 characters and the length.
    pub fn masked(&self) -> String {
        let head: String = self.0.chars().take(4).collect();
        format!("{head}… ({} chars)", self.0.chars().count())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted>)")
    }
}

/// The schemes dsync speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SchemeName {
    /// Cryptr: `cryptr-signature: t=<s>,v1=sha256.<hex>` (signed layout inferred, see --cryptr-layout)
    Cryptr,
    /// Standard Webhooks / Svix (alias svix): `webhook-*` or `svix-*` id, timestamp, signature
    #[value(alias = "svix", alias = "standard-webhooks")]
    Standard,
    /// Stripe: `Stripe-Signature: t=<s>,v1=<hex>`
    Stripe,
    /// WorkOS: `WorkOS-Signature: t=<ms>, v1=<hex>`
    Workos,
}

impl SchemeName {
    pub const ALL: [SchemeName; 4] = [
        SchemeName::Cryptr,
        SchemeName::Standard,
        SchemeName::Stripe,
        SchemeName::Workos,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchemeName::Cryptr => "cryptr",
            SchemeName::Standard => "standard",
            SchemeName::Stripe => "stripe",
            SchemeName::Workos => "workos",
        }
    }

    /// The implementation of this scheme.
    pub fn scheme(self) -> &'static dyn Scheme {
        match self {
            SchemeName::Cryptr => &Cryptr::INFERRED,
            SchemeName::Standard => &Standard,
            SchemeName::Stripe => &Stripe,
            SchemeName::Workos => &Workos,
        }
    }
}

impl fmt::Display for SchemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SchemeName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "cryptr" => Ok(SchemeName::Cryptr),
            "standard" | "svix" | "standard-webhooks" => Ok(SchemeName::Standard),
            "stripe" => Ok(SchemeName::Stripe),
            "workos" => Ok(SchemeName::Workos),
            other => Err(format!(
                "unknown scheme {other:?} (expected cryptr, standard, stripe or workos)"
            )),
        }
    }
}

/// How far a signature's timestamp may be from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// Accept a timestamp at most `past` old and at most `future` ahead.
    Window { past: Duration, future: Duration },
    /// Do not check the timestamp at all (`--no-tolerance`).
    Unlimited,
}

impl Tolerance {
    /// The same window both ways (what `--tolerance 5m` means).
    pub fn both_ways(d: Duration) -> Tolerance {
        Tolerance::Window { past: d, future: d }
    }
}

/// What a signer needs besides the secret and the body.
#[derive(Debug, Clone)]
pub struct SignParams {
    /// Unix time in milliseconds (seconds-based schemes truncate it).
    pub timestamp_ms: i64,
    /// Message id, for schemes that sign one (Standard Webhooks' `webhook-id`).
    pub id: Option<String>,
}

/// Why a request did not verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// A header the scheme needs is absent.
    MissingHeader { header: String },
    /// A header is present but cannot be parsed.
    Malformed { header: String, detail: String },
    /// The secret cannot be used with this scheme (e.g. not base64 after `whsec_`).
    BadSecret { detail: String },
    /// The timestamp is older than the tolerance allows.
    TooOld {
        timestamp: i64,
        age_seconds: i64,
        tolerance_seconds: i64,
    },
    /// The timestamp is further in the future than the tolerance allows.
    InFuture {
        timestamp: i64,
        ahead_seconds: i64,
        tolerance_seconds: i64,
    },
    /// The header parses but no signature entry matches the body.
    NoMatch { candidates: usize },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::MissingHeader { header } => write!(f, "missing header {header}"),
            Failure::Malformed { header, detail } => {
                write!(f, "header {header} is malformed: {detail}")
            }
            Failure::BadSecret { detail } => write!(f, "the secret cannot be used: {detail}"),
            Failure::TooOld {
                age_seconds,
                tolerance_seconds,
                ..
            } => write!(
                f,
                "timestamp is {} old, {} beyond the {} tolerance",
                human_seconds(*age_seconds),
                human_seconds(age_seconds.saturating_sub(*tolerance_seconds)),
                human_seconds(*tolerance_seconds)
            ),
            Failure::InFuture {
                ahead_seconds,
                tolerance_seconds,
                ..
            } => write!(
                f,
                "timestamp is {} in the future, {} beyond the {} tolerance",
                human_seconds(*ahead_seconds),
                human_seconds(ahead_seconds.saturating_sub(*tolerance_seconds)),
                human_seconds(*tolerance_seconds)
            ),
            Failure::NoMatch { candidates } => write!(
                f,
                "no signature matches the body ({candidates} candidate{} tried)",
                if *candidates == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Seconds as a short human duration ("4m 10s", "2d 3h").
pub fn human_seconds(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    // Seconds do not matter past a day, nor hours past a month.
    let secs = match secs {
        s if s >= 30 * 86_400 => s - s % 86_400,
        s if s >= 86_400 => s - s % 3_600,
        s => s,
    };
    humantime::format_duration(Duration::from_secs(secs)).to_string()
}

/// The outcome of verifying one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A signature entry matched and the timestamp is within tolerance.
    Valid {
        timestamp: Option<i64>,
    },
    Invalid(Failure),
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }
}

/// A scheme's checks, run in order: the timestamp it read, or the first failure.
impl From<Result<i64, Failure>> for Verdict {
    fn from(result: Result<i64, Failure>) -> Verdict {
        match result {
            Ok(t) => Verdict::Valid { timestamp: Some(t) },
            Err(f) => Verdict::Invalid(f),
        }
    }
}

/// A signature scheme: how to sign a body and how to check a received one.
pub trait Scheme: Send + Sync {
    fn name(&self) -> SchemeName;

    /// The headers this scheme reads and writes, lower-case.
    fn header_names(&self) -> &'static [&'static str];

    /// The tolerance of the reference libraries, used unless the user sets one.
    fn default_tolerance(&self) -> Tolerance;

    /// The headers that sign `body`, in the order to send them.
    fn sign(
        &self,
        secret: &Secret,
        body: &[u8],
        params: &SignParams,
    ) -> Result<Vec<Header>, Failure>;

    /// Check `headers` against the exact raw `body`. `now_ms` is the current
    /// Unix time in milliseconds.
    fn verify(
        &self,
        secret: &Secret,
        headers: &[Header],
        body: &[u8],
        now_ms: i64,
        tolerance: Tolerance,
    ) -> Verdict;
}

/// The last two checks of every scheme, in this order: one of the received
/// `candidates`, decoded with `decode`, is the `expected` MAC (compared in
/// constant time; one that does not decode never matches), then the
/// timestamp (in seconds) is within `tolerance`. A forged request is thus
/// told apart from a stale one, and a stale one only once it is authentic.
pub(crate) fn check_mac_and_window<D, S>(
    expected: &[u8],
    candidates: &[S],
    decode: D,
    timestamp_s: i64,
    now_ms: i64,
    tolerance: Tolerance,
) -> Result<(), Failure>
where
    D: Fn(&str) -> Option<Vec<u8>>,
    S: AsRef<str>,
{
    let matched = candidates.iter().any(|candidate| {
        decode(candidate.as_ref())
            .is_some_and(|received| matches_constant_time(expected, &received))
    });
    if !matched {
        return Err(Failure::NoMatch {
            candidates: candidates.len(),
        });
    }
    check_window(timestamp_s, now_ms, tolerance)
}

/// Check a timestamp (in seconds) against a tolerance window.
fn check_window(timestamp_s: i64, now_ms: i64, tolerance: Tolerance) -> Result<(), Failure> {
    let Tolerance::Window { past, future } = tolerance else {
        return Ok(());
    };
    let now_s = now_ms.div_euclid(1000);
    // Saturating: a garbled or huge timestamp must not overflow, and a window
    // of Duration::MAX (a past-only window) means "never too far".
    let age = now_s.saturating_sub(timestamp_s);
    let past_s = i64::try_from(past.as_secs()).unwrap_or(i64::MAX);
    let future_s = i64::try_from(future.as_secs()).unwrap_or(i64::MAX);
    if age > past_s {
        return Err(Failure::TooOld {
            timestamp: timestamp_s,
            age_seconds: age,
            tolerance_seconds: past_s,
        });
    }
    if age.saturating_neg() > future_s {
        return Err(Failure::InFuture {
            timestamp: timestamp_s,
            ahead_seconds: age.saturating_neg(),
            tolerance_seconds: future_s,
        });
    }
    Ok(())
}

/// A timestamp as written in a header: an integer that fits in 64 bits.
pub(crate) fn parse_timestamp(text: &str) -> Result<i64, String> {
    text.parse::<i64>().map_err(|_| {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            format!("timestamp t={text:?} is out of range (more than 64 bits)")
        } else {
            format!("timestamp t={text:?} is not an integer")
        }
    })
}

/// Current Unix time in milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
