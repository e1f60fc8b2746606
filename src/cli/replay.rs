use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};

/// Re-deliver captured events, re-signed with a fresh timestamp when a secret
/// is configured. Exit 1 if any answer was not 2xx (unless --allow-failures).
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Capture files, raw bodies, directories of captures, NDJSON bundles,
    /// store folders (holding dsync.db), or -; none: the event store
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Replay this event store (filters run in its database) [env: DSYNC_STORE] [default: .dsync]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Where to deliver [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    /// Only events whose code matches this glob (e.g. `dir_sync.user.*`)
    #[arg(long = "event", value_name = "GLOB")]
    pub event: Option<String>,

    /// Stop after this many deliveries
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

    /// Only captures received at or after this: RFC 3339 time, or a duration ago (2h, 7d)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Only captures received before this: RFC 3339 time, or a duration ago
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Delivery order: by capture time, or by the body's `issued_at`
    #[arg(long, default_value = "capture", value_parser = ["capture", "issued_at"])]
    pub order: String,

    /// Deliveries in flight at once
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,

    /// At most this many deliveries per second: `50` or `50/s`
    #[arg(long, value_name = "N/s", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Send the whole selection this many times
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub repeat: u32,

    /// Deliver in a random order (see --seed)
    #[arg(long)]
    pub shuffle: bool,

    /// Seed for --shuffle and --duplicate [default: random, printed in the summary]
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Send this fraction (0 to 1) of the events a second time, to test idempotency
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction)]
    pub duplicate: Option<f64>,

    /// Resend the captured headers as they were (minus hop-by-hop, Host, Content-Length), unsigned again
    #[arg(long)]
    pub verbatim: bool,

    /// Do not exit 1 on non-2xx answers
    #[arg(long)]
    pub allow_failures: bool,

    /// A bad file is fatal instead of skipped
    #[arg(long)]
    pub strict: bool,

    /// Request timeout
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,

    #[command(flatten)]
    pub signing: SigningArgs,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let n = text.trim().trim_end_matches("/s");
    match n.parse::<f64>() {
        Ok(r) if r > 0.0 && r.is_finite() => Ok(r),
        _ => Err(format!("{text:?} is not a rate: use e.g. 50 or 50/s")),
    }
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("{text:?} is not a fraction between 0 and 1")),
    }
}
