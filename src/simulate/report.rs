//! The run's summary: SCIM requests by status, events by code, deliveries by
//! status, delivery latency, the check; for people or as one JSON document.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::driver::Outcome;
use crate::output::Output;

/// What the directory side reports (absent when driving another SCIM server).
#[derive(Debug, Default, Clone)]
pub struct Deliveries {
    pub events_by_code: BTreeMap<String, u64>,
    /// Final outcome of each delivery, by its last status (`"200"`, `"gave up"`...).
    pub deliveries_by_status: BTreeMap<String, u64>,
    /// Attempts made, retries included.
    pub attempts: u64,
    /// Deliveries never acknowledged with a 2xx (or 410).
    pub unacknowledged: u64,
    /// Delivery latency percentiles, milliseconds (the directory's own figures).
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// The `--check-cmd` outcome.
#[derive(Debug, Clone)]
pub struct Check {
    pub command: String,
    pub equal: bool,
    /// The differences, rendered through the diff engine.
    pub differences: String,
}

/// The nearest-rank percentile of already sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Everything the summary says.
pub struct Summary<'a> {
    pub scenario: &'a str,
    pub idp: &'a str,
    pub seed: u64,
    pub scim_url: &'a str,
    pub outcome: &'a Outcome,
    pub deliveries: Option<&'a Deliveries>,
    pub check: Option<&'a Check>,
    pub state_out: Option<String>,
    pub exit: u8,
}

impl Summary<'_> {
    pub fn to_json(&self) -> Value {
        let o = self.outcome;
        let mut scim_lat: Vec<f64> = o.latencies_us.iter().map(|u| *u as f64 / 1000.0).collect();
        scim_lat.sort_by(f64::total_cmp);
        let secs = o.elapsed.as_secs_f64();
        let by_status: Map<String, Value> = o
            .by_status
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let mut report = json!({
            "type": "summary",
            "scenario": self.scenario,
            "idp": self.idp,
            "seed": self.seed,
            "scim_url": self.scim_url,
            "scim": {
                "planned": o.planned,
                "sent": o.sent,
                "by_status": by_status,
                "linked": o.linked,
                "skipped": o.skipped,
                "transport_errors": o.transport_errors,
                "failed": o.failed(),
                "failures": o.failures.iter().take(20).collect::<Vec<_>>(),
                "seconds": round2(secs),
                "per_second": if secs > 0.0 { round2(o.sent as f64 / secs) } else { 0.0 },
                "latency_ms": {"p50": round2(percentile(&scim_lat, 50.0)), "p99": round2(percentile(&scim_lat, 99.0))},
            },
            "interrupted": o.interrupted,
            "exit": self.exit,
        });
        if let Some(d) = self.deliveries {
            report["events"] = json!({"by_code": d.events_by_code, "total": d.events_by_code.values().sum::<u64>()});
            report["deliveries"] = json!({
                "by_status": d.deliveries_by_status,
                "attempts": d.attempts,
                "unacknowledged": d.unacknowledged,
                "latency_ms": {"p50": d.p50_ms.map(round2), "p99": d.p99_ms.map(round2)},
            });
        }
        if let Some(c) = self.check {
            report["check"] =
                json!({"command": c.command, "equal": c.equal, "differences": c.differences});
        }
        if let Some(path) = &self.state_out {
            report["state_out"] = json!(path);
        }
        report
    }

    /// The summary for people, on stdout.
    pub fn print(&self, out: &Output) -> std::io::Result<()> {
        let o = self.outcome;
        let p = &out.out;
        let secs = o.elapsed.as_secs_f64();
        let statuses: Vec<String> = o
            .by_status
            .iter()
            .map(|(s, n)| {
                let label = format!("{s}: {n}");
                if (200..300).contains(s) {
                    p.green(&label)
                } else {
                    p.red(&label)
                }
            })
            .collect();
        out.line(format!(
            "{} {} as {} (seed {}) against {}",
            p.bold("simulate"),
            self.scenario,
            self.idp,
            self.seed,
            self.scim_url
        ))?;
        let mut scim_lat: Vec<f64> = o.latencies_us.iter().map(|u| *u as f64 / 1000.0).collect();
        scim_lat.sort_by(f64::total_cmp);
        out.line(format!(
            "  SCIM requests  {} sent of {} planned in {secs:.2}s ({:.0}/s): {}{}{}; latency ms p50 {:.2} p99 {:.2}",
            o.sent,
            o.planned,
            if secs > 0.0 { o.sent as f64 / secs } else { 0.0 },
            if statuses.is_empty() { "none".to_string() } else { statuses.join(", ") },
            if o.linked > 0 { format!(", {} linked by look-up", o.linked) } else { String::new() },
            if o.skipped > 0 { format!(", {} not sent", o.skipped) } else { String::new() },
            percentile(&scim_lat, 50.0),
            percentile(&scim_lat, 99.0),
        ))?;
        for f in o.failures.iter().take(10) {
            out.line(format!(
                "    {} #{} {} {} {} ({}): {}",
                p.red("failed"),
                f.seq,
                f.method,
                f.path,
                f.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "no answer".into()),
                f.action,
                f.detail.trim()
            ))?;
        }
        if o.failures.len() > 10 {
            out.line(format!("    ... and {} more", o.failures.len() - 10))?;
        }
        if let Some(d) = self.deliveries {
            let total: u64 = d.events_by_code.values().sum();
            let codes: Vec<String> = d
                .events_by_code
                .iter()
                .map(|(c, n)| format!("{}: {n}", c.trim_start_matches("dir_sync.")))
                .collect();
            out.line(format!("  events         {total}: {}", codes.join(", ")))?;
            let st: Vec<String> = d
                .deliveries_by_status
                .iter()
                .map(|(s, n)| format!("{s}: {n}"))
                .collect();
            out.line(format!(
                "  deliveries     {} ({} attempts){}; latency ms p50 {:.2} p99 {:.2}",
                if st.is_empty() {
                    "none".to_string()
                } else {
                    st.join(", ")
                },
                d.attempts,
                if d.unacknowledged > 0 {
                    p.red(&format!(", {} never acknowledged", d.unacknowledged))
                } else {
                    String::new()
                },
                d.p50_ms.unwrap_or(0.0),
                d.p99_ms.unwrap_or(0.0),
            ))?;
        }
        if let Some(path) = &self.state_out {
            out.line(format!("  state written  {path}"))?;
        }
        if let Some(c) = self.check {
            if c.equal {
                out.line(format!(
                    "  check          {} the app holds the directory's state",
                    p.green("ok")
                ))?;
            } else {
                out.line(format!(
                    "  check          {} the app's state differs from the directory's:",
                    p.red("FAILED")
                ))?;
                for line in c.differences.lines() {
                    out.line(format!("    {line}"))?;
                }
            }
        }
        if o.interrupted {
            out.line(format!(
                "  {}",
                p.yellow("interrupted: not every request was sent")
            ))?;
        }
        Ok(())
    }
}
