//! Scheduled canary replays: each suite with `canary = { ... }` runs its selection on its
//! schedule as a stored run marked canary. The next run time follows from the newest stored
//! canary run, so a console restart keeps the schedule; a run still going when the next is due
//! is not overlapped (that slot is skipped). After each canary, its pass rate is checked
//! against the suite's minimum and against the canaries before it.

use std::time::Duration;

use domain::alert::{Alert, Rule};
use tokio::task::JoinHandle;

use super::background::StartError;
use crate::clock::now_unix;
use crate::config::{CanaryConfig, SuiteConfig};
use crate::state::AppState;
use crate::store::{RunRow, RunStatus, RunTrigger};

/// Canary runs read back for the drop rule and the Replays page's 7-day trend.
const HISTORY: usize = 500;

pub fn spawn(state: &AppState) -> Vec<JoinHandle<()>> {
    state
        .config
        .suites
        .iter()
        .filter(|s| s.canary.is_some())
        .map(|suite| {
            let state = state.clone();
            let suite = suite.clone();
            tokio::spawn(async move { schedule(&state, &suite).await })
        })
        .collect()
}

fn started_unix(run: &RunRow) -> Option<f64> {
    domain::time::parse_rfc3339_utc(&run.started_at)
}

async fn schedule(state: &AppState, suite: &SuiteConfig) {
    let Some(canary) = suite.canary.as_ref() else {
        return;
    };
    loop {
        let last = match state
            .store
            .runs_by_trigger(&suite.name, RunTrigger::Canary, "", 1)
            .await
        {
            Ok(runs) => runs.into_iter().next(),
            Err(e) => {
                tracing::error!(suite = %suite.name, error = %e, "cannot read the canary schedule");
                tokio::time::sleep(Duration::from_secs(30)).await;
                continue;
            }
        };
        let now = now_unix();
        let due = last
            .as_ref()
            .and_then(started_unix)
            .and_then(|at| canary.schedule.next_after(at))
            .or_else(|| match &canary.schedule {
                crate::config::Schedule::Every(_) => Some(now),
                cron => cron.next_after(now),
            });
        let Some(due) = due else {
            tracing::error!(suite = %suite.name, "the canary schedule has no next run time");
            return;
        };
        if due > now {
            tokio::time::sleep(Duration::from_secs_f64(due - now)).await;
        }
        if !run_once(state, suite, canary).await {
            // Not started (a replay of the suite was running, or it could not start): this
            // slot is skipped, the next one is waited for.
            let now = now_unix();
            let next = canary.schedule.next_after(now).unwrap_or(now + 60.0);
            tokio::time::sleep(Duration::from_secs_f64((next - now).max(1.0))).await;
        }
    }
}

/// Starts one canary run of `suite`, waits for it, and checks its pass rate. False when it
/// could not start.
pub async fn run_once(state: &AppState, suite: &SuiteConfig, canary: &CanaryConfig) -> bool {
    let round = match state
        .store
        .runs_by_trigger(&suite.name, RunTrigger::Canary, "", HISTORY)
        .await
    {
        Ok(runs) => runs.len() as u64,
        Err(_) => 0,
    };
    let selection = canary.selection.clone();
    let started = state
        .replays
        .start_with(
            &state.store,
            &state.config.suites,
            &suite.name,
            RunTrigger::Canary,
            move |cases| domain::canary::select(cases, &selection, round),
        )
        .await;
    let run_id = match started {
        Ok(id) => id,
        Err(StartError::AlreadyRunning(_)) => {
            tracing::info!(suite = %suite.name, "canary skipped: a replay of the suite is still running");
            return false;
        }
        Err(e) => {
            tracing::error!(suite = %suite.name, error = %e, "cannot start the canary replay");
            return false;
        }
    };
    tracing::info!(suite = %suite.name, run = run_id, "canary replay started");
    while state.replays.is_active(run_id) {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    if let Err(e) = check(state, suite, canary).await {
        tracing::error!(suite = %suite.name, error = %e, "cannot check the canary's pass rate");
    }
    true
}

/// The canary alerts of `suite` from its completed canary runs.
pub async fn check(
    state: &AppState,
    suite: &SuiteConfig,
    canary: &CanaryConfig,
) -> crate::Result<()> {
    let mut runs: Vec<RunRow> = state
        .store
        .runs_by_trigger(&suite.name, RunTrigger::Canary, "", HISTORY)
        .await?
        .into_iter()
        .filter(|r| r.status == RunStatus::Completed && r.pass_rate.is_some())
        .collect();
    runs.reverse();
    let Some(newest) = runs.last() else {
        return Ok(());
    };
    let rates: Vec<f64> = runs.iter().filter_map(|r| r.pass_rate).collect();
    let rate = rates.last().copied().unwrap_or_default();
    state.metrics.observe_canary(&suite.name, rate);
    let name = &suite.name;
    let path = format!("/replays/run/{}", newest.id);
    let shown = |r: f64| domain::slo::percent((r * 1000.0).round() / 1000.0);
    let mut firing = Vec::new();
    if rate < suite.min_pass_rate {
        firing.push(Alert {
            key: format!("canary-min:{name}"),
            rule: Rule::CanaryBelowMinimum,
            environment: None,
            title: format!("Canary of suite {name} is below its minimum pass rate"),
            reason: format!(
                "Canary run #{} passed {} of {} cases ({}), under the suite's minimum of {}.",
                newest.id,
                newest.passed_cases.unwrap_or(0),
                newest.total_cases,
                shown(rate),
                shown(suite.min_pass_rate)
            ),
            path: path.clone(),
        });
    }
    let dropped = domain::canary::drops(&rates, canary.max_drop_points);
    if dropped.last() == Some(&true) {
        let before = rates
            .iter()
            .zip(&dropped)
            .rev()
            .find(|(_, d)| !**d)
            .map(|(r, _)| *r)
            .unwrap_or(rate);
        firing.push(Alert {
            key: format!("canary-drop:{name}"),
            rule: Rule::CanaryDropped,
            environment: None,
            title: format!("Canary pass rate of suite {name} dropped"),
            reason: format!(
                "Canary run #{} passed {} of its cases, down from {} before: more than the allowed {} points.",
                newest.id,
                shown(rate),
                shown(before),
                canary.max_drop_points
            ),
            path,
        });
    }
    let (min_key, drop_key) = (format!("canary-min:{name}"), format!("canary-drop:{name}"));
    let in_scope = move |a: &Alert| a.key == min_key || a.key == drop_key;
    state
        .alerts
        .reconcile(&state.store, in_scope, firing, now_unix())
        .await
}
