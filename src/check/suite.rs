//! The order the cases run in, so the whole suite takes about as long as its
//! slowest case: one plain event alone (it is timed, and it tells whether
//! the receiver is there at all), then every small case at once, then the
//! large event and the burst of 50 each alone, then the stateful scenarios
//! in sequence, and the p99 over every answer time seen.

use std::sync::Arc;
use std::time::Duration;

use super::run::{failed_outcome, judge, p99, summarize, Executed, Graded, Outcome, Reply, Runner};
use super::{human_ms, Case, Kind, Level, P99_LIMIT};
use crate::error::{Error, Result};

/// What the suite needs besides the runner.
pub struct SuiteOptions {
    pub strict: bool,
    pub state_cmd: Option<String>,
    pub state_timeout: Duration,
    /// How long the app's state may take to match once everything is delivered.
    pub state_wait: Duration,
}

/// Run `cases` (in catalogue order) and grade them, in catalogue order.
/// An unreachable receiver is an error (exit 3), not a list of failures.
pub async fn run(runner: Arc<Runner>, cases: &[Case], opts: &SuiteOptions) -> Result<Vec<Graded>> {
    let window = runner.window;
    let scheme = runner.signing.scheme;
    let mut executed: Vec<Option<Executed>> = vec![None; cases.len()];
    let mut skipped: Vec<Option<String>> = vec![None; cases.len()];

    // Cases that cannot run here are skipped with the reason, before anything is sent.
    for (i, case) in cases.iter().enumerate() {
        skipped[i] = match &case.kind {
            Kind::Stale if window.past.is_none() => Some(
                "the tolerance has no limit into the past (--no-tolerance?): nothing is stale"
                    .to_string(),
            ),
            Kind::Future if window.future.is_none() => Some(format!(
                "the {scheme} tolerance has no limit into the future; pass --tolerance to test one"
            )),
            Kind::State(_) if opts.state_cmd.is_none() => {
                Some("needs --state-cmd CMD (prints the app's state)".to_string())
            }
            _ => None,
        };
    }
    let runnable = |i: &usize| skipped[*i].is_none();
    let single = |k: &Kind| {
        !matches!(
            k,
            Kind::Large | Kind::Concurrent | Kind::P99 | Kind::State(_)
        )
    };

    // First: one case alone. Nobody there means exit 3, at once.
    let first = (0..cases.len())
        .filter(runnable)
        .find(|i| cases[*i].kind == Kind::Plain)
        .or_else(|| {
            (0..cases.len())
                .filter(runnable)
                .find(|i| single(&cases[*i].kind))
        });
    if let Some(i) = first {
        let done = runner.execute(&cases[i].kind).await?;
        if let Some(reason) = unreachable(&done) {
            return Err(Error::io(anyhow::anyhow!(
                "cannot reach {}: {reason} (is the receiver running?)",
                runner.url
            )));
        }
        executed[i] = Some(done);
    }

    // Then every small case at once.
    let mut tasks = tokio::task::JoinSet::new();
    for i in (0..cases.len()).filter(runnable) {
        if executed[i].is_none() && single(&cases[i].kind) {
            let (runner, kind) = (runner.clone(), cases[i].kind.clone());
            tasks.spawn(async move { (i, runner.execute(&kind).await) });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, done) = joined.map_err(|e| Error::io(anyhow::anyhow!("a case panicked: {e}")))?;
        executed[i] = Some(done?);
    }

    // The heavy ones, each alone so neither slows the other down.
    for kind in [Kind::Large, Kind::Concurrent] {
        if let Some(i) = (0..cases.len())
            .filter(runnable)
            .find(|i| cases[*i].kind == kind)
        {
            executed[i] = Some(runner.execute(&kind).await?);
        }
    }

    // Stateful scenarios, one after the other, then one look at the app's state.
    let state_indices: Vec<usize> = (0..cases.len())
        .filter(runnable)
        .filter(|i| matches!(cases[*i].kind, Kind::State(_)))
        .collect();
    let mut state_verdicts = Vec::new();
    if let (false, Some(cmd)) = (state_indices.is_empty(), &opts.state_cmd) {
        let scenarios: Vec<super::state::Scenario> = state_indices
            .iter()
            .map(|i| match cases[*i].kind {
                Kind::State(s) => s,
                _ => unreachable!("filtered above"),
            })
            .collect();
        state_verdicts = super::state::run(
            &runner,
            &scenarios,
            cmd,
            opts.state_timeout,
            opts.state_wait,
        )
        .await?;
    }

    // Every answer time of the run, for the p99.
    let mut latencies: Vec<Duration> = executed
        .iter()
        .flatten()
        .flat_map(|e| e.deliveries.iter())
        .filter(|d| d.method == "POST")
        .filter_map(|d| match d.reply {
            Reply::Answered { latency, .. } => Some(latency),
            Reply::NoAnswer { .. } => None,
        })
        .collect();
    let count = latencies.len();
    let p99 = p99(&mut latencies);

    let mut graded = Vec::with_capacity(cases.len());
    let mut state_iter = state_verdicts.into_iter();
    for (i, case) in cases.iter().enumerate() {
        let expectation = case.expectation(window, scheme, runner.large_users);
        let mut g = Graded {
            case: case.clone(),
            expectation,
            outcome: Outcome::Pass,
            answer: String::new(),
            statuses: Vec::new(),
            time: Duration::ZERO,
            detail: None,
        };
        if let Some(reason) = &skipped[i] {
            g.outcome = Outcome::Skip;
            g.answer = "not run".to_string();
            g.detail = Some(reason.clone());
        } else if case.kind == Kind::P99 {
            match p99 {
                Some(p) => {
                    g.answer = format!("p99 {} over {count}", human_ms(p));
                    g.time = p;
                    if p >= P99_LIMIT {
                        g.outcome = failed_outcome(case.level, opts.strict);
                        g.detail = Some(format!(
                            "the 99th percentile of {count} answer times is {}",
                            human_ms(p)
                        ));
                    }
                }
                None => {
                    g.outcome = Outcome::Skip;
                    g.answer = "not run".to_string();
                    g.detail = Some("no answer was timed in this run".to_string());
                }
            }
        } else if let Kind::State(_) = case.kind {
            let verdict = state_iter.next().expect("one verdict per scenario run");
            g.answer = verdict.answer;
            g.time = verdict.time;
            if let Err(why) = verdict.result {
                g.outcome = failed_outcome(Level::Stateful, opts.strict);
                g.detail = Some(why);
            }
        } else if let Some(done) = &executed[i] {
            g.answer = summarize(&done.deliveries, runner.timeout);
            if let Some(bytes) = done.sent_bytes {
                g.answer = format!("{} ({:.2} MB)", g.answer, bytes as f64 / 1e6);
            }
            g.statuses = done.deliveries.iter().map(|d| d.status()).collect();
            g.time = done.wall;
            if let Err(why) = judge(&case.kind, done) {
                g.outcome = failed_outcome(case.level, opts.strict);
                g.detail = Some(why);
            }
        }
        graded.push(g);
    }
    Ok(graded)
}

/// Why nobody answered at all, when every request of a case was refused.
fn unreachable(done: &Executed) -> Option<String> {
    if done.deliveries.is_empty() {
        return None;
    }
    let mut reason = None;
    for d in &done.deliveries {
        match &d.reply {
            Reply::NoAnswer {
                connect: true,
                reason: r,
                ..
            } => reason = Some(r.clone()),
            _ => return None,
        }
    }
    reason
}
