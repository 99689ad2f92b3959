//! The few errors the UI can show. Each carries a sentence for people, never a stack trace
//! or a secret; the full chain is logged once on the server. Each kind has one HTTP status,
//! set here for every server function (so a script can tell a refusal from a crash).

use leptos::server_fn::Bytes;
use leptos::server_fn::Encodes;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The console cannot do this right now (its database is unusable, for example): 503.
    #[error("{0}")]
    Unavailable(String),
    /// The thing asked for does not exist (an unknown environment, run or suite): 404.
    #[error("{0}")]
    NotFound(String),
    /// The request itself is wrong (an unknown window, a malformed value): 400.
    #[error("{0}")]
    BadRequest(String),
    /// The request is understood but refused by the state things are in (Go while the
    /// verdict is No-Go, a step of a finished go-live, a suite already running): 409.
    #[error("{0}")]
    Conflict(String),
    /// Nobody is signed in: 401.
    #[error("{0}")]
    Unauthenticated(String),
    /// Signed in, but this role may not do this: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The request reached the console but did not make it back (the browser's side).
    #[error("Could not reach the Greenlight server: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status of this kind of error: the one mapping, used for every answer.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unavailable(_) => 503,
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::Unauthenticated(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::Transport(_) => 502,
        }
    }
}

impl AppError {
    /// Gives the answer being built (a server function's, or a page rendered on the server
    /// whose access was refused) this error's status.
    pub fn set_response_status(&self) {
        #[cfg(feature = "ssr")]
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(status) = leptos::server_fn::http_export::StatusCode::from_u16(self.status())
        {
            options.set_status(status);
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The server could not read what was sent: the request is wrong.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest(format!("The request was not understood: {value}."))
            }
            other => AppError::Transport(other.to_string()),
        }
    }

    /// Every server function's error leaves through here, inside its request: this is where
    /// the answer gets the error's status instead of the framework's blanket 500.
    fn ser(&self) -> Bytes {
        self.set_response_status();
        <JsonEncoding as Encodes<Self>>::encode(self).unwrap_or_else(|_| {
            Bytes::from_static(br#"{"Unavailable":"The console could not describe this error."}"#)
        })
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
