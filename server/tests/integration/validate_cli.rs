//! `greenlight validate` on real files, against a real redis-server and a real HTTP server that
//! answers like the Inngest SDK (signature checked with the same key).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support;
use crate::support::RedisServer;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");
const SIGNING_KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";
const SECRETS: [&str; 4] = [
    "sk-ant-secret-value-1",
    "sk-openai-secret-2",
    "supabase-secret-3",
    "evtkey123",
];

fn full_staging_file(extra: &str) -> String {
    format!(
        "ENVIRONMENT=staging\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY={}\nOPENAI_API_KEY={}\n\
         GHL_API_KEY=ghl-key-value\nGHL_LOCATION_ID=loc-1\nSUPABASE_URL=https://db.example.com\n\
         SUPABASE_KEY={}\nCLAY_API_KEY=clay-key-value\n{extra}",
        SECRETS[0], SECRETS[1], SECRETS[2]
    )
}

fn validate(dir: &Path, text: &str, args: &[&str]) -> (Output, Value) {
    let file = dir.join("test.env");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(BIN)
        .arg("validate")
        .args(args)
        .arg("--env-file")
        .arg(&file)
        .args(["--format", "json"])
        .env("REDIS_URL", "redis://from-the-shell-must-be-ignored:1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for secret in SECRETS {
        assert!(
            !stdout.contains(secret),
            "a secret value was printed: {stdout}"
        );
    }
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, json)
}

#[test]
fn the_verdict_and_missing_keys_follow_the_reference_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report) = validate(dir.path(), &full_staging_file(""), &["--mode", "staging"]);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["passed"], true);
    assert_eq!(report["missing_required"], json!([]));

    let (out, report) = validate(
        dir.path(),
        "ENVIRONMENT=dev\nLOG_LEVEL=\n",
        &["--mode", "development"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        report["missing_required"],
        json!(["ANTHROPIC_API_KEY", "LOG_LEVEL", "OPENAI_API_KEY"])
    );

    let strict = full_staging_file("REDIS_REQUIRED=true\nINNGEST_REQUIRED=yes\n");
    let (out, report) = validate(dir.path(), &strict, &["--mode", "production"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        report["missing_required"],
        json!([
            "INNGEST_EVENT_KEY (required because INNGEST_REQUIRED=true)",
            "INNGEST_SIGNING_KEY (required because INNGEST_REQUIRED=true)",
            "REDIS_URL (required because REDIS_REQUIRED=true)"
        ]),
        "REDIS_URL from the shell does not count"
    );
}

#[test]
fn unreadable_files_and_bad_flags_exit_2() {
    let out = Command::new(BIN)
        .args([
            "validate",
            "--mode",
            "staging",
            "--env-file",
            "/nonexistent/x.env",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["validate", "--mode", "prod", "--env-file", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn connection_checks_ping_a_real_redis_and_fail_only_when_it_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let mut redis = RedisServer::start();
    let up = full_staging_file(&format!("REDIS_URL={}\nREDIS_REQUIRED=true\n", redis.url()));
    let (out, report) = validate(
        dir.path(),
        &up,
        &["--mode", "staging", "--check-connections"],
    );
    assert_eq!(out.status.code(), Some(0), "{report}");
    let checks = report["connection_checks"].as_array().unwrap();
    assert_eq!(checks[0]["name"], "redis");
    assert_eq!(checks[0]["outcome"], "OK");
    assert_eq!(
        checks[1]["outcome"], "SKIP",
        "Inngest is not required and has no keys"
    );

    redis.stop();
    let (out, report) = validate(
        dir.path(),
        &up,
        &["--mode", "staging", "--check-connections"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["connection_checks"][0]["outcome"], "FAIL");
    assert_eq!(
        report["connection_checks"][2]["outcome"], "FAIL",
        "the runtime verdict lists the failure"
    );

    let relaxed = full_staging_file(&format!(
        "REDIS_URL={}\nREDIS_REQUIRED=false\n",
        redis.url()
    ));
    let (out, report) = validate(
        dir.path(),
        &relaxed,
        &["--mode", "staging", "--check-connections"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "an optional Redis that is down only degrades: {report}"
    );
    assert_eq!(report["connection_checks"][0]["outcome"], "OK");
}

/// A real HTTP server answering like inngest-py 0.5.19 in cloud mode: unsigned GETs get 401
/// with `x-inngest-sdk-handled: true`; a GET signed with the right key gets the inspection.
/// Served while the returned `Stub` lives.
async fn fake_cloud_sdk() -> support::Stub {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;

    async fn serve(headers: HeaderMap) -> axum::response::Response {
        support::cloud_sdk_answer(
            &headers,
            SIGNING_KEY,
            "evtkey123",
            "caio-alpha-swarm-production",
        )
    }
    let app = axum::Router::new()
        .route("/api/inngest", get(serve))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") });
    support::serve_stub(app).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inngest_route_is_verified_with_a_signed_request() {
    let sdk = fake_cloud_sdk().await;
    let base = sdk.url();
    let dir = tempfile::tempdir().unwrap();
    let file = |url: &str, key: &str| {
        full_staging_file(&format!(
            "INNGEST_REQUIRED=true\nINNGEST_SIGNING_KEY={key}\nINNGEST_EVENT_KEY=evtkey123\nINNGEST_WEBHOOK_URL={url}\n"
        ))
    };
    let run = |text: String| {
        let dir = dir.path().to_path_buf();
        tokio::task::spawn_blocking(move || {
            validate(
                &dir,
                &text,
                &[
                    "--mode",
                    "staging",
                    "--check-connections",
                    "--verify-inngest-route",
                ],
            )
        })
    };
    let (out, report) = run(file(&format!("{base}/api/inngest"), SIGNING_KEY))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["connection_checks"][1]["outcome"], "OK");

    // A wrong key still finds the SDK (401, SDK-handled): mounted, in cloud mode.
    let (_, report) = run(file(&format!("{base}/api/inngest"), "signkey-prod-ffff"))
        .await
        .unwrap();
    assert_eq!(report["connection_checks"][1]["outcome"], "OK", "{report}");

    let (out, report) = run(file(&format!("{base}/wrong/path"), SIGNING_KEY))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["connection_checks"][1]["outcome"], "FAIL");
    let message = report["connection_checks"][1]["message"].as_str().unwrap();
    assert!(message.contains("404"), "{message}");
    assert!(!message.contains(SIGNING_KEY));
}
