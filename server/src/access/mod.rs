//! Who gets in: the sign-in guard in front of every route, sign-in and sign-out, the one-time
//! setup link for the first admin, the same-origin check, and the security headers.

mod client;
pub mod limiter;
mod pages;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::auth::{Principal, Role, hex};
use engine::AppState;
use serde::Deserialize;

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
        tokio::spawn(write_tallies(Arc::downgrade(&limiter), app.store.clone()));
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
        .route("/api/auth/login", post(sign_in))
        .route("/api/auth/logout", post(sign_out))
        .route("/setup", get(pages::setup_form))
        .route("/api/auth/setup", post(setup))
        .route("/api/admin/audit.jsonl", get(audit_export))
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

async fn principal(
    access: &Access,
    headers: &HeaderMap,
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
    let mut response = match principal(&access, request.headers()).await {
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
        Ok(None) if path.starts_with("/api/") || is_state_changing(request.method()) => problem(
            StatusCode::UNAUTHORIZED,
            "Sign in first: send `Authorization: Bearer <token>`, or sign in at /login.",
        ),
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

/// Where to go after signing in: a path of this site only. Refused (and replaced by `/`):
/// anything not starting with one `/`, a second `/` or `\` after it (`//host`, `/\host`), and
/// any backslash or control character anywhere: browsers drop tabs and newlines from a
/// `Location` and read `\` as `/`, so `/\t/evil.example` would become `//evil.example`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n[1..].starts_with(['/', '\\'])
                && !n.chars().any(|c| c == '\\' || c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
pub struct SignInForm {
    token: String,
    next: Option<String>,
}

/// Sign-in. A client that failed too often this minute is answered 429 unless its token
/// verifies (so a neighbour behind the same address, or an attacker, never locks out a
/// valid token); a malformed token is refused without a database read. Failures reach the
/// audit log as the limiter decides (see `limiter`): at most two rows a client a minute.
async fn sign_in(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let ip = access.client(peer, &headers);
    let client = ip.to_string();
    let store = &access.app.store;
    let allowed = access.app.config.server.access.sign_in_attempts_per_minute;
    if !same_origin(&headers) {
        return problem(StatusCode::FORBIDDEN, "Cross-site sign-in refused.");
    }
    let blocked = access.limiter.is_blocked(ip, allowed, Instant::now());
    let who = match store.authenticate_token(&form.token).await {
        Ok(Some(who)) => who,
        Ok(None) => {
            let record = access.limiter.record_failure(ip, blocked, Instant::now());
            if record == limiter::Record::Write {
                failed_sign_in(store, &client, "invalid token", 1, 0).await;
            }
            if blocked {
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "60")],
                    "Too many failed sign-ins from this address; wait a minute and try again.",
                )
                    .into_response();
            }
            return Redirect::to(&format!("/login?error=invalid&next={}", urlencode(&next)))
                .into_response();
        }
        Err(e) => return problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    access.limiter.clear(ip);
    let session = match store.create_session(&who.token_id).await {
        Ok(s) => s,
        Err(e) => return problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    let _ = store
        .audit(
            &actor(&who),
            "sign_in",
            "",
            "success",
            &client,
            serde_json::json!({"role": who.role}),
        )
        .await;
    let secure = access.secure(&headers);
    let max_age = access.app.config.server.access.sessions.absolute_secs as u64;
    let cookie = if secure {
        format!(
            "{SECURE_SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}; Secure"
        )
    } else {
        format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}")
    };
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// One audit row for `failures` failed sign-ins from `client` (`refused` of them answered
/// 429 without a check).
async fn failed_sign_in(
    store: &engine::Store,
    client: &str,
    reason: &str,
    failures: u64,
    refused: u64,
) {
    let detail = if failures == 1 {
        serde_json::json!({ "reason": reason })
    } else {
        serde_json::json!({ "reason": reason, "count": failures, "refused": refused })
    };
    if let Err(e) = store
        .audit("anonymous", "sign_in", "", "failure", client, detail)
        .await
    {
        tracing::error!(error = %e, "cannot append to the audit log");
    }
}

/// Writes the limiter's counts of failed sign-ins every 15 s, as one row per client and
/// minute, until the limiter is gone (the console stopped).
async fn write_tallies(limiter: std::sync::Weak<SignInLimiter>, store: engine::Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(limiter) = limiter.upgrade() else {
            return;
        };
        let tallies = limiter.take_tallies(Instant::now(), false);
        drop(limiter);
        for t in tallies {
            let client = t
                .client
                .map_or_else(|| "various clients".to_string(), |ip| ip.to_string());
            let reason = format!("repeated failed sign-ins over {} s", t.age.as_secs());
            failed_sign_in(&store, &client, &reason, t.failures, t.refused).await;
        }
    }
}

pub fn actor(who: &Principal) -> String {
    format!("token {} ({})", who.token_id, who.name)
}

async fn sign_out(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = access.client(peer, &headers).to_string();
    if let Ok(Some(session)) = session_cookie(&headers, access.secure(&headers)) {
        let _ = access.app.store.end_session(&session).await;
        let _ = access
            .app
            .store
            .audit(
                "session",
                "sign_out",
                "",
                "success",
                &client,
                serde_json::json!({}),
            )
            .await;
    }
    let mut response = Redirect::to("/login?signed_out=1").into_response();
    for clear in [
        "gl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        "__Host-gl_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure",
    ] {
        response
            .headers_mut()
            .append(header::SET_COOKIE, HeaderValue::from_static(clear));
    }
    response
}

#[derive(Deserialize)]
pub struct SetupQuery {
    pub code: Option<String>,
}

#[derive(Deserialize)]
pub struct SetupForm {
    code: String,
    name: String,
}

async fn setup(
    State(access): State<Access>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Response {
    if !same_origin(&headers) {
        return problem(StatusCode::FORBIDDEN, "Cross-site setup refused.");
    }
    let name = form.name.trim();
    if name.is_empty() || name.len() > 100 {
        return pages::setup_error("Give the first admin a name (1 to 100 characters).");
    }
    // Take the code: it works once.
    let valid = {
        let mut code = access.setup_code.lock().unwrap_or_else(|p| p.into_inner());
        let ok = code
            .as_deref()
            .is_some_and(|c| constant_time_eq(c, &form.code));
        if ok {
            *code = None;
        }
        ok
    };
    // An admin may have been created since the console started (`greenlight token create
    // --role admin` while it runs): then the link is dead too.
    let admin_exists = match access.app.store.has_admin().await {
        Ok(exists) => exists,
        Err(e) => return problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    };
    if !valid || admin_exists {
        return pages::setup_error(
            "This setup link is not valid (already used, or an admin exists). Ask an admin for a token.",
        );
    }
    match access.app.store.create_token(name, Role::Admin).await {
        Ok((row, token)) => {
            let _ = access
                .app
                .store
                .audit(
                    "setup link",
                    "token_created",
                    &row.id,
                    "success",
                    &access.client(peer, &headers).to_string(),
                    serde_json::json!({"name": row.name, "role": row.role}),
                )
                .await;
            pages::setup_done(&token)
        }
        Err(e) => problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

/// The whole audit log as JSON lines, oldest first (admins only).
async fn audit_export(State(access): State<Access>, request: Request) -> Response {
    match request.extensions().get::<Principal>() {
        Some(who) if who.role.allows(Role::Admin) => {}
        Some(_) => {
            return problem(
                StatusCode::FORBIDDEN,
                "Only admins may export the audit log.",
            );
        }
        None => return problem(StatusCode::UNAUTHORIZED, "Sign in first."),
    }
    let query = engine::store::AuditQuery {
        limit: Some(100_000),
        ..Default::default()
    };
    match access.app.store.audit_entries(query).await {
        Ok(entries) => {
            let mut body = String::new();
            for entry in entries.iter().rev() {
                if let Ok(line) = serde_json::to_string(entry) {
                    body.push_str(&line);
                    body.push('\n');
                }
            }
            (
                [
                    (header::CONTENT_TYPE, "application/x-ndjson"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"greenlight-audit.jsonl\"",
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => problem(StatusCode::SERVICE_UNAVAILABLE, &e.to_string()),
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub use pages::SetupQueryParams;
