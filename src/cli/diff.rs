use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  dsync diff 20261129T100000.000000Z-0000011a2b   (a capture id from `dsync events list`)
  dsync diff before.json after.json --key members=id --ignore '*.updated_at'
  dsync diff before.json after.json --format patch > change.patch.json
  dsync diff event.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"

Exit codes: 0 no differences, 1 differences, 2 error (as diff(1)); --exit-zero exits 0 on success.")]
pub struct DiffArgs {
    /// One event (a stored capture's id, capture file, raw event body, or - for stdin), or two JSON documents: BEFORE AFTER
    #[arg(value_name = "FILE", num_args = 1..=2, required = true)]
    pub files: Vec<PathBuf>,

    /// Output format (--json is --format json). A patch turns the before
    /// snapshot into the after one; an event's membership changes are not in
    /// it, since the event does not carry the whole member list
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Print only the summary (`3 changed, 1 added, 2 removed; members +3 -1`)
    #[arg(long)]
    pub stat: bool,

    /// Identity field of the array at PATH (its full path or its name), e.g.
    /// members=id, phone_numbers=value. Default: the first of id, value,
    /// email, external_id, externalId, userName, type that is unique on both sides
    #[arg(long, value_name = "PATH=FIELD")]
    pub key: Vec<String>,

    /// Do not report changes at paths matching PATTERN (`*` any text, `?` one
    /// character), e.g. '*.updated_at', 'phone_numbers[*].primary'. Repeatable
    #[arg(long, value_name = "PATTERN")]
    pub ignore: Vec<String>,

    /// Compare strings without case (SCIM attributes that are not case-exact)
    #[arg(long)]
    pub ignore_case: bool,

    /// Array order matters: report moved elements, and diff arrays without an
    /// identity field by position
    #[arg(long)]
    pub ordered: bool,

    /// Exit 0 even when there are differences (errors still exit 2)
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Coloured lines for people
    Human,
    /// A list of {op, path, old, new}
    Json,
    /// An RFC 6902 JSON Patch from before to after
    Patch,
    /// A table for pull-request comments and CI summaries
    Markdown,
}
