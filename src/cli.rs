//! Command-line definitions (clap), and nothing else. Each subcommand's
//! arguments live in `cli/<name>.rs`; its behaviour in `commands/<name>.rs`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::EXIT_CODES_HELP;
use crate::signature::{CryptrLayout, SchemeName};

pub mod completions;
pub mod config;
pub mod diff;
pub mod directory;
pub mod events;
pub mod init;
pub mod listen;
pub mod replay;
pub mod send_test;
pub mod sign;
pub mod ui;
pub mod verify;

#[derive(Debug, Parser)]
#[command(
    name = "dsync",
    version,
    about = "Capture, verify, diff, send and replay Directory Sync (SCIM) webhooks, locally",
    long_about = "dsync is the local companion for Directory Sync (SCIM) webhooks sent by Cryptr \
                  (and Standard Webhooks, Stripe and WorkOS-style senders): listen for them, verify \
                  their signatures, see what changed, save them, forward them to your app, and send \
                  or replay realistic signed events. No account, no network beyond localhost.",
    after_help = EXIT_CODES_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to use colour: auto honours NO_COLOR, CLICOLOR_FORCE and whether the stream is a terminal
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Machine-readable output: stdout carries only JSON (NDJSON for streams)
    #[arg(long, global = true)]
    pub json: bool,

    /// Print less on stderr (errors and warnings only)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Configuration file to use instead of ./dsync.toml [env: DSYNC_CONFIG]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Listen for webhooks: capture, verify, show, save and forward them; wait for them in CI
    Listen(listen::ListenArgs),
    /// Send realistic, signed test events to a URL
    SendTest(send_test::SendTestArgs),
    /// Re-deliver captured events to a URL
    Replay(replay::ReplayArgs),
    /// Show what changed: in one event, or between two JSON documents
    Diff(diff::DiffArgs),
    /// Sign a body: print the headers (or a curl command) to send with it
    Sign(sign::SignArgs),
    /// Verify a request's signature, and explain why it fails
    Verify(verify::VerifyArgs),
    /// A local Cryptr Directory Sync: SCIM 2.0 in, signed webhooks out
    Directory(directory::DirectoryArgs),
    /// List, show, export, import and prune the local event store
    Events(events::EventsArgs),
    /// Serve the inspector: a live web page over the event store (loopback only)
    Ui(ui::UiArgs),
    /// Set up dsync.toml interactively (or with flags)
    Init(init::InitArgs),
    /// Print the effective configuration and where each value comes from
    Config(config::ConfigArgs),
    /// Print shell completions
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff)
    Man,
}

/// Where the secret comes from, which scheme to use, and how strict to be
/// about time. Shared by every command that signs or verifies.
#[derive(Debug, Clone, Default, Args)]
pub struct SigningArgs {
    /// Signing secret (Cryptr's signature_key; whsec_... for standard) [env: DSYNC_SECRET]
    #[arg(long, value_name = "SECRET", conflicts_with = "secret_file")]
    pub secret: Option<String>,

    /// Read the secret from a file (trailing newline ignored) [env: DSYNC_SECRET_FILE]
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,

    /// Signature scheme [env: DSYNC_SCHEME] [default: cryptr]
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeName>,

    /// Timestamp tolerance, both ways (e.g. 30s, 5m) [env: DSYNC_TOLERANCE]
    /// [default: cryptr, standard and stripe 5m both ways (the stripe libraries bound only the
    /// past), workos 3m both ways as the workos Python SDK]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "no_tolerance")]
    pub tolerance: Option<Duration>,

    /// Do not check the timestamp at all
    #[arg(long)]
    pub no_tolerance: bool,

    /// Cryptr's signed layout, e.g. `body,base64` [env: DSYNC_CRYPTR_LAYOUT] [default: t.body,hex,prefix,s]
    #[arg(long, value_name = "LAYOUT", long_help = CRYPTR_LAYOUT_HELP)]
    pub cryptr_layout: Option<CryptrLayout>,
}

const CRYPTR_LAYOUT_HELP: &str = concat!(
    "Cryptr's signed layout, used to sign and to verify [env: DSYNC_CRYPTR_LAYOUT]\n\n",
    "Cryptr does not publish what it signs; dsync infers t.body,hex,prefix,s: ",
    "v1=sha256.hex(HMAC-SHA256(signature_key, \"<t>.\" + body)), t in seconds. ",
    "`dsync verify --capture` names the layout a real capture uses when it is another one. ",
    "Words, comma-separated, in any order; a part not named keeps the default: ",
    "t.body | body | tbody (\"<t>\" + body) | body.t (body + \".<t>\"); hex | base64; ",
    "prefix | no-prefix (write sha256. or not; verifying accepts both); s | ms (unit of t).\n\n",
    "[default: t.body,hex,prefix,s]"
);

/// Parse a human duration: `500ms`, `30s`, `5m`, `2h`, `7d`, or bare seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        // try_from: a huge number is an error, not a panic.
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("{text:?} is not a usable number of seconds"));
    }
    humantime::parse_duration(text).map_err(|e| format!("{e} (examples: 500ms, 30s, 5m, 2h, 7d)"))
}
