//! Server-rendered pages and server functions over real HTTP.

use serde_json::Value;

use crate::support;
use crate::support::TestApp;

fn two_environments(dir: &std::path::Path) -> String {
    std::fs::write(
        dir.join("staging.env"),
        "ENVIRONMENT=staging\nREDIS_URL=redis://:pw@h:1/0\n",
    )
    .unwrap();
    "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"https://staging.example.com\"\n\
     env_file = \"staging.env\"\nexpected_inngest_functions = 4\n\
     dependencies_auth = { from_env_file = \"DASHBOARD_AUTH_TOKEN\" }\n\n\
     [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"https://api.example.com\"\n"
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_page_is_rendered_on_the_server_with_the_configured_environments() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(&two_environments(dir.path()), dir.path()).await;
    let response = app.client().get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<main"), "landmark present");
    assert!(
        html.contains("aria-label=\"Main\""),
        "navigation is labelled"
    );
    for text in [
        "staging",
        "production",
        "https://staging.example.com",
        "staging.env",
        "Showing 2 of 2 environments",
    ] {
        assert!(html.contains(text), "page should show {text}");
    }
    assert!(
        html.contains("/pkg/greenlight.js"),
        "hydration script is referenced"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_navigation_page_renders() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(&two_environments(dir.path()), dir.path()).await;
    for (path, heading) in [
        ("/replays", "Replays"),
        ("/go-live", "Go-live"),
        ("/settings", "Settings"),
    ] {
        let response = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("<h1>{heading}</h1>")),
            "{path} has its heading"
        );
    }
    let html = app.get_text("/go-live").await;
    assert!(
        html.contains("staging → production"),
        "the go-live page pairs staging with production"
    );
    let html = app.get_text("/settings").await;
    assert!(
        html.contains(&format!(
            "schema version {}",
            engine::store::latest_schema_version()
        )),
        "settings show the database schema"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_page_answers_404() {
    let app = TestApp::spawn("").await;
    let response = app
        .client()
        .get(app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environments_server_function_has_a_stable_url_and_masks_nothing_secret() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::spawn_with(&two_environments(dir.path()), dir.path()).await;
    let response = app
        .client()
        .post(app.url("/api/status/environments"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let list = body.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "staging");
    assert_eq!(list[0]["mode"], "staging");
    assert_eq!(list[0]["env_file"], "staging.env");
    assert_eq!(list[0]["expected_inngest_functions"], 4);
    assert_eq!(
        list[0]["dependencies_auth"],
        "X-Dashboard-Token from env file key DASHBOARD_AUTH_TOKEN"
    );
    let text = body.to_string();
    assert!(
        !text.contains(":pw@"),
        "env file contents are never sent: {text}"
    );
    assert!(
        !text.contains(dir.path().to_str().unwrap()),
        "server paths are not sent: {text}"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_health_server_function_reports_the_database() {
    let app = TestApp::spawn("").await;
    let body: Value = app.post_json("/api/status/console", &[]).await;
    assert_eq!(body["ready"], true);
    assert_eq!(body["dependencies"]["database"]["status"], "healthy");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_request_bodies_are_refused_before_they_are_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn("").await;
    // Raw socket: announce a 2 MiB body, send only the start of it, and read the answer. The
    // console must refuse on the announced length instead of reading (or buffering) the body.
    let mut socket = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/status/environments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        2 * 1024 * 1024
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(&[b'a'; 1024]).await.unwrap();
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_now_stores_a_round_and_the_overview_shows_verdict_streak_and_timeline() {
    use axum::routing::get;
    // A service answering like the reference, ready.
    let service = support::serve_stub(
        axum::Router::new()
            .route("/api/health/ready", get(|| async { axum::Json(serde_json::json!({"status": "ready"})) }))
            .route(
                "/api/runtime/dependencies",
                get(|| async {
                    axum::Json(serde_json::json!({"status": "ready", "ready": true, "required_failures": [],
                        "dependencies": {"redis": {"required": true, "ready": true, "status": "healthy", "message": "ok"}}}))
                }),
            ),
    )
    .await;
    let base = service.url();
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn(&config).await;
    let probed: Value = app
        .post_json("/api/status/probe", &[("environment", "svc")])
        .await;
    assert_eq!(probed["readiness"], "ready", "{probed:#}");
    assert_eq!(
        probed["redis_required"], true,
        "strict flag as the service reports it"
    );
    let overview: Value = app.post_json("/api/status/overview", &[]).await;
    let svc = &overview[0];
    assert_eq!(svc["summary"]["name"], "svc");
    let ready = svc["day"]["ready"].as_array().unwrap();
    assert_eq!(ready.len(), 96, "the card's 24 h are 96 buckets");
    // The scheduler's first round and the one just probed: both in the newest bucket.
    let total: u64 = ready.iter().map(|n| n.as_u64().unwrap()).sum();
    assert!(total >= 1, "{svc:#}");
    assert_eq!(
        ready[95].as_u64(),
        Some(total),
        "the rounds just stored are in the newest bucket"
    );
    assert_eq!(svc["streak"][0], "ready");
    assert_eq!(svc["uptime_24h"], 1.0);
    let html = app.get_text("/").await;
    assert!(html.contains("Ready for"), "the card shows the streak");
    let unknown = app
        .client()
        .post(app.url("/api/status/probe"))
        .form(&[("environment", "nope")])
        .send()
        .await
        .unwrap();
    assert!(
        !unknown.status().is_success(),
        "only configured environments can be probed"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shown_verdict_flips_only_after_two_bad_rounds_in_a_row() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use axum::routing::get;
    let healthy = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&healthy);
    let app = axum::Router::new()
        .route(
            "/api/runtime/dependencies",
            get(|| async {
                axum::Json(
                    serde_json::json!({"status": "ready", "ready": true, "dependencies": {}}),
                )
            }),
        )
        .route(
            "/api/health/ready",
            get(move || {
                let up = flag.load(Ordering::SeqCst);
                async move {
                    if up {
                        (
                            axum::http::StatusCode::OK,
                            axum::Json(serde_json::json!({"status": "ready"})),
                        )
                    } else {
                        (
                            axum::http::StatusCode::SERVICE_UNAVAILABLE,
                            axum::Json(serde_json::json!({"detail": "redis down"})),
                        )
                    }
                }
            }),
        );
    let service = support::serve_stub(app).await;
    let base = service.url();
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn(&config).await;
    let probe = || async {
        app.client()
            .post(app.url("/api/status/probe"))
            .form(&[("environment", "svc")])
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    // The scheduler's first round and ours: both ready.
    assert_eq!(probe().await["readiness"], "ready");
    healthy.store(false, Ordering::SeqCst);
    let once = probe().await;
    assert_eq!(
        once["readiness"], "ready",
        "one bad round does not flip: {once:#}"
    );
    assert_eq!(once["latest_round"], serde_json::json!(["not_ready", 1]));
    let twice = probe().await;
    assert_eq!(twice["readiness"], "not_ready", "{twice:#}");
    healthy.store(true, Ordering::SeqCst);
    assert_eq!(
        probe().await["readiness"],
        "not_ready",
        "recovery needs two good rounds too"
    );
    assert_eq!(probe().await["readiness"], "ready");
    app.stop().await.unwrap();
}
