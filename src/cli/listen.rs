use clap::Args;

use super::SigningArgs;

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to bind [env: DSYNC_HOST] [default: 127.0.0.1]
    #[arg(long)]
    pub host: Option<String>,

    /// Port to bind; 0 takes a free one [env: DSYNC_PORT] [default: 8000]
    #[arg(long, short)]
    pub port: Option<u16>,

    #[command(flatten)]
    pub signing: SigningArgs,
}
