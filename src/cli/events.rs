use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use crate::cli::parse_duration;

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Event store folder (holds dsync.db) [env: DSYNC_STORE] [default: .dsync]
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,

    #[command(subcommand)]
    pub action: EventsAction,
}

#[derive(Debug, Subcommand)]
pub enum EventsAction {
    /// The captured events, newest first: id, time, code, resource, verification, status, size
    List(ListArgs),
    /// One event: headers, the body pretty-printed, and the before/after diff
    Show(ShowArgs),
    /// Write captures as an NDJSON bundle, or one file per capture (optionally redacted)
    Export(ExportArgs),
    /// Add captures from NDJSON bundles, capture files or old store folders (duplicates skipped)
    Import(ImportArgs),
    /// Delete old events: by age, by count, or down to a size
    Prune(PruneArgs),
}

/// Which captures: every filter runs in the database.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only events whose code matches this glob (e.g. 'dir_sync.user.*', '*.{create,delete}.*')
    #[arg(long, value_name = "GLOB")]
    pub event: Option<String>,
    /// Only events received at or after this: a duration ago (2h, 7d) or an RFC 3339 time
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events received before this: a duration ago or an RFC 3339 time
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only events whose signature check came out so
    #[arg(long, value_name = "RESULT", value_parser = ["valid", "invalid", "unsigned"])]
    pub verification: Option<String>,
    /// Only events dsync answered with this status
    #[arg(long, value_name = "STATUS")]
    pub status: Option<u16>,
    /// Only events about this resource: an id, or part of an email or group name
    #[arg(long, value_name = "TEXT")]
    pub resource: Option<String>,
    /// Only events whose body contains all these words (full-text search)
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// Only events from this source
    #[arg(long, value_name = "SOURCE", value_parser = ["listen", "directory"])]
    pub source: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Show at most N events (0: all)
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: u64,
    /// Only events stored before this row (the `rowid` of the last one shown: the next page)
    #[arg(long, value_name = "ROWID")]
    pub before: Option<i64>,
    /// Oldest first
    #[arg(long)]
    pub reverse: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A capture id (or a unique prefix of one), or a capture file
    pub event: String,
    /// Print only the body, exactly as received
    #[arg(long)]
    pub body: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One capture per line (what `replay` and `events import` read)
    Ndjson,
    /// One capture file per event in a folder (the pre-database store format)
    Files,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write: a file, or - for stdout (ndjson); a folder (files)
    #[arg(long, value_name = "PATH", default_value = "-")]
    pub out: PathBuf,
    /// Bundle or folder of files
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
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
    /// NDJSON bundles, capture files, or folders of capture files (the old store format)
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Delete events received longer ago than this (e.g. 7d)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub older_than: Option<Duration>,
    /// Keep only the N most recently received events
    #[arg(long, value_name = "N")]
    pub keep: Option<u64>,
    /// Delete the oldest events until the store is under this size (e.g. 500MB)
    /// [default: store_max_size from the configuration]
    #[arg(long, value_name = "SIZE", value_parser = crate::store::parse_size)]
    pub max_size: Option<u64>,
}
