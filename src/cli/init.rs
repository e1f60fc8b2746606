use std::path::PathBuf;

use clap::Args;

use crate::signature::SchemeName;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Take the defaults for every question not answered by a flag
    #[arg(long, short)]
    pub yes: bool,

    /// Overwrite an existing dsync.toml
    #[arg(long)]
    pub force: bool,

    /// Signature scheme [default: cryptr]
    #[arg(long, value_enum, value_name = "SCHEME")]
    pub scheme: Option<SchemeName>,

    /// Signing secret to write (Cryptr's signature_key)
    #[arg(long, value_name = "SECRET", conflicts_with = "generate_secret")]
    pub secret: Option<String>,

    /// Generate a random secret (the default)
    #[arg(long)]
    pub generate_secret: bool,

    /// Port dsync listen binds to [default: 8000]
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Path dsync listen accepts [default: /directory-sync]
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,

    /// App URL dsync listen forwards to (empty for none) [default: none]
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// Event store folder [default: .dsync]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Add .dsync/ to .gitignore (in a git repository) without asking
    #[arg(long, conflicts_with = "no_gitignore")]
    pub gitignore: bool,

    /// Leave .gitignore alone
    #[arg(long)]
    pub no_gitignore: bool,
}
