//! `dsync events`.

use crate::cli::events::EventsArgs;
use crate::commands::Context;
use crate::error::{Error, Exit, Result};

pub fn run(_args: EventsArgs, _ctx: &Context) -> Result<Exit> {
    Err(Error::usage("`dsync events` is not built yet"))
}
