//! One request: read, verify, save, (forward), answer.

use std::time::{Duration, Instant};

use crate::commands::Signing;
use crate::deliver::Sender;
use crate::server::{Request, RequestBody, Response, ResponseBody};
use crate::signature::{now_ms, Header, Verdict};
use crate::store::{Body, Capture, ForwardRecord, ResponseRecord, Store, VerificationRecord};

/// What the handler needs, shared by every worker.
pub struct Settings {
    pub signing: Signing,
    pub store: Option<Store>,
    pub path: Option<String>,
    pub max_body: u64,
    pub reject_invalid: bool,
    pub respond: Option<u16>,
    pub respond_after: Option<Duration>,
    pub forward: Option<(String, Sender)>,
    pub local_port: u16,
}

/// What happened, for display, counting and expectations.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub capture: Option<Capture>,
    pub file: Option<String>,
    pub code: Option<String>,
    pub verification: Option<String>,
    pub reason: Option<String>,
    pub status: u16,
    pub bytes: u64,
    pub note: Option<String>,
    /// Stage marks for `-vv`: verification done, saving begun.
    pub verified_at: Option<Instant>,
    pub saving_at: Option<Instant>,
    pub timings: Option<super::printer::Timings>,
}

fn json(status: u16, body: serde_json::Value) -> (u16, Vec<Header>, Vec<u8>) {
    (
        status,
        vec![("Content-Type".into(), "application/json".into())],
        body.to_string().into_bytes(),
    )
}

/// A request handled up to saving: its capture, and what to answer and
/// record once the capture is saved.
pub struct Prepared {
    pub capture: Capture,
    answer: (u16, Vec<Header>, Vec<u8>),
    outcome: Outcome,
}

/// Read, verify, save (waiting for the commit), forward: the answer.
pub fn handle(
    req: Request,
    settings: &Settings,
    runtime: Option<&tokio::runtime::Runtime>,
) -> (Response, Outcome) {
    match prepare(req, settings, runtime) {
        Step::Answered(answered) => *answered,
        Step::Save(prepared) => {
            let saved = settings.store.as_ref().map(|s| s.save(&prepared.capture));
            finish(prepared, saved, settings)
        }
    }
}

/// Where `prepare` leaves a request.
pub enum Step {
    /// To be saved, then answered (`finish`).
    Save(Box<Prepared>),
    /// Answered already (wrong path or method: nothing to save).
    Answered(Box<(Response, Outcome)>),
}

/// Everything before saving.
pub fn prepare(
    req: Request,
    settings: &Settings,
    runtime: Option<&tokio::runtime::Runtime>,
) -> Step {
    let method = req.method;
    let url = req.target;
    let path_only = url.split('?').next().unwrap_or("").to_string();
    let mut outcome = Outcome {
        capture: None,
        file: None,
        code: None,
        verification: None,
        reason: None,
        status: 200,
        bytes: 0,
        note: None,
        verified_at: None,
        saving_at: None,
        timings: None,
    };

    if let Some(expected) = &settings.path {
        if &path_only != expected {
            let (s, h, b) = json(
                404,
                serde_json::json!({"error": format!("dsync listens on {expected}, not {path_only} (or start it with --any-path)")}),
            );
            outcome.status = s;
            outcome.note = Some(format!(
                "{method} {path_only}: not the listening path {expected}"
            ));
            return Step::Answered(Box::new((respond((s, h, b)), outcome)));
        }
    }
    if method != "POST" {
        let (s, mut h, b) = json(
            405,
            serde_json::json!({"error": format!("method {method} not allowed; webhooks are POSTed")}),
        );
        h.push(("Allow".into(), "POST".into()));
        outcome.status = s;
        outcome.note = Some(format!("{method} {path_only}: method not allowed"));
        return Step::Answered(Box::new((respond((s, h, b)), outcome)));
    }

    let headers = req.headers;
    let remote = req.remote_addr;
    let (body, too_large) = match req.body {
        RequestBody::Complete(b) => (b, None),
        RequestBody::TooLarge { received } => (Vec::new(), Some(received)),
    };

    let mut capture = Capture::new(&method, &url, headers.clone(), &body);
    capture.remote_addr = remote.map(|a| a.to_string());
    let mut answer: (u16, Vec<Header>, Vec<u8>);
    if let Some(size) = too_large {
        capture.size = size;
        capture.body = Body::Omitted;
        answer = json(
            413,
            serde_json::json!({"error": format!("body of {size} bytes is over the {} byte limit (--max-body)", settings.max_body)}),
        );
    } else {
        let scheme = settings.signing.scheme_impl();
        let record = match &settings.signing.secret {
            None => VerificationRecord {
                status: "unsigned".into(),
                scheme: scheme.name().as_str().into(),
                reason: None,
            },
            Some(secret) => {
                match scheme.verify(
                    &secret.value,
                    &headers,
                    &body,
                    now_ms(),
                    settings.signing.tolerance,
                ) {
                    Verdict::Valid { .. } => VerificationRecord {
                        status: "valid".into(),
                        scheme: scheme.name().as_str().into(),
                        reason: None,
                    },
                    Verdict::Invalid(f) => VerificationRecord {
                        status: "invalid".into(),
                        scheme: scheme.name().as_str().into(),
                        reason: Some(f.to_string()),
                    },
                }
            }
        };
        outcome.verification = Some(record.status.clone());
        outcome.reason = record.reason.clone();
        outcome.verified_at = Some(Instant::now());
        let invalid = record.status == "invalid";
        capture.verification = Some(record);
        let parses = serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok();
        // With --forward-to the app answers every request, parsable or not:
        // its own answer to a bad body is what the developer needs to see.
        let forwarding =
            settings.respond.is_none() && settings.forward.is_some() && runtime.is_some();
        if !parses {
            outcome.note = Some(if forwarding {
                "the body is not valid JSON (forwarded as received)".to_string()
            } else {
                "the body is not valid JSON".to_string()
            });
        }
        answer = if invalid && settings.reject_invalid {
            json(
                401,
                serde_json::json!({"error": "invalid signature", "reason": outcome.reason}),
            )
        } else if !parses && !forwarding {
            json(
                400,
                serde_json::json!({"error": "the body is not valid JSON"}),
            )
        } else {
            json(200, serde_json::json!({"received": true}))
        };
        if answer.0 == 200 {
            if let Some(status) = settings.respond {
                answer = json(
                    status,
                    serde_json::json!({"received": true, "simulated": status}),
                );
            } else if let (Some((target, sender)), Some(rt)) = (&settings.forward, runtime) {
                let mut fwd: Vec<Header> = headers
                    .iter()
                    .filter(|(n, _)| !crate::deliver::is_hop_by_hop(n))
                    .cloned()
                    .collect();
                if let Some(a) = remote {
                    fwd.push(("X-Forwarded-For".into(), a.ip().to_string()));
                }
                let host = crate::signature::header_value(&headers, "host")
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("127.0.0.1:{}", settings.local_port));
                fwd.push(("X-Forwarded-Host".into(), host));
                fwd.push(("X-Forwarded-Proto".into(), "http".into()));
                let target_url = format!("{}{}", target.trim_end_matches('/'), query_of(&url));
                match rt.block_on(sender.post(&target_url, &fwd, body.clone())) {
                    Ok(app) => {
                        capture.forward = Some(ForwardRecord {
                            url: target_url,
                            status: Some(app.status),
                            latency_ms: Some(app.latency.as_secs_f64() * 1000.0),
                            error: None,
                        });
                        let keep: Vec<Header> = app
                            .headers
                            .into_iter()
                            .filter(|(n, _)| {
                                let n = n.to_ascii_lowercase();
                                !crate::deliver::is_hop_by_hop(&n) && n != "date" && n != "server"
                            })
                            .collect();
                        answer = (app.status, keep, app.body);
                    }
                    Err(e) => {
                        outcome.note = Some(format!("app at {target} did not answer: {e}"));
                        capture.forward = Some(ForwardRecord {
                            url: target_url,
                            status: None,
                            latency_ms: None,
                            error: Some(e.to_string()),
                        });
                        answer = json(
                            502,
                            serde_json::json!({"error": format!("the app at {target} did not answer")}),
                        );
                    }
                }
            }
        }
    }
    capture.response = Some(ResponseRecord { status: answer.0 });
    outcome.status = answer.0;
    outcome.bytes = capture.size;
    outcome.code = capture.code();

    outcome.saving_at = Some(Instant::now());
    Step::Save(Box::new(Prepared {
        capture,
        answer,
        outcome,
    }))
}

/// The answer once the capture is saved (`saved`: `None` without a store).
/// Only then is a 2xx sent: an acknowledged event is in the store.
pub fn finish(
    prepared: Box<Prepared>,
    saved: Option<crate::error::Result<()>>,
    settings: &Settings,
) -> (Response, Outcome) {
    let Prepared {
        capture,
        mut answer,
        mut outcome,
    } = *prepared;
    match saved {
        None => {}
        Some(Ok(())) => {
            outcome.file = settings
                .store
                .as_ref()
                .map(|s| s.db_path().display().to_string())
        }
        Some(Err(e)) => {
            eprintln!("error: could not save capture {}: {e:#}", capture.id);
            outcome.note = Some(format!("could not save: {e}"));
            answer = json(
                500,
                serde_json::json!({"error": "could not save the event"}),
            );
            outcome.status = 500;
        }
    }
    if let Some(delay) = settings.respond_after {
        std::thread::sleep(delay);
    }
    outcome.capture = Some(capture);
    (respond(answer), outcome)
}

fn respond((status, headers, body): (u16, Vec<Header>, Vec<u8>)) -> Response {
    Response {
        status,
        headers,
        body: ResponseBody::Bytes(body),
    }
}

fn query_of(url: &str) -> &str {
    match url.find('?') {
        Some(i) => &url[i..],
        None => "",
    }
}
