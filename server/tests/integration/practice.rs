//! Practice mode, for real: its services answer like the reference service and the practice
//! panel's actions change them (real redis-servers, real HTTP and HTTPS); the panel is for
//! operators and audited; the console watches the practice pair and greets a newcomer. The
//! processes themselves are `practice_processes`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use domain::env_file::EnvFile;
use domain::practice::{Action, RedisState, Side};
use engine::practice::{Options, Practice};

use crate::support;

/// A practice service's env file as it is now.
pub(crate) fn env_file(dir: &Path, side: Side) -> EnvFile {
    let path = dir.join("practice").join(format!("{}.env", side.name()));
    EnvFile::parse(&std::fs::read_to_string(path).expect("practice env file"))
}

async fn get(client: &reqwest::Client, url: String) -> (u16, serde_json::Value) {
    let answer = client
        .get(url)
        .send()
        .await
        .expect("practice service answers");
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or_default())
}

#[tokio::test]
async fn practice_services_answer_like_the_reference_and_the_panel_changes_them() {
    let dir = tempfile::tempdir().unwrap();
    let practice = Arc::new(
        Practice::start(Options {
            data_dir: dir.path().to_path_buf(),
            stability: Duration::from_secs(120),
            slow_delay: Duration::from_millis(1_500),
        })
        .await
        .expect("practice mode starts"),
    );
    let status = practice.status().await;
    assert_eq!(
        status.notice, None,
        "redis-server is installed by the test command"
    );
    let url = |side: Side| status.service(side).unwrap().base_url.clone();
    assert!(url(Side::Staging).starts_with("http://127.0.0.1:"));
    assert!(url(Side::Production).starts_with("https://127.0.0.1:"));
    for side in Side::BOTH {
        assert!(matches!(
            status.service(side).unwrap().redis,
            RedisState::Running { .. }
        ));
        assert!(
            !status.service(side).unwrap().strict_deployed,
            "starts relaxed"
        );
    }
    // The console's configuration for them is valid, and marks them as practice.
    let config = engine::Config::embedded_with(
        &practice.config_lines(),
        &["staging", "production"],
        &engine::Overrides::default(),
    )
    .expect("practice lines parse");
    assert!(config.environment("staging").unwrap().practice);
    assert!(!config.environment("console").unwrap().practice);
    assert_eq!(config.golive.stability, Duration::from_secs(120));
    assert_eq!(config.golive.suite.as_deref(), Some("practice"));

    let ca = reqwest::Certificate::from_der(&practice.ca()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let staging = url(Side::Staging);
    let (code, ready) = get(&client, format!("{staging}/api/health/ready")).await;
    assert_eq!(code, 200, "{ready}");
    assert_eq!(
        ready["runtime_dependencies"]["dependencies"]["redis"]["required"],
        false
    );
    // The dependencies endpoint wants the dashboard token of the env file, as the reference does.
    let (code, _) = get(&client, format!("{staging}/api/runtime/dependencies")).await;
    assert_eq!(code, 401);
    let token = env_file(dir.path(), Side::Staging)
        .get("DASHBOARD_AUTH_TOKEN")
        .unwrap()
        .to_string();
    let deps = client
        .get(format!("{staging}/api/runtime/dependencies"))
        .header("X-Dashboard-Token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(deps.status(), 200);
    // Inngest over TLS: unsigned refused by "the SDK", signed answered and signed back.
    let production = url(Side::Production);
    let unsigned = client
        .get(format!("{production}/api/inngest"))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(unsigned.headers()["x-inngest-sdk-handled"], "true");
    let key = env_file(dir.path(), Side::Production)
        .get("INNGEST_SIGNING_KEY")
        .unwrap()
        .to_string();
    let now = engine::clock::since_epoch().as_secs() as i64;
    let signed = client
        .get(format!("{production}/api/inngest"))
        .header(
            "X-Inngest-Signature",
            domain::inngest::signature_header(&key, b"", now),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let signature = signed.headers()["x-inngest-signature"]
        .to_str()
        .unwrap()
        .to_string();
    let body = signed.text().await.unwrap();
    assert!(domain::inngest::verify_signature_header(
        &key,
        body.as_bytes(),
        &signature
    ));
    assert!(body.contains(r#""function_count": 4, "#), "{body}");
    assert!(body.contains(r#""mode": "cloud""#), "{body}");

    // Relaxed: a stopped Redis only degrades staging. Strict flags in the file change nothing
    // until the redeploy; then the stopped Redis makes staging not ready (503 with detail).
    let act = |action: Action| {
        let practice = Arc::clone(&practice);
        async move { practice.act(action).await.expect("the action is done") }
    };
    let ready = || get(&client, format!("{staging}/api/health/ready"));
    let staging_now = async || {
        practice
            .status()
            .await
            .service(Side::Staging)
            .cloned()
            .unwrap()
    };
    act(Action::StopRedis {
        side: Side::Staging,
    })
    .await;
    let (code, answer) = ready().await;
    assert_eq!(code, 200, "{answer}");
    let redis = &answer["runtime_dependencies"]["dependencies"]["redis"];
    assert_eq!(redis["status"], "degraded");
    act(Action::SetStrictFlags {
        side: Side::Staging,
    })
    .await;
    assert_eq!(ready().await.0, 200);
    let s = staging_now().await;
    assert!(s.strict_in_file && !s.strict_deployed);
    assert!(matches!(s.redis, RedisState::Stopped { .. }));
    act(Action::Redeploy {
        side: Side::Staging,
    })
    .await;
    let (code, answer) = ready().await;
    assert_eq!(code, 503);
    let detail = answer["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("Runtime dependencies not ready: redis: Redis ping failed"),
        "{answer}"
    );
    act(Action::StartRedis {
        side: Side::Staging,
    })
    .await;
    assert_eq!(ready().await.0, 200);
    assert!(staging_now().await.strict_deployed && staging_now().await.running);

    // Slow answers outlast a client's timeout; then they are quick again.
    let slow = |on| Action::SlowAnswers {
        side: Side::Staging,
        on,
    };
    act(slow(true)).await;
    let slowed = client
        .get(format!("{staging}/api/health/ready"))
        .send()
        .await;
    assert!(slowed.is_err_and(|e| e.is_timeout()));
    act(slow(false)).await;
    assert_eq!(ready().await.0, 200);

    // The runner's failures are a file the practice suite's runner reads.
    act(Action::RunnerFailures { on: true }).await;
    assert!(practice.status().await.runner_failures);
    act(Action::Reset).await;
    let reset = practice.status().await;
    assert!(!reset.runner_failures);
    assert!(!reset.service(Side::Staging).unwrap().strict_in_file);

    let redis_port = match reset.service(Side::Production).unwrap().redis {
        RedisState::Running { port } => port,
        ref other => panic!("{other:?}"),
    };
    practice.shutdown().await;
    assert!(std::net::TcpStream::connect(("127.0.0.1", redis_port)).is_err());
    assert!(
        client
            .get(format!("{staging}/api/health/ready"))
            .send()
            .await
            .is_err()
    );
    // After shutdown every action is refused.
    assert!(practice.act(Action::Reset).await.is_err());
}

#[tokio::test]
async fn the_panel_is_for_operators_audited_and_the_console_watches_the_practice_pair() {
    let app = support::TestApp::spawn_practice().await;
    let act = |token: String, action: serde_json::Value| {
        let url = app.url("/api/practice/act");
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({ "action": action }))
                .send()
                .await
                .unwrap()
        }
    };
    let strict = serde_json::json!({"action": "set_strict_flags", "side": "staging"});
    let viewer = app.token(domain::auth::Role::Viewer).await;
    assert_eq!(act(viewer.clone(), strict.clone()).await.status(), 403);
    let operator = app.token(domain::auth::Role::Operator).await;
    let done = act(operator, strict).await;
    assert_eq!(done.status(), 200);
    let (said, status): (String, domain::practice::Status) = done.json().await.unwrap();
    assert!(said.contains("staging's env file"), "{said}");
    assert!(status.service(Side::Staging).unwrap().strict_in_file);
    let audit = app
        .state
        .store
        .audit_entries(engine::store::AuditQuery::default())
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "practice.set_strict_flags" && e.outcome == "success"),
        "{audit:?}"
    );

    // The console probes both practice services, production over HTTPS with the CA it made.
    for environment in ["staging", "production"] {
        let round: serde_json::Value = serde_json::from_str(&app.probe(environment).await).unwrap();
        assert_eq!(round["latest_round"][0], "ready", "{environment}: {round}");
    }
    // The Status page marks them and greets a console on its embedded default.
    let page = app.get_text("/").await;
    assert!(
        page.contains("practice-tag"),
        "the practice environments are marked"
    );

    let practice = app.state.practice.clone().unwrap();
    app.stop().await.unwrap();
    practice.shutdown().await;
}

#[tokio::test]
async fn a_console_of_ones_own_has_no_practice_panel_and_no_first_run_guide() {
    let app = support::TestApp::spawn(
        "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"http://127.0.0.1:9\"\n",
    )
    .await;
    for read in ["/api/practice/status", "/api/practice/first_run"] {
        assert_eq!(
            app.post_json(read, &[]).await,
            serde_json::Value::Null,
            "{read}"
        );
    }
    let act = app
        .client()
        .post(app.url("/api/practice/act"))
        .json(&serde_json::json!({"action": {"action": "reset"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(act.status(), 404);
    app.stop().await.unwrap();
}
