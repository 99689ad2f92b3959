//! The security headers of every answer, and the CSP nonce the hydration scripts carry.

use axum::http::{HeaderMap, HeaderValue};
use domain::auth::hex;

/// This request's CSP nonce: the hydration scripts carry it, the CSP header allows only it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// A new unpredictable nonce (16 random bytes, hex); `None` if the system has no
    /// randomness to give.
    pub fn fresh() -> Option<String> {
        engine::random::bytes::<16>().ok().map(|b| hex(&b))
    }
}

pub(super) fn security_headers(headers: &mut HeaderMap, nonce: &str) {
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
