//! The guard in front of every route: resolves the caller, lets public paths through, refuses
//! the rest (401 for the API, a redirect to sign-in for pages), checks same-origin for
//! state-changing browser requests, and adds the security headers.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::Principal;

use super::cookies::{AmbiguousSession, session_cookie};
use super::headers::{CspNonce, security_headers};
use super::origin::{is_state_changing, same_origin};
use super::problem::{problem, unavailable};
use super::{Access, urlencode};

/// Paths every visitor may reach: the sign-in and setup flows and the static bundle.
const ALWAYS_PUBLIC: [&str; 6] = [
    "/login",
    "/api/auth/login",
    "/setup",
    "/api/auth/setup",
    "/pkg/*",
    "/favicon.ico",
];

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Cookie,
    Bearer,
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == pattern,
    }
}

/// Who is calling. Two different session cookies are refused (400), except on a public path
/// (`public`), where the caller is anonymous: the sign-in page must stay reachable.
async fn principal(
    access: &Access,
    headers: &HeaderMap,
    public: bool,
) -> Result<Option<(Principal, Via)>, Response> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        return match access.app.store.authenticate_token(token).await {
            Ok(Some(p)) => Ok(Some((p, Via::Bearer))),
            Ok(None) => Err(problem(
                StatusCode::UNAUTHORIZED,
                "The bearer token is not valid (unknown, revoked or malformed).",
            )),
            Err(e) => Err(unavailable(&e)),
        };
    }
    let session = match session_cookie(headers, access.secure(headers)) {
        Ok(Some(session)) => session,
        Ok(None) => return Ok(None),
        Err(AmbiguousSession) if public => return Ok(None),
        Err(AmbiguousSession) => {
            return Err(problem(
                StatusCode::BAD_REQUEST,
                "Your browser sent two different Greenlight session cookies (another site under the same domain may have set one). Clear this site's cookies and sign in again.",
            ));
        }
    };
    let policy = access.app.config.server.access.sessions;
    match access
        .app
        .store
        .session_principal(&session, policy, engine::clock::now_unix())
        .await
    {
        Ok(found) => Ok(found.map(|p| (p, Via::Cookie))),
        Err(e) => Err(unavailable(&e)),
    }
}

pub async fn guard(State(access): State<Access>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::fresh().unwrap_or_default();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = request.uri().path().to_string();
    let public = access.app.config.server.access.is_public(&path)
        || ALWAYS_PUBLIC.iter().any(|p| matches(p, &path));
    let mut response = match principal(&access, request.headers(), public).await {
        Err(response) => response,
        Ok(Some((who, via))) => {
            if via == Via::Cookie
                && is_state_changing(request.method())
                && !same_origin(request.headers())
            {
                problem(
                    StatusCode::FORBIDDEN,
                    "Cross-site request refused: state-changing requests must come from Greenlight's own pages.",
                )
            } else {
                request.extensions_mut().insert(who);
                next.run(request).await
            }
        }
        Ok(None) if public => next.run(request).await,
        // Machines (the API, Prometheus scrapers) hear 401; browsers are sent to sign in.
        Ok(None)
            if path.starts_with("/api/")
                || path == "/metrics"
                || is_state_changing(request.method()) =>
        {
            problem(
                StatusCode::UNAUTHORIZED,
                "Sign in first: send `Authorization: Bearer <token>`, or sign in at /login.",
            )
        }
        Ok(None) => {
            let target = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            Redirect::to(&format!("/login?next={}", urlencode(&target))).into_response()
        }
    };
    security_headers(response.headers_mut(), &nonce);
    response
}
