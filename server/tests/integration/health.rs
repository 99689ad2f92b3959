//! The console's own health endpoints, against the real application and real dependencies.

use serde_json::Value;

use crate::support;
use crate::support::{RedisServer, TestApp};

const NO_ENVIRONMENTS: &str = "";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_answers_200_alive() {
    let app = TestApp::spawn(NO_ENVIRONMENTS).await;
    let response = app
        .client()
        .get(app.url("/api/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "alive");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_answers_200_with_the_database_check_when_the_database_is_usable() {
    let app = TestApp::spawn(NO_ENVIRONMENTS).await;
    let response = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(body["runtime_dependencies"]["ready"], true);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_answers_503_with_detail_when_the_database_file_is_made_unusable() {
    let app = TestApp::spawn(NO_ENVIRONMENTS).await;
    let db = app.state.store.path().to_path_buf();
    std::fs::write(&db, vec![0x42u8; 16 * 1024]).unwrap();

    let response = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    let detail = body["detail"]
        .as_str()
        .expect("503 carries a detail string");
    assert!(
        detail.starts_with("Runtime dependencies not ready: database: "),
        "{detail}"
    );
    assert!(detail.contains("not a SQLite database"), "{detail}");

    let deps: Value = app.get_json("/api/runtime/dependencies").await;
    assert_eq!(deps["ready"], false);
    assert_eq!(deps["status"], "not_ready");
    assert_eq!(deps["dependencies"]["database"]["status"], "unhealthy");
    assert_eq!(deps["required_failures"].as_array().unwrap().len(), 1);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_answers_503_when_the_database_file_is_deleted() {
    let app = TestApp::spawn(NO_ENVIRONMENTS).await;
    std::fs::remove_file(app.state.store.path()).unwrap();
    let response = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dependencies_omit_redis_when_it_is_not_configured() {
    let app = TestApp::spawn(NO_ENVIRONMENTS).await;
    let deps: Value = app.get_json("/api/runtime/dependencies").await;
    assert_eq!(deps["ready"], true);
    assert_eq!(deps["status"], "ready");
    assert_eq!(deps["required_failures"], serde_json::json!([]));
    assert_eq!(deps["dependencies"]["database"]["required"], true);
    assert!(deps["dependencies"].get("redis").is_none(), "{deps}");
    assert!(deps["checked_at"].as_str().unwrap().ends_with("+00:00"));
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_optional_redis_is_healthy_when_up_and_degraded_but_ready_when_stopped() {
    let mut redis = RedisServer::start();
    let config = format!(
        "[server]\nredis_url = \"{}\"\nredis_required = false\n",
        redis.url()
    );
    let app = TestApp::spawn(&config).await;

    let deps: Value = app.get_json("/api/runtime/dependencies").await;
    assert_eq!(deps["dependencies"]["redis"]["status"], "healthy", "{deps}");
    assert_eq!(
        deps["dependencies"]["redis"]["message"],
        "Redis ping succeeded"
    );
    assert!(
        deps["dependencies"]["redis"]["latency_ms"]
            .as_f64()
            .is_some()
    );

    redis.stop();
    let deps: Value = app.get_json("/api/runtime/dependencies").await;
    assert_eq!(
        deps["dependencies"]["redis"]["status"], "degraded",
        "{deps}"
    );
    assert_eq!(deps["ready"], true);
    let ready = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_redis_that_stops_makes_the_console_not_ready() {
    let mut redis = RedisServer::start();
    let config = format!(
        "[server]\nredis_url = \"{}\"\nredis_required = true\n",
        redis.url()
    );
    let app = TestApp::spawn(&config).await;
    assert_eq!(
        app.client()
            .get(app.url("/api/health/ready"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    redis.stop();
    let response = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("redis: Redis ping failed"), "{detail}");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_with_a_password_and_a_database_index_is_pinged_with_auth_and_select() {
    let redis = RedisServer::start_with(&["--requirepass", "s3cret-pw"]);
    let url =
        domain::RedisUrl::parse(&format!("redis://:s3cret-pw@127.0.0.1:{}/3", redis.port)).unwrap();
    engine::clients::redis_ping::ping(&url, std::time::Duration::from_secs(2), &Default::default())
        .await
        .expect("authenticated ping");

    let wrong =
        domain::RedisUrl::parse(&format!("redis://:pw-not-shown@127.0.0.1:{}/3", redis.port))
            .unwrap();
    let err = engine::clients::redis_ping::ping(
        &wrong,
        std::time::Duration::from_secs(2),
        &Default::default(),
    )
    .await
    .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("to AUTH"), "{message}");
    assert!(
        !message.contains("pw-not-shown"),
        "the password must not be echoed: {message}"
    );
}

/// `rediss://` does a real TLS handshake: a Redis whose certificate an internal CA signed is
/// refused with the web roots alone, and answers once the CA is trusted through `ca_file`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rediss_url_refuses_an_untrusted_certificate_and_trusts_ca_file() {
    let ca = support::tls::TestCa::new();
    let tls_port = support::free_port();
    let tls_port_s = tls_port.to_string();
    let (cert, key, ca_file) = (ca.server_cert(), ca.server_key(), ca.ca_file());
    let _redis = RedisServer::start_with(&[
        "--tls-port",
        &tls_port_s,
        "--tls-cert-file",
        cert.to_str().unwrap(),
        "--tls-key-file",
        key.to_str().unwrap(),
        "--tls-ca-cert-file",
        ca_file.to_str().unwrap(),
        "--tls-auth-clients",
        "no",
    ]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", tls_port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "TLS port did not open"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let url = domain::RedisUrl::parse(&format!("rediss://localhost:{tls_port}/0")).unwrap();
    let timeout = std::time::Duration::from_secs(3);
    let refused = engine::clients::redis_ping::ping(&url, timeout, &Default::default())
        .await
        .unwrap_err();
    let message = refused.to_string();
    assert!(
        matches!(refused, engine::clients::redis_ping::PingError::Tls { .. }),
        "{message}"
    );
    assert!(
        message.contains("certificate"),
        "the test CA's certificate is refused: {message}"
    );
    let roots = engine::tls::TrustedRoots::load(&ca_file).unwrap();
    assert_eq!(roots.extra_count(), 1);
    engine::clients::redis_ping::ping(&url, timeout, &roots)
        .await
        .expect("PONG over TLS with the CA trusted");
}

/// Another process (the CLI creating tokens) writing the same database while the console
/// serves must not break the console's own database check. The check once read the file's
/// header through a fresh descriptor; closing it dropped this process's SQLite locks, the CLI
/// then took the WAL over, and /api/health/ready answered 503 "disk I/O error" from then on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_stays_ready_while_the_cli_writes_its_database() {
    let config = "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";
    let app = TestApp::spawn(config).await;
    let client = app.client();
    let ready = || async {
        client
            .get(app.url("/api/health/ready"))
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(ready().await, 200);
    for k in 0..4 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
            .args([
                "token",
                "create",
                "--name",
                &format!("ci {k}"),
                "--role",
                "viewer",
            ])
            .arg("--data-dir")
            .arg(app.data_dir.path())
            .env_remove("GREENLIGHT_CONFIG")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert_eq!(ready().await, 200);
    }
    for round in 0..20 {
        // Each probe round is a write by the console.
        client
            .post(app.url("/api/status/probe"))
            .form(&[("environment", "svc")])
            .send()
            .await
            .unwrap();
        assert_eq!(ready().await, 200, "round {round}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.stop().await.unwrap();
}
