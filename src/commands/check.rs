//! `dsync check URL`: run the conformance suite against a receiver, print the
//! table (or `--json`), write `--junit`, exit 0 / 1 / 3.

use std::sync::Arc;
use std::time::Instant;

use crate::check::report::{unreachable_junit, Report, SCHEMA};
use crate::check::run::Runner;
use crate::check::suite::{self, SuiteOptions};
use crate::check::{catalogue, Case, Window};
use crate::cli::check::CheckArgs;
use crate::commands::{code_glob, Context, Signing};
use crate::deliver::Sender;
use crate::error::{Error, Exit, Result, ResultExt};

pub fn run(args: CheckArgs, ctx: &Context) -> Result<Exit> {
    if args.print_schema {
        ctx.out.raw(SCHEMA.as_bytes())?;
        return Ok(Exit::Success);
    }
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let window = Window::of(signing.tolerance);
    let cases = select(catalogue(), &args.only, &args.skip)?;
    if args.list {
        return list(&cases, window, &signing, args.large_users as usize, ctx);
    }
    let url = super::target_url(&ctx.config, args.url.clone()).map_err(|_| {
        Error::usage("no receiver: pass its URL (dsync check URL) or set DSYNC_URL")
    })?;
    match reqwest::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(u) => {
            return Err(Error::usage(format!(
                "{url:?} is not an http(s) URL (scheme {:?})",
                u.scheme()
            )))
        }
        Err(e) => return Err(Error::usage(format!("{url:?} is not a URL: {e}"))),
    }
    let mut extra_headers = Vec::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| Error::usage(format!("invalid header {h:?}: use -H 'Name: value'")))?;
        let (name, value) = (name.trim(), value.trim());
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
            || reqwest::header::HeaderValue::from_str(value).is_err()
        {
            return Err(Error::usage(format!(
                "invalid header {h:?}: not a valid HTTP header name and value"
            )));
        }
        extra_headers.push((name.to_string(), value.to_string()));
    }
    if args.timeout.is_zero() {
        return Err(Error::usage(
            "--timeout 0s leaves the receiver no time to answer: give it a duration such as 10s",
        ));
    }
    // A JUnit file that cannot be written is known before the suite runs.
    if let Some(path) = &args.junit {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return Err(Error::usage(format!(
                "--junit {}: the folder {} does not exist",
                path.display(),
                parent.unwrap_or(path).display()
            )));
        }
    }
    let secret = signing.require_secret()?.clone();
    let scheme = signing.scheme;
    let runner = Arc::new(Runner {
        sender: Sender::new(args.timeout)?,
        url: url.clone(),
        signing: Arc::new(signing),
        secret,
        window,
        seed: rand::random(),
        timeout: args.timeout,
        large_users: args.large_users as usize,
        extra_headers,
    });
    let opts = SuiteOptions {
        strict: args.strict,
        state_cmd: args.state_cmd.clone(),
        state_timeout: args.state_timeout,
        state_wait: args.state_wait,
    };
    ctx.out
        .info(format!("checking {url}: {} cases", cases.len()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::io)?;
    let started_at = chrono::Utc::now();
    let started = Instant::now();
    let graded = match runtime.block_on(suite::run(runner, &cases, &opts)) {
        Ok(graded) => graded,
        Err(err) => {
            if let (Some(path), Exit::Io) = (&args.junit, err.exit) {
                let message = format!("{:#}", err.inner);
                std::fs::write(path, unreachable_junit(&url, &message))
                    .io_err(format!("cannot write the JUnit report {}", path.display()))?;
            }
            return Err(err);
        }
    };
    let report = Report::new(
        &url,
        scheme,
        args.strict,
        started_at,
        started.elapsed(),
        &graded,
    );
    if let Some(path) = &args.junit {
        std::fs::write(path, report.junit())
            .io_err(format!("cannot write the JUnit report {}", path.display()))?;
    }
    if ctx.out.json {
        ctx.out.json_pretty(&report)?;
    } else {
        ctx.out.raw(report.table(&ctx.out.out).as_bytes())?;
    }
    Ok(if report.exit_code == 0 {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// `--only` then `--skip`, as globs over the case names; a glob that selects
/// nothing is a usage error (a typo would otherwise run an empty suite).
fn select(cases: Vec<Case>, only: &[String], skip: &[String]) -> Result<Vec<Case>> {
    let only: Vec<(String, globset::GlobMatcher)> = only
        .iter()
        .map(|g| Ok((g.clone(), code_glob("--only", g)?)))
        .collect::<Result<_>>()?;
    let skip: Vec<(String, globset::GlobMatcher)> = skip
        .iter()
        .map(|g| Ok((g.clone(), code_glob("--skip", g)?)))
        .collect::<Result<_>>()?;
    for (flag, globs) in [("--only", &only), ("--skip", &skip)] {
        for (text, glob) in globs {
            if !cases.iter().any(|c| glob.is_match(&c.name)) {
                return Err(Error::usage(format!(
                    "{flag} {text:?} matches no case (see dsync check --list)"
                )));
            }
        }
    }
    let selected: Vec<Case> = cases
        .into_iter()
        .filter(|c| only.is_empty() || only.iter().any(|(_, g)| g.is_match(&c.name)))
        .filter(|c| !skip.iter().any(|(_, g)| g.is_match(&c.name)))
        .collect();
    if selected.is_empty() {
        return Err(Error::usage("--only and --skip leave no case to run"));
    }
    Ok(selected)
}

fn list(
    cases: &[Case],
    window: Window,
    signing: &Signing,
    large_users: usize,
    ctx: &Context,
) -> Result<Exit> {
    if ctx.out.json {
        let rows: Vec<serde_json::Value> = cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "name": c.name, "level": c.level,
                    "expectation": c.expectation(window, signing.scheme, large_users),
                })
            })
            .collect();
        ctx.out.json_pretty(&rows)?;
        return Ok(Exit::Success);
    }
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in cases {
        ctx.out.line(format!(
            "{:width$}  {:11}  {}",
            c.name,
            c.level.as_str(),
            c.expectation(window, signing.scheme, large_users)
        ))?;
    }
    Ok(Exit::Success)
}
