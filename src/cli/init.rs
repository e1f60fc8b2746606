use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Take the defaults for every question not answered by a flag
    #[arg(long, short)]
    pub yes: bool,

    /// Overwrite an existing dsync.toml
    #[arg(long)]
    pub force: bool,
}
