//! End-to-end tests of the real `dsync` binary: one test crate, one module per
//! command. Every test runs in its own sandbox (see `harness`), never touching
//! the developer's config, home directory or terminal.

mod harness;

mod cli;
mod contract;
mod diff;
mod directory;
mod events;
mod init;
mod interop;
mod listen;
mod replay;
mod send_test;
mod sign;
mod ui;
mod verify;

mod completions;
mod config_cmd;
