//! The secret scan: an instance seeded with env files holding known secret values, probed
//! against a real (password-protected) redis-server and a service that checks the dashboard
//! token; then every page and route is called as an admin. No raw secret may appear in any
//! response or in any log line (debug level included).

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::support;
use crate::support::{RedisServer, TestApp};

const REDIS_PASSWORD: &str = "RedisPass-S3cr3t-111";
const SIGNING_HEX: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7";
const EVENT_KEY: &str = "evt-secret-value-222";
const DASHBOARD_TOKEN: &str = "dash-secret-value-333-Zq8Lw2Nv";
const OPENAI: &str = "sk-openai-secret-444";
const ANTHROPIC: &str = "sk-ant-secret-555";
/// Secrets under keys without a classic secret-looking name (one per environment: they differ,
/// so the parity report lists them), in a URL query, and in a Redis password with a `/`.
const AUTHORIZATION: &str = "auth-secret-666";
const BASIC: &str = "basic-secret-777";
const DB_PWD: &str = "pwd-secret-888";
const DSN_PASSWORD: &str = "dsn-secret-999";
const SLACK: &str = "slack-secret-aaa";
const QUERY_KEY: &str = "query-secret-bbb";
const REDIS_FRAGMENT: &str = "QwZ7x";
/// Alert channel secrets: a webhook URL's token and signing secret, a PagerDuty routing key.
const HOOK_TOKEN: &str = "hooktoken-secret-ccc";
const HOOK_SECRET: &str = "hooksign-secret-ddd";
const ROUTING_KEY: &str = "routingkey-secret-eee";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_raw_secret_reaches_any_response_or_log_line() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let redis = RedisServer::start_with(&["--requirepass", REDIS_PASSWORD]);
    let reference = support::reference_service(Some(DASHBOARD_TOKEN)).await;
    let base = reference.url();
    let dir = tempfile::tempdir().unwrap();
    for env in ["staging", "production"] {
        std::fs::write(
            dir.path().join(format!("{env}.env")),
            format!(
                "ENVIRONMENT={env}\nLOG_LEVEL=INFO\nOPENAI_API_KEY={OPENAI}\nANTHROPIC_API_KEY={ANTHROPIC}\n\
                 REDIS_URL=redis://:{REDIS_PASSWORD}@127.0.0.1:{}/0\nREDIS_REQUIRED=true\n\
                 INNGEST_SIGNING_KEY=signkey-prod-{SIGNING_HEX}\nINNGEST_EVENT_KEY={EVENT_KEY}\n\
                 DASHBOARD_AUTH_TOKEN={DASHBOARD_TOKEN}\n\
                 AUTHORIZATION=Bearer {AUTHORIZATION}-{env}\nBASIC_AUTH=admin:{BASIC}-{env}\nDB_PWD={DB_PWD}-{env}\n\
                 DSN=host=db password={DSN_PASSWORD}-{env}\n\
                 SLACK_WEBHOOK=https://hooks.slack.com/services/T0/B0/{SLACK}-{env}\n\
                 AUTH_HEADER=Bearer ${{OPENAI_API_KEY}}\nCALLBACK_URL=https://cb.example/hook?apikey={QUERY_KEY}-{env}&v=1\n",
                redis.port
            ),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("broken.env"),
        format!("ENVIRONMENT=development\nREDIS_URL=redis://:{REDIS_FRAGMENT}/Yz9Leak@127.0.0.1:1/0\nREDIS_REQUIRED=true\n"),
    )
    .unwrap();
    let refusing = support::free_port();
    std::fs::write(
        dir.path().join("alerts.env"),
        format!(
            "HOOK_URL=http://127.0.0.1:{refusing}/hooks/{HOOK_TOKEN}\nHOOK_SECRET={HOOK_SECRET}\nPD_KEY={ROUTING_KEY}\n"
        ),
    )
    .unwrap();
    let config = format!(
        "[alerts]\nattempts = 1\n\
         [[alerts.channels]]\nname = \"hook\"\nkind = \"webhook\"\nurl = {{ from_env_file = \"alerts.env\", key = \"HOOK_URL\" }}\n\
         secret = {{ from_env_file = \"alerts.env\", key = \"HOOK_SECRET\" }}\n\
         [[alerts.channels]]\nname = \"pager\"\nkind = \"pagerduty\"\nrouting_key = {{ from_env_file = \"alerts.env\", key = \"PD_KEY\" }}\n\
         events_url = \"http://127.0.0.1:{refusing}/v2/enqueue\"\n\n\
         [[environments]]\nname = \"broken\"\nmode = \"development\"\nbase_url = \"{base}\"\nenv_file = \"broken.env\"\n\
         probe_interval_secs = 3600\n\n\
         [[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"{base}\"\nenv_file = \"staging.env\"\n\
         probe_interval_secs = 3600\ndependencies_auth = {{ from_env_file = \"DASHBOARD_AUTH_TOKEN\" }}\n\n\
         [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"{base}\"\nenv_file = \"production.env\"\n\
         probe_interval_secs = 3600\ndependencies_auth = {{ from_env_file = \"DASHBOARD_AUTH_TOKEN\" }}\n"
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let client = app.client();
    let mut bodies = Vec::new();
    for env in ["staging", "production"] {
        let text = app.probe(env).await;
        // The probes really used the secrets: Redis answered with the password, and the
        // dashboard token was accepted.
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let probe = |name: &str| {
            json["probes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["probe"] == name)
                .cloned()
                .unwrap()
        };
        assert_eq!(probe("redis")["status"], "healthy", "{text}");
        assert_eq!(probe("dependencies")["status"], "healthy", "{text}");
        bodies.push((format!("probe {env}"), text));
    }
    // A Redis password with a raw `/` cannot be parsed; the message says why in words.
    let broken = app.probe("broken").await;
    assert!(
        broken.contains("percent-encode") || broken.contains("%2F"),
        "{broken}"
    );
    bodies.push(("probe broken".into(), broken));
    // Test alerts to both channels: they fail (nothing listens), and their errors are stored.
    for channel in ["hook", "pager"] {
        let r = client
            .post(app.url("/api/alerts/test"))
            .form(&[("channel", channel)])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "test alert: {}", r.status());
        let text = r.text().await.unwrap();
        assert!(text.contains("\"failed\""), "{text}");
        bodies.push((format!("test alert {channel}"), text));
    }
    let posts: &[(&str, &[(&str, &str)])] = &[
        ("/api/alerts", &[]),
        ("/api/replay/canaries", &[]),
        ("/api/status/environments", &[]),
        ("/api/status/overview", &[]),
        (
            "/api/status/environment",
            &[("environment", "staging"), ("compare", "production")],
        ),
        (
            "/api/status/environment",
            &[("environment", "production"), ("window", "30d")],
        ),
        ("/api/status/console", &[]),
        ("/api/replay/suites", &[]),
        ("/api/replay/runs", &[]),
        ("/api/admin/console", &[]),
        ("/api/admin/tokens", &[]),
        ("/api/admin/audit", &[]),
        ("/api/auth/whoami", &[]),
    ];
    for (path, form) in posts {
        let r = client.post(app.url(path)).form(form).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        bodies.push((path.to_string(), r.text().await.unwrap()));
    }
    // A go-live: step 1's evidence shows the four inputs (masked), the verdict probes
    // production, and a sign-off keeps the report of that moment.
    let id = app.start_golive().await;
    for (path, form) in [
        ("/api/golive/get", vec![("id", id.as_str())]),
        ("/api/golive/verdict", vec![("id", id.as_str())]),
        ("/api/golive/list", vec![]),
        (
            "/api/golive/signoff",
            vec![("id", id.as_str()), ("decision", "hold")],
        ),
    ] {
        let r = client.post(app.url(path)).form(&form).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        bodies.push((path.to_string(), r.text().await.unwrap()));
    }
    for path in [format!("/go-live/{id}"), format!("/go-live/{id}/report")] {
        let r = client.get(app.url(&path)).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        bodies.push((path, r.text().await.unwrap()));
    }
    for path in [
        "/",
        "/environments/staging?compare=production",
        "/environments/production?window=7d",
        "/replays",
        "/go-live",
        "/settings",
        "/alerts",
        "/login",
        "/api/admin/audit.jsonl",
        "/api/runtime/dependencies",
        "/api/health/ready",
    ] {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        bodies.push((path.to_string(), r.text().await.unwrap()));
    }
    // The same pages and answers as a viewer: the parity report lists the differing keys
    // without their values.
    let viewer = app.client_with(&app.token(domain::auth::Role::Viewer).await);
    let parity = viewer
        .post(app.url("/api/status/environment"))
        .form(&[("environment", "staging"), ("compare", "production")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        parity.contains("DB_PWD") && parity.contains("SLACK_WEBHOOK"),
        "{parity}"
    );
    assert!(
        !parity.contains("hooks.slack.com"),
        "viewers see no differing value: {parity}"
    );
    bodies.push(("viewer parity".into(), parity));
    for path in [
        "/",
        "/environments/staging?compare=production",
        "/replays",
        "/go-live",
        &format!("/go-live/{id}"),
        &format!("/go-live/{id}/report"),
    ] {
        let r = viewer.get(app.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "viewer {path}: {}", r.status());
        bodies.push((format!("viewer {path}"), r.text().await.unwrap()));
    }
    for (path, form) in [
        ("/api/status/overview", vec![]),
        ("/api/golive/verdict", vec![("id", id.as_str())]),
        ("/api/golive/get", vec![("id", id.as_str())]),
    ] {
        let r = viewer.post(app.url(path)).form(&form).send().await.unwrap();
        assert!(r.status().is_success(), "viewer {path}: {}", r.status());
        bodies.push((format!("viewer {path}"), r.text().await.unwrap()));
    }
    // The admin token's secret part is a secret too.
    let admin_secret = app.admin_token.rsplit('_').next().unwrap().to_string();
    app.stop().await.unwrap();

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.lines().count() > 10, "the log was captured");
    let secrets = [
        REDIS_PASSWORD,
        SIGNING_HEX,
        EVENT_KEY,
        DASHBOARD_TOKEN,
        OPENAI,
        ANTHROPIC,
        AUTHORIZATION,
        BASIC,
        DB_PWD,
        DSN_PASSWORD,
        SLACK,
        QUERY_KEY,
        REDIS_FRAGMENT,
        HOOK_TOKEN,
        HOOK_SECRET,
        ROUTING_KEY,
    ];
    let mut leaks = Vec::new();
    for secret in secrets.iter().copied().chain([admin_secret.as_str()]) {
        for (what, body) in &bodies {
            if body.contains(secret) {
                leaks.push(format!("{secret} in the response of {what}"));
            }
        }
        for line in logs.lines().filter(|l| l.contains(secret)) {
            leaks.push(format!("{secret} in the log: {line}"));
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    // The scan is real: the pages did show the environments, masked.
    let all: String = bodies.iter().map(|(_, b)| b.as_str()).collect();
    assert!(all.contains("INNGEST_SIGNING_KEY") && all.contains("DASHBOARD_AUTH_TOKEN"));
}
