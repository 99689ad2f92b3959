//! The go-live walked through `engine::golive` against real components: two real
//! redis-servers (staging's and production's), two small target services whose readiness and
//! runtime dependencies are built from live Redis state and whose strict flags change when
//! "redeployed", production served over real TLS (a test CA trusted through `ca_file`) with a
//! signed Inngest endpoint, real env files, real readiness history and a real replay. The
//! walk reaches Go and is signed off; a second go-live reaches Go, then production's Redis
//! stops and it turns No-Go with the reason in plain words.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domain::golive::{Check, Criterion, StepEvent, StepId, Verdict};
use engine::golive::{Action, GoLiveError};
use engine::store::golive::Decision;

use crate::support;
use crate::support::tls::TestCa;
use crate::support::{RedisServer, Stub, TestApp};

const SIGNING_KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";
const EVENT_KEY: &str = "golive-event-key-0001";
const APP_ID: &str = "caio-alpha";

/// A target service: ready while its Redis answers; reports Redis and Inngest as required
/// once `strict` is set (as after a redeploy with the strict flags). Over TLS when `ca` is
/// given. Served while the returned `Stub` lives.
async fn target(redis_url: String, strict: Arc<AtomicBool>, ca: Option<&TestCa>) -> Stub {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    let url = domain::RedisUrl::parse(&redis_url).unwrap();
    let redis_up = move || {
        let url = url.clone();
        async move {
            engine::clients::redis_ping::ping(&url, Duration::from_millis(500), &Default::default())
                .await
                .is_ok()
        }
    };
    let ready_check = redis_up.clone();
    let (deps_strict, deps_check) = (strict.clone(), redis_up.clone());
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
    match ca {
        Some(ca) => support::serve_stub_tls(ca, app).await,
        None => support::serve_stub(app).await,
    }
}

fn env_file(mode: &str, redis: &str, base: &str, strict: bool) -> String {
    format!(
        "ENVIRONMENT={mode}\nLOG_LEVEL=INFO\nANTHROPIC_API_KEY=sk-ant-golive-1\nOPENAI_API_KEY=sk-openai-golive-2\n\
         REDIS_URL={redis}\nREDIS_REQUIRED={strict}\nINNGEST_REQUIRED={strict}\n\
         INNGEST_SIGNING_KEY={SIGNING_KEY}\nINNGEST_EVENT_KEY={EVENT_KEY}\nINNGEST_APP_ID={APP_ID}\n\
         INNGEST_WEBHOOK_URL={base}/api/inngest\nDASHBOARD_AUTH_TOKEN=Xq7pL2vN9rT4wY8zK3mB6cF1hJ5dG0sA\n\
         SUPABASE_URL=https://db.example.com\nSUPABASE_KEY=supabase-golive-3\nCLAY_API_KEY=clay-golive-4\n\
         GHL_API_KEY=ghl-golive-5\nGHL_LOCATION_ID=loc-1\n"
    )
}

/// The outcome of each checked step, for compact assertions: `[(1, "pass"), (2, "fail")]`.
fn outcomes(checked: &[(StepId, Check)]) -> Vec<(usize, &'static str)> {
    checked
        .iter()
        .map(|(step, check)| {
            let word = match check {
                Check::Pass { .. } => "pass",
                Check::Fail { .. } => "fail",
                Check::Unknown { .. } => "unknown",
                Check::Waiting { .. } => "waiting",
            };
            (step.number(), word)
        })
        .collect()
}

fn confirm(note: &str) -> Action {
    Action::Confirm {
        note: Some(note.into()),
    }
}

/// When step 3 of go-live `id` last passed.
async fn staging_redeployed(state: &engine::AppState, id: i64) -> f64 {
    engine::golive::staging_redeployed(state, id)
        .await
        .unwrap()
        .expect("step 3 passed")
}

/// Step 6 without waiting a minute: a minute of ready rounds after staging's verified
/// redeploy, one a second and ending a moment in the future, and the step checked and
/// recorded as of then.
async fn stable_a_minute_later(state: &engine::AppState, id: i64) -> Check {
    let redeployed = staging_redeployed(state, id).await;
    let round = state
        .prober
        .probe(state.config.environment("staging").unwrap())
        .await;
    for k in 1..=62 {
        state
            .store
            .insert_sample(redeployed + f64::from(k), &round)
            .await
            .unwrap();
    }
    let (row, _, _) = state.store.golive(id).await.unwrap();
    let pair = engine::golive::pair_of(state, &row).unwrap();
    let later = redeployed + 62.5;
    let (check, evidence) =
        engine::golive::evaluate(state, pair, StepId::StagingStable, later, Some(redeployed)).await;
    let event = StepEvent::Evaluated {
        check: check.clone(),
    };
    state
        .store
        .record_step(id, StepId::StagingStable, event, "ana", evidence)
        .await
        .unwrap();
    check
}

async fn wait_for_run(state: &engine::AppState, run: i64) {
    for _ in 0..300 {
        let done = state
            .store
            .run(run)
            .await
            .unwrap()
            .is_some_and(|r| r.status == engine::store::RunStatus::Completed);
        if done && state.replays.running("example").is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("replay run {run} did not finish within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_go_live_walks_to_go_and_a_production_redis_outage_turns_the_next_one_no_go() {
    let staging_redis = RedisServer::start();
    let mut production_redis = RedisServer::start();
    let ca = TestCa::new();
    let (staging_strict, production_strict) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let staging = target(staging_redis.url(), staging_strict.clone(), None).await;
    let production = target(production_redis.url(), production_strict.clone(), Some(&ca)).await;
    let (staging_base, production_base) = (staging.url(), production.url());
    let dir = tempfile::tempdir().unwrap();
    let (staging_url, production_url) = (staging_redis.url(), production_redis.url());
    // What an engineer does: write an environment's env file, strict flags on or off.
    let write_env = |env: &str, strict: bool| {
        let (redis, base) = match env {
            "staging" => (&staging_url, &staging_base),
            _ => (&production_url, &production_base),
        };
        std::fs::write(
            dir.path().join(format!("{env}.env")),
            env_file(env, redis, base, strict),
        )
        .unwrap();
    };
    write_env("staging", false);
    write_env("production", false);
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let config = format!(
        "[server]\nca_file = \"{}\"\n\n[golive]\nstability_minutes = 1\n\n\
         [[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"{staging_base}\"\nenv_file = \"staging.env\"\n\
         probe_interval_secs = 3600\nexpected_inngest_functions = 4\n\n\
         [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"{production_base}\"\nenv_file = \"production.env\"\n\
         probe_interval_secs = 3600\nexpected_inngest_functions = 4\n\n\
         [[suites]]\nname = \"example\"\ngolden_set = \"{}\"\nmin_pass_rate = 0.95\nconcurrency = 2\ncase_timeout_secs = 30\n\
         runner = {{ kind = \"command\", command = [\"python3\", \"{}\"] }}\n",
        ca.ca_file().display(),
        examples.join("golden_set.json").display(),
        examples.join("runner/example_runner.py").display(),
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let state = app.state.clone();
    let act = |id: i64, step: StepId, action: Action| {
        let state = state.clone();
        async move {
            engine::golive::act(&state, id, step, action, "ana")
                .await
                .unwrap()
        }
    };

    // Start: step 1 is checked at once and passes (the four inputs, production's webhook
    // https); step 2 opens and fails: staging's env file still has the flags false.
    let (golive, checked) = engine::golive::start(&state, "staging", "production", "ana")
        .await
        .unwrap();
    let id = golive.id;
    assert_eq!(
        outcomes(&checked),
        [(1, "pass"), (2, "fail")],
        "{checked:#?}"
    );
    match &checked[1].1 {
        Check::Fail { action, .. } => assert!(
            action.contains("REDIS_REQUIRED=true / INNGEST_REQUIRED=true"),
            "{action}"
        ),
        other => panic!("{other:?}"),
    }
    let (_, records, _) = state.store.golive(id).await.unwrap();
    let evidence = records[0].evidence.to_string();
    assert!(
        !evidence.contains(SIGNING_KEY) && !evidence.contains(EVENT_KEY),
        "{evidence}"
    );

    // 2. The engineer sets the lines; Check again passes and stops at step 3 (a person's step).
    write_env("staging", true);
    let checked = act(id, StepId::PolicyDecision, Action::Check).await;
    assert_eq!(outcomes(&checked), [(2, "pass")]);

    // 3. Confirmed before the redeploy happened: the deployed staging still says "not required".
    let checked = act(id, StepId::UpdateStaging, confirm("redeploying")).await;
    assert!(
        matches!(&checked[..], [(_, Check::Fail { problem, .. })] if problem.contains("REDIS_REQUIRED=false")),
        "{checked:#?}"
    );
    // After the redeploy: 3 passes, 4 (validator with a real PING) and 5 (live endpoints) open
    // and pass, 6 opens and waits for the (shortened) window, showing the time remaining.
    staging_strict.store(true, Ordering::SeqCst);
    let checked = act(id, StepId::UpdateStaging, confirm("redeployed at 14:02")).await;
    assert_eq!(
        outcomes(&checked),
        [(3, "pass"), (4, "pass"), (5, "pass"), (6, "waiting")],
        "{checked:#?}"
    );
    assert!(
        matches!(&checked[3].1, Check::Waiting { summary, remaining_secs, .. } if summary.contains("to go") && *remaining_secs > 30.0),
        "{checked:#?}"
    );

    // 6. Ready rounds from before the redeploy do not count: the window starts when step 3
    // verified the strict deployment.
    let redeployed = staging_redeployed(&state, id).await;
    let round = state
        .prober
        .probe(state.config.environment("staging").unwrap())
        .await;
    for k in 1..=200 {
        state
            .store
            .insert_sample(redeployed - f64::from(k), &round)
            .await
            .unwrap();
    }
    let checked = act(id, StepId::StagingStable, Action::Check).await;
    assert_eq!(outcomes(&checked), [(6, "waiting")], "{checked:#?}");
    // A minute of ready rounds after it makes staging stable; step 7 waits for the operator.
    let check = stable_a_minute_later(&state, id).await;
    assert!(matches!(check, Check::Pass { .. }), "{check:?}");

    // 7-9. Production redeployed with the strict flags: verified, validated with the signed
    // route check over TLS, endpoints and Inngest (cloud, 4 functions, key hashes) verified.
    // 10 opens: no replay yet, so it cannot be measured (Hold-worthy, never Go).
    write_env("production", true);
    production_strict.store(true, Ordering::SeqCst);
    let checked = act(id, StepId::UpdateProduction, confirm("")).await;
    assert_eq!(
        outcomes(&checked),
        [(7, "pass"), (8, "pass"), (9, "pass"), (10, "unknown")],
        "{checked:#?}"
    );
    let hold = engine::golive::verdict_now(&state, id).await.unwrap();
    assert_eq!(hold.verdict.word(), "Hold", "{hold:#?}");

    // 10. The replay started from the step: waiting while it runs, passed once it finished.
    let run = engine::golive::start_gate_replay(&state, id, "ana")
        .await
        .unwrap();
    let (_, _, checklist) = state.store.golive(id).await.unwrap();
    assert!(
        matches!(checklist.state(StepId::ReleaseGate), domain::golive::StepState::Checked { check: Check::Waiting { summary, .. }, .. } if summary.contains(&format!("Replay run {run} is running"))),
        "{checklist:#?}"
    );
    wait_for_run(&state, run).await;
    let checked = act(id, StepId::ReleaseGate, Action::Check).await;
    assert!(
        matches!(&checked[..], [(_, Check::Pass { summary })] if summary.contains("6/6")),
        "{checked:#?}"
    );

    // The verdict: Go, and the leadership update says so; signed off as Go.
    let go = engine::golive::verdict_now(&state, id).await.unwrap();
    assert_eq!(go.verdict, Verdict::Go, "{:#?}", go.findings);
    assert!(
        go.update
            .starts_with("Go-live readiness for production: reviewed and validated."),
        "{}",
        go.update
    );
    assert!(
        go.update.contains("Replay harness: 6/6 passed"),
        "{}",
        go.update
    );
    let (row, kept) = engine::golive::sign_off(&state, id, Decision::Go, "ana", Some("ship it"))
        .await
        .unwrap();
    assert_eq!(row.decision, Some(Decision::Go));
    assert_eq!(kept.verdict, Verdict::Go);
    assert!(matches!(
        engine::golive::act(&state, id, StepId::ConfirmInputs, Action::Check, "ana").await,
        Err(GoLiveError::Refused(domain::golive::Refusal::Finished(_)))
    ));

    // A second go-live of the same pair: the recent replay carries over, so after the two
    // confirmations and staging's window every step passes and the verdict is Go again.
    let (second, checked) = engine::golive::start(&state, "staging", "production", "bo")
        .await
        .unwrap();
    assert_eq!(outcomes(&checked), [(1, "pass"), (2, "pass")]);
    let id = second.id;
    let checked = act(id, StepId::UpdateStaging, confirm("")).await;
    // Each go-live counts staging's window from its own step 3.
    assert_eq!(
        outcomes(&checked),
        [(3, "pass"), (4, "pass"), (5, "pass"), (6, "waiting")],
        "{checked:#?}"
    );
    let check = stable_a_minute_later(&state, id).await;
    assert!(matches!(check, Check::Pass { .. }), "{check:?}");
    let checked = act(id, StepId::UpdateProduction, confirm("")).await;
    assert_eq!(
        outcomes(&checked),
        [(7, "pass"), (8, "pass"), (9, "pass"), (10, "pass")],
        "{checked:#?}"
    );

    // Production's Redis stops: the verdict turns No-Go, naming readiness in plain words;
    // step 9 checked again goes back to failing, and Go cannot be signed off.
    production_redis.stop();
    let nogo = engine::golive::verdict_now(&state, id).await.unwrap();
    match &nogo.verdict {
        Verdict::NoGo { failing } => {
            let named: Vec<_> = failing.iter().map(|f| f.criterion).collect();
            assert!(named.contains(&Criterion::Readiness), "{failing:#?}");
            let text = format!("{failing:?}");
            assert!(
                text.contains("503") || text.to_lowercase().contains("not ready"),
                "{text}"
            );
        }
        other => panic!("expected No-Go, got {other:?}"),
    }
    assert!(nogo.update.contains("not validated"), "{}", nogo.update);
    let checked = act(id, StepId::VerifyProductionEndpoints, Action::Check).await;
    assert_eq!(outcomes(&checked), [(9, "fail")], "{checked:#?}");
    let (_, _, checklist) = state.store.golive(id).await.unwrap();
    assert_eq!(checklist.current(), Some(StepId::VerifyProductionEndpoints));
    assert!(matches!(
        engine::golive::sign_off(&state, id, Decision::Go, "bo", None).await,
        Err(GoLiveError::GoRefused("No-Go"))
    ));
    let (row, kept) =
        engine::golive::sign_off(&state, id, Decision::NoGo, "bo", Some("Redis down"))
            .await
            .unwrap();
    assert_eq!(row.decision, Some(Decision::NoGo));
    assert_eq!(kept.verdict.word(), "No-Go");

    // Everything recorded is there, in order, with who and what it saw.
    let (_, records, _) = state.store.golive(golive.id).await.unwrap();
    assert_eq!(records.len(), 19, "{records:#?}");
    assert!(records.iter().all(|r| r.actor == "ana"));
    app.stop().await.unwrap();
}

/// Production served with a certificate of a CA Greenlight was not told about: the signed
/// route check and the probes say the certificate is not trusted, rather than "down".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_target_signed_by_an_unknown_ca_is_unverified_not_down() {
    let redis = RedisServer::start();
    let ca = TestCa::new();
    let service = target(redis.url(), Arc::new(AtomicBool::new(true)), Some(&ca)).await;
    let base = service.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("production.env"),
        env_file("production", &redis.url(), &base, true),
    )
    .unwrap();
    let config = format!(
        "[[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"{base}\"\nenv_file = \"production.env\"\nprobe_interval_secs = 3600\n"
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;
    let env = app.state.config.environment("production").unwrap().clone();
    let report = app.state.prober.probe(&env).await;
    let readiness = report
        .outcome(&domain::probe::ProbeKind::Readiness)
        .unwrap();
    assert_eq!(
        readiness.status,
        domain::probe::ProbeStatus::Unverified,
        "{readiness:#?}"
    );
    assert!(
        readiness.message.to_lowercase().contains("certificate"),
        "{}",
        readiness.message
    );
    app.stop().await.unwrap();
}

/// Step 6 restarts visibly: the scheduler's first round of an unreachable staging is a real
/// failed round; the step waits with the clock stopped and says what failed, and once a ready
/// round follows, the clock runs again from it, still naming the failure that reset it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stability_clock_restarts_visibly_naming_what_failed() {
    let config = "[golive]\nstability_minutes = 1\n\n\
                  [[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n\n\
                  [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"http://127.0.0.1:9\"\nprobe_interval_secs = 3600\n";
    let app = TestApp::spawn(config).await;
    let state = &app.state;
    let now = engine::clock::now_unix;
    for _ in 0..100 {
        if !state
            .store
            .samples_since("staging", 0.0)
            .await
            .unwrap()
            .is_empty()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pair = engine::golive::Pair {
        staging: state.config.environment("staging").unwrap(),
        production: state.config.environment("production").unwrap(),
    };
    let (check, evidence) =
        engine::golive::evaluate(state, pair, StepId::StagingStable, now(), None).await;
    match &check {
        Check::Waiting {
            summary,
            remaining_secs,
            ..
        } => {
            assert!(summary.contains("the clock is stopped"), "{summary}");
            assert!(
                summary.contains("(Could not measure readiness: could not connect to"),
                "{summary}"
            );
            assert_eq!(*remaining_secs, 60.0);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        evidence["failed_round"]["probes"].is_array(),
        "{evidence:#}"
    );

    let ready = engine::probe::EnvironmentReport {
        environment: "staging".into(),
        mode: domain::Mode::Staging,
        readiness: domain::probe::Readiness::Ready,
        checked_at: "2026-12-01T00:00:00+00:00".into(),
        probes: vec![domain::probe::ProbeOutcome::new(
            "readiness",
            domain::probe::ProbeStatus::Healthy,
            "ready",
        )],
    };
    state.store.insert_sample(now(), &ready).await.unwrap();
    let (check, _) =
        engine::golive::evaluate(state, pair, StepId::StagingStable, now(), None).await;
    assert!(
        matches!(&check, Check::Waiting { summary, remaining_secs, .. }
            if summary.starts_with("The clock restarted after a round that was not ready at")
                && summary.contains("could not connect to")
                && summary.ends_with("1 min to go.")
                && *remaining_secs > 55.0),
        "{check:?}"
    );
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
    let start = |staging: &str, production: &str| {
        post(
            "/api/golive/start",
            vec![
                ("staging", staging.to_string()),
                ("production", production.to_string()),
            ],
        )
    };
    let started = start("staging", "production").await;
    assert_eq!(started.status(), 200);
    let id: i64 = started.json().await.unwrap();
    let again = start("staging", "production").await;
    // Refusals are 409 (the state things are in), unknown things 404: never a 500.
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("already in progress"));
    let unknown = post("/api/golive/get", vec![("id", "999999".into())]).await;
    assert_eq!(unknown.status(), 404);

    // Start checked step 1 at once; checking again records it again.
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
    assert_eq!(blocked.status(), 409);
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("Finish step 1 first")
    );
    // Step 10's replay cannot start before steps 1-9 passed.
    let early = post("/api/golive/replay", vec![("id", id.to_string())]).await;
    assert!(early.text().await.unwrap().contains("Finish step 1 first"));
    // A staging environment is not a production one.
    let wrong = start("production", "staging").await;
    assert_eq!(wrong.status(), 409);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("a go-live needs a staging environment")
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
    assert_eq!(
        refused.status(),
        409,
        "a refused Go is a refusal, not a crash"
    );
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
    assert!(signed["report"]["verdict"].is_object(), "{signed:#}");
    let after = post(
        "/api/golive/step",
        vec![
            ("id", id.to_string()),
            ("step", "confirm_inputs".into()),
            ("confirm", "false".into()),
        ],
    )
    .await;
    assert_eq!(after.status(), 409);
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
