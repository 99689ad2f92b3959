//! The JSON refusals of the access routes: `{"error": "<a sentence>"}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub(super) fn problem(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// The console's own failure (its database, its randomness): logged whole here, answered
/// 503 with a sentence that names no file, address or inner message.
pub(super) fn unavailable(error: &engine::Error) -> Response {
    tracing::error!(error = %error, "access check failed");
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        "The console cannot check sign-ins right now. An engineer can find the cause in the server log.",
    )
}
