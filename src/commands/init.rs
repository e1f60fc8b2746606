//! `dsync init`: write `dsync.toml`, asking on a terminal (dialoguer) and
//! taking flags or defaults elsewhere. The questions go through `Prompter`
//! so their logic is testable without a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use clap::ValueEnum;
use rand::RngCore;

use crate::cli::init::InitArgs;
use crate::commands::Context;
use crate::config::{self, keys};
use crate::error::{Error, Exit, Result};
use crate::signature::SchemeName;

/// The questions `init` asks. `flag` names the flag that answers it, so a
/// prompter without a terminal can say what to pass.
pub trait Prompter {
    fn select(&mut self, prompt: &str, flag: &str, items: &[&str], default: usize)
        -> Result<usize>;
    fn input(&mut self, prompt: &str, flag: &str, default: &str) -> Result<String>;
    fn password(&mut self, prompt: &str, flag: &str) -> Result<String>;
    fn confirm(&mut self, prompt: &str, flag: &str, default: bool) -> Result<bool>;
}

/// Asks on the terminal.
struct Terminal;

fn prompt_err(e: dialoguer::Error) -> Error {
    Error::io(anyhow::anyhow!("prompt failed: {e}"))
}

impl Prompter for Terminal {
    fn select(&mut self, prompt: &str, _: &str, items: &[&str], default: usize) -> Result<usize> {
        dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(prompt_err)
    }
    fn input(&mut self, prompt: &str, _: &str, default: &str) -> Result<String> {
        dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .default(default.to_string())
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_err)
    }
    fn password(&mut self, prompt: &str, _: &str) -> Result<String> {
        dialoguer::Password::new()
            .with_prompt(prompt)
            .interact()
            .map_err(prompt_err)
    }
    fn confirm(&mut self, prompt: &str, _: &str, default: bool) -> Result<bool> {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(default)
            .interact()
            .map_err(prompt_err)
    }
}

/// No terminal and no `--yes`: every unanswered question is a usage error.
struct NoTerminal;

fn missing(flag: &str) -> Error {
    Error::usage(format!(
        "no terminal to ask on: pass {flag} (or --yes to take the defaults)"
    ))
}

impl Prompter for NoTerminal {
    fn select(&mut self, _: &str, flag: &str, _: &[&str], _: usize) -> Result<usize> {
        Err(missing(flag))
    }
    fn input(&mut self, _: &str, flag: &str, _: &str) -> Result<String> {
        Err(missing(flag))
    }
    fn password(&mut self, _: &str, flag: &str) -> Result<String> {
        Err(missing(flag))
    }
    fn confirm(&mut self, _: &str, flag: &str, _: bool) -> Result<bool> {
        Err(missing(flag))
    }
}

/// What goes into `dsync.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub scheme: SchemeName,
    pub secret: String,
    pub port: u16,
    pub path: String,
    pub forward_to: Option<String>,
    pub store: PathBuf,
}

/// A fresh random secret, in the shape the scheme expects.
pub fn generate_secret(scheme: SchemeName) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    match scheme {
        SchemeName::Standard => format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ),
        _ => hex::encode(bytes),
    }
}

fn scheme_name(scheme: SchemeName) -> String {
    scheme
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// Flags first; then, with `--yes`, defaults; otherwise the prompter.
pub fn ask(args: &InitArgs, p: &mut dyn Prompter) -> Result<Answers> {
    let scheme = match args.scheme {
        Some(s) => s,
        None if args.yes => SchemeName::Cryptr,
        None => {
            let names: Vec<String> = SchemeName::ALL.iter().map(|s| scheme_name(*s)).collect();
            let items: Vec<&str> = names.iter().map(String::as_str).collect();
            SchemeName::ALL[p.select("Signature scheme", "--scheme", &items, 0)?]
        }
    };
    let secret = match &args.secret {
        Some(s) => s.clone(),
        None if args.yes || args.generate_secret => generate_secret(scheme),
        None => {
            let choice = p.select(
                "Secret",
                "--secret or --generate-secret",
                &["generate a random one", "paste Cryptr's signature_key"],
                0,
            )?;
            if choice == 0 {
                generate_secret(scheme)
            } else {
                p.password("signature_key (hidden)", "--secret")?
            }
        }
    };
    if secret.trim().is_empty() {
        return Err(Error::usage(
            "the secret is empty (pass --secret or --generate-secret)",
        ));
    }
    let port = match args.port {
        Some(port) => port,
        None if args.yes => config::DEFAULT_PORT,
        None => {
            let text = p.input("Port", "--port", &config::DEFAULT_PORT.to_string())?;
            text.trim().parse().map_err(|_| {
                Error::usage(format!("port {text:?} is not a number from 0 to 65535"))
            })?
        }
    };
    let path = match &args.path {
        Some(path) => path.clone(),
        None if args.yes => config::DEFAULT_PATH.to_string(),
        None => p.input("Path", "--path", config::DEFAULT_PATH)?,
    };
    let forward_to = match &args.forward_to {
        Some(url) => url.clone(),
        None if args.yes => String::new(),
        None => p.input(
            "Forward to (your app's URL, empty for none)",
            "--forward-to",
            "",
        )?,
    };
    let store = match &args.store {
        Some(dir) => dir.clone(),
        None if args.yes => PathBuf::from(config::DEFAULT_STORE),
        None => PathBuf::from(p.input("Event store folder", "--store", config::DEFAULT_STORE)?),
    };
    Ok(Answers {
        scheme,
        secret,
        port,
        path: if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        },
        forward_to: Some(forward_to.trim().to_string()).filter(|u| !u.is_empty()),
        store,
    })
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The file's text; keys are the ones `config` reads.
pub fn render(a: &Answers) -> String {
    let mut text = String::from("# dsync configuration (see `dsync config`)\n");
    text += &format!(
        "{} = {}\n",
        keys::SCHEME.toml,
        quoted(&scheme_name(a.scheme))
    );
    text += &format!("{} = {}\n", keys::SECRET.toml, quoted(&a.secret));
    text += &format!(
        "{} = {}\n",
        keys::STORE.toml,
        quoted(&a.store.to_string_lossy())
    );
    text += "\n[listen]\n";
    let field = |key: crate::config::Key| key.toml.trim_start_matches("listen.").to_string();
    text += &format!("{} = {}\n", field(keys::PORT), a.port);
    text += &format!("{} = {}\n", field(keys::PATH), quoted(&a.path));
    if let Some(url) = &a.forward_to {
        text += &format!("{} = {}\n", field(keys::FORWARD_TO), quoted(url));
    }
    text
}

/// Write with mode 0600: the file holds a secret.
fn write_private(path: &Path, text: &str, force: bool) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Error::io(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    Ok(())
}

fn in_git_repo(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// Append `.dsync/` unless a line already ignores it.
fn add_to_gitignore(dir: &Path) -> Result<bool> {
    let path = dir.join(".gitignore");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    if existing
        .lines()
        .any(|l| matches!(l.trim(), ".dsync" | ".dsync/" | "/.dsync/"))
    {
        return Ok(false);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text += ".dsync/\n";
    std::fs::write(&path, text)?;
    Ok(true)
}

pub fn run(args: InitArgs, ctx: &Context) -> Result<Exit> {
    let target = ctx
        .global
        .config
        .clone()
        .unwrap_or_else(|| PathBuf::from("dsync.toml"));
    if target.exists() && !args.force {
        return Err(Error::usage(format!(
            "{} already exists (pass --force to overwrite it)",
            target.display()
        )));
    }
    let interactive = std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none();
    let mut prompter: Box<dyn Prompter> = if interactive {
        Box::new(Terminal)
    } else {
        Box::new(NoTerminal)
    };
    let answers = ask(&args, prompter.as_mut())?;
    write_private(&target, &render(&answers), args.force)?;
    ctx.out
        .info(format!("wrote {} (mode 0600)", target.display()));

    let cwd = std::env::current_dir()?;
    if in_git_repo(&cwd) && !args.no_gitignore {
        let consent = args.gitignore
            || args.yes
            || prompter.confirm("Add .dsync/ to .gitignore?", "--gitignore", true)?;
        if consent && add_to_gitignore(&cwd)? {
            ctx.out.info("added .dsync/ to .gitignore");
        }
    }
    if ctx.global.json {
        ctx.out.json_line(&serde_json::json!({"written": target}))?;
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// Answers from a script, recording the questions asked.
    struct Scripted {
        answers: Vec<&'static str>,
        asked: Vec<String>,
    }

    impl Scripted {
        fn next(&mut self, prompt: &str) -> String {
            self.asked.push(prompt.to_string());
            self.answers.remove(0).to_string()
        }
    }

    impl Prompter for Scripted {
        fn select(&mut self, p: &str, _: &str, _: &[&str], _: usize) -> Result<usize> {
            Ok(self.next(p).parse().unwrap())
        }
        fn input(&mut self, p: &str, _: &str, _: &str) -> Result<String> {
            Ok(self.next(p))
        }
        fn password(&mut self, p: &str, _: &str) -> Result<String> {
            Ok(self.next(p))
        }
        fn confirm(&mut self, p: &str, _: &str, _: bool) -> Result<bool> {
            Ok(self.next(p) == "y")
        }
    }

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        args: InitArgs,
    }

    fn args(flags: &[&str]) -> InitArgs {
        Wrap::parse_from(std::iter::once("init").chain(flags.iter().copied())).args
    }

    #[test]
    fn prompts_fill_every_answer() {
        let mut p = Scripted {
            answers: vec![
                "2",
                "1",
                "pasted-key",
                "9100",
                "hooks",
                "http://127.0.0.1:3000/scim",
                "ev",
            ],
            asked: vec![],
        };
        let a = ask(&args(&[]), &mut p).unwrap();
        assert_eq!(a.scheme, SchemeName::Stripe);
        assert_eq!(a.secret, "pasted-key");
        assert_eq!(a.port, 9100);
        assert_eq!(a.path, "/hooks");
        assert_eq!(a.forward_to.as_deref(), Some("http://127.0.0.1:3000/scim"));
        assert_eq!(a.store, PathBuf::from("ev"));
        assert_eq!(p.asked.len(), 7);
    }

    #[test]
    fn flags_skip_their_prompts() {
        let mut p = Scripted {
            answers: vec!["0", "", ""],
            asked: vec![],
        };
        let a = ask(
            &args(&["--scheme", "workos", "--secret", "s3", "--port", "1"]),
            &mut p,
        )
        .unwrap();
        assert_eq!(
            (a.scheme, a.secret.as_str(), a.port),
            (SchemeName::Workos, "s3", 1)
        );
        assert_eq!(
            p.asked,
            vec![
                "Path",
                "Forward to (your app's URL, empty for none)",
                "Event store folder"
            ]
        );
        assert_eq!(a.forward_to, None);
    }

    #[test]
    fn bad_port_answer_is_a_usage_error() {
        let mut p = Scripted {
            answers: vec!["0", "0", "eighty"],
            asked: vec![],
        };
        let err = ask(&args(&[]), &mut p).unwrap_err();
        assert!(err.to_string().contains("eighty"), "{err}");
    }

    #[test]
    fn rendered_file_reads_back_with_config_keys() {
        let a = Answers {
            scheme: SchemeName::Cryptr,
            secret: "k\"ey".into(),
            port: 8001,
            path: "/directory-sync".into(),
            forward_to: Some("http://127.0.0.1:3000/x".into()),
            store: PathBuf::from(".dsync"),
        };
        let parsed: toml::Value = toml::from_str(&render(&a)).unwrap();
        assert_eq!(parsed["secret"].as_str(), Some("k\"ey"));
        assert_eq!(parsed["listen"]["port"].as_integer(), Some(8001));
        assert_eq!(
            parsed["listen"]["forward_to"].as_str(),
            Some("http://127.0.0.1:3000/x")
        );
    }
}
