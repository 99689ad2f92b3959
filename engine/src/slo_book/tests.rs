//! 30 days of synthetic rounds stored in a real SQLite file, read back by the book, checked
//! against a hand computation.

use domain::probe::{ProbeOutcome, ProbeStatus, Readiness};
use domain::slo::{Burn, Indicator};

use super::SloBook;
use crate::config::{Config, ConfigSource, Overrides};
use crate::probe::EnvironmentReport;
use crate::store::Store;

const CONFIG: &str = r#"
[[environments]]
name = "production"
mode = "production"
base_url = "http://127.0.0.1:9"
probe_interval_secs = 60

[[environments.checks]]
name = "queue-health"
path = "/api/queue/health"
conditions = ["[BODY].queue.p95_age_seconds < 900"]
release = true

[[environments.slos]]
name = "uptime"
kind = "readiness"
target_percent = 99.9

[[environments.slos]]
name = "redis-ping"
kind = "latency"
probe = "redis"
below_ms = 50
target_percent = 95

[[environments.slos]]
name = "queue"
kind = "check"
check = "queue-health"
target_percent = 99
window_days = 7
"#;

fn report(ready: bool, redis_ms: f64, queue_ok: bool) -> EnvironmentReport {
    let mut redis = ProbeOutcome::new("redis", ProbeStatus::Healthy, "PONG");
    redis.latency_ms = Some(redis_ms);
    let queue = ProbeOutcome::new(
        "queue-health",
        if queue_ok {
            ProbeStatus::Healthy
        } else {
            ProbeStatus::Unhealthy
        },
        "",
    );
    EnvironmentReport {
        environment: "production".into(),
        mode: domain::Mode::Production,
        readiness: if ready {
            Readiness::Ready
        } else {
            Readiness::NotReady
        },
        checked_at: String::new(),
        probes: vec![redis, queue],
    }
}

#[tokio::test]
async fn thirty_days_of_rounds_give_the_hand_computed_budget_and_burn() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = Overrides {
        addr: None,
        data_dir: Some(dir.path().to_path_buf()),
    };
    let config = Config::parse(
        CONFIG,
        ConfigSource::File(dir.path().join("g.toml")),
        dir.path(),
        &overrides,
    )
    .unwrap();
    let env = config.environment("production").unwrap().clone();
    let store = Store::open(dir.path()).unwrap();

    // One round a minute for 30 days ending at `now` (hour-aligned): 43,200 rounds.
    let now = 1_800_000_000.0;
    let start = now - 30.0 * 86_400.0;
    let (mut not_ready, mut slow, mut queue_week, mut queue_week_bad) = (0u64, 0u64, 0u64, 0u64);
    let mut batch = Vec::new();
    for i in 0..43_200u64 {
        let unix = start + i as f64 * 60.0;
        // A 20-minute outage on day 3 and 10 bad minutes in the last 15 minutes.
        let ready = !((2.0 * 86_400.0..2.0 * 86_400.0 + 1_200.0).contains(&(unix - start))
            || unix >= now - 900.0 && i % 3 != 0);
        let redis_ms = if i % 25 == 0 { 80.0 } else { 2.0 }; // 4 % slow
        let queue_ok = i % 200 != 0; // 0.5 % bad
        not_ready += u64::from(!ready);
        slow += u64::from(redis_ms >= 50.0);
        if unix >= now - 7.0 * 86_400.0 {
            queue_week += 1;
            queue_week_bad += u64::from(!queue_ok);
        }
        let r = report(ready, redis_ms, queue_ok);
        let counts = SloBook::judge(&env, &r, None);
        batch.push((unix, r, counts));
        if batch.len() == 5_000 {
            store
                .insert_rounds(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    store.insert_rounds(batch).await.unwrap();

    let book = SloBook::default();
    book.load(&store, &config, now).await.unwrap();
    let evals = book.evaluate(&env, now);
    let [uptime, ping, queue] = evals.as_slice() else {
        panic!("{evals:?}")
    };

    // Uptime: every round counts; budget 0.1 % of 30 days = 43.2 min; each bad round is 1 min.
    assert_eq!(uptime.rounds.total, 43_200);
    assert_eq!(uptime.rounds.bad(), not_ready);
    assert_eq!(not_ready, 20 + 10);
    assert!((uptime.budget_secs - 2_592.0).abs() < 1e-6);
    assert!((uptime.spent_secs - 30.0 * 60.0).abs() < 1e-6);
    assert!((uptime.budget_left.unwrap() - (1.0 - 1_800.0 / 2_592.0)).abs() < 1e-9);
    assert_eq!(uptime.budget_words(), "13 min of 43 min left this 30 days");
    assert!((uptime.value.unwrap() - (43_170.0 / 43_200.0)).abs() < 1e-12);
    // The last hour: 10 bad of 60 rounds (and the 5 minutes: 3 of 5, or 4 of 6 with the
    // minute the window starts in) → both far over 14.4: paging.
    assert!(
        (uptime.burn_1h.unwrap() - (10.0 / 60.0) / 0.001).abs() < 1e-6,
        "{uptime:?}"
    );
    assert_eq!(uptime.alert, Some(Burn::Fast));

    // Redis PING p95 < 50 ms ⇔ 95 % of rounds under 50 ms: 4 % are slow, budget 5 %.
    assert_eq!(ping.rounds.bad(), slow);
    assert_eq!(slow, 1_728);
    assert!((ping.budget_left.unwrap() - (1.0 - 0.04 / 0.05)).abs() < 1e-9);
    assert_eq!(ping.alert, None);

    // The queue check over its 7-day window only (whole hours).
    assert_eq!(queue.rounds.total, queue_week);
    assert_eq!(queue.rounds.bad(), queue_week_bad);
    assert_eq!(queue.window_secs, 7.0 * 86_400.0);
    assert!(matches!(
        config.environments[0].slos[2].indicator,
        Indicator::Check { .. }
    ));

    // A round inside a maintenance window counts for nothing.
    let window = domain::maintenance::MaintenanceWindow {
        id: None,
        environment: "production".into(),
        start_unix: now - 10.0,
        end_unix: None,
        reason: "upgrade".into(),
        started_by: "test".into(),
    };
    assert!(SloBook::judge(&env, &report(false, 99.0, false), Some(&window)).is_empty());
}
