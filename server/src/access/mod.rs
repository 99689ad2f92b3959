//! Who gets in: the sign-in guard in front of every route, sign-in and sign-out, the one-time
//! setup link for the first admin, the same-origin check, and the security headers.

mod audit_export;
mod client;
pub mod limiter;
mod pages;
mod setup;
mod sign_in;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::auth::{Principal, hex};
use engine::AppState;

use limiter::SignInLimiter;

/// The session cookie's name over plain HTTP.
pub const SESSION_COOKIE: &str = "gl_session";
/// Its name when the cookie is `Secure`: a `__Host-` cookie is host-only, so a sibling
/// subdomain cannot plant one.
pub const SECURE_SESSION_COOKIE: &str = "__Host-gl_session";

/// Paths every visitor may reach: the sign-in and setup flows and the static bundle.
const ALWAYS_PUBLIC: [&str; 6] = [
    "/login",
    "/api/auth/login",
    "/setup",
    "/api/auth/setup",
    "/pkg/*",
    "/favicon.ico",
];

/// This request's CSP nonce: the hydration scripts carry it, the CSP header allows only it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// A new unpredictable nonce (16 random bytes, hex); `None` if the system has no
    /// randomness to give.
    pub fn fresh() -> Option<String> {
        engine::store::auth::random_bytes::<16>()
            .ok()
            .map(|b| hex(&b))
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Cookie,
    Bearer,
}

#[derive(Clone)]
pub struct Access {
    pub app: AppState,
    pub limiter: Arc<SignInLimiter>,
    /// The one-time code of the first-admin setup link, while no admin token exists.
    pub setup_code: Arc<Mutex<Option<String>>>,
}

impl Access {
    pub async fn new(app: AppState) -> Result<Self, engine::Error> {
        let code = if app.store.has_admin().await? {
            None
        } else {
            Some(hex(&engine::store::auth::random_bytes::<16>()?))
        };
        let limiter: Arc<SignInLimiter> = Arc::default();
        tokio::spawn(sign_in::write_tallies(
            Arc::downgrade(&limiter),
            app.store.clone(),
            app.stopping.subscribe(),
        ));
        Ok(Self {
            app,
            limiter,
            setup_code: Arc::new(Mutex::new(code)),
        })
    }

    /// The client of this request (see [`client::client_ip`]).
    fn client(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        client::client_ip(
            peer.ip(),
            headers,
            &self.app.config.server.access.trusted_proxies,
        )
    }

    /// True when the session cookie is (to be) `Secure`: configured so, or the request came
    /// through a TLS-terminating proxy.
    fn secure(&self, headers: &HeaderMap) -> bool {
        self.app.config.server.access.secure_cookies
            || headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes() == b"https")
    }

    pub fn setup_code(&self) -> Option<String> {
        self.setup_code
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

pub fn routes(access: Access) -> Router {
    Router::new()
        .route("/api/auth/login", post(sign_in::sign_in))
        .route("/api/auth/logout", post(sign_in::sign_out))
        .route("/setup", get(pages::setup_form))
        .route("/api/auth/setup", post(setup::setup))
        .route("/api/admin/audit.jsonl", get(audit_export::audit_export))
        .with_state(access)
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == pattern,
    }
}

/// Every value the request sent for cookie `name`.
fn cookies<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Two different session cookies: somebody else (a sibling subdomain) set one of them.
#[derive(Debug)]
struct AmbiguousSession;

/// The session the request carries. Over HTTPS only the `__Host-` cookie counts; over plain
/// HTTP the plain one. Two different values of the one that counts are refused, never guessed.
fn session_cookie(headers: &HeaderMap, secure: bool) -> Result<Option<String>, AmbiguousSession> {
    let mut found: Option<&str> = None;
    let names: &[&str] = if secure {
        &[SECURE_SESSION_COOKIE]
    } else {
        &[SECURE_SESSION_COOKIE, SESSION_COOKIE]
    };
    for name in names {
        for value in cookies(headers, name) {
            match found {
                Some(other) if other != value => return Err(AmbiguousSession),
                _ => found = Some(value),
            }
        }
        if found.is_some() {
            break;
        }
    }
    Ok(found.map(str::to_string))
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The browser says the request comes from our own pages: `Sec-Fetch-Site` same-origin (or
/// none: typed by the user), or an `Origin` whose host is this request's host.
fn same_origin(headers: &HeaderMap) -> bool {
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
            Err(e) => Err(problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())),
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
        .session_principal(&session, policy, engine::store::auth::now_unix())
        .await
    {
        Ok(found) => Ok(found.map(|p| (p, Via::Cookie))),
        Err(e) => Err(problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string())),
    }
}

fn problem(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// In front of every route: resolves the caller, lets public paths through, refuses the rest
/// (401 for the API, a redirect to sign-in for pages), checks same-origin for state-changing
/// browser requests, and adds the security headers.
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

fn security_headers(headers: &mut HeaderMap, nonce: &str) {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    for (name, value) in [
        ("content-security-policy", csp.as_str()),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub use pages::SetupQueryParams;
pub use setup::SetupQuery;
pub use sign_in::{SignInForm, actor};
