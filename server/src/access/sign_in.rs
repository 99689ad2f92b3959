//! Signing in and out: the form, the limiter's verdict, the session cookie, and failed
//! sign-ins in the audit log.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::auth::Principal;
use serde::Deserialize;

use super::cookies::{SECURE_SESSION_COOKIE, SESSION_COOKIE, session_cookie};
use super::limiter::{self, SignInLimiter};
use super::origin::same_origin;
use super::problem::{problem, unavailable};
use super::{Access, urlencode};

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
pub(super) async fn sign_in(
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
    // Checked and counted in one step, before the token is: parallel guesses cannot all pass.
    let blocked = access.limiter.attempt(ip, allowed, Instant::now());
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
        Err(e) => return unavailable(&e),
    };
    access.limiter.clear(ip);
    let session = match store.create_session(&who.token_id).await {
        Ok(s) => s,
        Err(e) => return unavailable(&e),
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
pub(super) async fn write_tallies(
    limiter: std::sync::Weak<SignInLimiter>,
    store: engine::Store,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // At shutdown, everything counted is written before the task ends.
        let last = tokio::select! {
            _ = tick.tick() => false,
            _ = stopping.wait_for(|stop| *stop) => true,
        };
        let Some(limiter) = limiter.upgrade() else {
            return;
        };
        let tallies = limiter.take_tallies(Instant::now(), last);
        drop(limiter);
        for t in tallies {
            let client = t
                .client
                .map_or_else(|| "various clients".to_string(), |ip| ip.to_string());
            let reason = format!("repeated failed sign-ins over {} s", t.age.as_secs());
            failed_sign_in(&store, &client, &reason, t.failures, t.refused).await;
        }
        if last {
            return;
        }
    }
}

pub fn actor(who: &Principal) -> String {
    format!("token {} ({})", who.token_id, who.name)
}

pub(super) async fn sign_out(
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
