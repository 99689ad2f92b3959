//! Readiness history over real HTTP: live events when a round is stored, the environment page
//! and its server function (windows, chart, last failure, parity without secrets).

use std::time::Duration;

use serde_json::Value;

use crate::support;
use crate::support::TestApp;

async fn probe(app: &TestApp, env: &str) -> Value {
    app.post_json("/api/status/probe", &[("environment", env)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_round_is_announced_on_the_event_stream_and_shutdown_ends_it() {
    let reference = support::reference_service(None).await;
    let base = reference.url();
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn(&config).await;
    // The scheduler's first round may already be announced; read until "svc" arrives after
    // our own probe.
    let mut stream = app
        .client()
        .get(app.url("/api/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    probe(&app, "svc").await;
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: round\ndata: svc\n") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "stream said: {seen:?}");
    // An open event stream must not hold up a graceful shutdown.
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_page_shows_windows_chart_failure_and_parity_without_secrets() {
    let reference = support::reference_service(None).await;
    let base = reference.url();
    let dir = tempfile::tempdir().unwrap();
    let shared = "Xq7pL2vN9rT4wY8zK3mB6cF1hJ5dG0sA";
    std::fs::write(
        dir.path().join("staging.env"),
        format!(
            "ENVIRONMENT=staging\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY=staging-a-1\nOPENAI_API_KEY=staging-o-1\nDASHBOARD_AUTH_TOKEN={shared}\nLOG_FORMAT=json\nONLY_STAGING=1\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("production.env"),
        format!("ENVIRONMENT=production\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY=prod-a-2\nOPENAI_API_KEY=prod-o-2\nDASHBOARD_AUTH_TOKEN={shared}\nLOG_FORMAT=text\n"),
    )
    .unwrap();
    let config = format!(
        "[[environments]]\nname = \"staging\"\nmode = \"development\"\nbase_url = \"{base}\"\nenv_file = \"staging.env\"\nprobe_interval_secs = 3600\n\n\
         [[environments]]\nname = \"production\"\nmode = \"development\"\nbase_url = \"http://127.0.0.1:9\"\nenv_file = \"production.env\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    probe(&app, "staging").await;
    probe(&app, "staging").await;
    // Production's service refuses connections: not ready, so it has a last failure.
    probe(&app, "production").await;

    let detail: Value = app
        .post_json(
            "/api/status/environment",
            &[
                ("environment", "staging"),
                ("window", "7d"),
                ("compare", "production"),
            ],
        )
        .await;
    assert_eq!(detail["window"], "7d");
    let stats = detail["stats"].as_array().unwrap();
    assert_eq!(
        stats
            .iter()
            .map(|s| s["window"].clone())
            .collect::<Vec<_>>(),
        ["1h", "24h", "7d", "30d"]
    );
    // The scheduler's own first round may have been stored too.
    let rounds = stats[0]["rounds"]["ready"].as_u64().unwrap();
    assert!(rounds >= 2, "{detail:#}");
    assert_eq!(
        stats[2]["rounds"]["ready"].as_u64(),
        Some(rounds),
        "7 d from rollups counts the same rounds"
    );
    assert_eq!(stats[2]["from_rollups"], true);
    assert!(stats[0]["latency"]["round"]["p95"].as_f64().unwrap() > 0.0);
    assert!(
        stats[0]["latency"]["readiness"]["samples"]
            .as_u64()
            .unwrap()
            >= 2
    );
    assert!(stats[0]["streaks"]["current_ready_secs"].as_f64().is_some());
    assert!(!detail["series"].as_array().unwrap().is_empty());
    assert!(detail["last_failure"].is_null(), "staging never failed");
    assert_eq!(detail["others"], serde_json::json!(["production"]));
    assert_eq!(
        detail["parity"]["shared_credentials"],
        serde_json::json!(["DASHBOARD_AUTH_TOKEN"])
    );
    assert_eq!(
        detail["parity"]["only_in_a"],
        serde_json::json!(["ONLY_STAGING"])
    );
    assert_eq!(detail["parity"]["differing_values"][0]["key"], "LOG_FORMAT");
    assert!(
        !detail.to_string().contains(shared),
        "the secret never leaves the server"
    );

    let production: Value = app
        .post_json("/api/status/environment", &[("environment", "production")])
        .await;
    assert_eq!(production["window"], "24h", "the default window");
    let failure = &production["last_failure"];
    assert!(
        failure["probes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["probe"] == "readiness" && p["status"] == "unverified"),
        "{failure:#}"
    );

    for (form, what) in [
        (vec![("environment", "nope")], "unknown environment"),
        (
            vec![("environment", "staging"), ("window", "2h")],
            "unknown window",
        ),
        (
            vec![("environment", "staging"), ("compare", "nope")],
            "unknown comparison",
        ),
    ] {
        let response = app
            .client()
            .post(app.url("/api/status/environment"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(!response.status().is_success(), "{what} is refused");
        let text = response.text().await.unwrap();
        assert!(
            text.contains("nope") || text.contains("2h"),
            "{what}: {text}"
        );
    }

    let html = app
        .get_text("/environments/staging?window=30d&compare=production")
        .await;
    for expected in [
        "Readiness over time",
        "Longest ready streak",
        "Env file parity",
        "DASHBOARD_AUTH_TOKEN",
        "Set in staging only",
        "No round in the kept history was not ready.",
    ] {
        assert!(html.contains(expected), "page shows {expected:?}");
    }
    assert!(!html.contains(shared), "the page never shows the secret");
    let status_page = app.get_text("/").await;
    assert!(status_page.contains("href=\"/environments/staging\""));
    assert!(status_page.contains("Round latency over 24 h: p50"));
    app.stop().await.unwrap();
}
