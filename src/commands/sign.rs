//! `dsync sign`: print the headers (or a curl command) that sign a body.

use serde_json::{Map, Value};

use crate::cli::sign::{SignArgs, SignFormat};
use crate::commands::{read_input, Context, Signing};
use crate::error::{Error, Exit, Result};
use crate::signature::{now_ms, CryptrLayout, Header, SchemeName, SignParams};

pub fn run(args: SignArgs, ctx: &Context) -> Result<Exit> {
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let secret = signing.require_secret()?;
    if args.format == SignFormat::Curl && args.url.is_none() {
        return Err(Error::usage("--format curl needs --url URL"));
    }
    let body = read_input(&args.file)?;
    let timestamp_ms = match args.timestamp {
        Some(t) => t
            .checked_mul(1000)
            .ok_or_else(|| Error::usage(format!("--timestamp {t} is out of range")))?,
        None => now_ms(),
    };
    let params = SignParams {
        timestamp_ms,
        id: args.id.clone(),
    };
    let scheme = if signing.scheme == SchemeName::Cryptr && args.no_sha256_prefix {
        // The older spelling of `--cryptr-layout no-prefix`.
        CryptrLayout {
            sha256_prefix: false,
            ..signing.cryptr_layout
        }
        .scheme()
    } else {
        signing.scheme_impl()
    };
    let headers: Vec<Header> = scheme.sign(secret, &body, &params).map_err(Error::usage)?;

    if ctx.out.json {
        let mut map = Map::new();
        for (name, value) in &headers {
            map.insert(name.clone(), Value::String(value.clone()));
        }
        let doc = serde_json::json!({
            "scheme": signing.scheme,
            "timestamp": timestamp_ms.div_euclid(1000),
            "headers": map,
        });
        ctx.out.json_line(&doc)?;
        return Ok(Exit::Success);
    }
    match args.format {
        SignFormat::Headers => {
            // Header names in colour only when stdout gets colour (never in a pipe
            // unless forced); the curl line below is never coloured, it is run as is.
            for (name, value) in &headers {
                ctx.out
                    .line(format!("{}: {value}", ctx.out.out.cyan(name)))?;
            }
        }
        SignFormat::Curl => {
            let url = args.url.as_deref().unwrap_or_default();
            let mut cmd = format!(
                "curl -sS -X POST {} -H {}",
                shell_quote(url),
                shell_quote("Content-Type: application/json")
            );
            for (name, value) in &headers {
                cmd.push_str(&format!(" -H {}", shell_quote(&format!("{name}: {value}"))));
            }
            // --data-binary posts the file's bytes untouched (-d would strip newlines).
            let data = format!("@{}", args.file.display());
            cmd.push_str(&format!(" --data-binary {}", shell_quote(&data)));
            ctx.out.line(cmd)?;
        }
    }
    Ok(Exit::Success)
}

/// Quote for a POSIX shell: single quotes, with `'` written as `'\''`.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=,+%".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}
