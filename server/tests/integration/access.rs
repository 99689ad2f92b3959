//! Who gets in, over real HTTP: the role × route matrix, browser sessions (cookie flags,
//! same-origin check, expiry, revocation, sign-out), sign-in rate limiting, the security
//! headers and the one-time first-admin setup link.

use domain::auth::Role;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

use crate::support;
use crate::support::TestApp;

const CONFIG: &str = "[[environments]]\nname = \"svc\"\nmode = \"development\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";

/// Each server function and API route with a minimal request and the least role it needs
/// (`None`: public).
/// (method, path, form, least role; `None`: public)
type Route = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    Option<Role>,
);

fn routes() -> Vec<Route> {
    use Role::*;
    vec![
        ("POST", "/api/status/environments", vec![], Some(Viewer)),
        ("POST", "/api/status/overview", vec![], Some(Viewer)),
        (
            "POST",
            "/api/status/environment",
            vec![("environment", "svc")],
            Some(Viewer),
        ),
        ("POST", "/api/status/console", vec![], Some(Viewer)),
        (
            "POST",
            "/api/status/probe",
            vec![("environment", "svc")],
            Some(Operator),
        ),
        ("POST", "/api/replay/suites", vec![], Some(Viewer)),
        ("POST", "/api/replay/runs", vec![], Some(Viewer)),
        (
            "POST",
            "/api/replay/run",
            vec![("run_id", "999")],
            Some(Viewer),
        ),
        (
            "POST",
            "/api/replay/diff",
            vec![("a", "1"), ("b", "2")],
            Some(Viewer),
        ),
        (
            "POST",
            "/api/replay/start",
            vec![("suite", "no-such-suite")],
            Some(Engineer),
        ),
        (
            "POST",
            "/api/replay/cancel",
            vec![("run_id", "999")],
            Some(Engineer),
        ),
        (
            "POST",
            "/api/replay/baseline",
            vec![("run_id", "999")],
            Some(Engineer),
        ),
        ("POST", "/api/auth/whoami", vec![], Some(Viewer)),
        ("POST", "/api/admin/console", vec![], Some(Admin)),
        ("POST", "/api/admin/tokens", vec![], Some(Admin)),
        (
            "POST",
            "/api/admin/tokens/create",
            vec![("name", "matrix"), ("role", "viewer")],
            Some(Admin),
        ),
        (
            "POST",
            "/api/admin/tokens/revoke",
            vec![("id", "000000000000")],
            Some(Admin),
        ),
        ("POST", "/api/admin/audit", vec![], Some(Admin)),
        ("GET", "/api/admin/audit.jsonl", vec![], Some(Admin)),
        ("POST", "/api/golive/list", vec![], Some(Viewer)),
        ("POST", "/api/golive/get", vec![("id", "999")], Some(Viewer)),
        (
            "POST",
            "/api/golive/verdict",
            vec![("id", "999")],
            Some(Viewer),
        ),
        (
            "POST",
            "/api/golive/start",
            vec![("staging", "nope"), ("production", "nope")],
            Some(Operator),
        ),
        (
            "POST",
            "/api/golive/step",
            vec![
                ("id", "999"),
                ("step", "confirm_inputs"),
                ("confirm", "false"),
            ],
            Some(Operator),
        ),
        (
            "POST",
            "/api/golive/signoff",
            vec![("id", "999"), ("decision", "hold")],
            Some(Operator),
        ),
        (
            "POST",
            "/api/golive/replay",
            vec![("id", "999")],
            Some(Operator),
        ),
        ("GET", "/go-live", vec![], Some(Viewer)),
        ("GET", "/go-live/999/report", vec![], Some(Viewer)),
        ("GET", "/go-live/999", vec![], Some(Viewer)),
        ("GET", "/api/events", vec![], Some(Viewer)),
        ("GET", "/", vec![], Some(Viewer)),
        ("GET", "/environments/svc", vec![], Some(Viewer)),
        ("GET", "/replays", vec![], Some(Viewer)),
        // Settings is for admins: the page itself answers 403 to other roles.
        ("GET", "/settings", vec![], Some(Admin)),
        ("GET", "/api/health/live", vec![], None),
        ("GET", "/api/health/ready", vec![], None),
        ("GET", "/api/runtime/dependencies", vec![], Some(Viewer)),
        ("GET", "/login", vec![], None),
    ]
}

async fn status_of(
    client: &reqwest::Client,
    app: &TestApp,
    method: &str,
    path: &str,
    form: &[(&str, &str)],
) -> StatusCode {
    let request = match method {
        "GET" => client.get(app.url(path)),
        _ => client.post(app.url(path)).form(form),
    };
    // Event streams never end: the status line is enough.
    let response = request.send().await.unwrap();
    response.status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_allows_exactly_the_roles_it_names() {
    let app = TestApp::spawn(CONFIG).await;
    let anonymous = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((role, app.token(role).await));
    }
    let mut failures = Vec::new();
    for (method, path, form, needed) in routes() {
        let got = status_of(&anonymous, &app, method, path, &form).await;
        let expected_anonymous = match (needed, path.starts_with("/api/")) {
            (None, _) => got.is_success(),
            (Some(_), true) => got == StatusCode::UNAUTHORIZED,
            (Some(_), false) => got == StatusCode::SEE_OTHER,
        };
        if !expected_anonymous {
            failures.push(format!("anonymous {method} {path}: {got}"));
        }
        for (role, token) in &tokens {
            let client = app.client_with(token);
            let got = status_of(&client, &app, method, path, &form).await;
            let allowed = needed.is_none_or(|n| role.allows(n));
            let refused = got == StatusCode::UNAUTHORIZED || got == StatusCode::FORBIDDEN;
            if allowed == refused || (!allowed && got != StatusCode::FORBIDDEN) {
                failures.push(format!(
                    "{role} {method} {path}: {got} (allowed: {allowed})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await.unwrap();
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gl_session="))
        .map(str::to_string)
}

async fn sign_in(app: &TestApp, token: &str) -> reqwest::Response {
    let origin = app.base.clone();
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
        .post(app.url("/api/auth/login"))
        .header("origin", origin)
        .form(&[("token", token), ("next", "/replays")])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sessions_are_strict_same_origin_and_die_with_expiry_revocation_and_sign_out() {
    let app = TestApp::spawn(CONFIG).await;
    let (row, token) = app
        .state
        .store
        .create_token("ana", Role::Operator)
        .await
        .unwrap();
    let response = sign_in(&app, &token).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/replays");
    let set_cookie = session_cookie(&response).expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(flag), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP on loopback: not Secure"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let plain = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut request = plain
            .post(app.url("/api/status/overview"))
            .header("cookie", cookie.clone());
        if let Some(o) = origin {
            request = request.header("origin", o);
        }
        if let Some(s) = site {
            request = request.header("sec-fetch-site", s);
        }
        request.send()
    };
    assert_eq!(post(Some(&app.base), None).await.unwrap().status(), 200);
    assert_eq!(post(None, Some("same-origin")).await.unwrap().status(), 200);
    assert_eq!(
        post(Some("http://evil.example"), None)
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(post(None, Some("cross-site")).await.unwrap().status(), 403);
    let page = plain
        .get(app.url("/"))
        .header("cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text().await.unwrap().contains("ana"),
        "the header names the caller"
    );

    // Idle past the limit: the session is gone.
    let session_id = cookie.trim_start_matches("gl_session=").to_string();
    let key = domain::auth::session_key(&session_id);
    app.state
        .store
        .write(move |c| {
            c.execute(
                "UPDATE sessions SET last_seen_unix = last_seen_unix - 86400 * 2 WHERE key = ?1",
                [key],
            )
            .map_err(|e| engine::Error::db("age session", e))
        })
        .await
        .unwrap();
    assert_eq!(post(Some(&app.base), None).await.unwrap().status(), 401);

    // A new session dies with its token.
    let cookie2 = session_cookie(&sign_in(&app, &token).await).unwrap();
    let cookie2 = cookie2.split(';').next().unwrap().to_string();
    let with2 = || {
        plain
            .post(app.url("/api/status/overview"))
            .header("cookie", cookie2.clone())
            .header("origin", app.base.clone())
            .send()
    };
    assert_eq!(with2().await.unwrap().status(), 200);
    app.state.store.revoke_token(&row.id).await.unwrap();
    assert_eq!(with2().await.unwrap().status(), 401);

    // Sign-out ends the session and clears the cookie.
    let (_, other) = app
        .state
        .store
        .create_token("ben", Role::Viewer)
        .await
        .unwrap();
    let cookie3 = session_cookie(&sign_in(&app, &other).await).unwrap();
    let cookie3 = cookie3.split(';').next().unwrap().to_string();
    let out = plain
        .post(app.url("/api/auth/logout"))
        .header("cookie", cookie3.clone())
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(session_cookie(&out).unwrap().contains("Max-Age=0"));
    let after = plain
        .get(app.url("/"))
        .header("cookie", cookie3)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "signed out: back to sign-in"
    );

    let audit = app
        .state
        .store
        .audit_entries(engine::store::AuditQuery::default())
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "sign_in" && e.outcome == "success" && e.actor.contains("ana"))
    );
    assert!(audit.iter().any(|e| e.action == "sign_out"));
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_rate_limited_per_client_and_audited() {
    let config = format!("[auth]\nsign_in_attempts_per_minute = 3\n\n{CONFIG}");
    let app = TestApp::spawn(&config).await;
    let (_, good) = app
        .state
        .store
        .create_token("ana", Role::Viewer)
        .await
        .unwrap();
    let bad = format!("glt_{}_{}", "0".repeat(12), "0".repeat(48));
    for _ in 0..3 {
        let r = sign_in(&app, &bad).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login?error=invalid")
        );
    }
    let blocked = sign_in(&app, &bad).await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(blocked.headers()["retry-after"], "60");
    let good_in = sign_in(&app, &good).await;
    assert_eq!(
        good_in.status(),
        StatusCode::SEE_OTHER,
        "a token that verifies is never refused, even from a blocked address"
    );
    let failures = app
        .state
        .store
        .audit_entries(engine::store::AuditQuery {
            action: Some("sign_in".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        failures.iter().filter(|e| e.outcome == "failure").count(),
        1,
        "the first failure of the minute is written; the rest are counted for one row later"
    );
    assert!(failures.iter().all(|e| e.client == "127.0.0.1"));
    // A cross-site sign-in form is refused outright.
    let cross = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("token", good.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_nonce_csp_and_the_other_security_headers() {
    let app = TestApp::spawn(CONFIG).await;
    let response = app.client().get(app.url("/")).send().await.unwrap();
    let headers = response.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    let nonce = support::csp_nonce(&headers);
    assert!(nonce.len() >= 16);
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    // Every inline script of the page carries this response's nonce.
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{html}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    // A second response gets another nonce.
    let again = app.client().get(app.url("/")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
    // Public health endpoints carry the headers too.
    let live = reqwest::get(app.url("/api/health/live")).await.unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(live.headers()["x-content-type-options"], "nosniff");
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::spawn(CONFIG).await;
    // The support's admin token would make the link dead (no admin may exist when it is used).
    app.revoke_admin().await;
    let code = app
        .setup_code
        .clone()
        .expect("a fresh console has a setup code");
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let wrong = client
        .get(app.url("/setup?code=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let form = client
        .get(app.url(&format!("/setup?code={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Create admin token"));
    let post = || {
        client
            .post(app.url("/api/auth/setup"))
            .header("origin", app.base.clone())
            .form(&[("code", code.as_str()), ("name", "first admin")])
            .send()
    };
    let created = post().await.unwrap();
    assert_eq!(created.status(), 200);
    let html = created.text().await.unwrap();
    let token = html
        .split("<code class=\"token\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("the token is shown once")
        .to_string();
    let who: serde_json::Value = app
        .client_with(&token)
        .post(app.url("/api/auth/whoami"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(who["role"], "admin");
    assert_eq!(who["name"], "first admin");
    assert_eq!(
        post().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "the link works once"
    );
    app.stop().await.unwrap();
}
