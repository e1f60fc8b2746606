//! `dsync sign`.

use crate::cli::sign::SignArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: SignArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync sign` is not built yet"))
}
