//! Who gets in: the shared state of access control and its routes. The guard in front of every
//! route is `guard`; sign-in and sign-out `sign_in`; the first admin's link `setup`; the
//! session cookie `cookies`; the same-origin check `origin`; the security headers `headers`.

mod audit_export;
mod client;
mod cookies;
mod guard;
mod headers;
pub mod limiter;
mod origin;
mod pages;
mod problem;
mod setup;
mod sign_in;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use domain::auth::hex;
use engine::AppState;

use limiter::SignInLimiter;

pub use cookies::{SECURE_SESSION_COOKIE, SESSION_COOKIE};
pub use guard::guard;
pub use headers::CspNonce;
pub use pages::SetupQueryParams;
pub use setup::SetupQuery;
pub use sign_in::{SignInForm, actor};

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
            Some(hex(&engine::random::bytes::<16>()?))
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

/// `s` as one query value (the sign-in page's `next=`).
pub fn urlencode(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    /// Everything but the unreserved characters, and `/` kept readable in a path.
    const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}
