//! The SCIM driver: sends the planned requests over HTTP, in plan order per
//! resource, fills placeholders with the ids the service provider returns,
//! and counts every answer. Requests of different resources go in parallel
//! up to `--concurrency`; a request waits for every earlier request on its
//! own resource and for the creates of the resources it names.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::plan::{placeholders, Request};
use crate::deliver::{Answer, Sender};
use crate::error::Error;
use crate::signature::Header;

/// How to reach the SCIM server.
pub struct Target {
    /// Base URL, e.g. `http://127.0.0.1:8001/scim/v2` (no trailing slash).
    pub base: String,
    pub token: Option<String>,
    pub user_agent: String,
    pub concurrency: usize,
    /// Requests per second at most.
    pub rate: Option<f64>,
    pub timeout: Duration,
}

/// One request that did not go as the persona expects.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failure {
    pub seq: u64,
    pub action: String,
    pub method: &'static str,
    pub path: String,
    /// The status, or `None` when no answer came.
    pub status: Option<u16>,
    /// The start of the answer's body, or the transport error.
    pub detail: String,
}

impl Failure {
    fn of(req: &Request, status: Option<u16>, detail: impl Into<String>) -> Failure {
        Failure {
            seq: req.seq,
            action: req.action.clone(),
            method: req.method,
            path: req.path.clone(),
            status,
            detail: detail.into(),
        }
    }
}

/// What the run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub planned: u64,
    pub sent: u64,
    /// Answers by status.
    pub by_status: BTreeMap<u16, u64>,
    /// Look-ups that found the resource (then not created again).
    pub linked: u64,
    /// Not sent: a create skipped after a look-up hit, or a request naming a
    /// resource whose create failed.
    pub skipped: u64,
    /// No answer at all (connection refused, timeout).
    pub transport_errors: u64,
    pub failures: Vec<Failure>,
    pub interrupted: bool,
    pub elapsed: Duration,
    /// The ids the SP gave each resource (`u3` → id).
    pub ids: HashMap<String, String>,
    /// SCIM request latencies, microseconds.
    pub latencies_us: Vec<u64>,
}

impl Outcome {
    pub fn failed(&self) -> u64 {
        self.failures.len() as u64
    }
}

/// Per-resource ordering: the last request that changed it, and the ones
/// that named it since.
#[derive(Default)]
struct Order {
    last_write: Option<usize>,
    readers: Vec<usize>,
}

/// Send every request; `progress` is told after each one.
pub async fn run(
    target: &Target,
    requests: &[Request],
    interrupted: Arc<AtomicBool>,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let started = Instant::now();
    let mut outcome = Outcome {
        planned: requests.len() as u64,
        ..Outcome::default()
    };
    let sender = match Sender::new(target.timeout) {
        Ok(s) => s,
        Err(e) => {
            outcome.transport_errors += 1;
            outcome.failures.push(Failure {
                seq: 0,
                action: "start the HTTP client".into(),
                method: "-",
                path: String::new(),
                status: None,
                detail: e.to_string(),
            });
            return outcome;
        }
    };
    // The dependencies of every request, from plan order.
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(requests.len());
    let mut order: HashMap<String, Order> = HashMap::new();
    for (i, req) in requests.iter().enumerate() {
        let mut named = Vec::new();
        placeholders(&req.path, &mut named);
        if let Some(body) = &req.body {
            placeholders(body, &mut named);
        }
        let mut d = Vec::new();
        let own = order.entry(req.resource.clone()).or_default();
        d.extend(own.last_write);
        d.append(&mut own.readers);
        own.last_write = Some(i);
        for name in named {
            if name == req.resource {
                continue;
            }
            let o = order.entry(name).or_default();
            d.extend(o.last_write);
            o.readers.push(i);
        }
        d.sort_unstable();
        d.dedup();
        deps.push(d);
    }
    let mut done = vec![false; requests.len()];
    let mut last_get: HashMap<String, Value> = HashMap::new();
    let mut ticker = target.rate.map(|r| {
        let mut t = tokio::time::interval(Duration::from_secs_f64(1.0 / r.max(0.001)));
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        t
    });
    let headers_base: Vec<Header> = {
        let mut h = vec![
            ("accept".to_string(), "application/scim+json".to_string()),
            ("user-agent".to_string(), target.user_agent.clone()),
        ];
        if let Some(t) = &target.token {
            h.push(("authorization".to_string(), format!("Bearer {t}")));
        }
        h
    };
    let mut tasks: tokio::task::JoinSet<(usize, Result<Answer, Error>)> =
        tokio::task::JoinSet::new();
    let mut next = 0usize;
    let mut finished = 0u64;
    let concurrency = target.concurrency.max(1);
    loop {
        let stop = interrupted.load(Ordering::SeqCst) || outcome.transport_errors > 0;
        if interrupted.load(Ordering::SeqCst) {
            outcome.interrupted = true;
        }
        // Start what can start, in plan order.
        while !stop && next < requests.len() && tasks.len() < concurrency {
            if !deps[next].iter().all(|&d| done[d]) {
                break;
            }
            let req = &requests[next];
            let i = next;
            next += 1;
            match prepare(req, &outcome.ids, &last_get) {
                Prepared::Skip => {
                    outcome.skipped += 1;
                    done[i] = true;
                    finished += 1;
                    progress(finished);
                    continue;
                }
                Prepared::Missing(name) => {
                    outcome.skipped += 1;
                    done[i] = true;
                    finished += 1;
                    progress(finished);
                    outcome.failures.push(Failure::of(
                        req,
                        None,
                        format!("not sent: {name} has no id (its create failed)"),
                    ));
                    continue;
                }
                Prepared::Send { path, body } => {
                    if let Some(t) = ticker.as_mut() {
                        t.tick().await;
                    }
                    let url = format!("{}{}", target.base, path);
                    let mut headers = headers_base.clone();
                    if body.is_some() {
                        headers.push((
                            "content-type".to_string(),
                            "application/scim+json".to_string(),
                        ));
                    }
                    let method = reqwest::Method::from_bytes(req.method.as_bytes())
                        .expect("planned methods are valid");
                    let sender = sender.clone();
                    outcome.sent += 1;
                    tasks.spawn(async move {
                        let answer = sender.send(method, &url, &headers, body).await;
                        (i, answer)
                    });
                }
            }
        }
        if tasks.is_empty() {
            if next >= requests.len() || stop {
                break;
            }
            // Nothing in flight means every earlier request is done, so the
            // next one's dependencies are met: this is never reached.
            debug_assert!(false, "request {next} waits on nothing in flight");
            break;
        }
        let Some(joined) = tasks.join_next().await else {
            continue;
        };
        let (i, answer) = joined.expect("SCIM tasks do not panic");
        let req = &requests[i];
        done[i] = true;
        finished += 1;
        match answer {
            // No answer: the server is gone or unreachable; send nothing more.
            Err(e) => {
                outcome.transport_errors += 1;
                outcome
                    .failures
                    .push(Failure::of(req, None, format!("{e:#}")));
            }
            Ok(answer) => {
                outcome.latencies_us.push(answer.latency.as_micros() as u64);
                *outcome.by_status.entry(answer.status).or_default() += 1;
                if !req.expect.contains(&answer.status) {
                    outcome.failures.push(Failure::of(
                        req,
                        Some(answer.status),
                        String::from_utf8_lossy(&answer.body)
                            .chars()
                            .take(300)
                            .collect::<String>(),
                    ));
                } else if let Some(key) = &req.links {
                    let hit = (answer.status == 200)
                        .then(|| first_hit(&answer.body))
                        .flatten();
                    if let Some(id) = hit {
                        outcome.linked += 1;
                        outcome.ids.insert(key.clone(), id);
                    }
                } else if let Some(key) = &req.creates {
                    match created_id(&answer.body) {
                        Some(id) => {
                            outcome.ids.insert(key.clone(), id);
                        }
                        // Okta counts a 201 without a body as a failure [1].
                        None => outcome.failures.push(Failure::of(
                            req,
                            Some(answer.status),
                            "created, but the answer carries no id",
                        )),
                    }
                } else if req.method == "GET" {
                    if let Ok(b) = serde_json::from_slice::<Value>(&answer.body) {
                        last_get.insert(req.resource.clone(), b);
                    }
                }
            }
        }
        progress(finished);
    }
    outcome.failures.sort_by_key(|f| f.seq);
    outcome.elapsed = started.elapsed();
    outcome
}

/// Only the `id` of an answer's resource is read: the rest is skipped, not
/// built into a `Value` (a created user's answer is its whole resource).
#[derive(serde::Deserialize)]
struct IdOnly {
    id: Option<Value>,
}

/// The `id` a create answered with (a string), if any.
fn created_id(body: &[u8]) -> Option<String> {
    let answer: IdOnly = serde_json::from_slice(body).ok()?;
    answer.id?.as_str().map(str::to_string)
}

/// The id of a look-up's first hit (`Resources[0].id`), if any.
fn first_hit(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct List {
        #[serde(rename = "Resources", default)]
        resources: Vec<IdOnly>,
    }
    let list: List = serde_json::from_slice(body).ok()?;
    list.resources
        .into_iter()
        .next()?
        .id?
        .as_str()
        .map(str::to_string)
}

enum Prepared {
    /// A create after a look-up hit: not sent.
    Skip,
    /// A placeholder whose resource has no id.
    Missing(String),
    Send {
        path: String,
        body: Option<Vec<u8>>,
    },
}

/// Fill in the placeholders and the echoed keys; serialise the body once.
fn prepare(
    req: &Request,
    ids: &HashMap<String, String>,
    last_get: &HashMap<String, Value>,
) -> Prepared {
    if let Some(key) = &req.unless_linked {
        if ids.contains_key(key) {
            return Prepared::Skip;
        }
    }
    let path = match fill(&req.path, ids, Fill::Path) {
        Ok(p) => p,
        Err(name) => return Prepared::Missing(name),
    };
    let body = match &req.body {
        None => None,
        Some(text) => {
            let filled = match fill(text, ids, Fill::JsonString) {
                Ok(t) => t,
                Err(name) => return Prepared::Missing(name),
            };
            // Okta OIN echoes keys of the GET it just made (`meta`, `groups`) [1].
            match (last_get.get(&req.resource), req.echo.is_empty()) {
                (Some(previous), false) => {
                    let mut b: Value =
                        serde_json::from_str(&filled).expect("planned bodies are JSON");
                    if let Value::Object(map) = &mut b {
                        for key in &req.echo {
                            if let Some(v) = previous.get(*key) {
                                map.insert((*key).to_string(), v.clone());
                            }
                        }
                    }
                    Some(serde_json::to_vec(&b).expect("JSON values always serialise"))
                }
                _ => Some(filled.into_bytes()),
            }
        }
    };
    Prepared::Send { path, body }
}

/// Where a placeholder is filled in.
#[derive(Clone, Copy)]
pub enum Fill {
    /// A URL path: the id percent-encoded.
    Path,
    /// Inside a JSON string of a body: the id JSON-escaped.
    JsonString,
}

/// Replace every `{{name}}` with its id; `Err(name)` when one has none.
pub fn fill(text: &str, ids: &HashMap<String, String>, how: Fill) -> Result<String, String> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        let id = ids.get(name).ok_or_else(|| name.to_string())?;
        match how {
            Fill::Path => out.push_str(&super::plan::percent_encode(id)),
            Fill::JsonString => {
                let quoted = serde_json::to_string(id).expect("strings serialise");
                out.push_str(&quoted[1..quoted.len() - 1]);
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}
