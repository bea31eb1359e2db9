//! The library's error type: content errors (exit 1) versus usage and I/O
//! errors (exit 2), as SPEC section 5 requires.

use std::fmt;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Debug)]
pub enum Error {
    /// Problems in the content, every one found.
    Content(Diagnostics),
    /// A wrong command line or an unusable path.
    Usage(String),
    /// The machine failed us: disk full, permission denied.
    Io(String),
}

impl Error {
    pub(crate) fn io(err: std::io::Error, path: &Path) -> Error {
        Error::Io(format!("{}: {err}", path.display()))
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Io(_) => 2,
        }
    }

    /// The error as diagnostics (the preview's overlay shows only those);
    /// `file` names where when the error itself does not.
    pub(crate) fn into_diagnostics(self, file: &Path) -> Diagnostics {
        match self {
            Error::Content(d) => d,
            Error::Usage(msg) | Error::Io(msg) => {
                let msg = msg.strip_prefix("error: ").unwrap_or(&msg).to_owned();
                Diagnostics(vec![Diagnostic::error(file, msg)])
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(d) => {
                write!(f, "{d}")?;
                write!(f, "发现 {} 个错误、{} 个警告", d.errors(), d.warnings())
            }
            Error::Usage(msg) => write!(f, "error: {msg}"),
            Error::Io(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
