//! `dsync diff`: one event's before/after, or two whole documents.

use std::path::Path;

use serde_json::Value;

use crate::cli::diff::{DiffArgs, DiffFormat};
use crate::commands::Context;
use crate::diff::{self, event::LOOKED_FOR, render, Change, Identity, Node, Options, Summary};
use crate::error::{Error, Exit, Result};
use crate::store::Capture;

pub fn run(args: DiffArgs, ctx: &Context) -> Result<Exit> {
    let opts = options(&args)?;
    let format = if ctx.global.json {
        DiffFormat::Json
    } else {
        args.format
    };

    let wants_patch = format == DiffFormat::Patch;
    let (identity, changes, members, patch) = match args.files.as_slice() {
        [one] => {
            let name = display_name(one);
            let bytes = load(one, args.max_input)?;
            let doc: Value = parse_json(without_bom(&bytes, &name, ctx), &name)?;
            let snapshot = diff::extract(&doc).ok_or_else(|| {
                Error::input(anyhow::anyhow!(
                    "{name} holds no before/after snapshot (looked for {LOOKED_FOR})"
                ))
            })?;
            let (changes, members) = diff::event_changes(&snapshot, &opts);
            let patch =
                wants_patch.then(|| diff::patch_json(&snapshot.before, &snapshot.after, &opts));
            (Some(snapshot.identity), changes, members, patch)
        }
        [first, second] => {
            // The compact tree borrows from these buffers: see diff::node.
            let (before_bytes, after_bytes) =
                (load(first, args.max_input)?, load(second, args.max_input)?);
            let (first_name, second_name) = (display_name(first), display_name(second));
            let mut before: Node =
                parse_json(without_bom(&before_bytes, &first_name, ctx), &first_name)?;
            let mut after: Node =
                parse_json(without_bom(&after_bytes, &second_name, ctx), &second_name)?;
            warn_duplicates(&mut before, &first_name, ctx);
            warn_duplicates(&mut after, &second_name, ctx);
            let changes = diff::diff(&before, &after, &opts);
            let patch = wants_patch.then(|| diff::patch::patch(&before, &after, &opts));
            (None, changes, Vec::new(), patch)
        }
        _ => {
            return Err(Error::usage(
                "give one event, or two documents: BEFORE AFTER",
            ))
        }
    };

    let summary = Summary::of(&changes, &members);
    print(
        ctx,
        format,
        &args,
        identity.as_ref(),
        &summary,
        &changes,
        &members,
        patch,
    )?;
    Ok(if summary.is_empty() || args.exit_zero {
        Exit::Success
    } else {
        Exit::Failed
    })
}

#[allow(clippy::too_many_arguments)]
fn print(
    ctx: &Context,
    format: DiffFormat,
    args: &DiffArgs,
    identity: Option<&Identity>,
    summary: &Summary,
    changes: &[Change],
    members: &[Change],
    patch: Option<Value>,
) -> Result<()> {
    let out = &ctx.out;
    let palette = out.out;
    let title = identity.map(Identity::title);
    match (format, args.stat) {
        (DiffFormat::Json, true) => out.json_pretty(summary)?,
        (DiffFormat::Json, false) => out.json_pretty(&render::json_changes(changes, members))?,
        (DiffFormat::Patch, _) => out.json_pretty(&patch.unwrap_or_default())?,
        (DiffFormat::Markdown, true) => out.line(format!("**{}**", summary.line()))?,
        (DiffFormat::Markdown, false) => {
            out.raw(render::markdown(title.as_deref(), changes, members).as_bytes())?
        }
        (DiffFormat::Human, true) => out.line(summary.line())?,
        (DiffFormat::Human, false) => {
            let indent = match &title {
                Some(title) => {
                    out.line(palette.bold(title))?;
                    "  "
                }
                None => "",
            };
            out.line(render::human(changes, members, palette, indent))?;
        }
    }
    Ok(())
}

fn options(args: &DiffArgs) -> Result<Options> {
    let keys = args
        .key
        .iter()
        .map(|rule| match rule.split_once('=') {
            Some((path, field)) if !path.is_empty() && !field.is_empty() => {
                Ok((path.to_string(), field.to_string()))
            }
            _ => Err(Error::usage(format!(
                "--key {rule:?} is not PATH=FIELD (for example --key members=id)"
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Options {
        ordered: args.ordered,
        keys,
        ignore: args.ignore.clone(),
        ignore_case: args.ignore_case,
    })
}

fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// A leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 lets a parser
/// ignore it), and said.
fn without_bom<'b>(bytes: &'b [u8], name: &str, ctx: &Context) -> &'b [u8] {
    match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            ctx.out.warn(format!(
                "{name} starts with a UTF-8 byte order mark (EF BB BF); JSON has none, it was skipped"
            ));
            rest
        }
        None => bytes,
    }
}

/// A key repeated in one object keeps its last value (as serde_json,
/// JSON.parse and Python's json do), so the diff and the patch see one key.
fn warn_duplicates(node: &mut Node, name: &str, ctx: &Context) {
    let found = node.dedupe_keys();
    if let Some(first) = found.first() {
        ctx.out.warn(format!(
            "{name}: {} key{} repeated in one object (first at {:?}); the last value of each is used",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            first
        ));
    }
}

/// Read a file or stdin, refusing more than `max` bytes (so `/dev/zero` or a
/// runaway pipe is an error, not an exhausted machine).
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let name = display_name(path);
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Error::input(anyhow::Error::new(e).context(format!("cannot read {name}"))))?;
    if bytes.len() as u64 > max {
        return Err(Error::input(anyhow::anyhow!(
            "{name} is larger than {max} bytes, the --max-input limit: raise it (e.g. --max-input 1G) if the document is real"
        )));
    }
    Ok(bytes)
}

/// The bytes of a JSON document from a file or stdin; a capture file
/// stands for the event body it holds.
fn load(path: &Path, max: u64) -> Result<Vec<u8>> {
    let name = display_name(path);
    let bytes = read_capped(path, max)?;
    if !looks_like_capture(&bytes) {
        return Ok(bytes);
    }
    match Capture::from_slice(&bytes) {
        Ok(capture) => capture
            .body
            .to_bytes()
            .map_err(|e| e.context(format!("cannot use the body captured in {name}"))),
        // A document that merely starts with a "format" member.
        Err(_) => Ok(bytes),
    }
}

/// Captures start with their `format` member (the store writes it first):
/// a cheap sniff that spares parsing every large document twice.
fn looks_like_capture(bytes: &[u8]) -> bool {
    let mut rest = bytes.iter().skip_while(|b| b.is_ascii_whitespace());
    if rest.next() != Some(&b'{') {
        return false;
    }
    let rest: Vec<u8> = rest
        .skip_while(|b| b.is_ascii_whitespace())
        .take(8)
        .copied()
        .collect();
    rest == b"\"format\""
}

fn parse_json<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8], name: &str) -> Result<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(anyhow::anyhow!(
            "{name} is empty: expected a JSON document"
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        Error::input(anyhow::anyhow!(
            "{name} is not valid JSON: {} at line {}, column {}",
            describe(&e),
            e.line(),
            e.column()
        ))
    })
}

/// serde_json's message without its own " at line L column C" tail.
fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("recursion limit exceeded") {
        return "nested more than 128 levels deep".to_string();
    }
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
