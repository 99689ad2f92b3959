//! The console's own health endpoints, in the reference service's shape
//! (`/api/health/live`, `/api/health/ready`, `/api/runtime/dependencies`), and `/metrics`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use engine::AppState;
use serde_json::json;

/// How long an anonymous readiness answer is reused: a flood of anonymous checks costs one
/// database and Redis check per interval, not one each.
const ANONYMOUS_REUSE: Duration = Duration::from_secs(2);

/// What an anonymous caller learns: ready or not, and the names of the dependencies that
/// failed (`database`, `redis`), never their messages.
#[derive(Clone)]
struct Verdict {
    ready: bool,
    failing: Vec<String>,
}

#[derive(Clone)]
struct Health {
    state: AppState,
    /// The last anonymous verdict and when it was measured; the lock is held while measuring,
    /// so concurrent anonymous checks wait for one measurement.
    anonymous: Arc<tokio::sync::Mutex<Option<(Instant, Verdict)>>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/health/live", get(live))
        .route("/api/health/ready", get(ready))
        .route("/api/runtime/dependencies", get(dependencies))
        .route("/metrics", get(metrics))
        .with_state(Health {
            state,
            anonymous: Arc::default(),
        })
}

/// The process is up and serving. Says nothing about dependencies, by design: orchestrators
/// restart on a failed liveness check, and a database outage is not fixed by a restart.
async fn live() -> Response {
    Json(json!({ "status": "alive" })).into_response()
}

/// 200 with the report when every required dependency is ready; 503 with `{"detail": ...}`
/// otherwise, exactly as the reference service answers.
///
/// Anonymous callers (load balancers, orchestrators) get the verdict only, measured at most
/// every [`ANONYMOUS_REUSE`]: the details name file paths and addresses, which are for
/// signed-in users.
async fn ready(
    State(health): State<Health>,
    who: Option<Extension<domain::auth::Principal>>,
) -> Response {
    if who.is_none() {
        let mut last = health.anonymous.lock().await;
        let verdict = match &*last {
            Some((at, verdict)) if at.elapsed() < ANONYMOUS_REUSE => verdict.clone(),
            _ => {
                let report = engine::health::runtime_report(&health.state).await;
                let verdict = Verdict {
                    ready: report.ready,
                    failing: report
                        .dependencies
                        .values()
                        .filter(|d| !d.ready)
                        .map(|d| d.name.clone())
                        .collect(),
                };
                *last = Some((Instant::now(), verdict.clone()));
                verdict
            }
        };
        drop(last);
        return if verdict.ready {
            Json(json!({ "status": "ready" })).into_response()
        } else {
            let detail = format!(
                "Runtime dependencies not ready: {} (sign in for details)",
                verdict.failing.join(", ")
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "detail": detail })),
            )
                .into_response()
        };
    }
    let report = engine::health::runtime_report(&health.state).await;
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

/// Signed-in callers only (the path is not public by default), always measured afresh.
async fn dependencies(State(health): State<Health>) -> Response {
    Json(engine::health::runtime_report(&health.state).await).into_response()
}

/// Prometheus metrics (OpenMetrics text). Signed-in callers only (any role: a viewer token
/// for the scraper), unless the operator lists `/metrics` in `[auth] public_paths`.
async fn metrics(State(health): State<Health>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        health.state.metrics.encode(),
    )
        .into_response()
}
