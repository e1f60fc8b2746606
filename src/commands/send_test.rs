//! `dsync send-test`: generate (or read) a body, sign it, POST it, show the answer.

use std::io::IsTerminal;

use crate::cli::send_test::SendTestArgs;
use crate::commands::{read_input, Context, Signing};
use crate::deliver::Sender;
use crate::error::{Error, Exit, Result};
use crate::event::{generate, GenOptions, ANNOUNCED_CODES, CODES, LEGACY_CODES};
use crate::signature::{now_ms, Header};

pub fn run(args: SendTestArgs, ctx: &Context) -> Result<Exit> {
    if args.list {
        for code in CODES {
            let (status, note) = if LEGACY_CODES.contains(code) {
                (
                    "legacy",
                    "  (legacy: seen on real deliveries, not documented)",
                )
            } else if ANNOUNCED_CODES.contains(code) {
                ("announced", "  (announced: documented, not available yet)")
            } else {
                ("documented", "")
            };
            if ctx.out.json {
                ctx.out
                    .json_line(&serde_json::json!({"code": code, "status": status}))
                    .map_err(Error::io)?;
            } else {
                ctx.out.line(format!("{code}{note}")).map_err(Error::io)?;
            }
        }
        return Ok(Exit::Success);
    }
    // Checked before anything is sent.
    let expect = Expect::parse(args.expect_status.as_deref())?;
    let now_us = match &args.now {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|e| {
                Error::usage(format!(
                    "invalid --now {t:?}: {e} (use RFC 3339, e.g. 2024-01-02T03:04:05Z)"
                ))
            })?
            .timestamp_micros(),
        None => now_ms() * 1000,
    };
    let opts = GenOptions {
        seed: args.seed,
        now_us,
        org: args.org.clone(),
        environment: args.environment.clone(),
        provider: args.provider.clone(),
    };
    let bodies: Vec<(String, Vec<u8>)> = if let Some(path) = &args.body {
        vec![(path.display().to_string(), read_input(path)?)]
    } else {
        let codes: Vec<String> = if args.all {
            CODES.iter().map(|c| c.to_string()).collect()
        } else if !args.events.is_empty() {
            for code in &args.events {
                if !CODES.contains(&code.as_str()) {
                    ctx.out.warn(unknown_code(code));
                }
            }
            args.events.clone()
        } else if std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
        {
            let pick = dialoguer::Select::new()
                .with_prompt("Event code to send")
                .items(CODES)
                .default(0)
                .interact()
                .map_err(|e| Error::usage(format!("no event chosen: {e}")))?;
            vec![CODES[pick].to_string()]
        } else {
            return Err(Error::usage(
                "no event code: pass --event CODE (repeatable) or --all",
            ));
        };
        let merge: Option<serde_json::Value> = match &args.merge {
            Some(path) => {
                let bytes = read_input(path)?;
                if bytes.starts_with(b"\xEF\xBB\xBF") {
                    return Err(Error::input(anyhow::anyhow!(
                        "--merge {}: the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: save it without one",
                        path.display()
                    )));
                }
                Some(serde_json::from_slice(&bytes).map_err(|e| {
                    Error::input(anyhow::Error::new(e).context(format!(
                        "--merge {}: not a JSON merge patch",
                        path.display()
                    )))
                })?)
            }
            None => None,
        };
        codes
            .iter()
            .map(|code| {
                let index = CODES.iter().position(|c| c == code).unwrap_or(CODES.len());
                let body = generate(code, index, &opts);
                if args.sets.is_empty() && merge.is_none() {
                    return Ok((code.clone(), body));
                }
                let mut value: serde_json::Value =
                    serde_json::from_slice(&body).map_err(Error::io)?;
                for set in &args.sets {
                    apply_set(&mut value, set)?;
                }
                if let Some(patch) = &merge {
                    merge_patch(&mut value, patch);
                }
                let body = serde_json::to_vec(&crate::event::sorted(value)).map_err(Error::io)?;
                Ok((code.clone(), body))
            })
            .collect::<Result<_>>()?
    };
    if args.print {
        for (_, body) in &bodies {
            ctx.out.raw(body).map_err(Error::io)?;
            ctx.out.raw(b"\n").map_err(Error::io)?;
        }
        return Ok(Exit::Success);
    }
    let url = super::target_url(&ctx.config, args.url.clone())?;
    let mut extra: Vec<Header> = Vec::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| Error::usage(format!("invalid header {h:?}: use -H 'Name: value'")))?;
        extra.push((name.trim().to_string(), value.trim().to_string()));
    }
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let sender = Sender::new(args.timeout)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::io)?;
    let mut unmet = false;
    for (label, body) in bodies {
        let schedule: Vec<std::time::Duration> = if !args.retry {
            vec![std::time::Duration::ZERO]
        } else if args.retry_schedule.is_empty() {
            [0u64, 300, 600, 1200, 3600, 7200]
                .iter()
                .map(|s| std::time::Duration::from_secs(*s))
                .collect()
        } else {
            args.retry_schedule.clone()
        };
        let mut answer = None;
        let mut attempts = 0;
        for (attempt, delay) in schedule.iter().enumerate() {
            attempts = attempt + 1;
            // A 503 with Retry-After lets the receiver choose the delay.
            let wait = match &answer {
                Some(crate::deliver::Answer {
                    status: 503,
                    headers,
                    ..
                }) => crate::signature::header_value(headers, "retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(std::time::Duration::from_secs)
                    .unwrap_or(*delay),
                _ => *delay,
            };
            if attempt > 0 {
                std::thread::sleep(wait);
            }
            let mut headers: Vec<Header> = vec![(
                "content-type".into(),
                "application/json; charset=UTF-8".into(),
            )];
            {
                headers.extend(signing.fresh_headers(&body)?);
            }
            headers.extend(extra.iter().cloned());
            let got = runtime.block_on(sender.post(&url, &headers, body.clone()))?;
            let done = (200..300).contains(&got.status) || got.status == 410;
            if args.retry && !done && attempt + 1 < schedule.len() {
                ctx.out.info(format!(
                    "{label}: try {} answered {}, retrying",
                    attempt + 1,
                    got.status
                ));
            }
            answer = Some(got);
            if done {
                break;
            }
        }
        let answer = answer.expect("the schedule has at least one try");
        let ok = expect.met(answer.status);
        unmet |= !ok;
        if ctx.out.json {
            ctx.out
                .json_line(&serde_json::json!({
                    "event": label,
                    "status": answer.status,
                    "ok": ok,
                    "attempts": attempts,
                    "latency_ms": answer.latency.as_micros() as f64 / 1000.0,
                    "answer": String::from_utf8_lossy(&answer.body),
                }))
                .map_err(Error::io)?;
        } else {
            ctx.out
                .line(format!(
                    "{label} -> {} in {} ms {}",
                    answer.status,
                    answer.latency.as_millis(),
                    one_line(&answer.body, ANSWER_CHARS)
                ))
                .map_err(Error::io)?;
        }
    }
    Ok(if unmet { Exit::Failed } else { Exit::Success })
}

/// What answer counts as delivered: `--expect-status`, `2xx` unless told.
enum Expect {
    Success,
    Status(u16),
}

impl Expect {
    fn parse(flag: Option<&str>) -> Result<Expect> {
        match flag {
            None => Ok(Expect::Success),
            Some(e) if e.eq_ignore_ascii_case("2xx") => Ok(Expect::Success),
            Some(e) => e.parse::<u16>().map(Expect::Status).map_err(|_| {
                Error::usage(format!("invalid --expect-status {e:?}: use 2xx or a code"))
            }),
        }
    }

    fn met(&self, status: u16) -> bool {
        match self {
            Expect::Success => (200..300).contains(&status),
            Expect::Status(want) => *want == status,
        }
    }
}

/// How much of the receiver's answer the human line shows.
const ANSWER_CHARS: usize = 120;

/// The start of an answer on one line: whitespace runs folded to one space,
/// other control characters escaped, cut at `max` characters with `…`.
fn one_line(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut shown = 0;
    let mut space = false;
    for c in text.trim().chars() {
        if shown >= max {
            out.push('…');
            break;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
            shown += 1;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        shown += 1;
    }
    out
}

/// At most `max` characters of `text`, with how long it was when cut.
fn abbreviate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    format!("{head}… ({} characters)", text.chars().count())
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Apply `a.b.0.c=value`: every segment but the last must already exist.
/// A bad path names the part that is missing, and never echoes more than a
/// line of the path.
fn apply_set(root: &mut serde_json::Value, set: &str) -> Result<()> {
    let Some((path, raw)) = set.split_once('=') else {
        return Err(Error::usage(format!(
            "invalid --set {:?}: use path=value (e.g. data.provider=azure)",
            abbreviate(set, 80)
        )));
    };
    let value = serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::String(raw.into()));
    let segments: Vec<&str> = path.split('.').collect();
    let shown = |n: usize| abbreviate(&segments[..n].join("."), 60);
    let bad = |why: String| {
        Error::usage(format!(
            "invalid --set path {:?}: {why}",
            abbreviate(path, 80)
        ))
    };
    let mut node = root;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let here = if i == 0 {
            "the event".to_string()
        } else {
            format!("`{}`", shown(i))
        };
        node = match node {
            serde_json::Value::Object(map) => {
                if seg.is_empty() {
                    return Err(bad(format!(
                        "part {} is empty (two dots, or a dot at an end)",
                        i + 1
                    )));
                }
                if last {
                    map.insert(seg.to_string(), value);
                    return Ok(());
                }
                let keys = map
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                match map.get_mut(*seg) {
                    Some(next) => next,
                    None => {
                        return Err(bad(format!(
                            "{here} has no key {:?} (part {} of {}; its keys: {})",
                            abbreviate(seg, 40),
                            i + 1,
                            segments.len(),
                            abbreviate(&keys, 120)
                        )))
                    }
                }
            }
            serde_json::Value::Array(items) => {
                let len = items.len();
                let Some(slot) = seg.parse::<usize>().ok().filter(|n| *n < len) else {
                    return Err(bad(format!(
                            "{here} is an array of {len} items: {:?} (part {} of {}) is not an index below {len}",
                            abbreviate(seg, 40),
                            i + 1,
                            segments.len()
                        ),
                    ));
                };
                if last {
                    items[slot] = value;
                    return Ok(());
                }
                &mut items[slot]
            }
            other => {
                return Err(bad(format!(
                    "{here} is a {}, not an object or array: it has no {:?} (part {} of {})",
                    kind_of(other),
                    abbreviate(seg, 40),
                    i + 1,
                    segments.len()
                )))
            }
        };
    }
    unreachable!("the last segment returns inside the loop")
}

/// RFC 7396: objects merge key by key, `null` deletes, anything else replaces.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = serde_json::Value::Object(serde_json::Map::new());
    }
    let map = target.as_object_mut().expect("made an object above");
    for (key, change) in changes {
        if change.is_null() {
            map.remove(key);
        } else {
            merge_patch(
                map.entry(key.clone()).or_insert(serde_json::Value::Null),
                change,
            );
        }
    }
}

/// What `--event` says of a code that is not on `--list`: it is still sent
/// (a receiver should cope with codes it does not know), as a bare event
/// with no resource, which is rarely what a typo meant.
fn unknown_code(code: &str) -> String {
    /// More suggestions than this read as a list: `--list` says it better.
    const SUGGESTIONS: usize = 3;
    let wanted = code.trim().to_ascii_lowercase();
    let near: Vec<&str> = CODES
        .iter()
        .copied()
        .filter(|known| !wanted.is_empty() && known.contains(wanted.as_str()))
        .collect();
    let mut text = format!(
        "{code:?} is not a Cryptr event code (dsync send-test --list): it is sent as a bare event, with no resource"
    );
    if !near.is_empty() && near.len() <= SUGGESTIONS {
        text.push_str(&format!("; did you mean {}?", near.join(" or ")));
    } else if !near.is_empty() {
        text.push_str(&format!("; {} listed codes contain it", near.len()));
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// The examples of RFC 7396 appendix A, checked against an independent implementation.
    #[test]
    fn merge_patch_matches_rfc_7396_examples() {
        let cases = [
            (json!({"a":"b"}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"b"}), json!({"b":"c"}), json!({"a":"b","b":"c"})),
            (json!({"a":"b"}), json!({"a":null}), json!({})),
            (
                json!({"a":"b","b":"c"}),
                json!({"a":null}),
                json!({"b":"c"}),
            ),
            (json!({"a":["b"]}), json!({"a":"c"}), json!({"a":"c"})),
            (json!({"a":"c"}), json!({"a":["b"]}), json!({"a":["b"]})),
            (
                json!({"a":{"b":"c"}}),
                json!({"a":{"b":"d","c":null}}),
                json!({"a":{"b":"d"}}),
            ),
            (json!({"a":[{"b":"c"}]}), json!({"a":[1]}), json!({"a":[1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a":"b"}), json!(["c"]), json!(["c"])),
            (json!({"a":"foo"}), json!(null), json!(null)),
            (json!({"a":"foo"}), json!("bar"), json!("bar")),
            (json!({"e":null}), json!({"a":1}), json!({"e":null,"a":1})),
            (json!([1, 2]), json!({"a":"b","c":null}), json!({"a":"b"})),
            (
                json!({}),
                json!({"a":{"bb":{"ccc":null}}}),
                json!({"a":{"bb":{}}}),
            ),
        ];
        for (target, patch, expected) in cases {
            let mut ours = target.clone();
            super::merge_patch(&mut ours, &patch);
            assert_eq!(ours, expected, "{target} + {patch}");
            let mut theirs = target.clone();
            json_patch::merge(&mut theirs, &patch);
            assert_eq!(ours, theirs, "{target} + {patch}");
        }
    }
}
