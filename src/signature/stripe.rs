//! Stripe: `Stripe-Signature: t=<unix s>,v1=<hex>[,v1=..][,v0=..]`, signed
//! `"<t>." + body` with the secret string as-is (`whsec_` included).

use super::{check_mac_and_window, header_values, mac_t_dot_body, TimedHeader};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use std::time::Duration;

pub const HEADER: &str = "stripe-signature";
/// The header as Stripe writes it, and as errors name it.
const DISPLAY: &str = "Stripe-Signature";

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
        let mac = mac_t_dot_body(secret, &t.to_string(), body);
        Ok(vec![(
            DISPLAY.to_string(),
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
        // Only the first such header is read.
        let first: Vec<&str> = header_values(headers, HEADER).take(1).collect();
        Verdict::from((|| {
            let header = TimedHeader::parse(DISPLAY, &first, "no v1= signature")?;
            // Signed: t as the integer read (WorkOS signs its characters).
            let expected = mac_t_dot_body(secret, &header.t.to_string(), body);
            let decode = |c: &str| hex::decode(c).ok();
            check_mac_and_window(&expected, &header.v1, decode, header.t, now_ms, tolerance)?;
            Ok(header.t)
        })())
    }
}
