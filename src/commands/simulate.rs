//! `dsync simulate`: plan a scenario as an IdP persona, drive a SCIM server
//! with it, and report (and, with the in-process directory, check) the result.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::cli::simulate::SimulateArgs;
use crate::commands::{Context, Signing};
use crate::directory::{Clock, DeliveryOptions, Ids, Sources};
use crate::error::{Error, Exit, Result};
use crate::simulate::driver::{self, Outcome, Target};
use crate::simulate::events::copy_captures;
use crate::simulate::inprocess::{InProcess, Settings};
use crate::simulate::persona;
use crate::simulate::report::{Check, Summary};
use crate::simulate::scenario::{self, Scenario, Sizes};

pub fn run(args: SimulateArgs, ctx: &Context) -> Result<Exit> {
    if args.list {
        return list(ctx);
    }
    let scenario = load_scenario(&args)?;
    if !(0.0..=1.0).contains(&args.duplicate) {
        return Err(Error::usage(format!(
            "--duplicate {} is not a share: use 0.0 to 1.0",
            args.duplicate
        )));
    }
    let requests = crate::simulate::plan(&scenario, args.idp, args.seed, &args.org);
    if args.print {
        for req in &requests {
            ctx.out.json_line(req)?;
        }
        return Ok(Exit::Success);
    }
    let style = args.idp.style();
    if style.guess {
        ctx.out.warn(format!(
            "the {} persona is a guess: Google documents no SCIM wire shapes",
            args.idp.name()
        ));
    }
    // The SCIM server: another one (--scim-url), or a directory started here.
    let (base, token, directory) = match &args.scim_url {
        Some(url) => (
            url.trim_end_matches('/').to_string(),
            args.token.clone(),
            None,
        ),
        None => {
            let url = super::target_url(&ctx.config, args.url.clone())?;
            let signing = Signing::resolve(&args.signing, &ctx.config)?;
            signing.require_secret()?;
            let dir = InProcess::start(Settings {
                state: args.state.clone(),
                org: args.org.clone(),
                provider: style.provider,
                url: url.clone(),
                signing,
                delivery: delivery_options(&args),
                sources: sources(&args),
            })?;
            ctx.out.info(format!(
                "directory at {} delivering to {url}",
                dir.running.scim_url()
            ));
            (dir.running.scim_url(), dir.running.token(), Some(dir))
        }
    };
    let target = Target {
        base,
        token,
        user_agent: style.user_agent(),
        concurrency: concurrency(&args),
        rate: args.rate,
        timeout: args.timeout,
    };
    let outcome = drive(&target, &requests, ctx)?;
    let mut deliveries = None;
    let mut check = None;
    let mut state_out = None;
    let mut app_unreachable = false;
    let mut check_error = None;
    if let Some(dir) = directory {
        if !outcome.interrupted {
            ctx.out.info("waiting for every delivery to settle...");
        }
        let d = dir.settle(if outcome.interrupted {
            std::time::Duration::from_secs(5)
        } else {
            args.settle_timeout
        })?;
        app_unreachable = d.attempts > 0
            && d.deliveries_by_status
                .keys()
                .all(|k| k == "failed (no answer)");
        let expected = dir.export()?;
        if let Some(path) = &args.state_out {
            write_state(path, &expected)?;
            state_out = Some(path.display().to_string());
        }
        if let (Some(cmd), false) = (&args.check_cmd, outcome.interrupted) {
            match crate::app_state::run_command(cmd, args.check_timeout) {
                Ok(actual) => {
                    let comparison = crate::app_state::compare(&expected, &actual);
                    check = Some(Check {
                        command: cmd.clone(),
                        equal: comparison.is_equal(),
                        differences: comparison.render(),
                    });
                }
                // Reported after the summary, which is still worth having.
                Err(e) => check_error = Some(e),
            }
        }
        if !args.no_save {
            let to = ctx.config.store_dir(args.store.as_deref()).value;
            let same = args.state.as_ref().is_some_and(|s| same_dir(s, &to));
            if !same {
                let copied = copy_captures(
                    &dir.store,
                    &crate::store::Store::open(&to)?,
                    dir.first_rowid,
                )?;
                ctx.out.debug(format!(
                    "{copied} events saved to the event store {}",
                    to.display()
                ));
            }
        }
        dir.shutdown()?;
        deliveries = Some(d);
    }
    let diverged = check.as_ref().is_some_and(|c| !c.equal);
    let unacknowledged = deliveries.as_ref().is_some_and(|d| d.unacknowledged > 0);
    let exit = if outcome.interrupted {
        Exit::Interrupted
    } else if outcome.transport_errors > 0 || app_unreachable {
        Exit::Io
    } else if outcome.failed() > 0 || diverged || unacknowledged {
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
        deliveries: deliveries.as_ref(),
        check: check.as_ref(),
        state_out,
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
    if app_unreachable {
        ctx.out
            .error("cannot reach the app: no delivery got an answer (is it running? check --url)");
    }
    if diverged {
        ctx.out
            .error("the app's state differs from the directory's (see the differences above)");
    }
    if let Some(e) = check_error {
        return Err(e.context("--check-cmd"));
    }
    Ok(exit)
}

/// The in-process directory's clock and ids: with `--now`, a fixed clock and
/// ids from `--seed`, so that two runs commit the same events byte for byte.
fn sources(args: &SimulateArgs) -> Sources {
    match args.now {
        Some(start_us) => Sources {
            clock: Clock::fixed(start_us),
            ids: Ids::Seeded(args.seed),
        },
        None => Sources::default(),
    }
}

/// SCIM requests in flight: `--concurrency`, else 8, else (with `--now`) 1:
/// a reproducible run needs its writes in plan order, since the order of
/// the writes gives the ids and the timestamps.
fn concurrency(args: &SimulateArgs) -> usize {
    match (args.concurrency, args.now) {
        (Some(n), _) => n as usize,
        (None, Some(_)) => 1,
        (None, None) => 8,
    }
}

/// Delivery for a simulation: Cryptr's behaviour with its schedule compressed
/// (a run should not wait an hour for a retry), plus the chaos flags.
fn delivery_options(args: &SimulateArgs) -> DeliveryOptions {
    let retry_schedule = if args.retry_schedule.is_empty() {
        [0u64, 200, 500, 1000, 2000]
            .iter()
            .map(|ms| std::time::Duration::from_millis(*ms))
            .collect()
    } else {
        args.retry_schedule.clone()
    };
    DeliveryOptions {
        retry_schedule,
        duplicate: args.duplicate,
        reorder_window: args.reorder_window,
        fail_first: args.fail_first,
        seed: args.seed,
        ..DeliveryOptions::default()
    }
}

/// Write the expected state (pretty JSON) atomically.
fn write_state(path: &Path, state: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_vec_pretty(state).map_err(Error::io)?;
    text.push(b'\n');
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, &text)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| {
            Error::io(
                anyhow::Error::new(e)
                    .context(format!("cannot write --state-out {}", path.display())),
            )
        })
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
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
