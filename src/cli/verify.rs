use std::path::PathBuf;

use clap::Args;

use super::SigningArgs;

#[derive(Debug, Args)]
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
}
