use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};
use crate::simulate::persona::Idp;

/// `--now`: an RFC 3339 time (as `send-test --now` takes it), in microseconds.
pub fn parse_now(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_micros())
        .map_err(|e| format!("{e} (use RFC 3339, e.g. 2024-01-02T03:04:05Z)"))
}

/// Play an identity provider (Okta, Entra ID, Google Workspace) against a SCIM
/// directory: lifecycle scenarios sent as that IdP sends SCIM, delivered to your
/// app as signed Cryptr webhooks, then the app's state checked.
///
/// By default a directory starts in-process on a free port (empty, in a
/// temporary state unless --state) and delivers to --url. --scim-url drives
/// another SCIM server instead (a running `dsync directory serve`, or yours).
/// --print shows the planned SCIM requests as NDJSON and sends nothing;
/// `{{u3}}` in a request stands for the id the server returns for user u3.
///
/// --check-cmd CMD runs once every delivery settled; CMD prints the app's view
/// as JSON: {"users": {"<id>": {"email", "active", "groups": [...], ...}},
/// "groups": {"<id>": {"name", "members": [...], ...}}} (ids are the webhooks'
/// data.resource.id; see examples/receiver.js).
///
/// Exit codes: 0 every event delivered (and the app matched with --check-cmd);
/// 1 a divergence, a SCIM request refused, or an event never acknowledged;
/// 2 usage; 3 unreachable; 130 interrupted (the summary is still printed).
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A built-in scenario (see --list) or a TOML scenario file
    #[arg(value_name = "SCENARIO", default_value = "onboarding")]
    pub scenario: String,

    /// List the built-in scenarios and IdP personas, and exit
    #[arg(long)]
    pub list: bool,

    /// The identity provider to play
    #[arg(long, value_enum, default_value_t = Idp::Okta)]
    pub idp: Idp,

    /// Users created by the scenario's onboarding
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub users: u32,

    /// Groups created by the scenario's onboarding
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub groups: u32,

    /// Size of the scenario's own part (joiners, movers, leavers, churn steps...)
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub steps: u32,

    /// Seed: same seed, same people and SCIM requests (and the same chaos choices)
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Reproducible directory: its clock starts at this time (RFC 3339) and its ids come from --seed, so the same --seed and --now commit byte-identical events (SCIM requests then go one at a time unless --concurrency is given)
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_now, conflicts_with = "scim_url")]
    pub now: Option<i64>,

    /// The organization's domain (emails, and the events' __domain__)
    #[arg(long, default_value = "shark-academy.io", value_name = "DOMAIN")]
    pub org: String,

    /// Print the planned SCIM requests as NDJSON; send nothing
    #[arg(long)]
    pub print: bool,

    /// The app's webhook URL the directory delivers to [env: DSYNC_URL]
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Drive this SCIM server (base URL, e.g. http://127.0.0.1:8001/scim/v2) instead of an in-process directory
    #[arg(long, value_name = "URL")]
    pub scim_url: Option<String>,

    /// Bearer token for --scim-url [env: DSYNC_SCIM_TOKEN]
    #[arg(
        long,
        value_name = "TOKEN",
        env = "DSYNC_SCIM_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// SCIM requests in flight at once (one resource's requests never overlap) [default: 8; 1 with --now]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: Option<u32>,

    /// SCIM requests per second at most
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,

    /// Timeout of one SCIM request
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,

    /// The in-process directory's state folder [default: a temporary one, removed at the end]
    #[arg(long, value_name = "DIR", conflicts_with = "scim_url")]
    pub state: Option<PathBuf>,

    /// Event store folder for the directory's events [env: DSYNC_STORE] [default: .dsync]
    #[arg(long, value_name = "DIR", conflicts_with = "scim_url")]
    pub store: Option<PathBuf>,

    /// Do not save the directory's events to the event store
    #[arg(long, conflicts_with = "scim_url")]
    pub no_save: bool,

    /// Chaos: re-deliver this share of events (0.0 to 1.0)
    #[arg(
        long,
        value_name = "P",
        default_value_t = 0.0,
        conflicts_with = "scim_url"
    )]
    pub duplicate: f64,

    /// Chaos: deliver out of order within windows of N events
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        conflicts_with = "scim_url"
    )]
    pub reorder_window: usize,

    /// Chaos: make the first attempt of every delivery look failed, so it is retried
    #[arg(long, conflicts_with = "scim_url")]
    pub fail_first: bool,

    /// Delays between delivery tries [default: 0,200ms,500ms,1s,2s: compressed for a simulation]
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_duration, conflicts_with = "scim_url")]
    pub retry_schedule: Vec<Duration>,

    /// How long to wait for every delivery to settle after the last SCIM request
    #[arg(long, default_value = "60s", value_parser = parse_duration, value_name = "DURATION")]
    pub settle_timeout: Duration,

    /// Write the directory's final state (the `directory export` format) to FILE
    #[arg(long, value_name = "FILE", conflicts_with = "scim_url")]
    pub state_out: Option<PathBuf>,

    /// Once deliveries settled, run CMD (sh -c); compare the JSON it prints with the directory's state
    #[arg(long, value_name = "CMD", conflicts_with = "scim_url")]
    pub check_cmd: Option<String>,

    /// How long --check-cmd may run
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub check_timeout: Duration,

    #[command(flatten)]
    pub signing: SigningArgs,
}
