use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::cli::parse_duration;

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Event store folder [env: DSYNC_STORE] [default: .dsync/events]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,

    #[command(subcommand)]
    pub action: EventsAction,
}

#[derive(Debug, Subcommand)]
pub enum EventsAction {
    /// A table of the captured events: time, code, resource, verification, size
    List(ListArgs),
    /// One event: headers, the body pretty-printed, and the before/after diff
    Show(ShowArgs),
    /// Write the store as an NDJSON bundle (optionally with personal data redacted)
    Export(ExportArgs),
    /// Add the events of an NDJSON bundle to the store (duplicates skipped)
    Import(ImportArgs),
    /// Delete old events
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only events whose code matches this glob (e.g. 'user.*')
    #[arg(long, value_name = "GLOB")]
    pub event: Option<String>,
    /// Only events received within this long ago (e.g. 2h, 7d)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<Duration>,
    /// Only events received longer ago than this
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub until: Option<Duration>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A capture id (or a unique prefix), or a capture file
    pub event: String,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write the bundle
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Pseudonymise emails, names, phone numbers and addresses; drop signatures
    #[arg(long)]
    pub redact: bool,
    /// Key for the stand-ins (same key, same stand-ins on any machine)
    /// [env: DSYNC_REDACT_KEY] [default: a random key kept in the store as .redact-key]
    #[arg(long, value_name = "KEY", requires = "redact")]
    pub redact_key: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The NDJSON bundle to import
    pub bundle: PathBuf,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PruneArgs {
    /// Delete events received longer ago than this (e.g. 7d)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub older_than: Option<Duration>,
    /// Keep only the N most recent events
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
}
