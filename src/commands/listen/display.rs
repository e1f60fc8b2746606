//! The human summary line per event.

use crate::output::Palette;

use super::handle::Outcome;

pub fn summary_line(o: &Outcome, p: &Palette) -> String {
    let time = chrono::Utc::now().format("%H:%M:%S");
    let code = o.code.clone().unwrap_or_else(|| "(no code)".into());
    let identity = o
        .capture
        .as_ref()
        .and_then(|c| c.body.to_bytes().ok())
        .and_then(|body| crate::store::resource_label(&body))
        .unwrap_or_else(|| "-".into());
    let verification = match o.verification.as_deref() {
        Some("valid") => p.green("valid"),
        Some("invalid") => p.red(&format!(
            "INVALID ({})",
            o.reason.clone().unwrap_or_default()
        )),
        Some(other) => p.yellow(other),
        None => "-".into(),
    };
    let mut line = format!("{time}  {code}  {identity}  {verification}  → {}", o.status);
    if let Some(f) = o.capture.as_ref().and_then(|c| c.forward.as_ref()) {
        match (f.status, f.latency_ms) {
            (Some(s), Some(ms)) => line.push_str(&format!("  app {s} in {ms:.1} ms")),
            _ => line.push_str("  app unreachable"),
        }
    }
    if let Some(note) = &o.note {
        line.push_str(&format!("  ({note})"));
    }
    line
}
