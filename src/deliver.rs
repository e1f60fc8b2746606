//! The HTTP sender shared by `send-test`, `replay` and `listen --forward-to`
//! (reqwest on tokio). Bodies are sent as the exact bytes given.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::signature::Header;

/// What an endpoint answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: Vec<u8>,
    pub latency: Duration,
}

/// A reusable sender (one connection pool).
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
}

impl Sender {
    pub fn new(timeout: Duration) -> Result<Sender> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::io)?;
        Ok(Sender { client })
    }

    /// POST `body` (exact bytes) with `headers` to `url`.
    pub async fn post(&self, url: &str, headers: &[Header], body: Vec<u8>) -> Result<Answer> {
        self.send(reqwest::Method::POST, url, headers, Some(body))
            .await
    }

    /// Any method, with an optional body (exact bytes): `check` probes GET and
    /// HEAD, the SCIM driver of `simulate` sends GET, PUT, PATCH and DELETE.
    pub async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: &[Header],
        body: Option<Vec<u8>>,
    ) -> Result<Answer> {
        let mut request = self.client.request(method, url);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let started = Instant::now();
        let response = request.send().await.map_err(|e| {
            Error::io(anyhow::Error::new(e).context(format!("cannot deliver to {url}")))
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .bytes()
            .await
            .map_err(|e| {
                Error::io(
                    anyhow::Error::new(e).context(format!("cannot read the answer from {url}")),
                )
            })?
            .to_vec();
        Ok(Answer {
            status,
            headers,
            body,
            latency: started.elapsed(),
        })
    }
}

/// Headers that belong to one connection, never passed on when forwarding
/// or replaying a request as it was (RFC 9110 §7.6.1), plus `Host` and
/// `Content-Length`, which the new request sets itself.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

/// Whether a header is one of [`HOP_BY_HOP`] (any case).
pub fn is_hop_by_hop(name: &str) -> bool {
    HOP_BY_HOP.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Whether a delivery failed because nobody could be reached (refused, no route, DNS).
pub fn is_connect_error(e: &Error) -> bool {
    reqwest_cause(e).is_some_and(|r| r.is_connect())
}

/// Whether a delivery failed because the answer did not come in time.
pub fn is_timeout_error(e: &Error) -> bool {
    reqwest_cause(e).is_some_and(|r| r.is_timeout())
}

fn reqwest_cause(e: &Error) -> Option<&reqwest::Error> {
    e.inner
        .chain()
        .find_map(|cause| cause.downcast_ref::<reqwest::Error>())
}
