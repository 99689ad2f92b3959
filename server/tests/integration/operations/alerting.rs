//! Readiness alerts through the whole console: a service whose readiness follows a real
//! redis-server, the redis stopped and started, one message when it goes down and one when it
//! recovers; a maintenance window mutes both and spends no SLO budget.

use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;

use super::receiver::Receiver;

use crate::support::{RedisServer, Stub, TestApp, serve_stub};

/// A service like the reference one: ready while its Redis answers (served while the returned
/// `Stub` lives).
async fn service_following(redis_port: u16) -> Stub {
    let app = axum::Router::new()
        .route(
            "/api/runtime/dependencies",
            get(move || async move {
                let up = tokio::net::TcpStream::connect(("127.0.0.1", redis_port)).await.is_ok();
                let status = if up { "healthy" } else { "unhealthy" };
                axum::Json(serde_json::json!({"status": if up { "ready" } else { "not_ready" }, "ready": up,
                    "required_failures": if up { vec![] } else { vec!["redis"] },
                    "dependencies": {"redis": {"required": true, "ready": up, "status": status, "message": status}}}))
            }),
        )
        .route(
        "/api/health/ready",
        get(move || async move {
            let up = tokio::net::TcpStream::connect(("127.0.0.1", redis_port)).await.is_ok();
            if up {
                (StatusCode::OK, axum::Json(serde_json::json!({"status": "ready"})))
            } else {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    axum::Json(serde_json::json!({"detail": "Redis is unavailable"})),
                )
            }
        }),
    );
    serve_stub(app).await
}

fn events(receiver: &Receiver) -> Vec<(String, String)> {
    receiver
        .received()
        .iter()
        .map(|r| {
            let b = r.json();
            (
                b["event"].as_str().unwrap().to_string(),
                b["key"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, key)| key.starts_with("readiness:"))
        .collect()
}

async fn wait_events(receiver: &Receiver, n: usize, secs: u64) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let got = events(receiver);
        if got.len() >= n || std::time::Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_readiness_flip_alerts_once_resolves_once_and_is_muted_in_maintenance() {
    let mut redis = RedisServer::start();
    let port = redis.port;
    let stub = service_following(port).await;
    let service = stub.url();
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let channel = receiver.webhook_channel(dir.path());
    let config = format!(
        r#"
[alerts]
console_url = "https://greenlight.example.com"
attempts = 2
retry_base_secs = 1

{channel}

[[environments]]
name = "staging"
mode = "staging"
base_url = "{service}"
probe_interval_secs = 1
flip_after_rounds = 2
recover_after_rounds = 2

[[environments.slos]]
name = "uptime"
kind = "readiness"
target_percent = 99.9
"#
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;

    // Ready first: nothing is sent.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(events(&receiver).is_empty(), "{:?}", events(&receiver));

    redis.stop();
    let got = wait_events(&receiver, 1, 15).await;
    assert_eq!(
        got,
        [("firing".to_string(), "readiness:staging".to_string())]
    );
    let firing = receiver
        .received()
        .into_iter()
        .map(|r| r.json())
        .find(|b| b["event"] == "firing" && b["key"] == "readiness:staging")
        .unwrap();
    assert!(
        firing["reason"].as_str().unwrap().contains("503"),
        "{firing}"
    );
    assert_eq!(
        firing["url"],
        "https://greenlight.example.com/environments/staging"
    );
    // It lasts: still one message, not one per round.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(events(&receiver).len(), 1, "{:?}", events(&receiver));

    redis = RedisServer::start_on(port);
    let got = wait_events(&receiver, 2, 15).await;
    assert_eq!(
        got[1],
        ("resolved".to_string(), "readiness:staging".to_string()),
        "{got:?}"
    );

    // The Alerts page's data: one incident, resolved, and two delivered messages.
    let alerts = app.post_json("/api/alerts", &[]).await;
    let open_readiness = alerts["open"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["alert"]["key"] == "readiness:staging")
        .count();
    assert_eq!(open_readiness, 0, "{alerts}");
    let delivered = alerts["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["state"] == "delivered" && d["notification"]["alert"]["key"] == "readiness:staging"
        })
        .count();
    assert_eq!(delivered, 2, "{alerts}");

    // Maintenance: the outage neither alerts nor spends budget.
    let operator = app.token(domain::auth::Role::Operator).await;
    let window: serde_json::Value = app
        .client_with(&operator)
        .post(app.url("/api/maintenance/start"))
        .form(&[("environment", "staging"), ("reason", "redis upgrade")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = window["id"].as_i64().expect("a stored window");
    let env = app.state.config.environment("staging").unwrap().clone();
    let bad_before = app.state.slo.evaluate(&env, engine::clock::now_unix())[0]
        .rounds
        .bad();
    redis.stop();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(
        events(&receiver).len(),
        2,
        "muted in maintenance: {:?}",
        events(&receiver)
    );
    let after = app.state.slo.evaluate(&env, engine::clock::now_unix())[0].clone();
    assert_eq!(
        after.rounds.bad(),
        bad_before,
        "no budget spent in maintenance"
    );
    let detail = app
        .post_json(
            "/api/status/environment",
            &[("environment", "staging"), ("window", "1h")],
        )
        .await;
    assert_eq!(detail["status"]["maintenance"]["reason"], "redis upgrade");
    assert_eq!(detail["maintenance_windows"].as_array().unwrap().len(), 1);

    // Ended while still down: the outage alerts now.
    let ended = app
        .client_with(&operator)
        .post(app.url("/api/maintenance/end"))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(ended.status().is_success());
    let got = wait_events(&receiver, 3, 15).await;
    assert_eq!(
        got[2],
        ("firing".to_string(), "readiness:staging".to_string()),
        "{got:?}"
    );
    let evaluation = app.state.slo.evaluate(&env, engine::clock::now_unix())[0].clone();
    assert!(evaluation.rounds.bad() > bad_before);

    // Both actions are in the audit log.
    let audit = app
        .state
        .store
        .audit_entries(Default::default())
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert!(
        actions.contains(&"maintenance.start") && actions.contains(&"maintenance.end"),
        "{actions:?}"
    );
    app.stop().await.unwrap();
}

/// A go-live whose verdict turns from Go to No-Go while it is open alerts, once, and clears when
/// it is Go again. The verdicts are placed in the recent-verdict cache the watch reads (as a
/// viewer's page would have measured them a moment before).
#[tokio::test]
async fn an_open_golive_turning_from_go_to_no_go_alerts_and_clears() {
    use domain::golive::{Criterion, CriterionFinding, Finding, Verdict, VerdictReport};
    use engine::alerts::watch::GoLiveWatch;

    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let channel = receiver.webhook_channel(dir.path());
    let closed = crate::support::free_port();
    let config = format!(
        r#"
{channel}

[[environments]]
name = "staging"
mode = "staging"
base_url = "http://127.0.0.1:{closed}"
probe_interval_secs = 3600

[[environments]]
name = "production"
mode = "production"
base_url = "http://127.0.0.1:{closed}"
probe_interval_secs = 3600
"#
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let state = &app.state;
    let golive = state
        .store
        .start_golive("staging", "production", "test")
        .await
        .unwrap();
    let verdict = async |verdict: Verdict| {
        state.verdicts.forget(golive.id).await;
        let report = VerdictReport {
            verdict,
            findings: vec![],
            update: String::new(),
            measured_unix: 0.0,
        };
        state
            .verdicts
            .get_or_measure(golive.id, async || Ok::<_, ()>(report))
            .await
            .unwrap();
    };
    let no_go = || Verdict::NoGo {
        failing: vec![CriterionFinding {
            criterion: Criterion::Readiness,
            finding: Finding::Failed {
                problem: "production answered 503.".into(),
                action: "Fix it.".into(),
            },
        }],
    };
    let golive_events = || {
        receiver
            .received()
            .iter()
            .map(|r| r.json())
            .filter(|b| b["rule"] == "golive_no_go")
            .map(|b| b["event"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let mut watch = GoLiveWatch::default();
    // No-Go from the start is not a turn: nothing.
    verdict(no_go()).await;
    watch.check(state).await.unwrap();
    verdict(Verdict::Go).await;
    watch.check(state).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(golive_events().is_empty());
    // Go → No-Go: one alert, naming what failed; it lasts without another message.
    verdict(no_go()).await;
    watch.check(state).await.unwrap();
    watch.check(state).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(golive_events(), ["firing"]);
    let firing = receiver.received().last().unwrap().json();
    assert!(
        firing["reason"]
            .as_str()
            .unwrap()
            .contains("Readiness: production answered 503."),
        "{firing}"
    );
    assert_eq!(firing["environment"], "production");
    // Go again: resolved.
    verdict(Verdict::Go).await;
    watch.check(state).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(golive_events(), ["firing", "resolved"]);
    app.stop().await.unwrap();
}
