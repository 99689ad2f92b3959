//! The engine's one error type: the console itself failing (never a probe result).

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A configuration problem, located so the person can go and fix it.
    #[error("{file}:{line}:{column}: {message}")]
    Config {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database {context}: {source}")]
    Database {
        context: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {context}: {message}")]
    DatabaseState { context: String, message: String },
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    pub fn db(context: impl Into<String>, source: rusqlite::Error) -> Self {
        Self::Database {
            context: context.into(),
            source,
        }
    }
}
