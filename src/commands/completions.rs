//! `dsync completions SHELL`: completions generated from the clap definitions,
//! so they never drift from the binary (the checked-in copies are tested).

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::completions::CompletionsArgs;
use crate::cli::Cli;
use crate::commands::Context;
use crate::error::{Exit, Result};

/// The completion script for `shell`, as bytes.
pub fn generate(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dsync", &mut script);
    script
}

pub fn run(args: CompletionsArgs, ctx: &Context) -> Result<Exit> {
    ctx.out.raw(&generate(args.shell))?;
    Ok(Exit::Success)
}
