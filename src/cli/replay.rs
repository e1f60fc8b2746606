use std::path::PathBuf;

use clap::Args;

use super::SigningArgs;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Capture files, raw bodies, directories of captures, NDJSON bundles, or -
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Where to deliver [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    #[command(flatten)]
    pub signing: SigningArgs,
}
