//! `dsync config`: every key's effective value and where it came from
//! (flag, environment, file, default), the secret masked.

use serde_json::json;

use crate::cli::config::ConfigArgs;
use crate::commands::directory::TOKEN_FILE;
use crate::commands::Context;
use crate::config::{self, keys, Key, Source};
use crate::error::{Exit, Result};

/// The built-in default of a key, if it has one.
pub fn default_of(key: Key) -> Option<String> {
    let value = match key.toml {
        "scheme" => "cryptr".to_string(),
        "cryptr_layout" => crate::signature::CryptrLayout::INFERRED.to_string(),
        "store" => config::DEFAULT_STORE.to_string(),
        "listen.host" => config::DEFAULT_HOST.to_string(),
        "listen.port" => config::DEFAULT_PORT.to_string(),
        _ => return None,
    };
    Some(value)
}

/// Keep enough of a secret to recognise it, never enough to use it.
fn mask(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    if secret.chars().count() <= 8 {
        "********".to_string()
    } else {
        format!("{shown}…(masked)")
    }
}

pub fn run(args: ConfigArgs, ctx: &Context) -> Result<Exit> {
    let mut rows = Vec::new();
    for key in keys::ALL {
        let (value, source) = match ctx.config.get(*key, None) {
            Some(resolved) => (Some(resolved.value), resolved.source),
            None => (default_of(*key), Source::Default),
        };
        let value = match value {
            Some(v) if key.secret && !args.show_secret => Some(mask(&v)),
            other => other,
        };
        rows.push((*key, value, source));
    }
    if ctx.global.json {
        let files: Vec<String> = ctx
            .config
            .files()
            .map(|p| p.display().to_string())
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|(key, value, source)| {
                json!({"key": key.toml, "env": key.env, "value": value, "source": source})
            })
            .collect();
        ctx.out
            .json_line(&json!({"files": files, "values": values}))?;
        return Ok(Exit::Success);
    }
    let width = rows.iter().map(|(k, _, _)| k.toml.len()).max().unwrap_or(0);
    for (key, value, source) in &rows {
        let shown = match value {
            Some(v) => v.clone(),
            // Unset, `listen` takes every path (and records the one it got).
            None if key.toml == keys::PATH.toml => "(unset: any path)".to_string(),
            // Unset, `directory serve` keeps one in the store folder.
            None if key.toml == keys::SCIM_TOKEN.toml => {
                let file = ctx.config.store_dir(None).value.join(TOKEN_FILE);
                format!("(unset: see {})", file.display())
            }
            None => "(unset)".to_string(),
        };
        ctx.out.line(format!(
            "{:<width$}  {:<32}  {}",
            key.toml,
            shown,
            source,
            width = width
        ))?;
    }
    Ok(Exit::Success)
}
