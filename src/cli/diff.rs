use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// One event (capture file or raw body, - for stdin), or two JSON documents: BEFORE AFTER
    #[arg(value_name = "FILE", num_args = 1..=2, required = true)]
    pub files: Vec<PathBuf>,
}
