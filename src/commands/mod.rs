//! One module per subcommand, each with `run(args, ctx) -> Result<Exit>`.

use std::path::Path;

use crate::cli::{Command, GlobalArgs, SigningArgs};
use crate::config::{keys, Config, Resolved, Source};
use crate::error::{Error, Exit, Result, ResultExt};
use crate::output::Output;
use crate::signature::{CryptrLayout, Scheme, SchemeName, Secret, Tolerance};

pub mod completions;
pub mod config;
pub mod diff;
pub mod directory;
pub mod events;
pub mod init;
pub mod listen;
pub mod man;
pub mod replay;
pub mod send_test;
pub mod sign;
pub mod ui;
pub mod verify;

/// What every command gets besides its own arguments.
#[derive(Debug, Clone)]
pub struct Context {
    pub global: GlobalArgs,
    pub out: Output,
    pub config: Config,
}

impl Context {
    pub fn new(global: GlobalArgs) -> Result<Context> {
        let out = Output::new(&global);
        let config = Config::load(global.config.as_deref())?;
        Ok(Context {
            global,
            out,
            config,
        })
    }
}

/// Run the chosen subcommand.
pub fn dispatch(command: Command, ctx: &Context) -> Result<Exit> {
    match command {
        Command::Listen(args) => listen::run(args, ctx),
        Command::SendTest(args) => send_test::run(args, ctx),
        Command::Replay(args) => replay::run(args, ctx),
        Command::Diff(args) => diff::run(args, ctx),
        Command::Sign(args) => sign::run(args, ctx),
        Command::Verify(args) => verify::run(args, ctx),
        Command::Directory(args) => directory::run(args, ctx),
        Command::Events(args) => events::run(args, ctx),
        Command::Ui(args) => ui::run(args, ctx),
        Command::Init(args) => init::run(args, ctx),
        Command::Config(args) => config::run(args, ctx),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man => man::run(ctx),
    }
}

/// The resolved scheme, secret and tolerance for a command that signs or verifies.
pub struct Signing {
    pub scheme: SchemeName,
    pub scheme_source: Source,
    /// How `cryptr` signs and verifies (`--cryptr-layout`; other schemes ignore it).
    pub cryptr_layout: CryptrLayout,
    /// `None` when no secret is configured anywhere.
    pub secret: Option<Resolved<Secret>>,
    pub tolerance: Tolerance,
}

impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing")
            .field("scheme", &self.scheme)
            .field("cryptr_layout", &self.cryptr_layout)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Signing {
    /// Resolve `--scheme`, `--secret`/`--secret-file`, `--tolerance`/`--no-tolerance`
    /// through flags > environment > files > defaults.
    pub fn resolve(args: &SigningArgs, config: &Config) -> Result<Signing> {
        let scheme = config
            .parse::<SchemeName>(keys::SCHEME, args.scheme.map(|s| s.as_str().to_string()))?
            .unwrap_or(Resolved {
                value: SchemeName::Cryptr,
                source: Source::Default,
            });
        let cryptr_layout = config
            .parse::<CryptrLayout>(
                keys::CRYPTR_LAYOUT,
                args.cryptr_layout.map(|l| l.to_string()),
            )?
            .map(|r| r.value)
            .unwrap_or_default();
        let secret = resolve_secret(args, config)?;
        let tolerance = if args.no_tolerance {
            Tolerance::Unlimited
        } else if let Some(d) = args.tolerance {
            Tolerance::both_ways(d)
        } else if let Some(raw) = config.get(keys::TOLERANCE, None) {
            let d = crate::cli::parse_duration(&raw.value).map_err(|e| {
                Error::usage(format!(
                    "invalid tolerance {:?} (from {}): {e}",
                    raw.value, raw.source
                ))
            })?;
            Tolerance::both_ways(d)
        } else {
            scheme.value.scheme().default_tolerance()
        };
        Ok(Signing {
            scheme: scheme.value,
            scheme_source: scheme.source,
            cryptr_layout,
            secret,
            tolerance,
        })
    }

    /// The scheme to sign and verify with (for `cryptr`, in the chosen layout).
    pub fn scheme_impl(&self) -> &'static dyn Scheme {
        match self.scheme {
            SchemeName::Cryptr => self.cryptr_layout.scheme(),
            other => other.scheme(),
        }
    }

    /// The headers that sign `body` now, with a fresh timestamp and message id,
    /// or none when no secret is configured (send-test and replay share this).
    pub fn fresh_headers(&self, body: &[u8]) -> Result<Vec<crate::signature::Header>> {
        let Some(secret) = &self.secret else {
            return Ok(Vec::new());
        };
        let params = crate::signature::SignParams {
            timestamp_ms: crate::signature::now_ms(),
            id: Some(format!("msg_{}", uuid::Uuid::new_v4().simple())),
        };
        self.scheme_impl()
            .sign(&secret.value, body, &params)
            .map_err(|f| Error::usage(format!("cannot sign: {f}")))
    }

    /// The secret, or a usage error naming the ways to give one.
    pub fn require_secret(&self) -> Result<&Secret> {
        self.secret.as_ref().map(|r| &r.value).ok_or_else(|| {
            Error::usage(
                "no signing secret: pass --secret or --secret-file, set DSYNC_SECRET, or put `secret` in dsync.toml",
            )
        })
    }
}

/// Secret precedence: --secret, --secret-file, DSYNC_SECRET, DSYNC_SECRET_FILE,
/// then `secret` / `secret_file` in the configuration files.
fn resolve_secret(args: &SigningArgs, config: &Config) -> Result<Option<Resolved<Secret>>> {
    if let Some(s) = &args.secret {
        return Ok(Some(Resolved {
            value: Secret::new(s.clone()),
            source: Source::Flag,
        }));
    }
    if let Some(path) = &args.secret_file {
        return Ok(Some(Resolved {
            value: read_secret_file(path)?,
            source: Source::Flag,
        }));
    }
    let direct = config.get(keys::SECRET, None);
    let from_file = config.get(keys::SECRET_FILE, None);
    // Environment beats files, whichever of the two keys it sets.
    let rank = |s: &Source| match s {
        Source::Flag => 0,
        Source::Env(_) => 1,
        Source::File(_) => 2,
        Source::Default => 3,
    };
    let pick_direct = match (&direct, &from_file) {
        (Some(d), Some(f)) => rank(&d.source) <= rank(&f.source),
        (Some(_), None) => true,
        (None, _) => false,
    };
    if pick_direct {
        let d = direct.expect("checked above");
        return Ok(Some(Resolved {
            value: Secret::new(d.value),
            source: d.source,
        }));
    }
    match from_file {
        Some(f) => Ok(Some(Resolved {
            value: read_secret_file(Path::new(&f.value))?,
            source: f.source,
        })),
        None => Ok(None),
    }
}

fn read_secret_file(path: &Path) -> Result<Secret> {
    let text = std::fs::read_to_string(path)
        .input_err(format!("cannot read secret file {}", path.display()))?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.is_empty() {
        return Err(Error::usage(format!(
            "secret file {} is empty",
            path.display()
        )));
    }
    Ok(Secret::new(text))
}

/// Where send-test and replay deliver: `--url`, else `DSYNC_URL`, else `url` in the files.
pub fn target_url(config: &Config, flag: Option<String>) -> Result<String> {
    config
        .get(keys::URL, flag)
        .map(|r| r.value)
        .ok_or_else(|| Error::usage("no target: pass --url URL or set DSYNC_URL"))
}

/// Read a whole input: a file path, or `-` for stdin. Exact bytes.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .input_err("cannot read stdin")?;
        Ok(buf)
    } else {
        std::fs::read(path).input_err(format!("cannot read {}", path.display()))
    }
}

/// An event-code glob from flag `flag` (`dir_sync.user.*`); a bad one is a
/// usage error naming the flag.
pub fn code_glob(flag: &str, pattern: &str) -> Result<globset::GlobMatcher> {
    globset::Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| Error::usage(format!("{flag} {pattern:?} is not a valid glob: {e}")))
}
