//! Standard Webhooks (Svix): `webhook-id`, `webhook-timestamp` (s) and
//! `webhook-signature` (space-separated `v1,<base64>` entries), signed
//! `"<id>.<ts>." + body` with the base64-decoded secret after `whsec_`.
//! Svix's own header names (`svix-id`, `svix-timestamp`, `svix-signature`)
//! are read too, and secrets are accepted with or without base64 padding, as
//! the Standard Webhooks and Svix libraries do.

use super::{check_mac_and_window, header_value, hmac_sha256, parse_timestamp};
use super::{Failure, Header, Scheme, SchemeName, Secret, SignParams, Tolerance, Verdict};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD as B64};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use std::time::Duration;

pub const ID: &str = "webhook-id";
pub const TIMESTAMP: &str = "webhook-timestamp";
pub const SIGNATURE: &str = "webhook-signature";
/// The same three headers as Svix names them.
pub const SVIX_ID: &str = "svix-id";
pub const SVIX_TIMESTAMP: &str = "svix-timestamp";
pub const SVIX_SIGNATURE: &str = "svix-signature";

/// Padded or not: the reference libraries add the padding a secret lacks.
const SECRET_B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The `webhook-*` header, else its `svix-*` twin.
fn either<'a>(headers: &'a [Header], standard: &str, svix: &str) -> Result<&'a str, Failure> {
    header_value(headers, standard)
        .or_else(|| header_value(headers, svix))
        .ok_or_else(|| Failure::MissingHeader {
            header: format!("{standard} (or {svix})"),
        })
}

#[derive(Debug, Clone, Copy)]
pub struct Standard;

/// The key bytes: base64 of what follows `whsec_` (the prefix is optional).
pub fn key_bytes(secret: &Secret) -> Result<Vec<u8>, Failure> {
    let text = secret.expose();
    let text = text.strip_prefix("whsec_").unwrap_or(text);
    SECRET_B64.decode(text).map_err(|e| Failure::BadSecret {
        detail: format!("a Standard Webhooks secret is base64 after whsec_ ({e})"),
    })
}

/// A fresh message id in the `msg_` style, from the timestamp and body.
fn default_id(timestamp_ms: i64, body: &[u8]) -> String {
    let mac = hmac_sha256(&timestamp_ms.to_be_bytes(), &[body]);
    format!("msg_{}", &hex::encode(mac)[..24])
}

impl Scheme for Standard {
    fn name(&self) -> SchemeName {
        SchemeName::Standard
    }

    fn header_names(&self) -> &'static [&'static str] {
        &[
            ID,
            TIMESTAMP,
            SIGNATURE,
            SVIX_ID,
            SVIX_TIMESTAMP,
            SVIX_SIGNATURE,
        ]
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
        let key = key_bytes(secret)?;
        let t = params.timestamp_ms.div_euclid(1000);
        let id = params
            .id
            .clone()
            .unwrap_or_else(|| default_id(params.timestamp_ms, body));
        let mac = hmac_sha256(
            &key,
            &[id.as_bytes(), b".", t.to_string().as_bytes(), b".", body],
        );
        Ok(vec![
            (ID.to_string(), id),
            (TIMESTAMP.to_string(), t.to_string()),
            (SIGNATURE.to_string(), format!("v1,{}", B64.encode(mac))),
        ])
    }

    fn verify(
        &self,
        secret: &Secret,
        headers: &[Header],
        body: &[u8],
        now_ms: i64,
        tolerance: Tolerance,
    ) -> Verdict {
        Verdict::from((|| {
            let id = either(headers, ID, SVIX_ID)?;
            let ts = either(headers, TIMESTAMP, SVIX_TIMESTAMP)?;
            let sigs = either(headers, SIGNATURE, SVIX_SIGNATURE)?;
            let t: i64 = parse_timestamp(ts.trim()).map_err(|detail| Failure::Malformed {
                header: TIMESTAMP.to_string(),
                detail,
            })?;
            let key = key_bytes(secret)?;
            let expected = hmac_sha256(
                &key,
                &[id.as_bytes(), b".", ts.trim().as_bytes(), b".", body],
            );
            let mut candidates = Vec::new();
            for entry in sigs.split(' ').filter(|e| !e.is_empty()) {
                let Some((version, sig)) = entry.split_once(',') else {
                    return Err(Failure::Malformed {
                        header: SIGNATURE.to_string(),
                        detail: format!("entry {entry:?} is not <version>,<base64>"),
                    });
                };
                if version == "v1" {
                    candidates.push(sig); // unknown versions are skipped
                }
            }
            if candidates.is_empty() {
                return Err(Failure::Malformed {
                    header: SIGNATURE.to_string(),
                    detail: "no v1 signature".to_string(),
                });
            }
            let decode = |c: &str| SECRET_B64.decode(c).ok();
            check_mac_and_window(&expected, &candidates, decode, t, now_ms, tolerance)?;
            Ok(t)
        })())
    }
}
