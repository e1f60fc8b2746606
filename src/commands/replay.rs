//! `dsync replay`.

use crate::cli::replay::ReplayArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: ReplayArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync replay` is not built yet"))
}
