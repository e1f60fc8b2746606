use std::path::PathBuf;

use clap::Args;

use super::SigningArgs;

#[derive(Debug, Args)]
#[command(
    after_help = "When the signature does not match, dsync tries the usual culprits and names \
the one that would match: another scheme, another Cryptr layout (and the --cryptr-layout to pass), \
a re-serialised body (pretty vs compact, Python's json.dumps, trailing newline, CRLF), the key \
base64-decoded vs raw, with or without whsec_, a body-only HMAC, \"<t>.\" + body vs \"<id>.<t>.\" + \
body, \"<t>\" + body, body + \".<t>\", hex vs base64, a v0-only match. Cryptr's signed layout is not \
published (dsync infers HMAC-SHA256(key, \"<t>.\" + body)); one real capture and its key settle it. \
v1 is accepted with or without the sha256. prefix; v0 is ignored. Standard Webhooks requests are \
read under webhook-* or Svix's svix-* header names."
)]
pub struct VerifyArgs {
    /// Body that was received: a file, or - for stdin (not needed with --capture)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// A received header, `Name: value` (repeatable)
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// A capture from the event store: its headers and exact body
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub capture: Option<PathBuf>,

    #[command(flatten)]
    pub signing: SigningArgs,

    /// Verify as of this Unix time in seconds instead of now (for old captures)
    #[arg(long, value_name = "UNIX")]
    pub at: Option<i64>,
}
