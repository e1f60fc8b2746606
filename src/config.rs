//! Layered configuration: flags > environment (`DSYNC_*`) > project file
//! (`./dsync.toml`, or `--config FILE` / `DSYNC_CONFIG`) > user file
//! (`$XDG_CONFIG_HOME/dsync/config.toml`, else `~/.config/dsync/config.toml`)
//! > defaults.
//!
//! Every value remembers where it came from, so `dsync config` can say it.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use crate::error::{Error, Result};

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum Source {
    Flag,
    Env(String),
    File(PathBuf),
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag => write!(f, "flag"),
            Source::Env(name) => write!(f, "environment ({name})"),
            Source::File(path) => write!(f, "file ({})", path.display()),
            Source::Default => write!(f, "default"),
        }
    }
}

/// A resolved value and its origin.
#[derive(Debug, Clone)]
pub struct Resolved<T> {
    pub value: T,
    pub source: Source,
}

/// Every configurable key: its name in the TOML file (dotted for tables), its
/// environment variable, and what it means. This table is the single source
/// for `dsync config` and the README's configuration table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub toml: &'static str,
    pub env: &'static str,
    pub help: &'static str,
    pub secret: bool,
}

pub mod keys {
    use super::Key;
    macro_rules! key {
        ($name:ident, $toml:expr, $env:expr, $help:expr) => {
            key!($name, $toml, $env, $help, false);
        };
        ($name:ident, $toml:expr, $env:expr, $help:expr, $secret:expr) => {
            pub const $name: Key = Key {
                toml: $toml,
                env: $env,
                help: $help,
                secret: $secret,
            };
        };
    }
    key!(
        SECRET,
        "secret",
        "DSYNC_SECRET",
        "signing secret (Cryptr's signature_key, whsec_..., ...)",
        true
    );
    key!(
        SECRET_FILE,
        "secret_file",
        "DSYNC_SECRET_FILE",
        "file holding the signing secret"
    );
    key!(
        SCHEME,
        "scheme",
        "DSYNC_SCHEME",
        "signature scheme: cryptr, standard, stripe, workos"
    );
    key!(
        CRYPTR_LAYOUT,
        "cryptr_layout",
        "DSYNC_CRYPTR_LAYOUT",
        "Cryptr's signed layout, e.g. body,base64 (see --cryptr-layout)"
    );
    key!(
        TOLERANCE,
        "tolerance",
        "DSYNC_TOLERANCE",
        "timestamp tolerance, e.g. 5m (scheme default when unset)"
    );
    key!(
        URL,
        "url",
        "DSYNC_URL",
        "where send-test and replay deliver"
    );
    key!(STORE, "store", "DSYNC_STORE", "event store folder");
    key!(
        STORE_MAX_SIZE,
        "store_max_size",
        "DSYNC_STORE_MAX_SIZE",
        "largest event store (e.g. 500MB); the oldest captures go first"
    );
    key!(
        HOST,
        "listen.host",
        "DSYNC_HOST",
        "address dsync listen binds to"
    );
    key!(
        PORT,
        "listen.port",
        "DSYNC_PORT",
        "port dsync listen binds to"
    );
    key!(
        PATH,
        "listen.path",
        "DSYNC_PATH",
        "path dsync listen accepts"
    );
    key!(
        FORWARD_TO,
        "listen.forward_to",
        "DSYNC_FORWARD_TO",
        "app URL dsync listen forwards to"
    );
    key!(
        SCIM_TOKEN,
        "directory.token",
        "DSYNC_SCIM_TOKEN",
        "bearer token SCIM clients send to dsync directory serve",
        true
    );

    /// All keys, in the order `dsync config` shows them.
    pub const ALL: &[Key] = &[
        SECRET,
        SECRET_FILE,
        SCHEME,
        CRYPTR_LAYOUT,
        TOLERANCE,
        URL,
        STORE,
        STORE_MAX_SIZE,
        HOST,
        PORT,
        PATH,
        FORWARD_TO,
        SCIM_TOKEN,
    ];
}

/// Defaults that are not configuration-dependent.
pub const DEFAULT_STORE: &str = ".dsync";
pub const DEFAULT_HOST: &str = "127.0.0.1";
pub const DEFAULT_PORT: u16 = 8000;
pub const DEFAULT_PATH: &str = "/directory-sync";

/// One parsed configuration file.
#[derive(Debug, Clone)]
struct FileLayer {
    path: PathBuf,
    table: toml::Table,
}

impl FileLayer {
    fn load(path: &Path) -> Result<FileLayer> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(
                anyhow::Error::new(e)
                    .context(format!("cannot read configuration file {}", path.display())),
            )
        })?;
        let table: toml::Table = text
            .parse()
            .with_context(|| format!("configuration file {} is not valid TOML", path.display()))
            .map_err(Error::input)?;
        Ok(FileLayer {
            path: path.to_path_buf(),
            table,
        })
    }

    fn get(&self, key: &str) -> Option<&toml::Value> {
        let mut parts = key.split('.');
        let mut value = self.table.get(parts.next()?)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value)
    }
}

/// The configuration files in force, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Config {
    layers: Vec<FileLayer>,
}

impl Config {
    /// Load the project file (`explicit`, else `DSYNC_CONFIG`, else `./dsync.toml`
    /// when present) above the user file (when present).
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let mut layers = Vec::new();
        let project = explicit
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("DSYNC_CONFIG").map(PathBuf::from));
        match project {
            // A file named on purpose must exist.
            Some(path) => layers.push(FileLayer::load(&path)?),
            None => {
                let path = PathBuf::from("dsync.toml");
                if path.is_file() {
                    layers.push(FileLayer::load(&path)?);
                }
            }
        }
        if let Some(path) = user_config_path() {
            if path.is_file() {
                layers.push(FileLayer::load(&path)?);
            }
        }
        Ok(Config { layers })
    }

    /// The files in force, highest precedence first.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.layers.iter().map(|l| l.path.as_path())
    }

    /// Resolve a key as a string: flag, then environment, then files.
    /// Non-string TOML values (a port number, say) are given in TOML syntax.
    pub fn get(&self, key: Key, flag: Option<String>) -> Option<Resolved<String>> {
        if let Some(value) = flag {
            return Some(Resolved {
                value,
                source: Source::Flag,
            });
        }
        if let Ok(value) = std::env::var(key.env) {
            if !value.is_empty() {
                return Some(Resolved {
                    value,
                    source: Source::Env(key.env.to_string()),
                });
            }
        }
        for layer in &self.layers {
            if let Some(value) = layer.get(key.toml) {
                let value = match value {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                return Some(Resolved {
                    value,
                    source: Source::File(layer.path.clone()),
                });
            }
        }
        None
    }

    /// Like `get`, with a default when nothing sets the key.
    pub fn get_or(&self, key: Key, flag: Option<String>, default: &str) -> Resolved<String> {
        self.get(key, flag).unwrap_or_else(|| Resolved {
            value: default.to_string(),
            source: Source::Default,
        })
    }

    /// Resolve and parse a key, naming the key and its source when parsing fails.
    pub fn parse<T>(&self, key: Key, flag: Option<String>) -> Result<Option<Resolved<T>>>
    where
        T: std::str::FromStr,
        T::Err: fmt::Display,
    {
        let Some(raw) = self.get(key, flag) else {
            return Ok(None);
        };
        match raw.value.parse::<T>() {
            Ok(value) => Ok(Some(Resolved {
                value,
                source: raw.source,
            })),
            Err(e) => Err(Error::usage(format!(
                "invalid value {:?} for {} (from {}): {e}",
                raw.value, key.toml, raw.source
            ))),
        }
    }

    /// The store folder (`--store`, `DSYNC_STORE`, `store`, default `.dsync`).
    pub fn store_dir(&self, flag: Option<&Path>) -> Resolved<PathBuf> {
        let r = self.get_or(
            keys::STORE,
            flag.map(|p| p.to_string_lossy().into_owned()),
            DEFAULT_STORE,
        );
        Resolved {
            value: PathBuf::from(r.value),
            source: r.source,
        }
    }
}

/// `$XDG_CONFIG_HOME/dsync/config.toml`, else `$HOME/.config/dsync/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("dsync").join("config.toml"))
}
