//! What an anonymous client, a viewer or a hostile probed service can still do, over real
//! HTTP against the real application (issue "Hardening"): a sign-in flood leaves the audit log
//! bounded, a slow-header client is cut off, a trusted proxy's `X-Forwarded-For` limits the
//! attacker only, sign-in never redirects off-site, the setup link dies once an admin exists,
//! session cookies are `__Host-` and never ambiguous, a suite never runs twice at once, and a
//! probed service's redirect receives no secret header.

mod support;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use domain::auth::Role;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use support::TestApp;

const CONFIG: &str = "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn sign_in(
    app: &TestApp,
    token: &str,
    next: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut request = no_redirects()
        .post(app.url("/api/auth/login"))
        .header("origin", app.base.clone())
        .form(&[("token", token), ("next", next)]);
    if let Some(ip) = forwarded_for {
        request = request.header("x-forwarded-for", ip);
    }
    request.send().await.unwrap()
}

fn bad_token() -> String {
    format!("glt_{}_{}", "0".repeat(12), "0".repeat(48))
}

async fn sign_in_failures(app: &TestApp) -> Vec<engine::store::AuditEntry> {
    app.state
        .store
        .audit_entries(engine::store::AuditQuery {
            action: Some("sign_in".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == "failure")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_bad_sign_ins_writes_one_audit_row_and_a_good_token_still_gets_in() {
    let app = TestApp::spawn(CONFIG).await;
    let good = app.token(Role::Viewer).await;
    let bad = bad_token();
    let mut refused = 0;
    for _ in 0..300 {
        if sign_in(&app, &bad, "/", None).await.status() == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert_eq!(
        refused, 290,
        "ten failures a minute are allowed, the rest refused"
    );
    assert_eq!(
        sign_in(&app, &good, "/", None).await.status(),
        StatusCode::SEE_OTHER,
        "a token that verifies gets in from the blocked address"
    );
    let rows = sign_in_failures(&app).await;
    assert_eq!(
        rows.len(),
        1,
        "300 failures are one row now (and one counted row when the minute is over): {rows:?}"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_limit_falls_on_the_forwarded_client_only() {
    let config = format!(
        "[auth]\nsign_in_attempts_per_minute = 3\ntrusted_proxies = [\"127.0.0.1\"]\n\n{CONFIG}"
    );
    let app = TestApp::spawn(&config).await;
    let bad = bad_token();
    let attacker = "198.51.100.7";
    for _ in 0..3 {
        sign_in(&app, &bad, "/", Some(attacker)).await;
    }
    assert_eq!(
        sign_in(&app, &bad, "/", Some(attacker)).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let neighbour = sign_in(&app, &bad, "/", Some("10.9.8.7, 198.51.100.8")).await;
    assert_eq!(
        neighbour.status(),
        StatusCode::SEE_OTHER,
        "another browser behind the same proxy is not blocked"
    );
    let clients: Vec<String> = sign_in_failures(&app)
        .await
        .into_iter()
        .map(|e| e.client)
        .collect();
    assert!(clients.contains(&attacker.to_string()), "{clients:?}");
    assert!(
        clients.contains(&"198.51.100.8".to_string()),
        "the rightmost hop: {clients:?}"
    );
    app.stop().await.unwrap();

    // Without trusted proxies, anybody's X-Forwarded-For is ignored.
    let app = TestApp::spawn(CONFIG).await;
    sign_in(&app, &bad, "/", Some(attacker)).await;
    let clients: Vec<String> = sign_in_failures(&app)
        .await
        .into_iter()
        .map(|e| e.client)
        .collect();
    assert_eq!(clients, ["127.0.0.1"]);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_only_ever_sends_the_browser_to_a_path_of_this_site() {
    let app = TestApp::spawn(CONFIG).await;
    let good = app.token(Role::Viewer).await;
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/replays\\..\\x", "/"),
        ("https://evil.example/", "/"),
        ("/go-live/3?x=1", "/go-live/3?x=1"),
    ] {
        let response = sign_in(&app, &good, next, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], expected, "next = {next:?}");
    }
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_link_dies_when_an_admin_is_created_with_the_cli_meanwhile() {
    let app = TestApp::spawn(CONFIG).await;
    app.state
        .store
        .revoke_token(&app.admin_token_id)
        .await
        .unwrap();
    let code = app.setup_code.clone().expect("a setup code");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenlight"))
        .args([
            "token",
            "create",
            "--name",
            "ops",
            "--role",
            "admin",
            "--data-dir",
        ])
        .arg(app.data_dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let response = no_redirects()
        .post(app.url("/api/auth/setup"))
        .header("origin", app.base.clone())
        .form(&[("code", code.as_str()), ("name", "intruder")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let admins = app.state.store.list_tokens().await.unwrap();
    assert!(
        !admins.iter().any(|t| t.name == "intruder"),
        "no second admin"
    );
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_sessions_use_a_host_only_cookie_and_two_sessions_are_refused() {
    let config = format!("[auth]\nsecure_cookies = true\n\n{CONFIG}");
    let app = TestApp::spawn(&config).await;
    let good = app.token(Role::Viewer).await;
    let response = sign_in(&app, &good, "/", None).await;
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.starts_with("__Host-gl_session="), "{set_cookie}");
    assert!(set_cookie.contains("; Secure") && set_cookie.contains("Path=/"));
    assert!(!set_cookie.contains("Domain"), "host-only");
    let pair = set_cookie.split(';').next().unwrap().to_string();
    let whoami = |cookie: String| {
        no_redirects()
            .post(app.url("/api/auth/whoami"))
            .header("cookie", cookie)
            .header("origin", app.base.clone())
            .send()
    };
    assert_eq!(whoami(pair.clone()).await.unwrap().status(), 200);
    // A plain cookie (as a sibling subdomain could set) does not count over HTTPS.
    let value = pair.trim_start_matches("__Host-gl_session=");
    assert_eq!(
        whoami(format!("gl_session={value}"))
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Two different session cookies of the name that counts: refused, not guessed.
    let twice = whoami(format!("{pair}; __Host-gl_session=planted"))
        .await
        .unwrap();
    assert_eq!(twice.status(), StatusCode::BAD_REQUEST);
    assert!(twice.text().await.unwrap().contains("two different"));
    app.stop().await.unwrap();
}

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
    let thief = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let thief_url = format!("http://{}/steal?k=v", thief.local_addr().unwrap());
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        let app = axum::Router::new().fallback(get(move |headers: HeaderMap| {
            log.lock().unwrap().push(headers);
            async { "{}" }
        }));
        axum::serve(thief, app).await.unwrap();
    });
    // The probed service: every path redirects to the thief.
    let service = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", service.local_addr().unwrap());
    tokio::spawn(async move {
        let app = axum::Router::new().fallback(get(move || async move {
            (
                axum::http::StatusCode::FOUND,
                [(axum::http::header::LOCATION, thief_url)],
            )
        }));
        axum::serve(service, app).await.unwrap();
    });
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
    let answer = app
        .client()
        .post(app.url("/api/status/probe"))
        .form(&[("environment", "svc")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
