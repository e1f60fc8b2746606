//! The `t=<timestamp>,v1=<signature>` header that Cryptr, Stripe and WorkOS
//! share: entries are `key=value`, comma-separated, spaces around them
//! allowed, and `v1` may repeat (a secret being rolled signs twice).

use super::{hmac_sha256, parse_timestamp, Failure, Secret};

/// Parse `k=v,k=v` (spaces around entries allowed). Keys may repeat
/// (several `v1`). `header` names the header in errors.
pub(crate) fn parse_pairs<'a>(
    header: &str,
    value: &'a str,
) -> Result<Vec<(&'a str, &'a str)>, Failure> {
    let mut pairs = Vec::new();
    for part in value.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((k, v)) = part.split_once('=') else {
            return Err(Failure::Malformed {
                header: header.to_string(),
                detail: format!("entry {part:?} is not key=value"),
            });
        };
        pairs.push((k.trim(), v.trim()));
    }
    if pairs.is_empty() {
        return Err(Failure::Malformed {
            header: header.to_string(),
            detail: "the value is empty".to_string(),
        });
    }
    Ok(pairs)
}

/// A received `t=…,v1=…` header, parsed.
#[derive(Debug)]
pub(crate) struct TimedHeader<'a> {
    /// `t`, as an integer (its unit is the scheme's).
    pub t: i64,
    /// `t` exactly as written: what Cryptr and WorkOS sign.
    pub t_text: &'a str,
    /// Every `v1` value, in received order, as written.
    pub v1: Vec<&'a str>,
}

impl<'a> TimedHeader<'a> {
    /// Read `values` (all the received headers of that name, read as one
    /// list of entries) as a `t=…,v1=…` header. `header` names it in errors;
    /// `no_v1` is the detail given when no `v1` entry is present.
    pub(crate) fn parse(
        header: &str,
        values: &[&'a str],
        no_v1: &str,
    ) -> Result<TimedHeader<'a>, Failure> {
        if values.is_empty() {
            return Err(Failure::MissingHeader {
                header: header.to_string(),
            });
        }
        let mut pairs = Vec::new();
        for value in values {
            pairs.extend(parse_pairs(header, value)?);
        }
        let Some(&(_, t_text)) = pairs.iter().find(|(k, _)| *k == "t") else {
            return Err(Failure::Malformed {
                header: header.to_string(),
                detail: "no t= timestamp".to_string(),
            });
        };
        let t = parse_timestamp(t_text).map_err(|detail| Failure::Malformed {
            header: header.to_string(),
            detail,
        })?;
        let v1: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == "v1")
            .map(|(_, v)| *v)
            .collect();
        if v1.is_empty() {
            return Err(Failure::Malformed {
                header: header.to_string(),
                detail: no_v1.to_string(),
            });
        }
        Ok(TimedHeader { t, t_text, v1 })
    }
}

/// HMAC-SHA256 of `"<t>." + body` keyed with the secret string as-is: what
/// Stripe and WorkOS sign (and Cryptr's inferred layout).
pub(crate) fn mac_t_dot_body(secret: &Secret, t: &str, body: &[u8]) -> [u8; 32] {
    hmac_sha256(secret.expose().as_bytes(), &[t.as_bytes(), b".", body])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_across_headers_with_spaces_and_repeats() {
        let h = TimedHeader::parse(
            "x-sig",
            &["t=0170, v1=aa", " v0=bb ,v1=cc,"],
            "no v1= signature",
        )
        .unwrap();
        assert_eq!((h.t, h.t_text), (170, "0170"));
        assert_eq!(h.v1, ["aa", "cc"]);
    }

    #[test]
    fn each_defect_has_its_own_failure() {
        let parse =
            |values: &[&str]| TimedHeader::parse("x-sig", values, "no v1 here").unwrap_err();
        assert_eq!(
            parse(&[]),
            Failure::MissingHeader {
                header: "x-sig".to_string()
            }
        );
        let detail = |f: Failure| match f {
            Failure::Malformed { header, detail } if header == "x-sig" => detail,
            other => panic!("{other:?}"),
        };
        assert_eq!(detail(parse(&[" , "])), "the value is empty");
        assert_eq!(detail(parse(&["t=1,v1"])), "entry \"v1\" is not key=value");
        assert_eq!(detail(parse(&["v1=aa"])), "no t= timestamp");
        assert_eq!(
            detail(parse(&["t=1x,v1=aa"])),
            "timestamp t=\"1x\" is not an integer"
        );
        assert_eq!(detail(parse(&["t=1,v0=aa"])), "no v1 here");
    }
}
