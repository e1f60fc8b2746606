//! `dsync listen`.

use crate::cli::listen::ListenArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: ListenArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync listen` is not built yet"))
}
