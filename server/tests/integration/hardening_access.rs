//! Sign-in hardening over real HTTP against the real application (issue "Hardening"): a
//! sign-in flood leaves the audit log bounded, a trusted proxy's `X-Forwarded-For` limits the
//! attacker only, sign-in never redirects off-site, the setup link dies once an admin exists,
//! and session cookies are `__Host-` and never ambiguous.

use std::time::Duration;

use domain::auth::Role;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::support::TestApp;

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
    app.revoke_admin().await;
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
    // The sign-in page stays reachable with them, so the user can get back in.
    let login = no_redirects()
        .get(app.url("/login"))
        .header("cookie", format!("{pair}; __Host-gl_session=planted"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    app.stop().await.unwrap();
}
