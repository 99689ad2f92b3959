//! What a practice service answers, in the reference service's shapes (see
//! `../shared/fixtures/payloads`): readiness 200 / 503 with `detail`, runtime dependencies
//! measured live (a Redis PING on every request, as the reference does), and a queue-health
//! answer. The settings are the ones the service was (re)deployed with, not the file's now.

use std::time::{Duration, Instant};

use domain::RedisUrl;
use domain::env_file::EnvFile;
use serde::Serialize;

use crate::tls::TrustedRoots;

/// The reference's PING budget inside its dependencies check.
const PING_TIMEOUT: Duration = Duration::from_millis(500);

/// The settings a service started with. Its `Debug` leaves the secrets out.
#[derive(Clone)]
pub struct Deployed {
    pub redis_url: Option<RedisUrl>,
    pub redis_required: bool,
    pub inngest_required: bool,
    pub signing_key: Option<String>,
    pub event_key: Option<String>,
    pub app_id: String,
    pub dashboard_token: Option<String>,
    pub dev: bool,
    pub at_unix: f64,
}

impl std::fmt::Debug for Deployed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deployed")
            .field("redis_url", &self.redis_url)
            .field("redis_required", &self.redis_required)
            .field("inngest_required", &self.inngest_required)
            .field("app_id", &self.app_id)
            .field("dev", &self.dev)
            .field("at_unix", &self.at_unix)
            .finish_non_exhaustive()
    }
}

impl Deployed {
    pub fn from_file(file: &EnvFile) -> Self {
        let value = |key: &str| {
            file.get(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        Self {
            redis_url: value("REDIS_URL").and_then(|u| RedisUrl::parse(&u).ok()),
            redis_required: file.flag("REDIS_REQUIRED"),
            inngest_required: file.flag("INNGEST_REQUIRED"),
            signing_key: value("INNGEST_SIGNING_KEY"),
            event_key: value("INNGEST_EVENT_KEY"),
            app_id: value("INNGEST_APP_ID").unwrap_or_default(),
            dashboard_token: value("DASHBOARD_AUTH_TOKEN"),
            dev: file.flag("INNGEST_DEV"),
            at_unix: crate::clock::now_unix(),
        }
    }

    pub fn strict(&self) -> bool {
        self.redis_required && self.inngest_required
    }
}

#[derive(Debug, Serialize)]
struct RedisDependency {
    name: &'static str,
    required: bool,
    configured: bool,
    package_available: bool,
    connected: bool,
    latency_ms: f64,
    status: &'static str,
    ready: bool,
    message: String,
}

#[derive(Debug, Serialize)]
struct InngestDependency {
    name: &'static str,
    required: bool,
    configured: bool,
    package_available: bool,
    keys_present: bool,
    route_mounted: bool,
    app_id: String,
    webhook_url: &'static str,
    status: &'static str,
    ready: bool,
    message: &'static str,
}

#[derive(Debug, Serialize)]
struct WebhooksDependency {
    name: &'static str,
    required: bool,
    configured: bool,
    ready: bool,
    status: &'static str,
    message: &'static str,
}

#[derive(Debug, Serialize)]
struct Dependencies {
    redis: RedisDependency,
    inngest: InngestDependency,
    webhooks: WebhooksDependency,
}

/// `GET /api/runtime/dependencies`.
#[derive(Debug, Serialize)]
pub struct DependenciesReport {
    status: &'static str,
    pub ready: bool,
    checked_at: String,
    dependencies: Dependencies,
    required_failures: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Checks {
    health_monitor: &'static str,
    integrations: &'static str,
    runtime_dependencies: &'static str,
}

/// `GET /api/health/ready` when ready (200).
#[derive(Debug, Serialize)]
pub struct ReadyAnswer {
    status: &'static str,
    timestamp: String,
    checks: Checks,
    runtime_dependencies: DependenciesReport,
}

/// The PING the reference makes: Ok(latency) or the failure in its words.
pub async fn redis_ping(deployed: &Deployed) -> Result<f64, String> {
    let Some(url) = &deployed.redis_url else {
        return Err("REDIS_URL is not set".into());
    };
    let started = Instant::now();
    crate::clients::redis_ping::ping(url, PING_TIMEOUT, &TrustedRoots::default())
        .await
        .map(|_| round2(started.elapsed()))
        .map_err(|e| format!("Redis ping failed: {e}"))
}

fn round2(d: Duration) -> f64 {
    (d.as_secs_f64() * 100_000.0).round() / 100.0
}

/// The runtime dependencies measured now.
pub async fn dependencies(deployed: &Deployed) -> DependenciesReport {
    let started = Instant::now();
    let ping = redis_ping(deployed).await;
    let connected = ping.is_ok();
    let redis = RedisDependency {
        name: "redis",
        required: deployed.redis_required,
        configured: deployed.redis_url.is_some(),
        package_available: true,
        connected,
        latency_ms: ping.clone().unwrap_or_else(|_| round2(started.elapsed())),
        status: match (connected, deployed.redis_required) {
            (true, _) => "healthy",
            (false, true) => "unhealthy",
            (false, false) => "degraded",
        },
        ready: connected || !deployed.redis_required,
        message: ping.err().unwrap_or_else(|| "Redis ping succeeded".into()),
    };
    let keys = deployed.signing_key.is_some() && deployed.event_key.is_some();
    let inngest = InngestDependency {
        name: "inngest",
        required: deployed.inngest_required,
        configured: keys,
        package_available: true,
        keys_present: keys,
        route_mounted: true,
        app_id: deployed.app_id.clone(),
        webhook_url: "",
        status: if keys { "healthy" } else { "unhealthy" },
        ready: keys || !deployed.inngest_required,
        message: if keys {
            "Inngest keys present and route mounted"
        } else {
            "Inngest keys missing"
        },
    };
    let mut required_failures = Vec::new();
    if !redis.ready {
        required_failures.push(format!("redis: {}", redis.message));
    }
    if !inngest.ready {
        required_failures.push(format!("inngest: {}", inngest.message));
    }
    let ready = required_failures.is_empty();
    DependenciesReport {
        status: if ready { "ready" } else { "not_ready" },
        ready,
        checked_at: crate::clock::now_rfc3339(),
        dependencies: Dependencies {
            redis,
            inngest,
            webhooks: WebhooksDependency {
                name: "webhooks",
                required: false,
                configured: false,
                ready: true,
                status: "not_configured",
                message: "Webhook auth is optional in current mode",
            },
        },
        required_failures,
    }
}

/// Readiness: `Ok` (200) with the report, or `Err` (503) with the reference's `detail`.
pub async fn readiness(deployed: &Deployed) -> Result<ReadyAnswer, String> {
    let report = dependencies(deployed).await;
    if !report.ready {
        return Err(format!(
            "Runtime dependencies not ready: {}",
            report.required_failures.join("; ")
        ));
    }
    Ok(ReadyAnswer {
        status: "ready",
        timestamp: crate::clock::now_rfc3339(),
        checks: Checks {
            health_monitor: "ok",
            integrations: "ok",
            runtime_dependencies: "ready",
        },
        runtime_dependencies: report,
    })
}

/// `GET /api/queue/health`: the job queue lives in Redis. The practice service runs no jobs,
/// so a reachable queue is empty; an unreachable one is reported as such (503).
#[derive(Debug, Serialize)]
pub struct QueueHealth {
    status: &'static str,
    queue: QueueFigures,
}

#[derive(Debug, Serialize)]
struct QueueFigures {
    name: &'static str,
    depth: u64,
    p95_age_seconds: f64,
    oldest_age_seconds: f64,
}

pub async fn queue(deployed: &Deployed) -> Result<QueueHealth, String> {
    redis_ping(deployed)
        .await
        .map(|_| QueueHealth {
            status: "ok",
            queue: QueueFigures {
                name: "default",
                depth: 0,
                p95_age_seconds: 0.0,
                oldest_age_seconds: 0.0,
            },
        })
        .map_err(|e| format!("Queue unavailable: {e}"))
}
