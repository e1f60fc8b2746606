//! `dsync verify`: check a request's signature and, when it fails, say why.

use std::path::Path;

use serde::Serialize;

use crate::cli::verify::VerifyArgs;
use crate::commands::{read_input, Context, Signing};
use crate::error::{Error, Exit, Result};
use crate::signature::diagnose::{find_culprit, Culprit};
use crate::signature::{human_seconds, now_ms, Failure, Header, SchemeName, Verdict};
use crate::store::load_capture;

/// The `--json` verdict.
#[derive(Debug, Serialize)]
struct Report {
    valid: bool,
    scheme: SchemeName,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    hints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    culprit: Option<Culprit>,
}

pub fn run(args: VerifyArgs, ctx: &Context) -> Result<Exit> {
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let secret = signing.require_secret()?.clone();
    let (mut headers, body) = match &args.capture {
        Some(path) => {
            let capture = load_capture(path)?;
            let body = capture.body.to_bytes()?;
            (capture.headers, body)
        }
        None => {
            let file = args.file.as_deref().unwrap_or(Path::new("-"));
            (Vec::new(), read_input(file)?)
        }
    };
    for raw in &args.headers {
        headers.push(parse_header(raw)?);
    }
    let now = match args.at {
        Some(t) => t
            .checked_mul(1000)
            .ok_or_else(|| Error::usage(format!("--at {t} is out of range")))?,
        None => now_ms(),
    };
    let scheme = signing.scheme;
    let verdict = signing
        .scheme_impl()
        .verify(&secret, &headers, &body, now, signing.tolerance);
    let report = match verdict {
        Verdict::Valid { timestamp } => Report {
            valid: true,
            scheme,
            timestamp,
            failure: None,
            reason: None,
            hints: Vec::new(),
            culprit: None,
        },
        Verdict::Invalid(Failure::BadSecret { detail }) => {
            return Err(Error::usage(format!(
                "the secret cannot be used with the {scheme} scheme: {detail}"
            )))
        }
        Verdict::Invalid(failure) => {
            let mut hints = hints_for(scheme, &failure, &headers);
            let culprit = match failure {
                Failure::NoMatch { .. } | Failure::MissingHeader { .. } => {
                    find_culprit(scheme, signing.cryptr_layout, &secret, &headers, &body, now)
                }
                _ => None,
            };
            if matches!(failure, Failure::NoMatch { .. }) && culprit.is_none() {
                hints.push(
                    "no usual culprit matches either: the secret is most likely not the one that signed this request"
                        .to_string(),
                );
            }
            Report {
                valid: false,
                scheme,
                timestamp: None,
                reason: Some(failure.to_string()),
                failure: Some(failure),
                hints,
                culprit,
            }
        }
    };

    if ctx.out.json {
        ctx.out.json_line(&report)?;
    } else if report.valid {
        let when = report
            .timestamp
            .map(|t| format!(", timestamp {t}"))
            .unwrap_or_default();
        ctx.out
            .line(format!("{} ({scheme}{when})", ctx.out.out.green("valid")))?;
    } else {
        ctx.out.line(format!(
            "{}: {}",
            ctx.out.out.red("invalid"),
            report.reason.as_deref().unwrap_or_default()
        ))?;
        for hint in &report.hints {
            ctx.out.line(format!("  hint: {hint}"))?;
        }
        if let Some(c) = &report.culprit {
            ctx.out
                .line(format!("  culprit ({}): {}", c.kind, c.explanation))?;
        }
    }
    Ok(if report.valid {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// `Name: value` → a header; anything else is a usage error.
fn parse_header(raw: &str) -> Result<Header> {
    match raw.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(Error::usage(format!(
            "--header {raw:?} is not `Name: value` (e.g. --header 'cryptr-signature: t=...,v1=...')"
        ))),
    }
}

/// 2000-01-01T00:00:00Z: no real delivery is older.
const YEAR_2000: i64 = 946_684_800;

/// Beyond a year, suggesting a tolerance that wide is no help.
const MAX_SUGGESTED_TOLERANCE: i64 = 366 * 86_400;

/// Seconds since 2001 are ~1e9; milliseconds are ~1e12.
fn looks_like_ms(t: i64) -> bool {
    t > 100_000_000_000
}

fn hints_for(scheme: SchemeName, failure: &Failure, headers: &[Header]) -> Vec<String> {
    let mut hints = Vec::new();
    match failure {
        Failure::TooOld { timestamp, .. } | Failure::InFuture { timestamp, .. } => {
            // The timestamp's unit or value is wrong: a wider window is no answer.
            let mut unit_or_value = true;
            if scheme != SchemeName::Workos && looks_like_ms(*timestamp) {
                let layout = if scheme == SchemeName::Cryptr {
                    " (if the sender writes milliseconds, pass --cryptr-layout ms)"
                } else {
                    ""
                };
                hints.push(format!(
                    "timestamp {timestamp} looks like milliseconds where seconds were expected{layout}"
                ));
            } else if scheme == SchemeName::Workos && !looks_like_ms(timestamp.saturating_mul(1000))
            {
                // WorkOS failures carry the timestamp already divided by 1000.
                hints.push(
                    "the WorkOS-Signature t= value looks like seconds where milliseconds were expected"
                        .to_string(),
                );
            } else if *timestamp < YEAR_2000 {
                let date = chrono::DateTime::from_timestamp(*timestamp, 0)
                    .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
                    .unwrap_or_else(|| "before the epoch".to_string());
                hints.push(format!(
                    "timestamp {timestamp} is {date}: in 1970, or in milliseconds? A real delivery's t is Unix time in seconds (10 digits)"
                ));
            } else {
                unit_or_value = false;
            }
            if let Failure::TooOld { age_seconds, .. } = failure {
                if !unit_or_value && *age_seconds <= MAX_SUGGESTED_TOLERANCE {
                    hints.push(format!(
                        "an old capture? pass --at <unix> to verify as of the time it was sent, or --tolerance {} / --no-tolerance",
                        human_seconds(age_seconds.saturating_add(60)).replace(' ', "")
                    ));
                } else if !unit_or_value {
                    hints.push(
                        "an old capture? pass --at <unix> to verify as of the time it was sent, or --no-tolerance"
                            .to_string(),
                    );
                }
            }
        }
        Failure::MissingHeader { header } => {
            let present: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
            if present.is_empty() {
                // "webhook-id (or svix-id)": the example names the first.
                let name = header.split(' ').next().unwrap_or(header);
                hints.push(format!(
                    "no headers given: pass --header '{name}: ...' or --capture FILE"
                ));
            } else {
                hints.push(format!("headers given: {}", present.join(", ")));
            }
        }
        _ => {}
    }
    hints
}
