use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};

/// Build realistic, signed Cryptr Directory Sync events and POST them.
// The variant's doc line in src/cli.rs is the about text; the choices and the
// exit codes are written from `event::CHOICES` below it.
#[derive(Debug, Args)]
#[command(
    after_help = "The choices dsync makes where the spec is silent, and the exit codes: see --help.",
    after_long_help = send_test_help()
)]
pub struct SendTestArgs {
    /// Where to POST the events [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    /// Event code to send (repeatable; see --list). A code not on the list
    /// is sent as a bare event, with a warning.
    #[arg(long = "event", value_name = "CODE")]
    pub events: Vec<String>,

    /// Send every code of --list: the 19 documented ones and the 2 legacy ones
    #[arg(long, conflicts_with = "events")]
    pub all: bool,

    /// List the known codes (legacy and announced ones marked) and exit
    #[arg(long)]
    pub list: bool,

    /// Write the body to stdout instead of sending it
    #[arg(long)]
    pub print: bool,

    /// Seed for the generator (same seed + --now => same bytes)
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Issue time (RFC 3339) [default: now]
    #[arg(long, value_name = "TIMESTAMP")]
    pub now: Option<String>,

    /// Organization domain used for emails and `__domain__`
    #[arg(long, default_value = "shark-academy.io")]
    pub org: String,

    /// `__environment__`
    #[arg(long, default_value = "sandbox", value_parser = ["sandbox", "production"])]
    pub environment: String,

    /// `data.provider`
    #[arg(long, default_value = "okta", value_parser = ["okta", "azure", "google"])]
    pub provider: String,

    /// Override a field of generated events: `data.provider=azure` (a JSON value, else a string)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// Apply this JSON merge patch (RFC 7396) to generated events, after --set
    #[arg(long, value_name = "FILE")]
    pub merge: Option<PathBuf>,

    /// Send this file (or - for stdin) as the body, signed as is
    #[arg(long, value_name = "FILE", conflicts_with_all = ["events", "all", "merge"])]
    pub body: Option<PathBuf>,

    /// Extra header `Name: value` (repeatable)
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,

    /// Expected status: `2xx` or a code; exit 1 when unmet [default: 2xx]
    #[arg(long, value_name = "STATUS")]
    pub expect_status: Option<String>,

    /// Retry non-2xx answers (except 410) like Cryptr, re-signing every try
    #[arg(long)]
    pub retry: bool,

    /// Delays before each try when retrying [default: Cryptr's 0,5m,10m,20m,1h,2h]
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_duration, requires = "retry")]
    pub retry_schedule: Vec<Duration>,

    /// Request timeout
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub timeout: Duration,

    #[command(flatten)]
    pub signing: SigningArgs,
}

fn send_test_help() -> String {
    format!(
        "{}\nOutput: one line per event, `CODE -> STATUS in N ms ANSWER` (the answer's start, \
         escaped, on one line); with --json one JSON object per event.\n\n\
         Exit codes: 0 every answer met --expect-status (2xx unless told), 1 an answer did not \
         (a non-2xx answer, as for replay), 2 usage, 3 network, 124 timeout.",
        crate::event::choices_help()
    )
}
