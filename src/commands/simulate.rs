//! `dsync simulate`: plan a scenario as an IdP persona, drive a SCIM server
//! with it, and report (and, with the in-process directory, check) the result.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::cli::simulate::SimulateArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};
use crate::simulate::driver::{self, Outcome, Target};
use crate::simulate::persona;
use crate::simulate::report::Summary;
use crate::simulate::scenario::{self, Scenario, Sizes};

pub fn run(args: SimulateArgs, ctx: &Context) -> Result<Exit> {
    if args.list {
        return list(ctx);
    }
    let scenario = load_scenario(&args)?;
    let _now_us = parse_now(args.now.as_deref())?;
    let requests = crate::simulate::plan(&scenario, args.idp, args.seed, &args.org);
    if args.print {
        for req in &requests {
            ctx.out.json_line(req)?;
        }
        return Ok(Exit::Success);
    }
    let Some(scim_url) = args.scim_url.clone() else {
        return Err(Error::usage(
            "the in-process directory is not available in this build yet: pass --scim-url URL (and --token) to drive a SCIM server, or --print",
        ));
    };
    let style = args.idp.style();
    if style.guess {
        ctx.out.warn(format!(
            "the {} persona is a guess: {} documents no SCIM wire shapes",
            args.idp.name(),
            "Google"
        ));
    }
    let target = Target {
        base: scim_url.trim_end_matches('/').to_string(),
        token: args.token.clone(),
        user_agent: style.user_agent(),
        concurrency: args.concurrency as usize,
        rate: args.rate,
        timeout: args.timeout,
    };
    let outcome = drive(&target, &requests, ctx)?;
    let exit = if outcome.interrupted {
        Exit::Interrupted
    } else if outcome.transport_errors > 0 {
        Exit::Io
    } else if outcome.failed() > 0 {
        Exit::Failed
    } else {
        Exit::Success
    };
    let summary = Summary {
        scenario: &scenario.name,
        idp: args.idp.name(),
        seed: args.seed,
        scim_url: &target.base,
        outcome: &outcome,
        deliveries: None,
        check: None,
        state_out: None,
        exit: exit.code(),
    };
    print_summary(&summary, ctx)?;
    if outcome.transport_errors > 0 {
        ctx.out.error(if outcome.by_status.is_empty() {
            format!(
                "cannot reach the SCIM server at {} (is it running? check --scim-url)",
                target.base
            )
        } else {
            format!("the SCIM server at {} stopped answering", target.base)
        });
    }
    Ok(exit)
}

fn print_summary(summary: &Summary, ctx: &Context) -> Result<()> {
    if ctx.out.json {
        ctx.out.json_line(&summary.to_json())?;
    } else {
        summary.print(&ctx.out)?;
    }
    Ok(())
}

/// Send the requests with a progress bar on a terminal; Ctrl-C stops sending,
/// lets requests in flight finish and still reports.
fn drive(
    target: &Target,
    requests: &[crate::simulate::plan::Request],
    ctx: &Context,
) -> Result<Outcome> {
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    }
    let bar = if !ctx.out.quiet && !ctx.out.json && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(requests.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} SCIM {bar:40} {human_pos}/{human_len} requests, eta {eta}",
            )
            .expect("a valid template"),
        );
        Some(bar)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::io)?;
    let progress = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let outcome = runtime.block_on(driver::run(target, requests, interrupted, &progress));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(outcome)
}

fn list(ctx: &Context) -> Result<Exit> {
    if ctx.out.json {
        let scenarios: Vec<_> = scenario::BUILT_INS
            .iter()
            .map(|(n, d)| serde_json::json!({"name": n, "description": d}))
            .collect();
        let personas: Vec<_> = persona::ALL
            .iter()
            .map(|i| {
                let s = i.style();
                serde_json::json!({"idp": i.name(), "title": s.title, "guess": s.guess, "sources": s.sources})
            })
            .collect();
        ctx.out
            .json_line(&serde_json::json!({"scenarios": scenarios, "idps": personas}))?;
        return Ok(Exit::Success);
    }
    ctx.out
        .line("Scenarios (N = --users, G = --groups, S = --steps):")?;
    for (name, description) in scenario::BUILT_INS {
        ctx.out.line(format!("  {name:<13} {description}"))?;
    }
    ctx.out
        .line("  FILE.toml     a scenario file (see examples/scenario.toml)")?;
    ctx.out.line("IdP personas (--idp):")?;
    for idp in persona::ALL {
        let s = idp.style();
        ctx.out.line(format!("  {:<13} {}", idp.name(), s.title))?;
    }
    Ok(Exit::Success)
}

/// `--now` as Unix microseconds, or `None` for the real clock.
fn parse_now(now: Option<&str>) -> Result<Option<i64>> {
    now.map(|t| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|d| d.timestamp_micros())
            .map_err(|e| {
                Error::usage(format!(
                    "invalid --now {t:?}: {e} (use RFC 3339, e.g. 2024-01-02T03:04:05Z)"
                ))
            })
    })
    .transpose()
}

fn load_scenario(args: &SimulateArgs) -> Result<Scenario> {
    let sizes = Sizes {
        users: args.users,
        groups: args.groups,
        steps: args.steps,
    };
    let path = Path::new(&args.scenario);
    if args.scenario.ends_with(".toml") || path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(
                anyhow::Error::new(e)
                    .context(format!("cannot read scenario file {}", path.display())),
            )
        })?;
        return scenario::parse_file(&text, &path.display().to_string());
    }
    scenario::built_in(&args.scenario, sizes).ok_or_else(|| {
        let names: Vec<&str> = scenario::BUILT_INS.iter().map(|(n, _)| *n).collect();
        Error::usage(format!(
            "unknown scenario {:?}: use one of {} or a .toml file (see --list)",
            args.scenario,
            names.join(", ")
        ))
    })
}
