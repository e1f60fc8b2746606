//! `dsync config`.

use crate::cli::config::ConfigArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: ConfigArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync config` is not built yet"))
}
