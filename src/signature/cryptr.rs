//! Cryptr: `cryptr-signature: t=<unix s>,v1=sha256.<hex>`.
//!
//! The signed layout is not published. dsync's choice, the layout the header
//! copies from Stripe: `v1 = hex(HMAC-SHA256(key = signature_key as UTF-8,
//! message = "<t>." + raw body))`. `dsync verify` can test the other candidate
//! layouts against a real capture (see `verify --help`).

use super::{
    check_window, header_values, hmac_sha256, matches_constant_time, parse_pairs, parse_t,
};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use std::time::Duration;

pub const HEADER: &str = "cryptr-signature";

/// The Cryptr scheme. Signs with the `sha256.` prefix (as the documented full
/// header does); verifying accepts `v1` with or without it.
#[derive(Debug, Clone, Copy)]
pub struct Cryptr;

/// Writes a Cryptr header value, with the `sha256.` prefix (the default) or bare `<hex>`.
#[derive(Debug, Clone, Copy)]
pub struct CryptrSigner {
    pub sha256_prefix: bool,
}

impl CryptrSigner {
    pub fn header_value(&self, secret: &Secret, body: &[u8], timestamp_s: i64) -> String {
        let mac = hmac_sha256(
            secret.expose().as_bytes(),
            &[timestamp_s.to_string().as_bytes(), b".", body],
        );
        let prefix = if self.sha256_prefix { "sha256." } else { "" };
        format!("t={timestamp_s},v1={prefix}{}", hex::encode(mac))
    }
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
        let t = params.timestamp_ms.div_euclid(1000);
        let value = CryptrSigner {
            sha256_prefix: true,
        }
        .header_value(secret, body, t);
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
        match verify(secret, headers, body, now_ms, tolerance) {
            Ok(t) => Verdict::Valid { timestamp: Some(t) },
            Err(f) => Verdict::Invalid(f),
        }
    }
}

fn verify(
    secret: &Secret,
    headers: &[Header],
    body: &[u8],
    now_ms: i64,
    tolerance: Tolerance,
) -> Result<i64, Failure> {
    let values: Vec<&str> = header_values(headers, HEADER).collect();
    if values.is_empty() {
        return Err(Failure::MissingHeader {
            header: HEADER.to_string(),
        });
    }
    // Several headers are read as one list of entries.
    let mut pairs = Vec::new();
    for value in &values {
        pairs.extend(parse_pairs(HEADER, value)?);
    }
    let t = parse_t(HEADER, &pairs)?;
    let candidates: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| *k == "v1")
        .map(|(_, v)| v.strip_prefix("sha256.").unwrap_or(v))
        .collect();
    if candidates.is_empty() {
        return Err(Failure::Malformed {
            header: HEADER.to_string(),
            detail: "no v1= signature (v0 is ignored)".to_string(),
        });
    }
    let expected = hmac_sha256(
        secret.expose().as_bytes(),
        &[t.to_string().as_bytes(), b".", body],
    );
    let matched = candidates
        .iter()
        .any(|c| hex::decode(c).is_ok_and(|received| matches_constant_time(&expected, &received)));
    if !matched {
        return Err(Failure::NoMatch {
            candidates: candidates.len(),
        });
    }
    check_window(t, now_ms, tolerance)?;
    Ok(t)
}
