//! The console against hostile clients and services, over real HTTP (issue "Hardening"): a
//! slow-header client is cut off, a suite never runs twice at once, a probed service's
//! redirect receives no secret header, viewers share one verdict measurement, stored evidence
//! is bounded, and anonymous health checks learn the verdict only.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use domain::auth::Role;

use crate::support;
use crate::support::TestApp;

const CONFIG: &str = "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_its_headers_a_byte_a_second_is_cut_off() {
    let app = TestApp::spawn(CONFIG).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let cut_off = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(900)))
            .unwrap();
        let request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        let mut sent = 0;
        let mut buf = [0u8; 512];
        loop {
            let byte = [request.get(sent).copied().unwrap_or(b'a')];
            if stream.write_all(&byte).is_err() {
                return started.elapsed();
            }
            sent += 1;
            match stream.read(&mut buf) {
                // Closed (or a 408 before closing): the server gave up on us.
                Ok(_) => return started.elapsed(),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => return started.elapsed(),
            }
            assert!(started.elapsed() < Duration::from_secs(30), "never cut off");
        }
    })
    .await
    .unwrap();
    assert!(
        cut_off >= server::serve::HEADER_READ_TIMEOUT - Duration::from_secs(1)
            && cut_off < server::serve::HEADER_READ_TIMEOUT + Duration::from_secs(4),
        "cut off after {cut_off:?}"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_starts_of_one_suite_start_one_run() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let config = format!(
        "{CONFIG}\n[[suites]]\nname = \"example\"\ngolden_set = \"{}\"\nmin_pass_rate = 0.95\nconcurrency = 2\ncase_timeout_secs = 30\n\
         runner = {{ kind = \"command\", command = [\"python3\", \"{}\"] }}\n",
        examples.join("golden_set.json").display(),
        examples.join("runner/example_runner.py").display(),
    );
    let app = TestApp::spawn(&config).await;
    let client = app.client();
    let starts = (0..8).map(|_| {
        client
            .post(app.url("/api/replay/start"))
            .form(&[("suite", "example")])
            .send()
    });
    let answers = futures::future::join_all(starts).await;
    let started = answers
        .into_iter()
        .filter(|r| r.as_ref().is_ok_and(|r| r.status().is_success()))
        .count();
    assert_eq!(
        started, 1,
        "one start wins, the others hear it is already running"
    );
    let runs = app.post_json("/api/replay/runs", &[]).await;
    assert_eq!(runs.as_array().map(Vec::len), Some(1), "{runs}");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probed_services_redirect_is_not_followed_and_its_target_gets_no_secret() {
    use axum::http::HeaderMap;
    use axum::routing::get;
    use std::sync::{Arc, Mutex};
    // The thief: records every request it gets.
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let log = Arc::clone(&seen);
    let thief =
        support::serve_stub(axum::Router::new().fallback(get(move |headers: HeaderMap| {
            log.lock().unwrap().push(headers);
            async { "{}" }
        })))
        .await;
    let thief_url = format!("{}/steal?k=v", thief.url());
    // The probed service: every path redirects to the thief.
    let service = support::serve_stub(axum::Router::new().fallback(get(move || async move {
        (
            axum::http::StatusCode::FOUND,
            [(axum::http::header::LOCATION, thief_url)],
        )
    })))
    .await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("svc.env"),
        "ENVIRONMENT=development\nDASHBOARD_AUTH_TOKEN=dash-secret-4417\n",
    )
    .unwrap();
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nenv_file = \"svc.env\"\nprobe_interval_secs = 3600\n\
         dependencies_auth = {{ header = \"X-Dashboard-Token\", from_env_file = \"DASHBOARD_AUTH_TOKEN\" }}\n"
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let answer = app.probe("svc").await;
    assert!(answer.contains("does not follow redirects"), "{answer}");
    assert!(answer.contains("HTTP 302"), "{answer}");
    assert!(
        !answer.contains("k=v"),
        "the redirect's query is not shown: {answer}"
    );
    let asked = seen.lock().unwrap().len();
    assert!(
        asked == 0,
        "the redirect target was never asked: {} requests",
        asked
    );
    app.stop().await.unwrap();
}

/// A service whose every GET is counted; `/api/runtime/dependencies` answers a JSON body of
/// `deps_bytes` bytes (a valid runtime-dependencies answer padded with a long field). Served
/// while the returned `Stub` lives.
async fn counting_service(
    deps_bytes: usize,
) -> (
    support::Stub,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use axum::routing::get;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let ready_hits = Arc::clone(&hits);
    let app = axum::Router::new()
        .route(
            "/api/health/ready",
            get(move || {
                ready_hits.fetch_add(1, Ordering::SeqCst);
                async { axum::Json(serde_json::json!({"status": "ready"})) }
            }),
        )
        .route(
            "/api/runtime/dependencies",
            get(move || async move {
                axum::Json(serde_json::json!({"status": "ready", "ready": true, "required_failures": [],
                    "padding": "p".repeat(deps_bytes),
                    "dependencies": {"redis": {"required": false, "ready": true, "status": "healthy", "message": "ok"}}}))
            }),
        );
    (support::serve_stub(app).await, hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_opening_a_verdict_share_one_measurement() {
    use std::sync::atomic::Ordering;
    let (service, hits) = counting_service(10).await;
    let base = service.url();
    let config = format!(
        "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n\n\
         [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn(&config).await;
    let id = app.start_golive().await;
    let viewer = app.client_with(&app.token(Role::Viewer).await);
    let verdict = || {
        viewer
            .post(app.url("/api/golive/verdict"))
            .form(&[("id", id.as_str())])
            .send()
    };
    assert!(verdict().await.unwrap().status().is_success());
    let after_one = hits.load(Ordering::SeqCst);
    assert!(after_one > 0, "the first look measures");
    let looks = futures::future::join_all((0..20).map(|_| verdict())).await;
    assert!(
        looks
            .iter()
            .all(|r| r.as_ref().is_ok_and(|r| r.status().is_success()))
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        after_one,
        "twenty more looks within seconds probe nothing"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_with_a_large_answer_stores_its_evidence_shortened() {
    let (service, _) = counting_service(400_000).await;
    let base = service.url();
    let config = format!(
        "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"{base}\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn(&config).await;
    let probed = app.probe("svc").await;
    assert!(probed.contains("\"probes\""), "{probed:.300}");
    let stored = app
        .state
        .store
        .latest_report("svc")
        .await
        .unwrap()
        .expect("a stored round");
    let text = serde_json::to_string(&stored).unwrap();
    assert!(
        text.len() < 40_000,
        "the stored round is {} bytes",
        text.len()
    );
    let deps = stored
        .probes
        .iter()
        .find(|p| p.probe == domain::probe::ProbeKind::Dependencies)
        .unwrap();
    let evidence = deps.evidence.to_string();
    assert!(
        evidence.contains("bytes cut)"),
        "the long field is shortened: {evidence:.300}"
    );
    assert!(
        evidence.contains("\"required_failures\""),
        "the answer's structure is kept: {evidence:.300}"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_health_checks_get_the_verdict_only() {
    let app = TestApp::spawn("").await;
    let anonymous = reqwest::Client::new();
    let ready: serde_json::Value = anonymous
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready, serde_json::json!({"status": "ready"}));
    // Break the database: a signed-in caller hears why at once, an anonymous one only that
    // the console is not ready (within the 2 s its answer is reused), without paths.
    std::fs::write(app.state.store.path(), vec![0x42u8; 16 * 1024]).unwrap();
    let signed_in = app
        .client()
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 503);
    assert!(
        signed_in
            .text()
            .await
            .unwrap()
            .contains("not a SQLite database")
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let answer = anonymous
        .get(app.url("/api/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
    let text = answer.text().await.unwrap();
    assert!(
        text.contains("not ready: database"),
        "what failed is named: {text}"
    );
    assert!(
        !text.contains("SQLite") && !text.contains(&*app.data_dir.path().to_string_lossy()),
        "{text}"
    );
    app.stop().await.unwrap();
}
