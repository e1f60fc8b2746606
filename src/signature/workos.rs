//! WorkOS: `WorkOS-Signature: t=<unix ms>, v1=<hex>`, signed `"<t>." + body`
//! (t in milliseconds, as written) with the secret string as-is.

use super::{check_mac_and_window, header_values, mac_t_dot_body, TimedHeader};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use std::time::Duration;

pub const HEADER: &str = "workos-signature";
/// The header as WorkOS writes it, and as errors name it.
const DISPLAY: &str = "WorkOS-Signature";

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
        let mac = mac_t_dot_body(secret, &t.to_string(), body);
        Ok(vec![(
            DISPLAY.to_string(),
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
        // Only the first such header is read.
        let first: Vec<&str> = header_values(headers, HEADER).take(1).collect();
        Verdict::from((|| {
            let header = TimedHeader::parse(DISPLAY, &first, "no v1= signature")?;
            // The exact characters of t are signed, so sign what was received.
            let expected = mac_t_dot_body(secret, header.t_text, body);
            let decode = |c: &str| hex::decode(c).ok();
            let t_s = header.t.div_euclid(1000);
            check_mac_and_window(&expected, &header.v1, decode, t_s, now_ms, tolerance)?;
            Ok(header.t)
        })())
    }
}
