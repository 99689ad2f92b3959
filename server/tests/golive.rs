//! The go-live's automatic checks against real components: a real redis-server, two small
//! target services (staging, production) whose readiness and runtime dependencies are built
//! from live Redis state and whose strict flags change when "redeployed", a signed Inngest
//! endpoint, real env files, real readiness history and a real replay. The walk reaches Go;
//! then Redis stops and the verdict turns No-Go with the reason in plain words.
//!
//! The "production" environment runs in staging mode here: production mode requires an https
//! INNGEST_WEBHOOK_URL, and the route check must reach this plain-HTTP test service.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domain::golive::{
    Check, Checklist, StepEvent, StepId, UpdateFacts, Verdict, leadership_update, verdict,
};
use engine::golive::{Pair, evaluate, go_criteria};
use support::{RedisServer, TestApp};

const SIGNING_KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";
const EVENT_KEY: &str = "golive-event-key-0001";
const APP_ID: &str = "caio-alpha";

/// A target service: ready while its Redis answers; reports Redis and Inngest as required
/// once `strict` is set (as after a redeploy with the strict flags).
async fn target(redis_url: String, strict: Arc<AtomicBool>) -> String {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let url = domain::RedisUrl::parse(&redis_url).unwrap();
    let redis_up = move || {
        let url = url.clone();
        async move {
            engine::redis_ping::ping(&url, Duration::from_millis(500))
                .await
                .is_ok()
        }
    };
    let ready_check = redis_up.clone();
    let (deps_strict, deps_check) = (strict.clone(), redis_up.clone());
    tokio::spawn(async move {
        let app = axum::Router::new()
            .route(
                "/api/health/ready",
                get(move || async move {
                    if ready_check().await {
                        (StatusCode::OK, axum::Json(serde_json::json!({"status": "ready"})))
                    } else {
                        (
                            StatusCode::SERVICE_UNAVAILABLE,
                            axum::Json(serde_json::json!({"detail": "Runtime dependencies not ready: redis: connection refused"})),
                        )
                    }
                }),
            )
            .route(
                "/api/runtime/dependencies",
                get(move || async move {
                    let required = deps_strict.load(Ordering::SeqCst);
                    let up = deps_check().await;
                    axum::Json(serde_json::json!({
                        "status": if up { "ready" } else { "not_ready" },
                        "ready": up || !required,
                        "required_failures": if up || !required { vec![] } else { vec!["redis"] },
                        "dependencies": {
                            "redis": {"required": required, "ready": up, "status": if up { "healthy" } else { "unhealthy" }, "message": if up { "PONG" } else { "connection refused" }},
                            "inngest": {"required": required, "ready": true, "status": "healthy", "message": "mounted"}
                        }
                    }))
                }),
            )
            .route(
                "/api/inngest",
                get(|headers: HeaderMap| async move {
                    support::cloud_sdk_answer(&headers, SIGNING_KEY, EVENT_KEY, APP_ID)
                }),
            );
        axum::serve(listener, app).await.unwrap();
    });
    base
}

fn env_file(redis: &str, base: &str, strict: bool) -> String {
    format!(
        "ENVIRONMENT=staging\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY=sk-ant-golive-1\nOPENAI_API_KEY=sk-openai-golive-2\n\
         REDIS_URL={redis}\nREDIS_REQUIRED={strict}\nINNGEST_REQUIRED={strict}\n\
         INNGEST_SIGNING_KEY={SIGNING_KEY}\nINNGEST_EVENT_KEY={EVENT_KEY}\nINNGEST_APP_ID={APP_ID}\n\
         INNGEST_WEBHOOK_URL={base}/api/inngest\nDASHBOARD_AUTH_TOKEN=Xq7pL2vN9rT4wY8zK3mB6cF1hJ5dG0sA\n\
         SUPABASE_URL=https://db.example.com\nSUPABASE_KEY=supabase-golive-3\nCLAY_API_KEY=clay-golive-4\n\
         GHL_API_KEY=ghl-golive-5\nGHL_LOCATION_ID=loc-1\n"
    )
}

fn passed(check: &Check) -> bool {
    matches!(check, Check::Pass { .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_go_live_walks_to_go_and_a_redis_outage_turns_it_no_go() {
    let mut redis = RedisServer::start();
    let redis_url = redis.url();
    let (staging_strict, production_strict) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let staging_base = target(redis_url.clone(), staging_strict.clone()).await;
    let production_base = target(redis_url.clone(), production_strict.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("staging.env"),
        env_file(&redis_url, &staging_base, false),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("production.env"),
        env_file(&redis_url, &production_base, true),
    )
    .unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let config = format!(
        "[golive]\nstability_minutes = 1\n\n\
         [[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"{staging_base}\"\nenv_file = \"staging.env\"\n\
         probe_interval_secs = 3600\nexpected_inngest_functions = 4\n\n\
         [[environments]]\nname = \"production\"\nmode = \"staging\"\nbase_url = \"{production_base}\"\nenv_file = \"production.env\"\n\
         probe_interval_secs = 3600\nexpected_inngest_functions = 4\n\n\
         [[suites]]\nname = \"example\"\ngolden_set = \"{}\"\nmin_pass_rate = 0.95\nconcurrency = 2\ncase_timeout_secs = 30\n\
         runner = {{ kind = \"command\", command = [\"python3\", \"{}\"] }}\n",
        examples.join("golden_set.json").display(),
        examples.join("runner/example_runner.py").display(),
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let state = app.state.clone();
    let staging = state.config.environment("staging").unwrap().clone();
    let production = state.config.environment("production").unwrap().clone();
    let pair = Pair {
        staging: &staging,
        production: &production,
    };
    let now = || engine::store::auth::now_unix();
    let golive = state
        .store
        .start_golive("staging", "production", "ana")
        .await
        .unwrap();
    let record = |step: StepId, check: Check, evidence: serde_json::Value| {
        let store = state.store.clone();
        async move {
            store
                .record_step(
                    golive.id,
                    step,
                    StepEvent::Evaluated { check },
                    "ana",
                    evidence,
                )
                .await
                .unwrap()
        }
    };

    // 1. The four inputs, masked in the evidence.
    let (check, evidence) = evaluate(&state, pair, StepId::ConfirmInputs, now()).await;
    assert!(passed(&check), "{check:?}");
    assert!(
        !evidence.to_string().contains(SIGNING_KEY) && !evidence.to_string().contains(EVENT_KEY)
    );
    record(StepId::ConfirmInputs, check, evidence).await;

    // 2. Policy: staging's env file still has the flags false; the lines to set are named.
    let (check, _) = evaluate(&state, pair, StepId::PolicyDecision, now()).await;
    match &check {
        Check::Fail { action, .. } => assert!(
            action.contains("REDIS_REQUIRED=true / INNGEST_REQUIRED=true"),
            "{action}"
        ),
        other => panic!("{other:?}"),
    }
    record(StepId::PolicyDecision, check, serde_json::json!({})).await;
    std::fs::write(
        dir.path().join("staging.env"),
        env_file(&redis_url, &staging_base, true),
    )
    .unwrap();
    let (check, evidence) = evaluate(&state, pair, StepId::PolicyDecision, now()).await;
    assert!(passed(&check), "{check:?}");
    record(StepId::PolicyDecision, check, evidence).await;

    // 3. Redeploy staging: before it happens the deployed service still says "not required".
    state
        .store
        .record_step(
            golive.id,
            StepId::UpdateStaging,
            StepEvent::Confirm {
                by: "ana".into(),
                note: Some("redeployed".into()),
            },
            "ana",
            serde_json::json!({}),
        )
        .await
        .unwrap();
    let (check, _) = evaluate(&state, pair, StepId::UpdateStaging, now()).await;
    assert!(
        matches!(&check, Check::Fail { problem, .. } if problem.contains("REDIS_REQUIRED=false")),
        "{check:?}"
    );
    staging_strict.store(true, Ordering::SeqCst);
    let (check, evidence) = evaluate(&state, pair, StepId::UpdateStaging, now()).await;
    assert!(passed(&check), "{check:?}");
    record(StepId::UpdateStaging, check, evidence).await;

    // 4, 5. Validate staging (real Redis PING) and its live endpoints.
    for step in [StepId::ValidateStaging, StepId::VerifyStagingEndpoints] {
        let (check, evidence) = evaluate(&state, pair, step, now()).await;
        assert!(passed(&check), "{step:?}: {check:?}");
        record(step, check, evidence).await;
    }

    // 6. Stability over the configured (shortened) window, from real stored rounds.
    // The scheduler's first round is the only history: ready, with the time remaining shown.
    let (check, _) = evaluate(&state, pair, StepId::StagingStable, now()).await;
    assert!(
        matches!(&check, Check::Waiting { summary, remaining_secs } if summary.contains("to go") && *remaining_secs > 30.0),
        "{check:?}"
    );
    let round = engine::probe::Prober::default().probe(&staging).await;
    let t0 = now();
    for k in 0..=70 {
        state
            .store
            .insert_sample(t0 - 70.0 + f64::from(k), &round)
            .await
            .unwrap();
    }
    let (check, evidence) = evaluate(&state, pair, StepId::StagingStable, now()).await;
    // Rounds one second apart are gaps for a 3600 s interval only if longer than 3 intervals:
    // they are not, so a minute of ready rounds is stable.
    assert!(passed(&check), "{check:?} {evidence}");
    record(StepId::StagingStable, check, evidence).await;

    // 7-9. Production: redeploy with the strict flags, validate with the signed route check,
    // verify endpoints including Inngest (cloud, 4 functions, key hashes match).
    state
        .store
        .record_step(
            golive.id,
            StepId::UpdateProduction,
            StepEvent::Confirm {
                by: "ana".into(),
                note: None,
            },
            "ana",
            serde_json::json!({}),
        )
        .await
        .unwrap();
    production_strict.store(true, Ordering::SeqCst);
    for step in [
        StepId::UpdateProduction,
        StepId::ValidateProduction,
        StepId::VerifyProductionEndpoints,
    ] {
        let (check, evidence) = evaluate(&state, pair, step, now()).await;
        assert!(passed(&check), "{step:?}: {check:?}");
        record(step, check, evidence).await;
    }

    // 10. Release gate: no replay yet is Hold-worthy, then a real replay of the example suite.
    let (check, _) = evaluate(&state, pair, StepId::ReleaseGate, now()).await;
    assert!(
        matches!(&check, Check::Unknown { missing } if missing.contains("No replay")),
        "{check:?}"
    );
    let run = state
        .replays
        .start(&state.store, &state.config.suites, "example")
        .await
        .unwrap();
    for _ in 0..300 {
        let runs = state.store.list_runs(10).await.unwrap();
        if runs
            .iter()
            .any(|r| r.id == run && r.status == engine::store::RunStatus::Completed)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (check, evidence) = evaluate(&state, pair, StepId::ReleaseGate, now()).await;
    assert!(
        matches!(&check, Check::Pass { summary } if summary.contains("6/6")),
        "{check:?}"
    );
    let checklist: Checklist = record(StepId::ReleaseGate, check, evidence).await;
    assert_eq!(checklist.current(), None, "all ten steps passed");

    // The verdict: Go, and the leadership update says so.
    let (findings, _) = go_criteria(&state, pair, now()).await;
    let go = verdict(&findings);
    assert_eq!(go, Verdict::Go, "{findings:#?}");
    let update = leadership_update(&UpdateFacts {
        staging: "staging".into(),
        production: "production".into(),
        staging_strict: Some(true),
        production_strict: Some(true),
        production_endpoints: findings[1].finding.clone(),
        replay: None,
        min_pass_rate: 0.95,
        current_step: checklist.current(),
        verdict: go,
    });
    assert!(update.starts_with("Go-live readiness for production: reviewed and validated."));

    // Redis stops: the verdict turns No-Go, naming readiness and dependencies in plain words,
    // and step 9 goes back to failing.
    redis.stop();
    let (findings, _) = go_criteria(&state, pair, now()).await;
    match verdict(&findings) {
        Verdict::NoGo { failing } => {
            let named: Vec<_> = failing.iter().map(|f| f.criterion).collect();
            assert!(
                named.contains(&domain::golive::Criterion::Readiness),
                "{failing:#?}"
            );
            let text = format!("{failing:?}");
            assert!(
                text.contains("503") || text.to_lowercase().contains("not ready"),
                "{text}"
            );
        }
        other => panic!("expected No-Go, got {other:?}"),
    }
    let (check, _) = evaluate(&state, pair, StepId::VerifyProductionEndpoints, now()).await;
    assert!(matches!(check, Check::Fail { .. }), "{check:?}");
    let checklist = record(
        StepId::VerifyProductionEndpoints,
        check,
        serde_json::json!({}),
    )
    .await;
    assert_eq!(checklist.current(), Some(StepId::VerifyProductionEndpoints));

    // Everything recorded is there, in order, with its evidence.
    let (_, records, _) = state.store.golive(golive.id).await.unwrap();
    assert_eq!(records.len(), 14);
    assert!(matches!(
        records[1].event,
        StepEvent::Evaluated {
            check: Check::Fail { .. }
        }
    ));
    app.stop().await.unwrap();
}

/// The go-live server functions over HTTP: start (one per pair), run a step, refuse a Go
/// sign-off the verdict does not support, record Hold with the report of that moment, and
/// keep the finished go-live read-only; the audit log has each action.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_start_check_and_sign_off_a_go_live() {
    let config = "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n\n\
                  [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";
    let app = TestApp::spawn(config).await;
    let operator = app.client_with(&app.token(domain::auth::Role::Operator).await);
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let operator = operator.clone();
        let url = app.url(path);
        async move { operator.post(url).form(&form).send().await.unwrap() }
    };
    let started = post(
        "/api/golive/start",
        vec![
            ("staging", "staging".into()),
            ("production", "production".into()),
        ],
    )
    .await;
    assert_eq!(started.status(), 200);
    let id: i64 = started.json().await.unwrap();
    let again = post(
        "/api/golive/start",
        vec![
            ("staging", "staging".into()),
            ("production", "production".into()),
        ],
    )
    .await;
    assert!(again.text().await.unwrap().contains("already in progress"));

    let detail: serde_json::Value = post(
        "/api/golive/step",
        vec![
            ("id", id.to_string()),
            ("step", "confirm_inputs".into()),
            ("confirm", "false".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    // No env files are configured: step 1 could not be measured, in plain words.
    let step1 = &detail["steps"][0];
    assert_eq!(step1["state"]["check"]["outcome"], "unknown", "{step1:#}");
    assert!(
        step1["state"]["check"]["missing"]
            .as_str()
            .unwrap()
            .contains("no env file")
    );
    let blocked = post(
        "/api/golive/step",
        vec![
            ("id", id.to_string()),
            ("step", "validate_staging".into()),
            ("confirm", "false".into()),
        ],
    )
    .await;
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("finish step 1 first")
    );

    let verdict: serde_json::Value = post("/api/golive/verdict", vec![("id", id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(verdict["verdict"]["verdict"], "go", "{verdict:#}");
    assert!(
        verdict["update"]
            .as_str()
            .unwrap()
            .starts_with("Go-live readiness for production: reviewed,")
    );
    let refused = post(
        "/api/golive/signoff",
        vec![("id", id.to_string()), ("decision", "go".into())],
    )
    .await;
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Go cannot be signed off")
    );
    let signed: serde_json::Value = post(
        "/api/golive/signoff",
        vec![
            ("id", id.to_string()),
            ("decision", "hold".into()),
            ("note", "waiting for the replay".into()),
        ],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(signed["summary"]["decision"], "hold");
    assert!(signed["report"].as_str().unwrap().contains("\"verdict\""));
    let after = post(
        "/api/golive/step",
        vec![
            ("id", id.to_string()),
            ("step", "confirm_inputs".into()),
            ("confirm", "false".into()),
        ],
    )
    .await;
    assert!(after.text().await.unwrap().contains("is finished"));
    let html = app.get_text(&format!("/go-live/{id}/report")).await;
    assert!(html.contains("Go-live report") && html.contains("waiting for the replay"));
    let audit = app
        .state
        .store
        .audit_entries(engine::store::AuditQuery::default())
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "golive_signoff"));
    assert!(audit.iter().filter(|e| e.action == "golive_step").count() >= 2);
    app.stop().await.unwrap();
}
