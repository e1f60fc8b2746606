use clap::Args;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Show the secret instead of masking it
    #[arg(long)]
    pub show_secret: bool,
}
