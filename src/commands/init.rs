//! `dsync init`.

use crate::cli::init::InitArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: InitArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync init` is not built yet"))
}
