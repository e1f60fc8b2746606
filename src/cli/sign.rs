use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::SigningArgs;

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Body to sign: a file, or - for stdin (the exact bytes are signed)
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,

    #[command(flatten)]
    pub signing: SigningArgs,

    /// Unix timestamp in seconds to sign with [default: now]
    #[arg(long, value_name = "UNIX")]
    pub timestamp: Option<i64>,

    /// Message id (standard scheme's webhook-id) [default: derived]
    #[arg(long, value_name = "MSG_ID")]
    pub id: Option<String>,

    /// What to print
    #[arg(long, value_enum, default_value_t = SignFormat::Headers)]
    pub format: SignFormat,

    /// Target URL, for --format curl [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    /// Cryptr only: write v1 without the sha256. prefix (the same as
    /// `--cryptr-layout no-prefix`). Cryptr's docs show both forms
    #[arg(long)]
    pub no_sha256_prefix: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignFormat {
    /// One `Name: value` line per header
    Headers,
    /// A ready curl command that posts the exact file bytes
    Curl,
}
