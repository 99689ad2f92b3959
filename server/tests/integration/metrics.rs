//! `GET /metrics` over real HTTP: readiness, rounds and probe latency after a real probe
//! round, replay runs by outcome after a real replay, and who may scrape it.

use std::time::{Duration, Instant};

use domain::auth::Role;

use crate::support;
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_rounds_latency_and_replays_to_signed_in_scrapers() {
    let reference = support::reference_service(None).await;
    let base = reference.url();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n\n\
         [[suites]]\nname = \"example\"\ngolden_set = \"{}\"\nmin_pass_rate = 0.95\nconcurrency = 2\ncase_timeout_secs = 30\n\
         runner = {{ kind = \"command\", command = [\"python3\", \"{}\"] }}\n",
        examples.join("golden_set.json").display(),
        examples.join("runner/example_runner.py").display(),
    );
    let app = TestApp::spawn(&config).await;
    app.probe("svc").await;
    let started = app
        .client()
        .post(app.url("/api/replay/start"))
        .form(&[("suite", "example")])
        .send()
        .await
        .unwrap();
    assert!(started.status().is_success(), "{}", started.status());

    let scraper = app.client_with(&app.token(Role::Viewer).await);
    let scrape = || async {
        let response = scraper.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/openmetrics-text")
        );
        response.text().await.unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = scrape().await;
        if text.contains("greenlight_replay_runs_total{") || Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for expected in [
        "greenlight_environment_ready{environment=\"svc\"} 1",
        // The round at start and "Probe now": two (the start's may still be running).
        "greenlight_probe_rounds_total{environment=\"svc\"} ",
        "greenlight_probe_latency_seconds_count{environment=\"svc\",probe=\"readiness\"} ",
        "greenlight_replay_runs_total{suite=\"example\",outcome=\"passed\"} 1",
        "# EOF",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    let anonymous = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(anonymous.status(), 401, "protected like the API");
    app.stop().await.unwrap();

    // The operator may allow-list it for a scraper without a token.
    let app = TestApp::spawn("[auth]\npublic_paths = [\"/api/health/*\", \"/metrics\"]\n").await;
    let open = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(open.status(), 200);
    app.stop().await.unwrap();
}
