//! The three renderings of a run: a table for people, the `--json` report
//! (its schema is `report.schema.json`, printed by `--print-schema`), and
//! JUnit XML for CI test views.

use std::time::Duration;

use serde::Serialize;

use super::run::{Graded, Outcome};
use super::{human_ms, Level};
use crate::output::Palette;
use crate::signature::SchemeName;

/// The report format's name and version, the first field of `--json`.
pub const FORMAT: &str = "dsync.check-report.v1";

/// The JSON Schema of the `--json` report.
pub const SCHEMA: &str = include_str!("report.schema.json");

#[derive(Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub url: String,
    pub scheme: SchemeName,
    pub strict: bool,
    /// RFC 3339, when the run started.
    pub started_at: String,
    #[serde(skip)]
    started: chrono::DateTime<chrono::Utc>,
    pub duration_ms: f64,
    /// The exit code: 0 every required case passed, 1 one failed.
    pub exit_code: u8,
    pub summary: Summary,
    pub cases: Vec<CaseReport>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub warned: usize,
    pub skipped: usize,
}

#[derive(Debug, Serialize)]
pub struct CaseReport {
    pub name: String,
    pub level: Level,
    pub expectation: String,
    pub outcome: Outcome,
    /// The answers in a few words ("401", "200, 200").
    pub answer: String,
    /// Every HTTP status received, in order (`null`: no answer).
    pub statuses: Vec<Option<u16>>,
    pub time_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Why a failure matters (failures and warnings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// What to change (failures and warnings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Report {
    pub fn new(
        url: &str,
        scheme: SchemeName,
        strict: bool,
        started_at: chrono::DateTime<chrono::Utc>,
        duration: Duration,
        graded: &[Graded],
    ) -> Report {
        let mut summary = Summary {
            total: graded.len(),
            ..Summary::default()
        };
        let cases = graded
            .iter()
            .map(|g| {
                match g.outcome {
                    Outcome::Pass => summary.passed += 1,
                    Outcome::Fail => summary.failed += 1,
                    Outcome::Warn => summary.warned += 1,
                    Outcome::Skip => summary.skipped += 1,
                }
                let (why, fix) = match g.outcome {
                    Outcome::Fail | Outcome::Warn => {
                        let (why, fix) = g.case.advice();
                        (Some(why.to_string()), Some(fix.to_string()))
                    }
                    _ => (None, None),
                };
                CaseReport {
                    name: g.case.name.clone(),
                    level: g.case.level,
                    expectation: g.expectation.clone(),
                    outcome: g.outcome,
                    answer: g.answer.clone(),
                    statuses: g.statuses.clone(),
                    time_ms: ms(g.time),
                    detail: g.detail.clone(),
                    why,
                    fix,
                }
            })
            .collect();
        Report {
            format: FORMAT,
            url: url.to_string(),
            scheme,
            strict,
            started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            started: started_at,
            duration_ms: ms(duration),
            exit_code: if summary.failed > 0 { 1 } else { 0 },
            summary,
            cases,
        }
    }

    /// The table, the advice for each failure and warning, and a closing line.
    pub fn table(&self, palette: &Palette) -> String {
        let headers = ["case", "expectation", "answer", "time", "result"];
        let rows: Vec<[String; 5]> = self
            .cases
            .iter()
            .map(|c| {
                [
                    c.name.clone(),
                    c.expectation.clone(),
                    c.answer.clone(),
                    if c.outcome == Outcome::Skip {
                        "-".to_string()
                    } else {
                        human_ms(Duration::from_secs_f64(c.time_ms / 1000.0))
                    },
                    outcome_word(c.outcome).to_string(),
                ]
            })
            .collect();
        let mut widths = headers.map(str::len);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let pad = |text: &str, width: usize| {
            let fill = width.saturating_sub(text.chars().count());
            format!("{text}{}", " ".repeat(fill))
        };
        let mut out = String::new();
        let head: Vec<String> = headers.iter().zip(widths).map(|(h, w)| pad(h, w)).collect();
        out.push_str(&palette.bold(head.join("  ").trim_end()));
        out.push('\n');
        for (row, case) in rows.iter().zip(&self.cases) {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    let padded = pad(cell, w);
                    if i == 4 {
                        paint(palette, case.outcome, padded.trim_end())
                    } else {
                        padded
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        for case in &self.cases {
            if !matches!(case.outcome, Outcome::Fail | Outcome::Warn) {
                continue;
            }
            out.push('\n');
            out.push_str(&format!(
                "{} {}: {}\n",
                paint(palette, case.outcome, outcome_word(case.outcome)),
                palette.bold(&case.name),
                case.detail.as_deref().unwrap_or("unexpected answer")
            ));
            if let Some(why) = &case.why {
                out.push_str(&format!("  why it matters: {why}\n"));
            }
            if let Some(fix) = &case.fix {
                out.push_str(&format!("  what to change: {fix}\n"));
            }
        }
        // Skipped cases, grouped by reason.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for case in self.cases.iter().filter(|c| c.outcome == Outcome::Skip) {
            let reason = case.detail.as_deref().unwrap_or("not run");
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, names)) => names.push(&case.name),
                None => reasons.push((reason, vec![&case.name])),
            }
        }
        if !reasons.is_empty() {
            out.push('\n');
        }
        for (reason, names) in reasons {
            out.push_str(&palette.dimmed(&format!("skipped {}: {reason}", names.join(", "))));
            out.push('\n');
        }
        let s = &self.summary;
        out.push('\n');
        out.push_str(&format!(
            "{} passed, {} failed, {} warned, {} skipped in {}\n",
            s.passed,
            s.failed,
            s.warned,
            s.skipped,
            human_ms(Duration::from_secs_f64(self.duration_ms / 1000.0))
        ));
        out
    }

    /// JUnit XML, as Jenkins, GitLab, GitHub test reporters and Azure read it.
    /// A warning is `<skipped message="warning: …">`: JUnit has no warning, and
    /// skipped is the one status those views show apart without failing the build.
    pub fn junit(&self) -> String {
        let s = &self.summary;
        let secs = self.duration_ms / 1000.0;
        let suite = format!("dsync check {}", self.url);
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.push_str(&format!(
            "<testsuites name=\"dsync check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{secs:.3}\">\n",
            s.total,
            s.failed,
            s.warned + s.skipped
        ));
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{secs:.3}\" timestamp=\"{}\">\n",
            escape(&suite),
            s.total,
            s.failed,
            s.warned + s.skipped,
            // JUnit's schema wants a timestamp without a zone (UTC here).
            self.started.format("%Y-%m-%dT%H:%M:%S")
        ));
        x.push_str("    <properties>\n");
        for (name, value) in [
            ("url", self.url.clone()),
            ("scheme", self.scheme.to_string()),
            ("strict", self.strict.to_string()),
        ] {
            x.push_str(&format!(
                "      <property name=\"{name}\" value=\"{}\"/>\n",
                escape(&value)
            ));
        }
        x.push_str("    </properties>\n");
        for c in &self.cases {
            x.push_str(&format!(
                "    <testcase classname=\"dsync.check.{}\" name=\"{}\" time=\"{:.3}\"",
                c.level.as_str(),
                escape(&c.name),
                c.time_ms / 1000.0
            ));
            let body = format!(
                "expected: {}\nanswer: {}\n{}{}{}",
                c.expectation,
                c.answer,
                c.detail
                    .as_ref()
                    .map(|d| format!("detail: {d}\n"))
                    .unwrap_or_default(),
                c.why
                    .as_ref()
                    .map(|w| format!("why it matters: {w}\n"))
                    .unwrap_or_default(),
                c.fix
                    .as_ref()
                    .map(|f| format!("what to change: {f}\n"))
                    .unwrap_or_default(),
            );
            let detail = c.detail.as_deref().unwrap_or("unexpected answer");
            match c.outcome {
                Outcome::Pass => x.push_str("/>\n"),
                Outcome::Fail => x.push_str(&format!(
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                    escape(&format!("expected {}; {detail}", c.expectation)),
                    c.level.as_str(),
                    escape(&body)
                )),
                Outcome::Warn => x.push_str(&format!(
                    ">\n      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n    </testcase>\n",
                    escape(&format!("warning: expected {}; {detail}", c.expectation)),
                    escape(&body)
                )),
                Outcome::Skip => x.push_str(&format!(
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape(&format!("not run: {detail}"))
                )),
            }
        }
        x.push_str("  </testsuite>\n</testsuites>\n");
        x
    }
}

/// JUnit for a run that could not start: one testcase in error, so a CI test
/// view shows why instead of "no report found".
pub fn unreachable_junit(url: &str, message: &str) -> String {
    let (url, message) = (escape(url), escape(message));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"dsync check\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n\
         \x20 <testsuite name=\"dsync check {url}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n\
         \x20   <testcase classname=\"dsync.check.required\" name=\"reachable\" time=\"0\">\n\
         \x20     <error message=\"{message}\" type=\"unreachable\">{message}</error>\n\
         \x20   </testcase>\n\
         \x20 </testsuite>\n\
         </testsuites>\n"
    )
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "FAIL",
        Outcome::Warn => "warn",
        Outcome::Skip => "skip",
    }
}

fn paint(p: &Palette, o: Outcome, text: &str) -> String {
    match o {
        Outcome::Pass => p.green(text),
        Outcome::Fail => p.paint(text, |s| colored::Colorize::bold(colored::Colorize::red(s))),
        Outcome::Warn => p.yellow(text),
        Outcome::Skip => p.dimmed(text),
    }
}

/// Text for an XML attribute or element: the five entities escaped, and the
/// characters XML 1.0 forbids (most control characters) replaced, since an
/// answer can carry anything.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_escape_handles_entities_and_forbidden_characters() {
        assert_eq!(
            super::escape("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}\n"
        );
    }
}
