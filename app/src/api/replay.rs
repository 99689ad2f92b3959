//! Replays: suites, stored runs, starting and cancelling runs, run detail and diffs.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ReplayRunInfo, RunDetail, RunDiffView, SuiteSummary};

#[server(prefix = "/api", endpoint = "replay/suites")]
pub async fn list_suites() -> Result<Vec<SuiteSummary>, AppError> {
    use domain::secret::{mask_url, mask_urls};
    use engine::config::RunnerConfig;

    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    Ok(state
        .config
        .suites
        .iter()
        .map(|suite| SuiteSummary {
            name: suite.name.clone(),
            golden_set: super::file_name(&suite.golden_set),
            runner_kind: suite.runner.kind().to_string(),
            runner: match &suite.runner {
                RunnerConfig::Command { argv, .. } => mask_urls(&argv.join(" ")),
                RunnerConfig::Http { url, .. } => mask_url(url),
                RunnerConfig::Recorded { file } => super::file_name(file),
            },
            min_pass_rate: suite.min_pass_rate,
            concurrency: suite.concurrency,
            case_timeout_secs: suite.case_timeout.as_secs(),
        })
        .collect())
}

/// How many canaries of the last 7 days a suite's panel reads (newest first; it says so when
/// a frequent schedule makes more).
pub const CANARIES_READ: usize = 2_000;

/// How many runs the Replays page lists (newest first; it says so when there are more).
pub const RUNS_LISTED: usize = 200;

/// The newest runs started by people (canaries are listed with their schedule).
#[server(prefix = "/api", endpoint = "replay/runs")]
pub async fn list_runs() -> Result<Vec<ReplayRunInfo>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let runs = state
        .store
        .list_runs_by(engine::store::RunTrigger::Manual, RUNS_LISTED)
        .await?;
    Ok(runs.into_iter().map(|r| ssr::run_info(&state, r)).collect())
}

/// Each suite with a canary schedule: its schedule and selection, its canary runs of the last
/// 7 days (newest first) and the current streak.
#[server(prefix = "/api", endpoint = "replay/canaries")]
pub async fn canary_overview() -> Result<Vec<crate::model::CanaryView>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let now = engine::clock::now_unix();
    let since = domain::time::rfc3339_utc((now - 7.0 * 86_400.0) as i64, 0);
    let mut out = Vec::new();
    for suite in &state.config.suites {
        let Some(canary) = &suite.canary else {
            continue;
        };
        let runs = state
            .store
            .runs_by_trigger(
                &suite.name,
                engine::store::RunTrigger::Canary,
                &since,
                CANARIES_READ,
            )
            .await?;
        let runs: Vec<ReplayRunInfo> = runs.into_iter().map(|r| ssr::run_info(&state, r)).collect();
        out.push(crate::model::CanaryView {
            suite: suite.name.clone(),
            schedule: canary.schedule.describe(),
            selection: match &canary.selection {
                domain::canary::Selection::All => "the whole suite".into(),
                domain::canary::Selection::Sample(n) => format!("a rotating sample of {n} cases"),
                domain::canary::Selection::Tag(t) => format!("the cases tagged {t:?}"),
                domain::canary::Selection::Ids(ids) => format!("{} listed cases", ids.len()),
            },
            min_pass_rate: suite.min_pass_rate,
            max_drop_points: canary.max_drop_points,
            runs,
        });
    }
    Ok(out)
}

/// Starts a replay of a configured suite. The browser sends only the suite's name.
#[server(prefix = "/api", endpoint = "replay/start")]
pub async fn start_replay(suite: String) -> Result<i64, AppError> {
    let caller = super::authorize(domain::auth::Role::Engineer)?;
    let state = caller.state.clone();
    let run = state
        .replays
        .start(&state.store, &state.config.suites, &suite)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "replay not started");
            use engine::replay::background::StartError;
            let sentence = domain::text::sentence(&e.to_string());
            match e {
                StartError::Store(inner) => AppError::from(inner),
                StartError::UnknownSuite(_) => AppError::NotFound(sentence),
                // Already running, or the suite as configured cannot run (its golden set or
                // runner): refused by the state things are in.
                StartError::AlreadyRunning(_)
                | StartError::GoldenSet { .. }
                | StartError::Runner { .. } => AppError::Conflict(sentence),
            }
        })?;
    caller
        .audit("replay_started", &suite, serde_json::json!({ "run": run }))
        .await;
    Ok(run)
}

#[server(prefix = "/api", endpoint = "replay/cancel")]
pub async fn cancel_replay(run_id: i64) -> Result<bool, AppError> {
    let caller = super::authorize(domain::auth::Role::Engineer)?;
    let state = caller.state.clone();
    let cancelled = state.replays.cancel(run_id);
    if cancelled {
        caller
            .audit(
                "replay_cancelled",
                &run_id.to_string(),
                serde_json::json!({}),
            )
            .await;
    }
    Ok(cancelled)
}

#[server(prefix = "/api", endpoint = "replay/baseline")]
pub async fn set_baseline(run_id: i64) -> Result<bool, AppError> {
    let caller = super::authorize(domain::auth::Role::Engineer)?;
    let state = caller.state.clone();
    let changed = state.store.set_baseline(run_id).await?;
    if changed {
        caller
            .audit(
                "baseline_changed",
                &run_id.to_string(),
                serde_json::json!({}),
            )
            .await;
    }
    Ok(changed)
}

#[server(prefix = "/api", endpoint = "replay/run")]
pub async fn get_run(run_id: i64) -> Result<RunDetail, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let run = state
        .store
        .run(run_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no replay run {run_id}.")))?;
    let cases = state.store.run_cases(run_id).await?;
    let against = engine::replay::regressions::against_baseline(&state.store, &run, &cases).await?;
    Ok(RunDetail {
        run: ssr::run_info(&state, run),
        cases: cases.iter().map(ssr::case_info).collect(),
        baseline_id: against.baseline.map(|b| b.id),
        regressed: against.regressed,
    })
}

#[server(prefix = "/api", endpoint = "replay/diff")]
pub async fn diff_runs(a: i64, b: i64) -> Result<RunDiffView, AppError> {
    use domain::run_diff::CaseView;

    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let load = |id: i64| {
        let state = state.clone();
        async move {
            let run = state
                .store
                .run(id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("There is no replay run {id}.")))?;
            let cases: Vec<CaseView> = state
                .store
                .run_cases(id)
                .await?
                .iter()
                .map(engine::store::StoredCase::view)
                .collect();
            Ok::<_, AppError>((ssr::run_info(&state, run), cases))
        }
    };
    let (run_a, cases_a) = load(a).await?;
    let (run_b, cases_b) = load(b).await?;
    Ok(RunDiffView {
        a: run_a,
        b: run_b,
        diff: domain::run_diff::diff_runs(&cases_a, &cases_b),
    })
}

#[cfg(feature = "ssr")]
mod ssr {
    use engine::AppState;
    use engine::store::{RunRow, StoredCase};

    use crate::model::{CriterionInfo, ReplayCaseInfo, ReplayRunInfo};

    pub(super) fn run_info(state: &AppState, r: RunRow) -> ReplayRunInfo {
        ReplayRunInfo {
            active: state.replays.is_active(r.id),
            id: r.id,
            suite: r.suite,
            suite_version: r.suite_version,
            runner: domain::secret::mask_urls(&r.runner),
            status: r.status,
            started_at: r.started_at,
            finished_at: r.finished_at,
            total_cases: r.total_cases,
            finished_cases: r.finished_cases,
            passed_cases: r.passed_cases,
            pass_rate: r.pass_rate,
            average_score: r.average_score,
            min_pass_rate: r.min_pass_rate,
            block_build: r.block_build,
            is_baseline: r.is_baseline,
            canary: r.trigger == engine::store::RunTrigger::Canary,
            selection: r.selection,
        }
    }

    pub(super) fn case_info(c: &StoredCase) -> ReplayCaseInfo {
        let judge = c.judge.as_ref();
        let criteria = judge
            .map(|j| {
                j.rubric
                    .criteria()
                    .into_iter()
                    .map(|(name, scored)| CriterionInfo {
                        name: name.to_string(),
                        score: scored.score,
                        reason: scored.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let violations = judge
            .map(|j| {
                j.constraints_evaluation
                    .negative_constraints_violated
                    .clone()
            })
            .unwrap_or_default();
        ReplayCaseInfo {
            ordinal: c.ordinal,
            case_id: c.case_id.clone(),
            input_query: c.case.input_query.clone(),
            status: c.status,
            pass: c.pass,
            overall_score: c.overall_score,
            duration_ms: c.duration_ms,
            critical: judge.is_some_and(domain::critical_failure),
            error: c.error.clone(),
            final_verdict: judge.map(|j| j.final_verdict.clone()),
            criteria,
            expected_tools: c.case.expected_tools.clone(),
            tools: c
                .run
                .as_ref()
                .map(|r| r.tool_trace_log.clone())
                .unwrap_or_default(),
            output: c
                .run
                .as_ref()
                .map(|r| r.actual_output.clone())
                .unwrap_or_default(),
            negative_violations: violations,
        }
    }
}
