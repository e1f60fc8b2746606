//! Delivering each case and grading the answers.
//!
//! Every body comes from the event generator, every signature from the
//! configured scheme (`Signing`), every request from `deliver::Sender`: the
//! suite only decides what to send and what the answer should have been.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::{Case, Kind, Level, Window, CONCURRENT, PLAIN_LIMIT, UNKNOWN_CODE};
use crate::commands::Signing;
use crate::deliver::{is_connect_error, is_timeout_error, Sender};
use crate::error::{Error, Result};
use crate::event::{generate, sorted, GenOptions, CODES};
use crate::signature::{now_ms, Header, SchemeName, Secret};

/// The Content-Type Cryptr sends.
pub const CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// What one request got back.
#[derive(Debug, Clone)]
pub enum Reply {
    Answered {
        status: u16,
        latency: Duration,
        /// The start of the answer's body, on one line (for failure details).
        excerpt: String,
    },
    /// No HTTP answer: refused, reset, or nothing before the timeout.
    NoAnswer {
        reason: String,
        connect: bool,
        timed_out: bool,
    },
}

/// One request of a case.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub method: &'static str,
    pub reply: Reply,
}

impl Delivery {
    pub fn status(&self) -> Option<u16> {
        match self.reply {
            Reply::Answered { status, .. } => Some(status),
            Reply::NoAnswer { .. } => None,
        }
    }
}

/// What a case did: its requests, how long it took, and a note for the report.
#[derive(Debug, Clone, Default)]
pub struct Executed {
    pub deliveries: Vec<Delivery>,
    pub wall: Duration,
    pub note: Option<String>,
    /// The body size, where it is the point of the case.
    pub sent_bytes: Option<usize>,
}

/// How a case came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Warn,
    Skip,
}

/// A graded case, as every report renders it.
#[derive(Debug, Clone)]
pub struct Graded {
    pub case: Case,
    pub expectation: String,
    pub outcome: Outcome,
    /// The answers in a few words ("401", "200, 200", "50 × 200").
    pub answer: String,
    pub statuses: Vec<Option<u16>>,
    pub time: Duration,
    /// Why it failed (or was skipped), in the receiver's terms.
    pub detail: Option<String>,
}

/// Sends the suite's deliveries to one URL.
pub struct Runner {
    pub sender: Sender,
    pub url: String,
    pub signing: Arc<Signing>,
    pub secret: Secret,
    pub window: Window,
    /// Makes this run's events distinct from any earlier run's.
    pub seed: u64,
    pub timeout: Duration,
    /// Members of the large event.
    pub large_users: usize,
    /// `-H` headers, added to every request.
    pub extra_headers: Vec<Header>,
}

impl Runner {
    /// Generator options for one event; `salt` keeps every event of the run distinct.
    pub fn gen_options(&self, salt: u64) -> GenOptions {
        GenOptions {
            seed: self
                .seed
                .wrapping_add(salt.wrapping_mul(0x2545_F491_4F6C_DD1D)),
            now_us: now_ms() * 1000,
            org: "shark-academy.io".to_string(),
            environment: "sandbox".to_string(),
            provider: "okta".to_string(),
        }
    }

    /// A realistic body of `code` from the generator.
    pub fn event(&self, code: &str, salt: u64) -> Vec<u8> {
        let index = CODES.iter().position(|c| *c == code).unwrap_or(CODES.len());
        generate(code, index, &self.gen_options(salt))
    }

    /// The signature headers for `body` at `timestamp_ms`, with `secret`.
    pub fn signature(
        &self,
        secret: &Secret,
        body: &[u8],
        timestamp_ms: i64,
    ) -> Result<Vec<Header>> {
        let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
        self.signing.sign_at(secret, body, timestamp_ms, &id)
    }

    /// The headers Cryptr sends: Content-Type with charset, then the signature.
    pub fn headers(&self, body: &[u8]) -> Result<Vec<Header>> {
        let mut headers = vec![("Content-Type".to_string(), CONTENT_TYPE.to_string())];
        headers.extend(self.signature(&self.secret, body, now_ms())?);
        Ok(headers)
    }

    pub async fn deliver(
        &self,
        method: &'static str,
        headers: &[Header],
        body: Vec<u8>,
    ) -> Delivery {
        let started = Instant::now();
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid method name");
        let mut headers = headers.to_vec();
        headers.extend(self.extra_headers.iter().cloned());
        let reply = match self.sender.send(m, &self.url, &headers, Some(body)).await {
            Ok(answer) => Reply::Answered {
                status: answer.status,
                latency: answer.latency,
                excerpt: excerpt(&answer.body),
            },
            Err(e) => Reply::NoAnswer {
                connect: is_connect_error(&e),
                timed_out: is_timeout_error(&e) || started.elapsed() >= self.timeout,
                reason: no_answer_reason(&e),
            },
        };
        Delivery { method, reply }
    }

    /// Sign `body` now and POST it.
    pub async fn post_signed(&self, body: Vec<u8>) -> Result<Delivery> {
        let headers = self.headers(&body)?;
        Ok(self.deliver("POST", &headers, body).await)
    }

    /// Send what `kind` sends (not P99, which only reads the others' times,
    /// nor the stateful scenarios, which `state` runs).
    pub async fn execute(&self, kind: &Kind) -> Result<Executed> {
        let started = Instant::now();
        let mut note = None;
        let mut sent_bytes = None;
        let deliveries = match kind {
            Kind::Valid(code) => vec![self.post_signed(self.event(code, 1)).await?],
            Kind::Plain => vec![
                self.post_signed(self.event("dir_sync.user.update.success", 2))
                    .await?,
            ],
            Kind::ExactHeaders => {
                let body = self.event("dir_sync.user.provision.success", 3);
                let first = self.post_signed(body.clone()).await?;
                // Rejected? Try the bare media type, to name the cause.
                if !first.status().is_some_and(is_2xx) {
                    let mut headers =
                        vec![("Content-Type".to_string(), "application/json".to_string())];
                    headers.extend(self.signature(&self.secret, &body, now_ms())?);
                    let bare = self.deliver("POST", &headers, body).await;
                    if bare.status().is_some_and(is_2xx) {
                        note = Some(
                            "the same event with `Content-Type: application/json` (no charset) \
                             is accepted: your endpoint compares the whole header"
                                .to_string(),
                        );
                    }
                }
                vec![first]
            }
            Kind::Forged => {
                let body = self.event("dir_sync.user.deprovision.success", 4);
                let mut headers = vec![("Content-Type".to_string(), CONTENT_TYPE.to_string())];
                headers.extend(self.signature(&self.forged_secret(), &body, now_ms())?);
                vec![self.deliver("POST", &headers, body).await]
            }
            Kind::MissingSignature => {
                let body = self.event("dir_sync.user.provision.success", 5);
                let headers = vec![("Content-Type".to_string(), CONTENT_TYPE.to_string())];
                vec![self.deliver("POST", &headers, body).await]
            }
            Kind::Tampered => {
                let body = self.event("dir_sync.user.update.success", 6);
                let headers = self.headers(&body)?;
                // One space after the opening brace: still the same JSON, not the same bytes.
                let mut changed = Vec::with_capacity(body.len() + 1);
                changed.push(body[0]);
                changed.push(b' ');
                changed.extend_from_slice(&body[1..]);
                vec![self.deliver("POST", &headers, changed).await]
            }
            Kind::Stale | Kind::Future => {
                let (limit, sign) = match kind {
                    Kind::Stale => (self.window.past, -1),
                    _ => (self.window.future, 1),
                };
                let Some(limit) = limit else {
                    return Ok(Executed::default());
                };
                let body = self.event("dir_sync.user.update.success", 7);
                let offset = super::beyond(limit).as_millis() as i64;
                let mut headers = vec![("Content-Type".to_string(), CONTENT_TYPE.to_string())];
                headers.extend(self.signature(&self.secret, &body, now_ms() + sign * offset)?);
                vec![self.deliver("POST", &headers, body).await]
            }
            Kind::KeyRotation => {
                let body = self.event("dir_sync.group.update.success", 8);
                let headers = self.rotated_headers(&body)?;
                vec![self.deliver("POST", &headers, body).await]
            }
            Kind::Duplicate => {
                let body = self.event("dir_sync.user.provision.success", 9);
                let headers = self.headers(&body)?;
                let first = self.deliver("POST", &headers, body.clone()).await;
                let second = self.deliver("POST", &headers, body).await;
                vec![first, second]
            }
            Kind::MalformedJson => {
                // A strict prefix of a JSON object is never JSON.
                let body = self.event("dir_sync.user.update.success", 10);
                let cut = body[..body.len() / 2].to_vec();
                vec![self.post_signed(cut).await?]
            }
            Kind::Large => {
                let body = self.large_event();
                sent_bytes = Some(body.len());
                vec![self.post_signed(body).await?]
            }
            Kind::Concurrent => {
                const CODES_AT_ONCE: &[&str] = &[
                    "dir_sync.user.provision.success",
                    "dir_sync.user.update.success",
                    "dir_sync.group.users_added.success",
                    "dir_sync.user.deprovision.success",
                    "dir_sync.group.update.success",
                ];
                let mut requests = Vec::with_capacity(CONCURRENT);
                for i in 0..CONCURRENT {
                    let body = self.event(CODES_AT_ONCE[i % CODES_AT_ONCE.len()], 100 + i as u64);
                    let headers = self.headers(&body)?;
                    requests.push((headers, body));
                }
                let sends = requests.into_iter().map(|(headers, body)| async move {
                    self.deliver("POST", &headers, body).await
                });
                futures_util::future::join_all(sends).await
            }
            Kind::UnknownCode => {
                let body = self.event("dir_sync.user.update.success", 11);
                let mut value: Value =
                    serde_json::from_slice(&body).expect("the generator writes JSON");
                value["code"] = json!(UNKNOWN_CODE);
                value["description"] = json!("Directory Sync user suspend succeeded");
                let body = serde_json::to_vec(&sorted(value)).expect("JSON serialises");
                vec![self.post_signed(body).await?]
            }
            Kind::GetHead => {
                let get = self.deliver("GET", &[], Vec::new()).await;
                let head = self.deliver("HEAD", &[], Vec::new()).await;
                vec![get, head]
            }
            Kind::P99 | Kind::State(_) => Vec::new(),
        };
        Ok(Executed {
            deliveries,
            wall: started.elapsed(),
            note,
            sent_bytes,
        })
    }

    /// A key the receiver does not have, usable with the scheme.
    fn forged_secret(&self) -> Secret {
        use base64::Engine as _;
        let candidate = match self.signing.scheme {
            // Standard Webhooks keys are base64 after whsec_.
            SchemeName::Standard => format!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode(b"dsync check: not your key!")
            ),
            _ => "dsync-check-forged-key-not-the-receivers".to_string(),
        };
        if candidate == self.secret.expose() {
            Secret::new(format!("{candidate}-2"))
        } else {
            Secret::new(candidate)
        }
    }

    /// Headers carrying two signatures at one timestamp: an old key's, then the
    /// current key's, as a sender rotating its key writes them.
    fn rotated_headers(&self, body: &[u8]) -> Result<Vec<Header>> {
        let t = now_ms();
        let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
        let sign = |secret: &Secret| self.signing.sign_at(secret, body, t, &id);
        let current = sign(&self.secret)?;
        let old = sign(&self.forged_secret())?;
        let mut headers = vec![("Content-Type".to_string(), CONTENT_TYPE.to_string())];
        for ((name, value), (_, old_value)) in current.into_iter().zip(old) {
            // Only the signature header differs between the two (same id, same t).
            let merged = if value == old_value {
                value
            } else if self.signing.scheme == SchemeName::Standard {
                format!("{old_value} {value}")
            } else {
                merge_v1(&old_value, &value)
            };
            headers.push((name, merged));
        }
        Ok(headers)
    }

    /// A group `users_added` with `large_users` members, in the documented `{email, id}` shape.
    fn large_event(&self) -> Vec<u8> {
        let body = self.event("dir_sync.group.users_added.success", 12);
        let mut value: Value = serde_json::from_slice(&body).expect("the generator writes JSON");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(self.seed ^ 0x5EED);
        let users: Vec<Value> = (0..self.large_users)
            .map(|i| {
                let id = uuid::Builder::from_random_bytes(rng.gen()).into_uuid();
                json!({"email": format!("member.{i:05}@shark-academy.io"), "id": id.to_string()})
            })
            .collect();
        value["data"]["resource"]["changes"]["added_users"] = Value::Array(users);
        serde_json::to_vec(&sorted(value)).expect("JSON serialises")
    }
}

/// `t=..,v1=A` and `t=..,v1=B` → `t=..,v1=A,v1=B` (the separator of `current` kept).
fn merge_v1(old: &str, current: &str) -> String {
    let sep = if current.contains(", ") { ", " } else { "," };
    let is_v1 = |p: &&str| p.trim_start().starts_with("v1=");
    let current_parts: Vec<&str> = current.split(',').map(str::trim).collect();
    let mut parts: Vec<&str> = current_parts
        .iter()
        .copied()
        .filter(|p| !is_v1(p))
        .collect();
    parts.extend(old.split(',').map(str::trim).filter(is_v1));
    parts.extend(current_parts.iter().copied().filter(is_v1));
    parts.join(sep)
}

/// The first 100 characters of an answer body, whitespace collapsed.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

pub fn is_2xx(status: u16) -> bool {
    (200..300).contains(&status)
}

fn no_answer_reason(e: &Error) -> String {
    let causes: Vec<String> = e.inner.chain().skip(1).map(|c| c.to_string()).collect();
    match causes.last() {
        Some(root) => root.clone(),
        None => e.to_string(),
    }
}

/// The answers in a few words: "401", "200, 200", "50 × 200", "48 × 200, 2 × 503".
pub fn summarize(deliveries: &[Delivery], timeout: Duration) -> String {
    let word = |d: &Delivery| match &d.reply {
        Reply::Answered { status, .. } => status.to_string(),
        Reply::NoAnswer {
            timed_out: true, ..
        } => {
            format!("no answer in {}", super::human_ms(timeout))
        }
        Reply::NoAnswer { connect: true, .. } => "connection refused".to_string(),
        Reply::NoAnswer { .. } => "no HTTP answer".to_string(),
    };
    let with_method = deliveries.iter().any(|d| d.method != "POST");
    if deliveries.len() <= 3 {
        return deliveries
            .iter()
            .map(|d| {
                if with_method {
                    format!("{} {}", d.method, word(d))
                } else {
                    word(d)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in deliveries {
        let w = word(d);
        match counts.iter_mut().find(|(k, _)| *k == w) {
            Some((_, n)) => *n += 1,
            None => counts.push((w, 1)),
        }
    }
    counts
        .iter()
        .map(|(w, n)| format!("{n} × {w}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a case's answers are what a safe receiver gives, and if not, why not.
pub fn judge(kind: &Kind, executed: &Executed) -> std::result::Result<(), String> {
    let deliveries = &executed.deliveries;
    if let Some(d) = deliveries
        .iter()
        .find(|d| matches!(d.reply, Reply::NoAnswer { .. }))
    {
        if let Reply::NoAnswer { reason, .. } = &d.reply {
            return Err(format!("{} got no HTTP answer: {reason}", d.method));
        }
    }
    let statuses: Vec<u16> = deliveries.iter().filter_map(Delivery::status).collect();
    let all = |f: fn(u16) -> bool| statuses.iter().all(|s| f(*s));
    // What the receiver said with its first answer that is not the expected kind.
    let said = |wrong: &dyn Fn(u16) -> bool| {
        deliveries
            .iter()
            .find_map(|d| match &d.reply {
                Reply::Answered {
                    status, excerpt, ..
                } if wrong(*status) && !excerpt.is_empty() => {
                    Some(format!(" (it said: {excerpt})"))
                }
                _ => None,
            })
            .unwrap_or_default()
    };
    match kind {
        Kind::Valid(_)
        | Kind::ExactHeaders
        | Kind::KeyRotation
        | Kind::Duplicate
        | Kind::Large
        | Kind::Concurrent
        | Kind::UnknownCode => {
            if all(is_2xx) {
                Ok(())
            } else {
                let bad = statuses.iter().filter(|s| !is_2xx(**s)).count();
                let mut why = if statuses.len() == 1 {
                    format!("answered {} instead of 2xx", statuses[0])
                } else {
                    format!("{bad} of {} answers were not 2xx", statuses.len())
                };
                why.push_str(&said(&|s| !is_2xx(s)));
                if let Some(note) = &executed.note {
                    why.push_str("; ");
                    why.push_str(note);
                }
                Err(why)
            }
        }
        Kind::Forged
        | Kind::MissingSignature
        | Kind::Tampered
        | Kind::Stale
        | Kind::Future
        | Kind::MalformedJson => match statuses.first() {
            Some(s) if (400..500).contains(s) => Ok(()),
            Some(s) if is_2xx(*s) => Err(format!("accepted it ({s})")),
            Some(s) if *s >= 500 => Err(format!(
                "answered {s}: a server error, which Cryptr retries for hours{}",
                said(&|s| s >= 500)
            )),
            Some(s) => Err(format!(
                "answered {s} instead of 4xx{}",
                said(&|s| !(400..500).contains(&s))
            )),
            None => Ok(()),
        },
        Kind::GetHead => match deliveries
            .iter()
            .find(|d| d.status().is_some_and(|s| s >= 500))
        {
            Some(d) => Err(format!(
                "{} answered {}",
                d.method,
                d.status().unwrap_or_default()
            )),
            None => Ok(()),
        },
        Kind::Plain => match deliveries.first().map(|d| &d.reply) {
            Some(Reply::Answered { latency, .. }) if *latency >= PLAIN_LIMIT => {
                Err(format!("took {}", super::human_ms(*latency)))
            }
            _ => Ok(()),
        },
        Kind::P99 | Kind::State(_) => Ok(()),
    }
}

/// The 99th percentile (nearest rank) of a set of times.
pub fn p99(latencies: &mut [Duration]) -> Option<Duration> {
    if latencies.is_empty() {
        return None;
    }
    latencies.sort_unstable();
    let rank = ((latencies.len() as f64) * 0.99).ceil() as usize;
    Some(latencies[rank.clamp(1, latencies.len()) - 1])
}

/// A failed check of this level: a failure, or a warning when only recommended.
pub fn failed_outcome(level: Level, strict: bool) -> Outcome {
    match level {
        Level::Recommended if !strict => Outcome::Warn,
        _ => Outcome::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_puts_the_old_v1_before_the_current_one() {
        assert_eq!(
            merge_v1("t=1,v1=sha256.aa", "t=1,v1=sha256.bb"),
            "t=1,v1=sha256.aa,v1=sha256.bb"
        );
        assert_eq!(merge_v1("t=1, v1=aa", "t=1, v1=bb"), "t=1, v1=aa, v1=bb");
    }

    #[test]
    fn p99_is_the_nearest_rank() {
        let mut times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(p99(&mut times), Some(Duration::from_millis(99)));
        let mut one = vec![Duration::from_millis(5)];
        assert_eq!(p99(&mut one), Some(Duration::from_millis(5)));
        assert_eq!(p99(&mut []), None);
    }

    #[test]
    fn answers_are_summed_up_briefly() {
        let d = |s| Delivery {
            method: "POST",
            reply: Reply::Answered {
                status: s,
                latency: Duration::ZERO,
                excerpt: String::new(),
            },
        };
        let t = Duration::from_secs(10);
        assert_eq!(summarize(&[d(200), d(200)], t), "200, 200");
        let many: Vec<Delivery> = (0..50).map(|i| d(if i < 48 { 200 } else { 503 })).collect();
        assert_eq!(summarize(&many, t), "48 × 200, 2 × 503");
    }
}
