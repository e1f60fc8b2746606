//! `dsync completions`.

use crate::cli::completions::CompletionsArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: CompletionsArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync completions` is not built yet"))
}
