//! The two small pages of the first-admin setup, served without the app (no script needed).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::Access;

pub type SetupQueryParams = super::SetupQuery;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Greenlight</title>\
         <link rel=\"stylesheet\" href=\"{css}\"></head><body><main id=\"main\" class=\"setup\">\
         <h1>{title}</h1>{body}</main></body></html>",
        css = crate::site::stylesheet_href()
    )
}

pub(super) async fn setup_form(
    State(access): State<Access>,
    Query(query): Query<SetupQueryParams>,
) -> Response {
    let valid = match (access.setup_code(), query.code.as_deref()) {
        (Some(code), Some(given)) => super::setup::constant_time_eq(&code, given),
        _ => false,
    };
    if !valid {
        return setup_error(
            "This setup link is not valid (already used, or an admin exists). Ask an admin for a token.",
        );
    }
    let code = escape(query.code.as_deref().unwrap_or(""));
    Html(page(
        "Create the first admin",
        &format!(
            "<p>No admin token exists yet. Name the first admin; Greenlight then shows its token once.</p>\
             <form method=\"post\" action=\"/api/auth/setup\"><input type=\"hidden\" name=\"code\" value=\"{code}\">\
             <label for=\"name\">Name</label> <input id=\"name\" name=\"name\" required maxlength=\"100\" autocomplete=\"off\"> \
             <button type=\"submit\" class=\"button\">Create admin token</button></form>"
        ),
    ))
    .into_response()
}

pub(super) fn setup_error(message: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(page(
            "Setup",
            &format!("<p class=\"error\">{}</p>", escape(message)),
        )),
    )
        .into_response()
}

pub(super) fn setup_done(token: &str) -> Response {
    Html(page(
        "Admin token created",
        &format!(
            "<p>Copy this token now: it is shown only once and Greenlight keeps only a hash of it.</p>\
             <p><code class=\"token\">{}</code></p>\
             <p><a class=\"button\" href=\"/login\">Sign in with it</a></p>",
            escape(token)
        ),
    ))
    .into_response()
}
