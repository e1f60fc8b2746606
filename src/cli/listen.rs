use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, SigningArgs};

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to bind [env: DSYNC_HOST] [default: 127.0.0.1]
    #[arg(long)]
    pub host: Option<String>,

    /// Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]
    #[arg(long, short)]
    pub port: Option<u16>,

    /// Only accept this path (others get 404); without it every path is accepted [env: DSYNC_PATH]
    #[arg(long)]
    pub path: Option<String>,

    /// Accept every path even when --path is set
    #[arg(long)]
    pub any_path: bool,

    /// Event store folder [env: DSYNC_STORE] [default: .dsync]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Do not save captures
    #[arg(long)]
    pub no_save: bool,

    /// Serve the inspector (a live web page over the store) on the same port,
    /// under /_dsync/: that path is then reserved, requests to it are not
    /// captured. Loopback only, unless --ui-token
    #[arg(long, conflicts_with = "no_save")]
    pub ui: bool,

    /// Serve the inspector on a non-loopback --host too; the page and its API
    /// then need this token (16+ characters) [env: DSYNC_UI_TOKEN]
    #[arg(
        long,
        value_name = "TOKEN",
        requires = "ui",
        env = "DSYNC_UI_TOKEN",
        hide_env_values = true
    )]
    pub ui_token: Option<String>,

    /// Sync each capture to disk before answering (survives power loss; slower)
    #[arg(long)]
    pub fsync: bool,

    /// Largest body kept, in bytes; larger ones get 413 and are recorded without their body
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_body: u64,

    /// Answer 401 with a JSON reason when the signature is invalid (default: 200, flagged)
    #[arg(long)]
    pub reject_invalid: bool,

    /// Exit 1 as soon as a request with an invalid signature arrives (for CI)
    #[arg(long)]
    pub fail_on_invalid: bool,

    /// Answer with this status instead of 200 (to exercise the sender's retries)
    #[arg(long, value_name = "STATUS")]
    pub respond: Option<u16>,

    /// Wait this long before answering (simulates a slow receiver)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub respond_after: Option<Duration>,

    /// Forward each request (exact bytes and headers) to this URL and answer with the app's answer [env: DSYNC_FORWARD_TO]
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// Only show events whose code matches this glob (everything is still saved)
    #[arg(long, value_name = "GLOB")]
    pub events: Option<String>,

    /// One line per event, without the before/after diff
    #[arg(long)]
    pub compact: bool,

    /// Wait for events whose code matches CODE_OR_GLOB, N times (default 1); repeatable
    #[arg(long, value_name = "CODE_OR_GLOB[=N]")]
    pub expect: Vec<String>,

    /// Exit 0 after N requests
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Exit 124 if expectations are not met within this time
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Exit 124 if no request arrives for this long
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,

    /// Most threads running the handler (verify, save, forward); started as
    /// needed. Slow clients never hold one: requests reach them complete.
    /// Default: 32 with --forward-to or --respond-after (a handler waits on
    /// them), else one per CPU (a handler never waits: more threads only
    /// take turns)
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,

    /// Most connections open at once; past it, idle or slow connections are
    /// closed to make room, else new ones get 503
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub max_connections: usize,

    /// Time a client has to send a request's head (408 and close past it)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10s")]
    pub header_timeout: Duration,

    /// Time a client has to send a request's body once its head is in (408 and close past it)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub body_timeout: Duration,

    /// Close a connection whose client takes no byte of an answer for this
    /// long (it stopped reading)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub write_timeout: Duration,

    /// Close a keep-alive connection after this long without a request
    #[arg(long = "keep-alive-timeout", value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub idle_timeout_keep_alive: Duration,

    #[command(flatten)]
    pub signing: SigningArgs,
}
