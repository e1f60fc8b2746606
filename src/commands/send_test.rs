//! `dsync send-test`.

use crate::cli::send_test::SendTestArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: SendTestArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync send-test` is not built yet"))
}
