//! The same-origin check for state-changing browser requests.

use axum::http::{HeaderMap, Method, header};

pub(super) fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The browser says the request comes from our own pages: `Sec-Fetch-Site` same-origin (or
/// none: typed by the user), or an `Origin` whose host is this request's host.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        // No Origin and no Sec-Fetch-Site: not a browser's cross-site request.
        (None, _) => true,
        (Some(_), None) => false,
    }
}
