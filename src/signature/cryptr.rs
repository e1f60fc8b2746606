//! Cryptr: `cryptr-signature: t=<unix s>,v1=sha256.<hex>`.
//!
//! The signed layout is not published, so it is a switch, [`CryptrLayout`],
//! and this is the one place that knows its variants: what is signed (`t.body`,
//! the body only, `t` + body without the dot, `body.t`), how `v1` is written
//! (hex or base64, with or without the `sha256.` prefix) and the unit of `t`
//! (seconds or milliseconds). dsync's inferred default, the layout the header
//! copies from Stripe: `v1 = sha256. + hex(HMAC-SHA256(key = signature_key as
//! UTF-8, message = "<t>." + raw body))`, `t` in seconds. `dsync verify` tests
//! every other layout against a real capture and names the one that matches.

use std::fmt;
use std::time::Duration;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::Serialize;

use super::{check_mac_and_window, header_values, hmac_sha256, parse_pairs, TimedHeader};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};

pub const HEADER: &str = "cryptr-signature";

/// What the HMAC is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// `"<t>." + body` (the inferred default).
    TDotBody,
    /// The body alone.
    Body,
    /// `"<t>" + body`, no dot.
    TBody,
    /// `body + ".<t>"`.
    BodyDotT,
}

/// How `v1` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Hex,
    Base64,
}

/// The unit of `t=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Seconds,
    Milliseconds,
}

/// One way Cryptr may sign. Written (and parsed) as comma-separated words, in
/// any order, each dimension defaulting to the inferred layout:
/// `t.body|body|tbody|body.t`, `hex|base64`, `prefix|no-prefix`, `s|ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CryptrLayout {
    pub message: Message,
    pub encoding: Encoding,
    /// Write `v1=sha256.<sig>` (verifying accepts both forms whatever this says).
    pub sha256_prefix: bool,
    pub unit: TimeUnit,
}

const MESSAGES: [(Message, &str); 4] = [
    (Message::TDotBody, "t.body"),
    (Message::Body, "body"),
    (Message::TBody, "tbody"),
    (Message::BodyDotT, "body.t"),
];
const ENCODINGS: [(Encoding, &str); 2] = [(Encoding::Hex, "hex"), (Encoding::Base64, "base64")];
const PREFIXES: [(bool, &str); 2] = [(true, "prefix"), (false, "no-prefix")];
const UNITS: [(TimeUnit, &str); 2] = [(TimeUnit::Seconds, "s"), (TimeUnit::Milliseconds, "ms")];

impl CryptrLayout {
    /// dsync's inferred layout: `"<t>." + body`, hex, `sha256.` prefix, seconds.
    pub const INFERRED: CryptrLayout = CryptrLayout {
        message: Message::TDotBody,
        encoding: Encoding::Hex,
        sha256_prefix: true,
        unit: TimeUnit::Seconds,
    };

    /// Every layout, the inferred one first.
    pub fn all() -> impl Iterator<Item = CryptrLayout> {
        (0..LAYOUT_COUNT).map(layout_at)
    }

    fn index(self) -> usize {
        let m = MESSAGES.iter().position(|(m, _)| *m == self.message);
        let e = ENCODINGS.iter().position(|(e, _)| *e == self.encoding);
        let p = usize::from(!self.sha256_prefix);
        let u = usize::from(self.unit == TimeUnit::Milliseconds);
        m.unwrap_or(0) * 8 + e.unwrap_or(0) * 4 + p * 2 + u
    }

    /// The same message and encoding, written and timed as `header` is: its
    /// `v1` with or without `sha256.`, its `t` in seconds or milliseconds
    /// (13 digits or more is milliseconds).
    pub fn as_received(self, header: &str) -> CryptrLayout {
        let pairs = parse_pairs(HEADER, header).unwrap_or_default();
        let v1 = pairs.iter().find(|(k, _)| *k == "v1").map(|(_, v)| *v);
        let t = pairs.iter().find(|(k, _)| *k == "t").map(|(_, v)| *v);
        CryptrLayout {
            sha256_prefix: v1.map_or(self.sha256_prefix, |v| v.starts_with("sha256.")),
            unit: match t {
                Some(t) if t.trim_start_matches('-').len() >= 13 => TimeUnit::Milliseconds,
                Some(_) => TimeUnit::Seconds,
                None => self.unit,
            },
            ..self
        }
    }

    /// The scheme that signs and verifies with this layout.
    pub fn scheme(self) -> &'static Cryptr {
        &CRYPTR_SCHEMES[self.index()]
    }

    /// One sentence for humans: what is signed and how it is written.
    pub fn describe(self) -> String {
        let message = match self.message {
            Message::TDotBody => "\"<t>.\" + body",
            Message::Body => "the body only",
            Message::TBody => "\"<t>\" + body (no dot)",
            Message::BodyDotT => "body + \".<t>\"",
        };
        let encoding = match self.encoding {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
        };
        let prefix = if self.sha256_prefix {
            "with the sha256. prefix"
        } else {
            "without the sha256. prefix"
        };
        let unit = match self.unit {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Milliseconds => "milliseconds",
        };
        format!("HMAC-SHA256 over {message}, written {encoding} {prefix}, t in {unit}")
    }

    /// The bytes the HMAC covers, with `t` as written in the header.
    fn parts<'a>(self, t: &'a [u8], body: &'a [u8]) -> Vec<&'a [u8]> {
        match self.message {
            Message::TDotBody => vec![t, b".", body],
            Message::Body => vec![body],
            Message::TBody => vec![t, body],
            Message::BodyDotT => vec![body, b".", t],
        }
    }

    fn encode(self, mac: &[u8]) -> String {
        match self.encoding {
            Encoding::Hex => hex::encode(mac),
            Encoding::Base64 => STANDARD.encode(mac),
        }
    }

    fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self.encoding {
            Encoding::Hex => hex::decode(text).ok(),
            // Either alphabet, padded or not: senders differ.
            Encoding::Base64 => LENIENT_B64
                .decode(text)
                .or_else(|_| LENIENT_B64URL.decode(text))
                .ok(),
        }
    }

    /// The header value that signs `body` at `timestamp_ms`.
    pub fn header_value(self, secret: &Secret, body: &[u8], timestamp_ms: i64) -> String {
        let t = match self.unit {
            TimeUnit::Seconds => timestamp_ms.div_euclid(1000),
            TimeUnit::Milliseconds => timestamp_ms,
        }
        .to_string();
        let mac = hmac_sha256(secret.expose().as_bytes(), &self.parts(t.as_bytes(), body));
        let prefix = if self.sha256_prefix { "sha256." } else { "" };
        format!("t={t},v1={prefix}{}", self.encode(&mac))
    }
}

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const LENIENT_B64URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

const LAYOUT_COUNT: usize = 32;

const fn layout_at(i: usize) -> CryptrLayout {
    CryptrLayout {
        message: MESSAGES[i / 8].0,
        encoding: ENCODINGS[(i / 4) % 2].0,
        sha256_prefix: PREFIXES[(i / 2) % 2].0,
        unit: UNITS[i % 2].0,
    }
}

const fn all_schemes() -> [Cryptr; LAYOUT_COUNT] {
    let mut out = [Cryptr {
        layout: CryptrLayout::INFERRED,
    }; LAYOUT_COUNT];
    let mut i = 0;
    while i < LAYOUT_COUNT {
        out[i] = Cryptr {
            layout: layout_at(i),
        };
        i += 1;
    }
    out
}

/// One scheme per layout, so every caller keeps a `&'static dyn Scheme`.
static CRYPTR_SCHEMES: [Cryptr; LAYOUT_COUNT] = all_schemes();

impl Default for CryptrLayout {
    fn default() -> Self {
        CryptrLayout::INFERRED
    }
}

impl fmt::Display for CryptrLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.index();
        write!(
            f,
            "{},{},{},{}",
            MESSAGES[i / 8].1,
            ENCODINGS[(i / 4) % 2].1,
            PREFIXES[(i / 2) % 2].1,
            UNITS[i % 2].1
        )
    }
}

impl std::str::FromStr for CryptrLayout {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut layout = CryptrLayout::INFERRED;
        let mut seen = [false; 4];
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let word_lc = word.to_ascii_lowercase();
            let w = word_lc.as_str();
            let dim = if let Some((m, _)) = MESSAGES.iter().find(|(_, n)| *n == w) {
                layout.message = *m;
                0
            } else if let Some((e, _)) = ENCODINGS.iter().find(|(_, n)| *n == w) {
                layout.encoding = *e;
                1
            } else if let Some((p, _)) = PREFIXES.iter().find(|(_, n)| *n == w) {
                layout.sha256_prefix = *p;
                2
            } else if let Some((u, _)) = UNITS.iter().find(|(_, n)| *n == w) {
                layout.unit = *u;
                3
            } else {
                return Err(format!(
                    "unknown layout word {word:?} (expected t.body, body, tbody, body.t, hex, base64, prefix, no-prefix, s or ms)"
                ));
            };
            if std::mem::replace(&mut seen[dim], true) {
                return Err(format!("{text:?} names the same part twice ({word:?})"));
            }
        }
        Ok(layout)
    }
}

/// The Cryptr scheme in one layout ([`CryptrLayout::INFERRED`] unless told).
#[derive(Debug, Clone, Copy)]
pub struct Cryptr {
    pub layout: CryptrLayout,
}

impl Cryptr {
    pub const INFERRED: Cryptr = Cryptr {
        layout: CryptrLayout::INFERRED,
    };
}

impl Scheme for Cryptr {
    fn name(&self) -> SchemeName {
        SchemeName::Cryptr
    }

    fn header_names(&self) -> &'static [&'static str] {
        &[HEADER]
    }

    fn default_tolerance(&self) -> Tolerance {
        Tolerance::both_ways(Duration::from_secs(300))
    }

    fn sign(
        &self,
        secret: &Secret,
        body: &[u8],
        params: &SignParams,
    ) -> Result<Vec<Header>, Failure> {
        let value = self.layout.header_value(secret, body, params.timestamp_ms);
        Ok(vec![(HEADER.to_string(), value)])
    }

    fn verify(
        &self,
        secret: &Secret,
        headers: &[Header],
        body: &[u8],
        now_ms: i64,
        tolerance: Tolerance,
    ) -> Verdict {
        Verdict::from(verify(
            self.layout,
            secret,
            headers,
            body,
            now_ms,
            tolerance,
        ))
    }
}

fn verify(
    layout: CryptrLayout,
    secret: &Secret,
    headers: &[Header],
    body: &[u8],
    now_ms: i64,
    tolerance: Tolerance,
) -> Result<i64, Failure> {
    // Several headers are read as one list of entries.
    let values: Vec<&str> = header_values(headers, HEADER).collect();
    let header = TimedHeader::parse(HEADER, &values, "no v1= signature (v0 is ignored)")?;
    // The exact characters of t are signed, so sign what was received.
    let expected = hmac_sha256(
        secret.expose().as_bytes(),
        &layout.parts(header.t_text.as_bytes(), body),
    );
    let candidates: Vec<&str> = header
        .v1
        .iter()
        .map(|v| v.strip_prefix("sha256.").unwrap_or(v))
        .collect();
    let t_s = match layout.unit {
        TimeUnit::Seconds => header.t,
        TimeUnit::Milliseconds => header.t.div_euclid(1000),
    };
    let decode = |c: &str| layout.decode(c);
    check_mac_and_window(&expected, &candidates, decode, t_s, now_ms, tolerance)?;
    Ok(header.t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_round_trips_and_no_other_layout_accepts_it() {
        let secret = Secret::new("G8DXTIOobwGxhkFf2X5VidlQhJ8hoVAONc3Ezi21KEZKe2mikvF1");
        let body = br#"{"code":"dir_sync.activated"}"#;
        let now_ms = 1_700_000_000_123;
        let layouts: Vec<CryptrLayout> = CryptrLayout::all().collect();
        assert_eq!(layouts.len(), 32);
        assert_eq!(layouts[0], CryptrLayout::INFERRED);
        for layout in &layouts {
            let text = layout.to_string();
            assert_eq!(text.parse::<CryptrLayout>().unwrap(), *layout, "{text}");
            let header = vec![(
                HEADER.to_string(),
                layout.header_value(&secret, body, now_ms),
            )];
            let window = Tolerance::both_ways(Duration::from_secs(5));
            for other in &layouts {
                let ok = other
                    .scheme()
                    .verify(&secret, &header, body, now_ms, window)
                    .is_valid();
                // Layouts that differ only in the prefix or in how t is read
                // sign the same bytes; the unit decides the window.
                let same_mac = other.message == layout.message
                    && other.encoding == layout.encoding
                    && other.unit == layout.unit;
                assert_eq!(ok, same_mac, "{layout} signed, {other} verified");
            }
        }
    }

    #[test]
    fn the_inferred_layout_is_the_documented_header() {
        let secret = Secret::new("k");
        let v = CryptrLayout::INFERRED.header_value(&secret, b"{}", 1_676_905_124_000);
        let mac = hex::encode(hmac_sha256(b"k", &[b"1676905124", b".", b"{}"]));
        assert_eq!(v, format!("t=1676905124,v1=sha256.{mac}"));
        assert_eq!(
            "body,base64".parse::<CryptrLayout>().unwrap().to_string(),
            "body,base64,prefix,s"
        );
        assert!("body,t.body".parse::<CryptrLayout>().is_err());
        assert!("sha1".parse::<CryptrLayout>().is_err());
    }
}
