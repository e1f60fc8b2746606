use clap::Args;

use super::SigningArgs;

#[derive(Debug, Args)]
pub struct SendTestArgs {
    /// Where to POST the events [env: DSYNC_URL]
    #[arg(long)]
    pub url: Option<String>,

    #[command(flatten)]
    pub signing: SigningArgs,
}
