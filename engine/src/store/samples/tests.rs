//! History storage against a real SQLite file: rollups, transitions, windows and retention,
//! with synthetic timestamps so 30 days take milliseconds.

use std::time::Duration;

use domain::Mode;
use domain::history::Window;
use domain::probe::{ProbeOutcome, ProbeStatus, Readiness};

use super::*;

const DAY: f64 = 86_400.0;
/// A fixed "now" on an hour boundary.
const NOW: f64 = 1_800_000_000.0;

fn report(ready: bool, readiness_ms: f64) -> EnvironmentReport {
    EnvironmentReport {
        environment: "staging".into(),
        mode: Mode::Staging,
        readiness: if ready {
            Readiness::Ready
        } else {
            Readiness::NotReady
        },
        checked_at: "2027-01-15T08:00:00Z".into(),
        probes: vec![
            ProbeOutcome::new("readiness", ProbeStatus::Healthy, "200").latency(readiness_ms),
            ProbeOutcome::new("redis", ProbeStatus::Healthy, "PONG").latency(1.0),
        ],
    }
}

fn retention() -> Retention {
    Retention {
        raw: Duration::from_secs(48 * 3_600),
        rollups: Duration::from_secs(35 * 86_400),
    }
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[tokio::test]
async fn windows_report_uptime_percentiles_and_streaks() {
    let (_dir, store) = store().await;
    // 2 h of rounds every 60 s: ready, except 10 rounds 30 min ago; latency 10..=109 ms.
    for k in 0..120 {
        let unix = NOW - 7_200.0 + f64::from(k) * 60.0;
        let down = (90..100).contains(&k);
        store
            .insert_sample(unix, &report(!down, 10.0 + f64::from(k % 100)))
            .await
            .unwrap();
    }
    let hour = store
        .window_stats("staging", Window::Hour, NOW, retention())
        .await
        .unwrap();
    assert_eq!(hour.rounds.total(), 60);
    assert_eq!(hour.rounds.not_ready, 10);
    assert!((hour.uptime.unwrap() - 50.0 / 60.0).abs() < 1e-9);
    assert!(!hour.from_rollups);
    let p = hour.latency["readiness"];
    assert_eq!(p.samples, 60);
    assert!(p.p50 > 30.0 && p.p99 < 112.0, "{p:?}");
    assert!(hour.latency.contains_key(ROUND) && hour.latency.contains_key("redis"));
    // Ready again since round 100 (20 min ago).
    assert!((hour.streaks.current_ready_secs - 1_200.0).abs() < 1e-6);
    // The longest ready stretch in the last hour: from the window start to round 90.
    assert!((hour.streaks.longest_ready_secs - 1_800.0).abs() < 1e-6);

    let day = store
        .window_stats("staging", Window::Day, NOW, retention())
        .await
        .unwrap();
    assert_eq!(day.rounds.total(), 120);
    assert!((day.streaks.longest_ready_secs - 5_400.0).abs() < 1e-6);

    // The 7 d window comes from hourly rollups and counts the same rounds.
    let week = store
        .window_stats("staging", Window::Week, NOW, retention())
        .await
        .unwrap();
    assert!(week.from_rollups);
    assert_eq!(week.rounds, day.rounds);
    assert_eq!(week.latency["readiness"].samples, 120);
}

#[tokio::test]
async fn thirty_days_survive_pruning_as_rollups() {
    let (_dir, store) = store().await;
    // 30 days at one round per 15 minutes; one bad day 10 days ago.
    let mut k = 0;
    let mut unix = NOW - 30.0 * DAY;
    while unix < NOW {
        let bad_day = (NOW - 10.0 * DAY..NOW - 9.0 * DAY).contains(&unix);
        store
            .insert_sample(unix, &report(!bad_day, 20.0))
            .await
            .unwrap();
        unix += 900.0;
        k += 1;
    }
    assert_eq!(k, 30 * 96);
    let before = store
        .window_stats("staging", Window::Month, NOW, retention())
        .await
        .unwrap();
    let pruned = store.prune_history(NOW, retention()).await.unwrap();
    assert_eq!(
        pruned.samples,
        28 * 96,
        "only the last 48 h of raw rounds stay"
    );
    assert_eq!(pruned.rollups, 0);
    let after = store
        .window_stats("staging", Window::Month, NOW, retention())
        .await
        .unwrap();
    assert_eq!(
        before, after,
        "the 30 d window does not depend on raw rounds"
    );
    assert_eq!(after.rounds.not_ready, 96);
    assert!((after.uptime.unwrap() - 29.0 / 30.0).abs() < 1e-9);
    assert!((after.streaks.longest_ready_secs - 20.0 * DAY).abs() < 1e-6);
    assert!((after.streaks.current_ready_secs - 9.0 * DAY).abs() < 1e-6);
    let chart = store
        .history_series("staging", Window::Month, NOW, retention(), 120)
        .await
        .unwrap();
    assert_eq!(chart.len(), 120, "6-hour buckets");
    assert_eq!(chart.iter().map(|p| p.rounds.total()).sum::<u64>(), 30 * 96);
    assert!(chart.iter().filter(|p| p.rounds.not_ready > 0).count() == 4);

    // A year later everything but the last transition is gone, and the streak still holds.
    let later = NOW + 365.0 * DAY;
    let pruned = store.prune_history(later, retention()).await.unwrap();
    assert_eq!(pruned.rollups, 720);
    assert_eq!(pruned.transitions, 2);
    let stats = store
        .window_stats("staging", Window::Month, later, retention())
        .await
        .unwrap();
    assert_eq!(stats.rounds.total(), 0);
    assert_eq!(stats.uptime, None);
    assert!(stats.streaks.current_ready_secs > 365.0 * DAY);
}

#[tokio::test]
async fn last_failure_and_raw_chart() {
    let (_dir, store) = store().await;
    assert!(store.last_failure("staging").await.unwrap().is_none());
    store
        .insert_sample(NOW - 300.0, &report(true, 5.0))
        .await
        .unwrap();
    store
        .insert_sample(NOW - 200.0, &report(false, 7.0))
        .await
        .unwrap();
    store
        .insert_sample(NOW - 100.0, &report(true, 9.0))
        .await
        .unwrap();
    let (at, failure) = store.last_failure("staging").await.unwrap().unwrap();
    assert_eq!(at, NOW - 200.0);
    assert_eq!(failure.readiness, Readiness::NotReady);
    let chart = store
        .history_series("staging", Window::Hour, NOW, retention(), 60)
        .await
        .unwrap();
    assert_eq!(chart.len(), 3);
    assert_eq!(chart[1].rounds.not_ready, 1);
    assert!((chart[2].latency_p95_ms.unwrap() - 9.0).abs() < 0.3);
    // Other environments are separate.
    assert!(store.last_failure("production").await.unwrap().is_none());
}
