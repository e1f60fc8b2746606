use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  dsync diff .dsync/events/2026-11-29T10-00-00Z-0001-dir_sync.user.update.success.json
  dsync diff before.json after.json --key members=id --ignore '*.updated_at'
  dsync diff before.json after.json --format patch > change.patch.json
  dsync diff event.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"

Exit codes: 0 no differences, 1 differences, 2 error (as diff(1)); --exit-zero exits 0 on success.")]
pub struct DiffArgs {
    /// One event (capture file, raw event body, or - for stdin), or two JSON documents: BEFORE AFTER
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
    /// identity field as a sequence (Myers, minimal). A changed run longer
    /// than 4,000 elements is compared position by position instead, so time
    /// and memory stay linear
    #[arg(long)]
    pub ordered: bool,

    /// Largest input read from each file or stdin (e.g. 64M, 1G); a larger
    /// one is refused rather than read into memory
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    pub max_input: u64,

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

/// A size in bytes: `1048576`, `512K`, `64M`, `1G` (powers of 1024; `KiB`,
/// `MB`... spellings accepted).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size (examples: 1048576, 512K, 64M, 1G)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "{text:?}: unknown unit {unit:?} (use K, M, G or T)"
            ))
        }
    };
    number
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{text:?} is too large"))
}
