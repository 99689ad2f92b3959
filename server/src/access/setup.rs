//! The one-time setup link that creates the first admin.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::auth::Role;
use serde::Deserialize;

use super::origin::same_origin;
use super::problem::{problem, unavailable};
use super::{Access, pages};

#[derive(Deserialize)]
pub struct SetupQuery {
    pub code: Option<String>,
}

#[derive(Deserialize)]
pub struct SetupForm {
    code: String,
    name: String,
}

pub(super) async fn setup(
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
        Err(e) => return unavailable(&e),
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
        Err(e) => unavailable(&e),
    }
}

/// The code as given equals the one issued, compared in constant time (`subtle`).
pub(super) fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}
