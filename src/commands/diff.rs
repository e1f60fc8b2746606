//! `dsync diff`.

use crate::cli::diff::DiffArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: DiffArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync diff` is not built yet"))
}
