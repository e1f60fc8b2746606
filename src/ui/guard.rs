//! Who may talk to the inspector.
//!
//! - `Host`: only `localhost` or an IP address, on the port the inspector
//!   listens on. DNS rebinding points a name the attacker controls at
//!   127.0.0.1; the browser then sends that name in `Host`, and is refused.
//! - A per-process token, embedded in the page: every API request carries it
//!   (header `X-Dsync-Token`, or `?token=` where a browser cannot set a
//!   header: EventSource, download links). Another site can make a browser
//!   send requests here but cannot read the page, so it cannot learn the
//!   token and cannot trigger a replay.
//! - With `--ui-token` (an inspector reachable from other machines) the page
//!   itself needs the token too.

use std::net::IpAddr;

use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::signature::{header_value, Header};

/// Why a request is refused: status and a sentence for the error body.
pub type Refusal = (u16, String);

/// A fresh random token: 128 bits, hex.
pub fn fresh_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Check a token given with `--ui-token`: long enough to resist guessing, and
/// made of characters that survive a URL and an HTML attribute unescaped.
pub fn check_user_token(flag: &str, token: &str) -> Result<()> {
    let ok_chars = token
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    if token.len() < 16 || !ok_chars {
        return Err(Error::usage(format!(
            "{flag} must be at least 16 characters of A-Z a-z 0-9 - _ . ~ (e.g. the output of `openssl rand -hex 16`)"
        )));
    }
    Ok(())
}

/// Whether `host` is a loopback address or `localhost`.
pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The `Host` header must name `localhost` or an IP address, with our port.
pub fn check_host(headers: &[Header], port: u16) -> Result<(), Refusal> {
    let Some(host) = header_value(headers, "host") else {
        return Err((400, "the request has no Host header".to_string()));
    };
    let (name, given_port) = split_host(host.trim())
        .ok_or_else(|| (400, format!("the Host header {host:?} is malformed")))?;
    let name_ok = name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok();
    if !name_ok || given_port.unwrap_or(80) != port {
        return Err((
            403,
            format!(
                "the inspector answers to localhost or an IP address on port {port}, not Host {host:?} (a protection against DNS rebinding)"
            ),
        ));
    }
    Ok(())
}

/// `name[:port]`, with IPv6 literals in brackets.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after {
            "" => Some((name, None)),
            _ => Some((name, Some(after.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, Some(port.parse().ok()?))),
        None => Some((host, None)),
    }
    .filter(|(name, _)| !name.is_empty())
}

/// The token must be in `X-Dsync-Token` or the `token` query parameter.
pub fn check_token(
    headers: &[Header],
    query_token: Option<&str>,
    expected: &str,
) -> Result<(), Refusal> {
    let given = header_value(headers, "x-dsync-token").or(query_token);
    match given {
        Some(given) if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
        Some(_) => Err((403, "wrong inspector token".to_string())),
        None => Err((
            401,
            "the inspector token is missing (the page sends it; from a script, pass X-Dsync-Token)"
                .to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(value: &str) -> Vec<Header> {
        vec![("Host".to_string(), value.to_string())]
    }

    #[test]
    fn host_names_that_cannot_be_rebound_pass() {
        for ok in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "[::1]:8000",
            "192.168.1.20:8000",
        ] {
            assert!(check_host(&host(ok), 8000).is_ok(), "{ok}");
        }
        assert!(check_host(&host("127.0.0.1"), 80).is_ok());
    }

    #[test]
    fn other_names_and_ports_are_refused() {
        for bad in [
            "evil.example:8000",
            "127.0.0.1.nip.io:8000",
            "localhost.evil:8000",
            "127.0.0.1:8001",
            "127.0.0.1",
        ] {
            assert_eq!(check_host(&host(bad), 8000).unwrap_err().0, 403, "{bad}");
        }
        for malformed in ["", ":8000", "[::1", "127.0.0.1:port"] {
            assert_eq!(
                check_host(&host(malformed), 8000).unwrap_err().0,
                400,
                "{malformed:?}"
            );
        }
        assert_eq!(check_host(&[], 8000).unwrap_err().0, 400);
    }

    #[test]
    fn tokens() {
        let h = vec![("X-Dsync-Token".to_string(), "abc".to_string())];
        assert!(check_token(&h, None, "abc").is_ok());
        assert!(check_token(&[], Some("abc"), "abc").is_ok());
        assert_eq!(check_token(&[], Some("abd"), "abc").unwrap_err().0, 403);
        assert_eq!(check_token(&[], None, "abc").unwrap_err().0, 401);
        assert!(check_user_token("--ui-token", "0123456789abcdef").is_ok());
        assert!(check_user_token("--ui-token", "short").is_err());
        assert!(check_user_token("--ui-token", "0123456789abcdef\"<").is_err());
        assert_eq!(fresh_token().len(), 32);
    }

    #[test]
    fn loopback() {
        assert!(is_loopback_host("127.0.0.1"));
        assert!(is_loopback_host("::1"));
        assert!(is_loopback_host("[::1]"));
        assert!(is_loopback_host("localhost"));
        assert!(!is_loopback_host("0.0.0.0"));
        assert!(!is_loopback_host("192.168.1.2"));
    }
}
