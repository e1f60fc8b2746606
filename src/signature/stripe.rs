//! Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=..][,v0=..]`, signed
//! `"<t>." + body` with the secret string as-is (`whsec_` included).

use super::{
    check_window, header_values, hmac_sha256, matches_constant_time, parse_pairs, parse_t,
};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use std::time::Duration;

pub const HEADER: &str = "stripe-signature";

#[derive(Debug, Clone, Copy)]
pub struct Stripe;

impl Scheme for Stripe {
    fn name(&self) -> SchemeName {
        SchemeName::Stripe
    }

    fn header_names(&self) -> &'static [&'static str] {
        &[HEADER]
    }

    /// 300 s, as stripe-python and stripe-node. They check only the past;
    /// dsync bounds the future by the same 300 s, so a signature dated ahead
    /// of the clock (`t=9223372036854775807`) is never valid for ever.
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
        let mac = hmac_sha256(
            secret.expose().as_bytes(),
            &[t.to_string().as_bytes(), b".", body],
        );
        Ok(vec![(
            "Stripe-Signature".to_string(),
            format!("t={t},v1={}", hex::encode(mac)),
        )])
    }

    fn verify(
        &self,
        secret: &Secret,
        headers: &[Header],
        body: &[u8],
        now_ms: i64,
        tolerance: Tolerance,
    ) -> Verdict {
        let result = (|| {
            let value = header_values(headers, HEADER)
                .next()
                .ok_or(Failure::MissingHeader {
                    header: "Stripe-Signature".to_string(),
                })?;
            let pairs = parse_pairs("Stripe-Signature", value)?;
            let t = parse_t("Stripe-Signature", &pairs)?;
            let candidates: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| *k == "v1")
                .map(|(_, v)| *v)
                .collect();
            if candidates.is_empty() {
                return Err(Failure::Malformed {
                    header: "Stripe-Signature".to_string(),
                    detail: "no v1= signature".to_string(),
                });
            }
            let expected = hmac_sha256(
                secret.expose().as_bytes(),
                &[t.to_string().as_bytes(), b".", body],
            );
            if !candidates
                .iter()
                .any(|c| hex::decode(c).is_ok_and(|r| matches_constant_time(&expected, &r)))
            {
                return Err(Failure::NoMatch {
                    candidates: candidates.len(),
                });
            }
            check_window(t, now_ms, tolerance)?;
            Ok(t)
        })();
        match result {
            Ok(t) => Verdict::Valid { timestamp: Some(t) },
            Err(f) => Verdict::Invalid(f),
        }
    }
}
