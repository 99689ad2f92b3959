//! The audit log's export as JSON lines.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::auth::{Principal, Role};

use super::Access;
use super::problem::problem;

/// The whole audit log as JSON lines, oldest first (admins only), streamed a page of
/// [`EXPORT_PAGE`] rows at a time: memory stays flat however long the log is.
pub(super) async fn audit_export(State(access): State<Access>, request: Request) -> Response {
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
    let store = access.app.store.clone();
    // (next page starts after this id, finished)
    let pages = futures::stream::unfold((None::<i64>, false), move |(after, done)| {
        let store = store.clone();
        async move {
            if done {
                return None;
            }
            let query = engine::store::AuditQuery {
                limit: Some(EXPORT_PAGE),
                after_id: after,
                oldest_first: true,
                ..Default::default()
            };
            match store.audit_entries(query).await {
                Ok(entries) if entries.is_empty() => None,
                Ok(entries) => {
                    let last = entries.last().map(|e| e.id);
                    let full = entries.len() == EXPORT_PAGE as usize;
                    let mut body = String::new();
                    for entry in &entries {
                        if let Ok(line) = serde_json::to_string(entry) {
                            body.push_str(&line);
                            body.push('\n');
                        }
                    }
                    Some((Ok::<_, std::io::Error>(body), (last, !full)))
                }
                Err(e) => {
                    tracing::error!(error = %e, "the audit export stopped early");
                    Some((Err(std::io::Error::other(e.to_string())), (after, true)))
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"greenlight-audit.jsonl\"",
            ),
        ],
        axum::body::Body::from_stream(pages),
    )
        .into_response()
}

/// Rows read per page of the audit export.
const EXPORT_PAGE: u32 = 2_000;
