//! `dsync man`: the man page, generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::commands::Context;
use crate::error::{Exit, Result};

pub fn run(ctx: &Context) -> Result<Exit> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    ctx.out.raw(&page)?;
    Ok(Exit::Success)
}
