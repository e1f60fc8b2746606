use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};

const AFTER_HELP: &str = r#"Levels: required cases decide the exit code; recommended cases only warn (they count with
--strict); stateful cases run with --state-cmd, which prints the app's state in the
dsync.app-state.v1 format:
  {"format": "dsync.app-state.v1",
   "users":  {"<id>": {"email": "...", "active": true, "profile": {...}, "groups": ["<group id>"]}},
   "groups": {"<id>": {"name": "...", "external_id": "...", "members": ["<user id>"]}}}
Only the attributes the app prints are compared; a user with "active": false counts as absent.

--tolerance is the receiver's: the stale and future cases sign with a timestamp that far again
(at least 5 minutes more) outside it.

JUnit (--junit): one testcase per case; a failure is <failure>; a warning is
<skipped message="warning: ..."> (CI test views show it apart, without failing the build); a case
that did not run is <skipped message="not run: ...">.

Exit codes: 0 every required case passed; 1 a required case failed (or a recommended one with
--strict, or a stateful one); 2 usage; 3 the receiver cannot be reached."#;

/// Test a webhook receiver: forged, stale, tampered, duplicate, unknown, large and
/// concurrent deliveries, each graded against what a safe receiver answers.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct CheckArgs {
    /// The receiver's webhook endpoint, e.g. http://127.0.0.1:3000/webhooks [env: DSYNC_URL]
    #[arg(value_name = "URL")]
    pub url: Option<String>,

    /// Only run the cases whose name matches one of these globs (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub only: Vec<String>,

    /// Leave out the cases whose name matches one of these globs (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub skip: Vec<String>,

    /// List the cases (name, level, expectation) and exit
    #[arg(long)]
    pub list: bool,

    /// Recommended cases count as required: a warning fails the run
    #[arg(long)]
    pub strict: bool,

    /// Time an answer may take before the case fails
    #[arg(long, default_value = "10s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,

    /// Members in the large-event case (5,000 is about 0.43 MB; 12,000 passes 1 MB)
    #[arg(long, default_value_t = crate::check::LARGE_USERS as u64, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub large_users: u64,

    /// Extra header `Name: value` on every request (an auth or tunnel header; repeatable)
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,

    /// Write a JUnit XML report to FILE (for CI test views)
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Command that prints the app's state as JSON (dsync.app-state.v1); enables the stateful cases
    #[arg(long, value_name = "CMD")]
    pub state_cmd: Option<String>,

    /// Time --state-cmd may take
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub state_timeout: Duration,

    /// How long the app's state may take to match after the last delivery (an app that queues its work)
    #[arg(long, default_value = "5s", value_parser = parse_duration, value_name = "DURATION")]
    pub state_wait: Duration,

    /// Print the JSON Schema of the --json report and exit
    #[arg(long)]
    pub print_schema: bool,

    #[command(flatten)]
    pub signing: SigningArgs,
}
