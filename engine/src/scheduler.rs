//! Background probing: each environment at its own interval, with jitter, one round at a time
//! (a slow round delays the next instead of overlapping it). Every round is stored.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::alerts::rules;
use crate::clock::now_unix;
use crate::config::EnvironmentConfig;
use crate::probe::{EnvironmentReport, Prober};
use crate::slo_book::SloBook;
use crate::state::AppState;

/// ±10 % of the interval, different per environment and round, so environments sharing an
/// interval do not probe in lockstep.
fn jittered(interval: Duration, name: &str, round: u64) -> Duration {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(round.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let fraction = (h % 2001) as f64 / 10_000.0 - 0.1; // -0.1 ..= 0.1
    interval.mul_f64(1.0 + fraction)
}

/// Probes `env` once and stores the round, with its SLO counts (none inside a maintenance
/// window); then the card, the SLOs' metrics and the environment's alerts follow it.
pub async fn probe_and_store(
    state: &AppState,
    prober: &Prober,
    env: &EnvironmentConfig,
) -> EnvironmentReport {
    let report = prober.probe(env).await;
    let now = now_unix();
    let maintenance = state.maintenance.active(env.name.as_str(), now);
    let slo_counts = SloBook::judge(env, &report, maintenance.as_ref());
    match state
        .store
        .insert_round(now, &report, slo_counts.clone())
        .await
    {
        Ok(()) => {
            state.slo.record(env, now, &slo_counts);
            state.metrics.observe_round(&report);
            // The card first, so a page refreshing on the event reads this round.
            match state.board.refresh(&state.store, env).await {
                Ok(card) => follow_round(state, env, &card, maintenance.is_some(), now).await,
                Err(e) => {
                    tracing::error!(environment = %env.name, error = %e, "cannot compute the status card")
                }
            }
            // Nobody listening is fine.
            drop(state.rounds.send(env.name.to_string()))
        }
        Err(e) => {
            tracing::error!(environment = %env.name, error = %e, "cannot store a probe round")
        }
    }
    report
}

/// SLO metrics and the environment's alerts after a stored round. Alerts are neither opened
/// nor cleared inside a maintenance window.
async fn follow_round(
    state: &AppState,
    env: &EnvironmentConfig,
    card: &crate::status_board::Card,
    in_maintenance: bool,
    now: f64,
) {
    let evaluations = state.slo.evaluate(env, now);
    state.metrics.observe_slos(env.name.as_str(), &evaluations);
    if in_maintenance {
        return;
    }
    let firing = rules::environment(env, card, &evaluations);
    if let Err(e) = state
        .alerts
        .reconcile(
            &state.store,
            rules::environment_scope(env.name.as_str()),
            firing,
            now,
        )
        .await
    {
        tracing::error!(environment = %env.name, error = %e, "cannot update the environment's alerts");
    }
}

/// How often old history is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3_600);

/// Prunes history past its retention now and then every hour.
pub fn spawn_pruning(state: &AppState) -> JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            let retention = state.config.server.retention;
            match state.store.prune_history(now_unix(), retention).await {
                Ok(counts) => tracing::debug!(?counts, "history pruned"),
                Err(e) => tracing::error!(error = %e, "cannot prune history"),
            }
            tokio::time::sleep(PRUNE_EVERY).await;
        }
    })
}

/// Starts one probing loop per configured environment. Abort the handles to stop them.
pub fn spawn(state: &AppState) -> Vec<JoinHandle<()>> {
    let prober = state.prober.clone();
    state
        .config
        .environments
        .iter()
        .cloned()
        .map(|env| {
            let state = state.clone();
            let prober = prober.clone();
            tokio::spawn(async move {
                let mut round = 0u64;
                loop {
                    let report = probe_and_store(&state, &prober, &env).await;
                    tracing::debug!(environment = %env.name, readiness = ?report.readiness, "probe round stored");
                    round += 1;
                    tokio::time::sleep(jittered(env.probe_interval, env.name.as_str(), round)).await;
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_ten_percent_and_varies() {
        let interval = Duration::from_secs(15);
        let mut seen = std::collections::HashSet::new();
        for round in 0..200 {
            let d = jittered(interval, "staging", round);
            assert!(
                d >= interval.mul_f64(0.9) && d <= interval.mul_f64(1.1),
                "{d:?}"
            );
            seen.insert(d.as_millis());
        }
        assert!(seen.len() > 50, "jitter varies between rounds");
    }
}
