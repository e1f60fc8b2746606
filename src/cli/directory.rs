use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::{parse_duration, SigningArgs};

#[derive(Debug, Args)]
#[command(
    about = "A local Cryptr Directory Sync: a SCIM 2.0 endpoint whose changes become signed webhooks",
    long_about = "A local Cryptr Directory Sync. `serve` is a SCIM 2.0 service provider (drive it with \
                  curl, a SCIM client, `dsync simulate`, or a real Okta / Entra ID app through a tunnel); \
                  every change becomes the Cryptr webhook with a true before/after snapshot, committed to \
                  the event store with the change, then delivered to --forward-to targets. State lives \
                  in the store's database (--store)."
)]
pub struct DirectoryArgs {
    #[command(subcommand)]
    pub command: DirectoryCommand,
}

#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Serve SCIM 2.0 at http://HOST:PORT/scim/v2 and deliver the events
    Serve(ServeArgs),
    /// Groups and their members, and counts
    Show(StoreArgs),
    /// The state an app should hold (dsync.app-state.v1 JSON), diffable with `dsync diff`
    Export(ExportArgs),
    /// Forget every user, group and undelivered event (the next start activates again)
    Reset(ResetArgs),
    /// Send dir_sync.deactivate.success and mark the directory inactive
    Deactivate(DeactivateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Store folder holding the directory [env: DSYNC_STORE]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
}

/// Where and how events are delivered.
#[derive(Debug, Clone, Args)]
pub struct DeliveryArgs {
    /// Deliver events to this URL, optionally only some codes: 'URL' or
    /// 'URL dir_sync.user.*,dir_sync.group.all' (globs; Cryptr's all and
    /// dir_sync.all work). Repeatable
    #[arg(long, value_name = "URL [CODES]")]
    pub forward_to: Vec<String>,

    /// Delays before each try, comma-separated (Cryptr's: 0,5m,10m,20m,1h,2h)
    #[arg(long, value_name = "DELAYS", value_delimiter = ',', value_parser = parse_duration)]
    pub retry_schedule: Vec<Duration>,

    /// Deliveries in flight per target
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub delivery_concurrency: usize,

    /// Time allowed for the app to answer one delivery
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub delivery_timeout: Duration,

    #[command(flatten)]
    pub signing: SigningArgs,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Port to bind; 0 takes a free one
    #[arg(long, short, default_value_t = 8001)]
    pub port: u16,

    /// Reproducible ids: drawn from this seed (with --now; for tests)
    #[arg(long, hide = true, requires = "now")]
    pub seed: Option<u64>,

    /// Reproducible clock: starts at this RFC 3339 time, 1 ms more per reading (for tests)
    #[arg(long, hide = true, value_name = "TIMESTAMP", value_parser = super::simulate::parse_now)]
    pub now: Option<i64>,

    /// Bearer token SCIM clients must send [env: DSYNC_SCIM_TOKEN] [config: directory.token]
    /// [default: generated once, saved 0600 in the store folder]
    #[arg(long, value_name = "TOKEN", conflicts_with = "no_auth")]
    pub token: Option<String>,

    /// Serve without authentication (anyone who can reach the port can change the directory)
    #[arg(long)]
    pub no_auth: bool,

    #[command(flatten)]
    pub store: StoreArgs,

    /// Organization slug, the events' __domain__
    #[arg(long, default_value = "acme")]
    pub org: String,

    /// The events' __environment__
    #[arg(long, default_value = "sandbox")]
    pub environment: String,

    /// The events' data.provider (Cryptr's samples show only okta)
    #[arg(long, default_value = "okta")]
    pub provider: String,

    /// On re-activation (active false → true) send dir_sync.user.activate.success
    /// (announced by Cryptr, "not available yet") instead of a new provision
    #[arg(long)]
    pub activate_code: bool,

    /// Largest SCIM request body in bytes (413 above)
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: u64,

    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// Write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// Do not ask (required without a terminal)
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct DeactivateArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    #[command(flatten)]
    pub delivery: DeliveryArgs,

    /// How long to wait for the deliveries before exiting (124 past it)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub wait: Duration,
}
