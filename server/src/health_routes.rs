//! The console's own health endpoints, in the reference service's shape
//! (`/api/health/live`, `/api/health/ready`, `/api/runtime/dependencies`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use engine::AppState;
use serde_json::json;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/health/live", get(live))
        .route("/api/health/ready", get(ready))
        .route("/api/runtime/dependencies", get(dependencies))
        .with_state(state)
}

/// The process is up and serving. Says nothing about dependencies, by design: orchestrators
/// restart on a failed liveness check, and a database outage is not fixed by a restart.
async fn live() -> Response {
    Json(json!({ "status": "alive" })).into_response()
}

/// 200 with the report when every required dependency is ready; 503 with `{"detail": ...}`
/// otherwise, exactly as the reference service answers.
async fn ready(State(state): State<AppState>) -> Response {
    let report = engine::health::runtime_report(&state).await;
    if report.ready {
        let checks: serde_json::Map<String, serde_json::Value> = report
            .dependencies
            .values()
            .map(|d| (d.name.clone(), json!(if d.ready { "ok" } else { "failed" })))
            .collect();
        Json(json!({
            "status": "ready",
            "timestamp": report.checked_at,
            "checks": checks,
            "runtime_dependencies": report,
        }))
        .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "detail": report.not_ready_detail() })),
        )
            .into_response()
    }
}

async fn dependencies(State(state): State<AppState>) -> Response {
    Json(engine::health::runtime_report(&state).await).into_response()
}
