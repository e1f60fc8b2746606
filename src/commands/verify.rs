//! `dsync verify`.

use crate::cli::verify::VerifyArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: VerifyArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync verify` is not built yet"))
}
