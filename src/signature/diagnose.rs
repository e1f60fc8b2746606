//! Why a signature does not match: try the usual culprits and name the one
//! that would match. This is also how one real capture settles Cryptr's
//! unpublished layout (body only or `t.body`, key raw or base64-decoded...).

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine as _;
use serde::Serialize;

use super::{header_value, hmac_sha256, matches_constant_time, parse_pairs, Tolerance};
use super::{CryptrLayout, Header, Scheme, SchemeName, Secret};

/// A combination of key, signed bytes and body that matches a received signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Culprit {
    /// Short machine name, e.g. `other_scheme`, `body_pretty`, `key_base64_decoded`.
    pub kind: String,
    /// What to tell the user, one sentence.
    pub explanation: String,
}

/// One signature as received, decoded, with what it was signed over.
struct Received {
    header: &'static str,
    /// The scheme that writes this header, and so the key and layout it expects.
    scheme: SchemeName,
    t: Option<String>,
    id: Option<String>,
    /// (version, signature bytes, how they were written: `hex` or `base64`).
    signatures: Vec<(String, Vec<u8>, &'static str)>,
}

/// Decode a signature written as hex or base64, saying which.
fn decode_sig(text: &str) -> Option<(Vec<u8>, &'static str)> {
    let text = text.strip_prefix("sha256.").unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    hex::decode(text)
        .ok()
        .map(|s| (s, "hex"))
        .or_else(|| B64.decode(text).ok().map(|s| (s, "base64")))
}

fn received(headers: &[Header]) -> Vec<Received> {
    let mut found = Vec::new();
    for (header, scheme) in [
        ("cryptr-signature", SchemeName::Cryptr),
        ("stripe-signature", SchemeName::Stripe),
        ("workos-signature", SchemeName::Workos),
    ] {
        let Some(value) = header_value(headers, header) else {
            continue;
        };
        let Ok(pairs) = parse_pairs(header, value) else {
            continue;
        };
        let t = pairs
            .iter()
            .find(|(k, _)| *k == "t")
            .map(|(_, v)| v.to_string());
        let signatures = pairs
            .iter()
            .filter(|(k, _)| *k != "t")
            .filter_map(|(k, v)| decode_sig(v).map(|(s, enc)| (k.to_string(), s, enc)))
            .collect();
        found.push(Received {
            header,
            scheme,
            t,
            id: None,
            signatures,
        });
    }
    if let Some(sigs) = header_value(headers, "webhook-signature") {
        let signatures = sigs
            .split(' ')
            .filter_map(|e| e.split_once(','))
            .filter_map(|(v, s)| decode_sig(s).map(|(s, enc)| (v.to_string(), s, enc)))
            .collect();
        found.push(Received {
            header: "webhook-signature",
            scheme: SchemeName::Standard,
            t: header_value(headers, "webhook-timestamp").map(|t| t.trim().to_string()),
            id: header_value(headers, "webhook-id").map(str::to_string),
            signatures,
        });
    }
    found
}

/// Key readings of the secret: (description, bytes).
fn keys(secret: &Secret) -> Vec<(&'static str, String, Vec<u8>)> {
    let text = secret.expose();
    let mut keys = vec![(
        "key_raw",
        "the secret as text".to_string(),
        text.as_bytes().to_vec(),
    )];
    if let Some(rest) = text.strip_prefix("whsec_") {
        keys.push((
            "key_without_whsec",
            "the secret without its whsec_ prefix".to_string(),
            rest.as_bytes().to_vec(),
        ));
    } else {
        keys.push((
            "key_with_whsec",
            "the secret with a whsec_ prefix".to_string(),
            format!("whsec_{text}").into_bytes(),
        ));
    }
    let bare = text.strip_prefix("whsec_").unwrap_or(text);
    if let Ok(k) = B64.decode(bare) {
        keys.push((
            "key_base64_decoded",
            "the secret base64-decoded".to_string(),
            k,
        ));
    } else if let Ok(k) = B64URL.decode(bare.trim_end_matches('=')) {
        keys.push((
            "key_base64_decoded",
            "the secret base64url-decoded".to_string(),
            k,
        ));
    }
    keys
}

/// Replace every `from` byte sequence with `to` (bytes, so non-UTF-8 bodies survive).
fn replace_bytes(body: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 16);
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// Body variants: how a body is commonly changed between signing and verifying.
fn bodies(body: &[u8]) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut out = vec![("body_exact", "the exact body", body.to_vec())];
    if let Some(stripped) = body.strip_suffix(b"\n") {
        let stripped = stripped.strip_suffix(b"\r").unwrap_or(stripped);
        out.push((
            "body_trailing_newline",
            "the body without its trailing newline (a newline was added after signing, e.g. by an editor or echo)",
            stripped.to_vec(),
        ));
    } else {
        let mut with = body.to_vec();
        with.push(b'\n');
        out.push((
            "body_trailing_newline",
            "the body with a trailing newline (the newline was lost after signing)",
            with,
        ));
    }
    if body.windows(2).any(|w| w == b"\r\n") {
        out.push((
            "body_crlf",
            "the body with LF line ends (CRLF line ends were introduced after signing)",
            replace_bytes(body, b"\r\n", b"\n"),
        ));
    } else if body.contains(&b'\n') {
        out.push((
            "body_crlf",
            "the body with CRLF line ends (they were converted to LF after signing)",
            replace_bytes(body, b"\n", b"\r\n"),
        ));
    }
    // Only to diagnose: the body itself is never re-serialised for verifying.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Ok(compact) = serde_json::to_vec(&value) {
            if compact != body {
                out.push((
                    "body_compact",
                    "the compact JSON form of the body (the body was pretty-printed or reformatted after signing)",
                    compact,
                ));
            }
        }
        for ascii in [true, false] {
            if let Some(python) = python_json(&value, ascii) {
                if python != body && !out.iter().any(|(_, _, b)| *b == python) {
                    out.push((
                        "body_python_json",
                        "the body as Python's json.dumps writes it (\", \" and \": \" separators, non-ASCII escaped unless ensure_ascii=False)",
                        python,
                    ));
                }
            }
        }
        if let Ok(pretty) = serde_json::to_vec_pretty(&value) {
            // Pretty printers (jq, editors) usually end the file with a newline.
            let mut pretty_nl = pretty.clone();
            pretty_nl.push(b'\n');
            for form in [pretty, pretty_nl] {
                if form != body {
                    out.push((
                        "body_pretty",
                        "the pretty-printed JSON form of the body (the body was compacted or reformatted after signing)",
                        form,
                    ));
                }
            }
        }
    }
    out
}

/// JSON as Python's `json.dumps` writes it by default: `", "` and `": "`
/// separators and, with `ascii`, non-ASCII characters as `\uXXXX` escapes.
struct PythonStyle {
    ascii: bool,
}

impl serde_json::ser::Formatter for PythonStyle {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.begin_array_value(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !self.ascii {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

fn python_json(value: &serde_json::Value, ascii: bool) -> Option<Vec<u8>> {
    let mut ser = serde_json::Serializer::with_formatter(Vec::new(), PythonStyle { ascii });
    value.serialize(&mut ser).ok()?;
    Some(ser.into_inner())
}

/// The key reading and signed layout a scheme's header expects.
fn expected(scheme: SchemeName) -> (&'static str, &'static str) {
    match scheme {
        SchemeName::Standard => ("key_base64_decoded", "id_t_body"),
        SchemeName::Cryptr | SchemeName::Stripe | SchemeName::Workos => ("key_raw", "t_body"),
    }
}

/// Name what differs between the matching combination and what `scheme`
/// expects: the body first, then the layout, then the key. Several
/// differences are joined with `+`.
fn deviations(scheme: SchemeName, body_kind: &str, key_kind: &str, layout_kind: &str) -> String {
    let (want_key, want_layout) = expected(scheme);
    let mut kinds = Vec::new();
    if body_kind != "body_exact" {
        kinds.push(body_kind.to_string());
    }
    if layout_kind == "body_only" {
        kinds.push("body_only_hmac".to_string());
    } else if layout_kind != want_layout {
        kinds.push(layout_kind.to_string());
    }
    if key_kind != want_key {
        kinds.push(if want_key == "key_base64_decoded" {
            // The scheme decodes the secret; the signer used text bytes instead.
            "key_not_base64_decoded".to_string()
        } else {
            key_kind.to_string()
        });
    }
    kinds.join("+")
}

/// Another Cryptr layout that verifies the request as it is (exact body, the
/// secret as text), written and timed as the received header is.
fn other_cryptr_layout(
    current: Option<CryptrLayout>,
    secret: &Secret,
    headers: &[Header],
    body: &[u8],
) -> Option<CryptrLayout> {
    let header = header_value(headers, super::cryptr::HEADER)?;
    CryptrLayout::all()
        .map(|l| l.as_received(header))
        .filter(|l| Some(*l) != current)
        .find(|l| {
            l.scheme()
                .verify(secret, headers, body, 0, Tolerance::Unlimited)
                .is_valid()
        })
}

/// Find a combination that matches a received signature, for a request that
/// did not verify under `scheme` (for `cryptr`, in `layout`). `None` when
/// nothing tried matches (then the secret is most likely wrong).
pub fn find_culprit(
    scheme: SchemeName,
    layout: CryptrLayout,
    secret: &Secret,
    headers: &[Header],
    body: &[u8],
    now_ms: i64,
) -> Option<Culprit> {
    // Another scheme, exactly as specified, with the same secret.
    for other in SchemeName::ALL.into_iter().filter(|s| *s != scheme) {
        let other_impl: &dyn Scheme = other.scheme();
        if other_impl
            .verify(secret, headers, body, now_ms, Tolerance::Unlimited)
            .is_valid()
        {
            return Some(Culprit {
                kind: "other_scheme".to_string(),
                explanation: format!(
                    "the request verifies with the {other} scheme: pass --scheme {other}"
                ),
            });
        }
    }
    // Cryptr's layout is inferred: one real capture settles it.
    let current = (scheme == SchemeName::Cryptr).then_some(layout);
    if let Some(found) = other_cryptr_layout(current, secret, headers, body) {
        let switch = if scheme == SchemeName::Cryptr {
            String::new()
        } else {
            " --scheme cryptr".to_string()
        };
        return Some(Culprit {
            kind: "cryptr_layout".to_string(),
            explanation: format!(
                "cryptr-signature v1 matches another Cryptr layout, {}: pass{switch} --cryptr-layout {found} (or set cryptr_layout in dsync.toml, DSYNC_CRYPTR_LAYOUT)",
                found.describe()
            ),
        });
    }
    let keys = keys(secret);
    let bodies = bodies(body);
    for r in received(headers) {
        // (kind, description, bytes before the body, bytes after it).
        let mut layouts: Vec<(&str, String, Vec<u8>, Vec<u8>)> = Vec::new();
        if let Some(t) = &r.t {
            if let Some(id) = &r.id {
                layouts.push((
                    "id_t_body",
                    format!("\"{id}.{t}.\" + body"),
                    format!("{id}.{t}.").into_bytes(),
                    vec![],
                ));
            }
            layouts.push((
                "t_body",
                format!("\"{t}.\" + body"),
                format!("{t}.").into_bytes(),
                vec![],
            ));
            layouts.push((
                "t_body_no_dot",
                format!("\"{t}\" + body (no dot)"),
                t.clone().into_bytes(),
                vec![],
            ));
            layouts.push((
                "body_dot_t",
                format!("body + \".{t}\""),
                vec![],
                format!(".{t}").into_bytes(),
            ));
        }
        layouts.push((
            "body_only",
            "the body only (no timestamp)".to_string(),
            vec![],
            vec![],
        ));
        // Prefer the smallest change: exact body first, then each key and layout.
        for (body_kind, body_text, b) in &bodies {
            for (key_kind, key_text, key) in &keys {
                for (layout_kind, layout_text, before, after) in &layouts {
                    let mac = hmac_sha256(key, &[before, b, after]);
                    for (version, sig, encoding) in &r.signatures {
                        if !matches_constant_time(&mac, sig) {
                            continue;
                        }
                        let mut kind = deviations(r.scheme, body_kind, key_kind, layout_kind);
                        let want_encoding = if r.scheme == SchemeName::Standard {
                            "base64"
                        } else {
                            "hex"
                        };
                        let mut written = String::new();
                        if *encoding != want_encoding {
                            if !kind.is_empty() {
                                kind.push('+');
                            }
                            kind.push_str(&format!("signature_{encoding}"));
                            written = format!(
                                ", written in {encoding} where {want_encoding} is expected"
                            );
                        }
                        if kind.is_empty() {
                            // Key, layout and body as expected: only the entry's version differs.
                            kind = "signature_version".to_string();
                        }
                        // The header belongs to another scheme than the one asked for.
                        let switch = if r.scheme != scheme {
                            format!(" (and pass --scheme {})", r.scheme)
                        } else {
                            String::new()
                        };
                        return Some(Culprit {
                            kind,
                            explanation: format!(
                                "{} {version} matches HMAC-SHA256 with key = {key_text}, over {layout_text}, using {body_text}{written}{switch}",
                                r.header
                            ),
                        });
                    }
                }
            }
        }
    }
    None
}
