//! dsync: the local companion for Directory Sync (SCIM) webhooks.
//!
//! The binary is a thin `main` around [`main_entry`]; everything else lives
//! here, one room per concern (see the design notes in the README).
#![warn(clippy::print_stdout)]

pub mod app_state;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deliver;
pub mod diff;
pub mod directory;
pub mod error;
pub mod event;
pub mod output;
pub mod server;
pub mod signature;
pub mod store;
pub mod ui;

use std::process::ExitCode;

use clap::Parser;

use crate::error::Exit;

/// Parse the command line, run the command, print any error once with its
/// causes, and map the outcome to an exit code.
pub fn main_entry() -> ExitCode {
    let cli = cli::Cli::parse();
    let ctx = match commands::Context::new(cli.global) {
        Ok(ctx) => ctx,
        Err(err) => return report(&output::Output::plain(), err),
    };
    match commands::dispatch(cli.command, &ctx) {
        Ok(exit) => exit.into(),
        Err(err) => report(&ctx.out, err),
    }
}

fn report(out: &output::Output, err: error::Error) -> ExitCode {
    // `dsync ... | head` closing the pipe early is not a failure.
    if err.is_broken_pipe() {
        return Exit::Success.into();
    }
    let mut causes = err.inner.chain();
    let head = causes.next().map(|c| c.to_string()).unwrap_or_default();
    let rest: Vec<String> = causes.map(|c| c.to_string()).collect();
    if rest.is_empty() {
        out.error(head);
    } else {
        out.error(format!("{head}: {}", rest.join(": ")));
    }
    err.exit.into()
}
