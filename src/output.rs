//! Everything a command prints goes through here.
//!
//! - stdout carries results; with `--json` it carries nothing but JSON
//!   (one document, or NDJSON lines for streams);
//! - stderr carries progress, warnings and diagnostics (silenced by `-q`);
//! - colour is decided per stream: `--color always|never`, or `auto`, which
//!   honours `NO_COLOR`, `CLICOLOR_FORCE`, `TERM=dumb` and whether *that*
//!   stream is a terminal.

use std::io::{self, IsTerminal, Write};

use colored::{ColoredString, Colorize};
use serde::Serialize;

use crate::cli::{ColorWhen, GlobalArgs};

/// Decide whether a stream gets colour.
pub fn use_color(when: ColorWhen, stream_is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
                return true;
            }
            if std::env::var_os("TERM").is_some_and(|v| v == "dumb") {
                return false;
            }
            stream_is_terminal
        }
    }
}

/// Colours for one stream: every method returns the text unchanged when the
/// stream gets no colour, so callers never test for it themselves.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub enabled: bool,
}

macro_rules! palette_methods {
    ($($name:ident),*) => {
        $(
            pub fn $name(&self, text: &str) -> String {
                if self.enabled { text.$name().to_string() } else { text.to_string() }
            }
        )*
    };
}

impl Palette {
    palette_methods!(red, green, yellow, blue, cyan, magenta, bold, dimmed);

    /// Apply any `colored` style (e.g. `|s| s.red().bold()`).
    pub fn paint(&self, text: &str, style: impl Fn(&str) -> ColoredString) -> String {
        if self.enabled {
            style(text).to_string()
        } else {
            text.to_string()
        }
    }
}

/// The shared printer handed to every command.
#[derive(Debug, Clone)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: u8,
    /// Colours for results on stdout.
    pub out: Palette,
    /// Colours for messages on stderr.
    pub err: Palette,
    /// Whether stdin and stderr are terminals (for prompts and progress bars).
    pub interactive: bool,
}

impl Output {
    pub fn new(global: &GlobalArgs) -> Output {
        // We decide colour ourselves, stream by stream; tell `colored` to obey.
        colored::control::set_override(true);
        let stderr_tty = io::stderr().is_terminal();
        Output {
            json: global.json,
            quiet: global.quiet,
            verbose: global.verbose,
            out: Palette {
                enabled: use_color(global.color, io::stdout().is_terminal()),
            },
            err: Palette {
                enabled: use_color(global.color, stderr_tty),
            },
            interactive: io::stdin().is_terminal()
                && stderr_tty
                && std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        }
    }

    /// An `Output` for code that needs one without a command line (tests, benches).
    pub fn plain() -> Output {
        Output {
            json: false,
            quiet: false,
            verbose: 0,
            out: Palette { enabled: false },
            err: Palette { enabled: false },
            interactive: false,
        }
    }

    /// Print one result line on stdout. Errors (a closed pipe) are returned so
    /// the command stops; `main` treats a broken pipe as success.
    pub fn line(&self, text: impl std::fmt::Display) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{text}")
    }

    /// Print raw bytes on stdout, exactly (bodies are never re-serialised).
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// Print one JSON document (or one NDJSON line) on stdout and flush it, so
    /// a script reading line by line sees it at once.
    pub fn json_line<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, value).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Print a JSON document pretty (for a single `--json` result meant for people too).
    pub fn json_pretty<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Progress and information for people, on stderr; silenced by `-q`.
    pub fn info(&self, text: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{text}");
        }
    }

    /// Details shown with `-v`.
    pub fn debug(&self, text: impl std::fmt::Display) {
        if self.verbose > 0 && !self.quiet {
            let _ = writeln!(
                io::stderr().lock(),
                "{}",
                self.err.dimmed(&text.to_string())
            );
        }
    }

    /// A warning, on stderr; shown even with `-q`.
    pub fn warn(&self, text: impl std::fmt::Display) {
        let _ = writeln!(
            io::stderr().lock(),
            "{} {text}",
            self.err.paint("warning:", |s| s.yellow().bold())
        );
    }

    /// An error line, as `main` prints it for a failed command.
    pub fn error(&self, text: impl std::fmt::Display) {
        let _ = writeln!(
            io::stderr().lock(),
            "{} {text}",
            self.err.paint("error:", |s| s.red().bold())
        );
    }
}
