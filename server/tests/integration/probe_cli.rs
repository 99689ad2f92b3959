//! `greenlight probe` against real things: a redis-server, and real HTTP services on loopback
//! that answer like the reference service or misbehave on purpose.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::support;
use crate::support::{RedisServer, Stub, serve_stub};

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");
const SIGNING_KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";
const EVENT_KEY: &str = "evtkey123";
const TOKEN: &str = "dashboard-token-0123456789abcdefXYZ";

/// A service in the reference shape: healthy, strict, Inngest in cloud mode with 4 functions.
async fn healthy_service() -> Stub {
    async fn ready() -> Response {
        axum::Json(json!({"status": "ready", "checks": {"runtime_dependencies": "ready"}}))
            .into_response()
    }
    async fn deps(headers: HeaderMap) -> Response {
        if headers
            .get("x-dashboard-token")
            .and_then(|v| v.to_str().ok())
            != Some(TOKEN)
        {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"detail": "Unauthorized"})),
            )
                .into_response();
        }
        axum::Json(json!({
            "status": "ready", "ready": true, "required_failures": [],
            "dependencies": {
                "redis": {"name": "redis", "required": true, "ready": true, "status": "healthy", "message": "Redis ping succeeded", "latency_ms": 1.2},
                "inngest": {"name": "inngest", "required": true, "ready": true, "status": "healthy", "message": "Inngest keys present and route mounted"}
            }
        }))
        .into_response()
    }
    async fn inngest(headers: HeaderMap) -> Response {
        support::cloud_sdk_answer(&headers, SIGNING_KEY, EVENT_KEY, "caio-prod")
    }
    serve_stub(
        axum::Router::new()
            .route("/api/health/ready", get(ready))
            .route("/api/runtime/dependencies", get(deps))
            .route("/api/inngest", get(inngest)),
    )
    .await
}

/// A service that misbehaves: 503, slow answers, a 10 MB body, invalid JSON.
async fn broken_service() -> Stub {
    async fn not_ready() -> Response {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(
                json!({"detail": "Runtime dependencies not ready: redis: Redis ping failed"}),
            ),
        )
            .into_response()
    }
    async fn slow() -> Response {
        tokio::time::sleep(Duration::from_secs(10)).await;
        "late".into_response()
    }
    async fn flood() -> Response {
        vec![b'x'; 10 * 1024 * 1024].into_response()
    }
    serve_stub(
        axum::Router::new()
            .route("/api/health/ready", get(not_ready))
            .route("/api/runtime/dependencies", get(flood))
            .route("/api/inngest", get(slow)),
    )
    .await
}

fn write_config(dir: &Path, name: &str, base: &str, env_text: &str) -> std::path::PathBuf {
    std::fs::write(dir.join(format!("{name}.env")), env_text).unwrap();
    let config = dir.join("greenlight.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_default();
    text.push_str(&format!(
        "[[environments]]\nname = \"{name}\"\nmode = \"production\"\nbase_url = \"{base}\"\nenv_file = \"{name}.env\"\n\
         expected_inngest_functions = 4\ndependencies_auth = {{ from_env_file = \"DASHBOARD_AUTH_TOKEN\" }}\n\n"
    ));
    std::fs::write(&config, text).unwrap();
    config
}

fn env_file(redis_url: &str) -> String {
    format!(
        "ENVIRONMENT=production\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY=sk-ant-0123456789abcdefghij\nOPENAI_API_KEY=sk-openai-0123456789abcdef\n\
         GHL_API_KEY=ghl-0123456789abcdef\nGHL_LOCATION_ID=loc\nSUPABASE_URL=https://db.example.com\nSUPABASE_KEY=supa-0123456789abcdef\n\
         CLAY_API_KEY=clay-0123456789abcdef\nREDIS_URL={redis_url}\nREDIS_REQUIRED=true\nINNGEST_REQUIRED=true\n\
         INNGEST_SIGNING_KEY={SIGNING_KEY}\nINNGEST_EVENT_KEY={EVENT_KEY}\nINNGEST_APP_ID=caio-prod\nDASHBOARD_AUTH_TOKEN={TOKEN}\n"
    )
}

async fn probe(config: &Path, args: &[&str]) -> (Output, Value) {
    let config = config.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .arg("probe")
            .arg("--config")
            .arg(&config)
            .args(["--format", "json", "--timeout", "2"])
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for secret in [TOKEN, SIGNING_KEY, EVENT_KEY, "sk-ant-0123456789abcdefghij"] {
        assert!(
            !text.contains(secret),
            "a secret leaked into probe output: {secret}"
        );
    }
    (out, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn probe_of<'a>(report: &'a Value, env: usize, name: &str) -> &'a Value {
    report["environments"][env]["probes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["probe"] == name)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_strict_environment_is_ready_and_turns_unknown_when_redis_stops() {
    let mut redis = RedisServer::start();
    let service = healthy_service().await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "prod", &base, &env_file(&redis.url()));

    let (out, report) = probe(&config, &[]).await;
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["environments"][0]["readiness"], "ready");
    for name in ["env_file", "redis", "readiness", "dependencies", "inngest"] {
        assert_eq!(
            probe_of(&report, 0, name)["status"],
            "healthy",
            "{name}: {report:#}"
        );
    }
    assert!(probe_of(&report, 0, "redis")["latency_ms"].is_number());
    assert!(
        probe_of(&report, 0, "inngest")["message"]
            .as_str()
            .unwrap()
            .contains("4 functions")
    );

    redis.stop();
    let (out, report) = probe(&config, &["--env", "prod"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        probe_of(&report, 0, "redis")["status"],
        "unverified",
        "refused is 'could not measure'"
    );
    assert_eq!(report["environments"][0]["readiness"], "unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misbehaving_service_is_reported_probe_by_probe_with_the_cause() {
    let redis = RedisServer::start();
    let service = broken_service().await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "broken", &base, &env_file(&redis.url()));
    let started = std::time::Instant::now();
    let (out, report) = probe(&config, &[]).await;
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "probes are bounded by --timeout"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["environments"][0]["readiness"], "not_ready");
    let ready = probe_of(&report, 0, "readiness");
    assert_eq!(ready["status"], "unhealthy");
    assert!(
        ready["message"]
            .as_str()
            .unwrap()
            .contains("Not ready (503): Runtime dependencies not ready")
    );
    let deps = probe_of(&report, 0, "dependencies");
    assert_eq!(deps["status"], "unverified");
    assert!(
        deps["message"]
            .as_str()
            .unwrap()
            .contains("more than 1024 KiB"),
        "{deps}"
    );
    let inngest = probe_of(&report, 0, "inngest");
    assert_eq!(inngest["status"], "unverified");
    assert!(
        inngest["message"]
            .as_str()
            .unwrap()
            .contains("did not answer within"),
        "{inngest}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_dashboard_token_is_not_reported_as_an_outage() {
    let redis = RedisServer::start();
    let service = healthy_service().await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    let text = env_file(&redis.url()).replace(TOKEN, "wrong-token-0123456789abcdef");
    let config = write_config(dir.path(), "prod", &base, &text);
    let (_, report) = probe(&config, &[]).await;
    let deps = probe_of(&report, 0, "dependencies");
    assert_eq!(deps["status"], "unverified");
    assert!(
        deps["message"]
            .as_str()
            .unwrap()
            .starts_with("Token rejected (HTTP 401)"),
        "{deps}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_environment_name_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "prod", "http://127.0.0.1:9", "ENVIRONMENT=x\n");
    let (out, _) = probe(&config, &["--env", "staging"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no environment named `staging`"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_check_shows_the_value_that_broke_its_condition() {
    let service = serve_stub(axum::Router::new().route(
        "/api/queue/health",
        get(|| async {
            axum::Json(json!({"pipeline_healthy": true, "queue": {"p95_age_seconds": 1320}}))
        }),
    ))
    .await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("greenlight.toml");
    std::fs::write(
        &config,
        format!(
            "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\n\
             [[environments.checks]]\nname = \"queue\"\npath = \"/api/queue/health\"\n\
             conditions = [\"[STATUS] == 200\", \"[BODY].pipeline_healthy == true\", \"[BODY].queue.p95_age_seconds < 900\"]\n"
        ),
    )
    .unwrap();
    let (out, report) = probe(&config, &[]).await;
    assert_eq!(out.status.code(), Some(1));
    let queue = probe_of(&report, 0, "queue");
    assert_eq!(queue["status"], "unhealthy");
    assert_eq!(
        queue["message"],
        "Failed: [BODY].queue.p95_age_seconds (1320) < 900"
    );
}
