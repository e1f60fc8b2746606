//! WorkOS: `WorkOS-Signature: t=<unix ms>, v1=<hex>`, signed `"<t>." + body`
//! (t in milliseconds, as written) with the secret string as-is.

use super::{
    check_window, header_values, hmac_sha256, matches_constant_time, parse_pairs, parse_t,
};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use std::time::Duration;

pub const HEADER: &str = "workos-signature";

#[derive(Debug, Clone, Copy)]
pub struct Workos;

impl Scheme for Workos {
    fn name(&self) -> SchemeName {
        SchemeName::Workos
    }

    fn header_names(&self) -> &'static [&'static str] {
        &[HEADER]
    }

    /// The workos Python SDK (`verify_header`) rejects a timestamp more than
    /// 180 s away from now, in either direction.
    fn default_tolerance(&self) -> Tolerance {
        Tolerance::both_ways(Duration::from_secs(180))
    }

    fn sign(
        &self,
        secret: &Secret,
        body: &[u8],
        params: &SignParams,
    ) -> Result<Vec<Header>, Failure> {
        let t = params.timestamp_ms;
        let mac = hmac_sha256(
            secret.expose().as_bytes(),
            &[t.to_string().as_bytes(), b".", body],
        );
        Ok(vec![(
            "WorkOS-Signature".to_string(),
            format!("t={t}, v1={}", hex::encode(mac)),
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
                    header: "WorkOS-Signature".to_string(),
                })?;
            let pairs = parse_pairs("WorkOS-Signature", value)?;
            let t_ms = parse_t("WorkOS-Signature", &pairs)?;
            let candidates: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| *k == "v1")
                .map(|(_, v)| *v)
                .collect();
            if candidates.is_empty() {
                return Err(Failure::Malformed {
                    header: "WorkOS-Signature".to_string(),
                    detail: "no v1= signature".to_string(),
                });
            }
            // The exact characters of t are signed, so sign what was received.
            let t_text = pairs
                .iter()
                .find(|(k, _)| *k == "t")
                .map(|(_, v)| *v)
                .unwrap_or_default();
            let expected =
                hmac_sha256(secret.expose().as_bytes(), &[t_text.as_bytes(), b".", body]);
            if !candidates
                .iter()
                .any(|c| hex::decode(c).is_ok_and(|r| matches_constant_time(&expected, &r)))
            {
                return Err(Failure::NoMatch {
                    candidates: candidates.len(),
                });
            }
            check_window(t_ms.div_euclid(1000), now_ms, tolerance)?;
            Ok(t_ms)
        })();
        match result {
            Ok(t) => Verdict::Valid { timestamp: Some(t) },
            Err(f) => Verdict::Invalid(f),
        }
    }
}
