use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};

/// Re-deliver captured events, re-signed with a fresh timestamp when a secret
/// is configured. Exit 1 if any answer was not 2xx (unless --allow-failures).
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Capture files, raw bodies, directories of captures, NDJSON bundles, or -
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Where to deliver [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    /// Only events whose code matches this glob (e.g. `dir_sync.user.*`)
    #[arg(long = "event", value_name = "GLOB")]
    pub event: Option<String>,

    /// Stop after this many deliveries
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,

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
