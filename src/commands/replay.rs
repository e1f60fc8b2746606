//! `dsync replay`: re-deliver captures or raw bodies, re-signed with a fresh timestamp.
//! Directories are walked one file at a time (sorted names), never loaded whole.

use std::path::{Path, PathBuf};

use crate::cli::replay::ReplayArgs;
use crate::commands::{read_input, Context, Signing};
use crate::deliver::Sender;
use crate::error::{Error, Exit, Result};
use crate::signature::Header;
use crate::store::Capture;

pub fn run(args: ReplayArgs, ctx: &Context) -> Result<Exit> {
    let url = super::target_url(&ctx.config, args.url.clone())?;
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let sender = Sender::new(args.timeout)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::io)?;
    let matcher = match &args.event {
        Some(glob) => Some(
            globset::Glob::new(glob)
                .map_err(|e| Error::usage(format!("invalid --event glob {glob:?}: {e}")))?
                .compile_matcher(),
        ),
        None => None,
    };
    let (mut sent, mut ok, mut bad, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    for path in &args.paths {
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut names: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| {
                    Error::input(
                        anyhow::Error::new(e).context(format!("cannot read {}", path.display())),
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            names.sort();
            names
        } else {
            vec![path.clone()]
        };
        for file in files {
            let (body, captured) = match load_body(&file) {
                Ok(b) => b,
                Err(e) if !args.strict => {
                    ctx.out.warn(format!("skipping {}: {e}", file.display()));
                    skipped += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(m) = &matcher {
                let code = crate::store::event_code(&body).unwrap_or_default();
                if !m.is_match(&code) {
                    continue;
                }
            }
            if args.limit.is_some_and(|l| sent >= l) {
                break;
            }
            let mut headers: Vec<Header> = vec![(
                "content-type".into(),
                "application/json; charset=UTF-8".into(),
            )];
            if args.verbatim && !captured.is_empty() {
                headers = captured
                    .into_iter()
                    .filter(|(n, _)| !HOP_BY_HOP.contains(&n.to_ascii_lowercase().as_str()))
                    .collect();
            } else {
                headers.extend(signing.fresh_headers(&body)?);
            }
            let answer = runtime.block_on(sender.post(&url, &headers, body))?;
            sent += 1;
            if (200..300).contains(&answer.status) {
                ok += 1;
            } else {
                bad += 1;
            }
        }
    }
    ctx.out
        .line(format!(
            "sent {sent}: 2xx {ok}, other {bad}, skipped {skipped}"
        ))
        .map_err(Error::io)?;
    Ok(if bad > 0 && !args.allow_failures {
        Exit::Failed
    } else {
        Exit::Success
    })
}

/// Headers never resent with --verbatim: the connection's own.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "host",
    "content-length",
];

/// A capture file yields its recorded body and headers; any other file is sent as is.
fn load_body(path: &Path) -> Result<(Vec<u8>, Vec<Header>)> {
    let bytes = read_input(path)?;
    match Capture::from_slice(&bytes) {
        Ok(capture) => Ok((capture.body.to_bytes()?, capture.headers)),
        Err(_) => {
            serde_json::from_slice::<serde::de::IgnoredAny>(&bytes)
                .map_err(|e| Error::input(anyhow::Error::new(e).context("not JSON")))?;
            Ok((bytes, Vec::new()))
        }
    }
}
