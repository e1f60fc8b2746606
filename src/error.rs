//! Exit codes and the one error type every command returns.
//!
//! A command returns `Ok(Exit)` when it ran to the end (possibly with a failed
//! check, `Exit::Failed`) and `Err(Error)` when it could not do its job. The
//! error carries the exit code that says why: bad usage or input (2) versus
//! an I/O or network failure (3).

use std::fmt;
use std::process::ExitCode;

/// The documented exit codes (see `dsync --help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success,
    /// 1: a check failed (invalid signature, differences found, expectation unmet,
    /// non-2xx answer where one was required).
    Failed,
    /// 2: usage error, or unreadable / malformed input.
    Usage,
    /// 3: I/O or network failure (port in use, connection refused).
    Io,
    /// 124: timed out waiting.
    Timeout,
    /// 130: interrupted.
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Io => 3,
            Exit::Timeout => 124,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// The exit-code table, shown in `dsync --help` and kept in step with the README.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    a check failed (invalid signature, differences found, expectation unmet, non-2xx answer)
  2    usage error, or unreadable / malformed input
  3    I/O or network failure (port in use, connection refused)
  124  timed out waiting
  130  interrupted";

/// An error that stops a command, with the exit code it maps to.
pub struct Error {
    pub exit: Exit,
    pub inner: anyhow::Error,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Exit 2: the user asked for something that cannot be done as asked.
    pub fn usage(msg: impl fmt::Display) -> Error {
        Error {
            exit: Exit::Usage,
            inner: anyhow::anyhow!("{msg}"),
        }
    }
    /// Exit 2: input that cannot be read or understood.
    pub fn input(err: impl Into<anyhow::Error>) -> Error {
        Error {
            exit: Exit::Usage,
            inner: err.into(),
        }
    }
    /// Exit 3: the machine or the network failed us.
    pub fn io(err: impl Into<anyhow::Error>) -> Error {
        Error {
            exit: Exit::Io,
            inner: err.into(),
        }
    }
    /// Add a line of context ("while reading event.json") in front of the cause.
    pub fn context(self, ctx: impl fmt::Display + Send + Sync + 'static) -> Error {
        Error {
            exit: self.exit,
            inner: self.inner.context(ctx),
        }
    }
    /// True when the root cause is a closed pipe (`dsync ... | head`): not an error.
    pub fn is_broken_pipe(&self) -> bool {
        self.inner.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        })
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (exit {})", self.inner, self.exit.code())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

/// Writing to stdout failed: a closed pipe is handled by `main_entry`, anything
/// else is an I/O failure.
impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::io(err)
    }
}

/// Shorthands to classify a foreign error where it happens.
pub trait ResultExt<T> {
    /// Unreadable or malformed input (exit 2), with context.
    fn input_err(self, ctx: impl fmt::Display) -> Result<T>;
    /// I/O or network failure (exit 3), with context.
    fn io_err(self, ctx: impl fmt::Display) -> Result<T>;
}

impl<T, E: Into<anyhow::Error>> ResultExt<T> for std::result::Result<T, E> {
    fn input_err(self, ctx: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error::input(e.into().context(ctx.to_string())))
    }
    fn io_err(self, ctx: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error::io(e.into().context(ctx.to_string())))
    }
}
