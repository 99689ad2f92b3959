//! The few errors the UI can show. Each carries a sentence for people, never a stack trace
//! or a secret; the full chain is logged once on the server.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The console cannot do this right now (its database is unusable, for example).
    #[error("{0}")]
    Unavailable(String),
    /// The thing asked for does not exist (an unknown environment, run or suite).
    #[error("{0}")]
    NotFound(String),
    /// The request itself is wrong (an unknown window, a malformed value).
    #[error("{0}")]
    BadRequest(String),
    /// Nobody is signed in.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but this role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request reached the console but did not make it back.
    #[error("Could not reach the Greenlight server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<engine::Error> for AppError {
    fn from(error: engine::Error) -> Self {
        // Log the whole chain here, at the boundary; show people one sentence.
        tracing::error!(error = %error, "server function failed");
        AppError::Unavailable("The console could not read its own data. An engineer can find the cause in the server log.".into())
    }
}
