use super::*;
use crate::probe::{ProbeOutcome, ProbeStatus, Readiness};

fn readiness_slo(target: f64) -> Objective {
    Objective {
        name: "uptime".into(),
        indicator: Indicator::Readiness,
        target,
        window_secs: 30.0 * 86_400.0,
    }
}

#[test]
fn latency_rounds_are_good_only_when_measured_under_the_threshold() {
    let slo = Objective {
        name: "redis-ping".into(),
        indicator: Indicator::Latency {
            probe: "redis".into(),
            below_ms: 50.0,
        },
        target: 0.95,
        window_secs: 86_400.0,
    };
    let round = |status, ms: Option<f64>| {
        let mut o = ProbeOutcome::new("redis", status, "");
        o.latency_ms = ms;
        vec![o]
    };
    let r = Readiness::Ready;
    assert_eq!(
        slo.judge(r, &round(ProbeStatus::Healthy, Some(3.0))),
        Some(true)
    );
    assert_eq!(
        slo.judge(r, &round(ProbeStatus::Healthy, Some(50.0))),
        Some(false)
    );
    assert_eq!(
        slo.judge(r, &round(ProbeStatus::Unverified, None)),
        Some(false)
    );
    assert_eq!(slo.judge(r, &round(ProbeStatus::NotConfigured, None)), None);
    assert_eq!(slo.judge(r, &[]), None);
    assert_eq!(
        slo.describe(),
        "redis answers in under 50 ms in 95 % of rounds over 24 hours (p95 < 50 ms)"
    );
}

#[test]
fn check_rounds_follow_the_check() {
    let slo = Objective {
        name: "queue".into(),
        indicator: Indicator::Check {
            check: "queue-health".into(),
        },
        target: 0.99,
        window_secs: 30.0 * 86_400.0,
    };
    let round = |status| vec![ProbeOutcome::new("queue-health", status, "")];
    assert_eq!(
        slo.judge(Readiness::NotReady, &round(ProbeStatus::Healthy)),
        Some(true)
    );
    assert_eq!(
        slo.judge(Readiness::Ready, &round(ProbeStatus::Unhealthy)),
        Some(false)
    );
    assert_eq!(
        slo.judge(Readiness::Ready, &round(ProbeStatus::Unverified)),
        Some(false)
    );
}

#[test]
fn budget_and_burn_rates_match_a_hand_computation() {
    // 30 days of 15 s rounds (172,800), 99.9 % target: 43.2 min of budget.
    let slo = readiness_slo(0.999);
    let now = 1_800_000_000.0;
    let start = now - 30.0 * 86_400.0 + 3_600.0; // inside the window's first whole hour
    let mut ledger = Ledger::default();
    let mut bad_total = 0u64;
    let mut unix = start;
    let mut i = 0u64;
    while unix < now {
        // 100 bad rounds spread over the first 29 days, then 12 bad ones in the last 5 minutes.
        let bad = (i.is_multiple_of(1_700) && unix < now - 86_400.0) || (unix >= now - 180.0);
        bad_total += u64::from(bad);
        ledger.record(unix, Counts::of(!bad));
        unix += 15.0;
        i += 1;
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    assert_eq!(eval.rounds.total, i);
    assert_eq!(eval.rounds.bad(), bad_total);
    assert!((eval.budget_secs - 2_592.0).abs() < 1e-6);
    assert!((eval.spent_secs - bad_total as f64 * 15.0).abs() < 1e-6);
    let left = 1.0 - bad_total as f64 * 15.0 / 2_592.0;
    assert!((eval.budget_left.unwrap() - left).abs() < 1e-9);
    // The last 5 minutes: 12 bad of 20 rounds → 0.6 / 0.001.
    let five = ledger.since(now - 300.0, now);
    assert_eq!(five.bad(), 12);
    assert!((eval.burn_5m.unwrap() - five.bad_share() / 0.001).abs() < 1e-9);
    // 1 h: 12 bad of 244 rounds → about 49: a fast burn.
    assert!(eval.burn_1h.unwrap() > 14.4);
    assert_eq!(eval.alert, Some(Burn::Fast));
}

#[test]
fn a_short_blip_does_not_page_and_an_old_one_stops_alerting() {
    let slo = readiness_slo(0.999);
    let now = 1_800_000_000.0;
    let mut ledger = Ledger::default();
    // Six hours of rounds; 4 bad ones 50 minutes ago: 1 h burn over 14.4, 5 min burn zero.
    let mut unix = now - 6.0 * 3_600.0;
    while unix < now {
        let bad = (now - 3_000.0..now - 2_940.0).contains(&unix);
        ledger.record(unix, Counts::of(!bad));
        unix += 15.0;
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    assert!(eval.burn_1h.unwrap() > 14.4, "{eval:?}");
    assert_eq!(eval.burn_5m, Some(0.0));
    assert_eq!(eval.alert, None);
}

#[test]
fn a_young_console_does_not_page_on_its_first_bad_round() {
    let slo = readiness_slo(0.999);
    let now = 1_800_000_000.0;
    let mut ledger = Ledger::default();
    for k in 0..5 {
        ledger.record(now - 60.0 + k as f64 * 15.0, Counts::of(k != 4));
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    // 1 bad of 5 rounds, but an hour holds 240: 1/240 / 0.001 ≈ 4.2, under 14.4.
    assert!(
        (eval.burn_1h.unwrap() - (1.0 / 240.0) / 0.001).abs() < 1e-9,
        "{eval:?}"
    );
    assert_eq!(eval.alert, None);
}

#[test]
fn slow_burn_needs_six_hours_and_thirty_minutes_over_six() {
    let slo = readiness_slo(0.99);
    let now = 1_800_000_000.0;
    let mut ledger = Ledger::default();
    let mut unix = now - 6.0 * 3_600.0;
    let mut i = 0;
    while unix < now {
        // One bad round in twelve: 8.3 % bad, burn 8.3 against a 1 % allowance.
        ledger.record(unix, Counts::of(i % 12 != 0));
        unix += 15.0;
        i += 1;
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    assert_eq!(eval.alert, Some(Burn::Slow), "{eval:?}");
}

#[test]
fn budget_words_say_time_left_or_overspent() {
    let slo = readiness_slo(0.999);
    let mut ledger = Ledger::default();
    let now = 1_800_000_000.0;
    for k in 0..48 {
        ledger.record(now - 1_000.0 - k as f64, Counts::of(false));
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    // 48 bad rounds × 15 s = 12 min spent of 43 min.
    assert_eq!(eval.budget_words(), "31 min of 43 min left this 30 days");
    for k in 0..200 {
        ledger.record(now - 2_000.0 - k as f64, Counts::of(false));
    }
    let eval = slo.evaluate(&ledger, now, 15.0);
    assert!(eval.budget_words().starts_with("overspent by "), "{eval:?}");
    assert!(eval.budget_left.unwrap() < 0.0);
}

#[test]
fn ledgers_prune_and_take_late_rounds() {
    let mut ledger = Ledger::default();
    let now = 1_800_000_000.0;
    ledger.record(now - 40.0 * 86_400.0, Counts::of(false));
    ledger.record(now - 10.0, Counts::of(true));
    ledger.record(now - 100.0, Counts::of(false)); // arrives late
    ledger.prune(now, 30.0 * 86_400.0);
    assert_eq!(
        ledger.since(now - 30.0 * 86_400.0, now),
        Counts { good: 1, total: 2 }
    );
    assert_eq!(ledger.since(now - 60.0, now), Counts { good: 1, total: 1 });
}
