//! Go-live: start, check, confirm and sign off (operators), read (everyone signed in).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{GoLiveDetail, GoLiveSummary, VerdictView};

#[cfg(feature = "ssr")]
mod ssr {
    use domain::golive::{Checklist, StepId};
    use engine::AppState;
    use engine::config::EnvironmentConfig;
    use engine::golive::Pair;
    use engine::store::golive::{GoLiveError, GoLiveRow, StepRecord};

    use crate::error::AppError;
    use crate::model::{GoLiveDetail, GoLiveSummary, StepView};

    impl From<GoLiveError> for AppError {
        fn from(e: GoLiveError) -> Self {
            match e {
                GoLiveError::Store(inner) => inner.into(),
                GoLiveError::NotFound(_) => AppError::NotFound(e.to_string()),
                other => AppError::BadRequest(other.to_string()),
            }
        }
    }

    pub fn summary(row: &GoLiveRow) -> GoLiveSummary {
        GoLiveSummary {
            id: row.id,
            staging: row.staging.clone(),
            production: row.production.clone(),
            started_unix: row.started_unix,
            started_by: row.started_by.clone(),
            ended_unix: row.ended_unix,
            decision: row.decision.map(|d| {
                serde_json::to_value(d)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            }),
            signed_by: row.signed_by.clone(),
            note: row.note.clone(),
        }
    }

    pub fn environments<'a>(
        state: &'a AppState,
        row: &GoLiveRow,
    ) -> Result<(&'a EnvironmentConfig, &'a EnvironmentConfig), AppError> {
        let find = |name: &str| {
            state.config.environment(name).ok_or_else(|| {
                AppError::NotFound(format!(
                    "{name} is no longer configured; this go-live can only be read."
                ))
            })
        };
        Ok((find(&row.staging)?, find(&row.production)?))
    }

    pub fn pair<'a>(envs: (&'a EnvironmentConfig, &'a EnvironmentConfig)) -> Pair<'a> {
        Pair {
            staging: envs.0,
            production: envs.1,
        }
    }

    pub fn detail(row: &GoLiveRow, records: &[StepRecord], checklist: &Checklist) -> GoLiveDetail {
        let steps = StepId::ALL
            .into_iter()
            .map(|step| {
                let guide = step.guide();
                let last = records.iter().rev().find(|r| r.step == step);
                StepView {
                    step,
                    number: step.number(),
                    title: guide.title.into(),
                    means: guide.means.into(),
                    good: guide.good.into(),
                    if_it_fails: guide.if_it_fails.into(),
                    kind: step.kind(),
                    state: checklist.state(step).clone(),
                    open: checklist.is_open(step),
                    last_at_unix: last.map(|r| r.at_unix),
                    last_by: last.map(|r| r.actor.clone()),
                    evidence: last
                        .map(|r| serde_json::to_string_pretty(&r.evidence).unwrap_or_default()),
                }
            })
            .collect();
        GoLiveDetail {
            summary: summary(row),
            steps,
            current: checklist.current(),
            passed: checklist.passed_count(),
            report: row
                .report
                .as_ref()
                .map(|r| serde_json::to_string_pretty(r).unwrap_or_default()),
        }
    }
}

/// Configured pairs (staging → production), with the active go-live of each, and every
/// go-live so far.
#[server(prefix = "/api", endpoint = "golive/list")]
pub async fn list_golives() -> Result<Vec<GoLiveSummary>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    Ok(caller
        .state
        .store
        .list_golives()
        .await?
        .iter()
        .map(ssr::summary)
        .collect())
}

#[server(prefix = "/api", endpoint = "golive/start")]
pub async fn start_golive(staging: String, production: String) -> Result<i64, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    for name in [&staging, &production] {
        if caller.state.config.environment(name).is_none() {
            return Err(AppError::NotFound(format!(
                "There is no environment named {name}."
            )));
        }
    }
    let row = caller
        .state
        .store
        .start_golive(&staging, &production, &caller.who.name)
        .await?;
    caller
        .audit(
            "golive_step",
            &row.id.to_string(),
            serde_json::json!({"started": format!("{staging} → {production}")}),
        )
        .await;
    Ok(row.id)
}

#[server(prefix = "/api", endpoint = "golive/get")]
pub async fn get_golive(id: i64) -> Result<GoLiveDetail, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let (row, records, checklist) = caller.state.store.golive(id).await?;
    Ok(ssr::detail(&row, &records, &checklist))
}

/// Runs a step's check now (or, for a confirm step, confirms and then verifies) and records
/// the result with what it saw.
#[server(prefix = "/api", endpoint = "golive/step")]
pub async fn run_step(
    id: i64,
    step: String,
    confirm: bool,
    note: Option<String>,
) -> Result<GoLiveDetail, AppError> {
    use domain::golive::{StepEvent, StepId};
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let step: StepId = serde_json::from_value(serde_json::Value::String(step.clone()))
        .map_err(|_| AppError::BadRequest(format!("There is no step {step:?}.")))?;
    let state = &caller.state;
    let (row, _, _) = state.store.golive(id).await?;
    let envs = ssr::environments(state, &row)?;
    let actor = caller.who.name.clone();
    if confirm {
        let note = note
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.chars().take(500).collect());
        state
            .store
            .record_step(
                id,
                step,
                StepEvent::Confirm {
                    by: actor.clone(),
                    note,
                },
                &actor,
                serde_json::json!({}),
            )
            .await?;
    }
    let now = engine::store::auth::now_unix();
    let (check, evidence) = engine::golive::evaluate(state, ssr::pair(envs), step, now).await;
    let outcome = serde_json::to_value(&check).unwrap_or_default();
    state
        .store
        .record_step(id, step, StepEvent::Evaluated { check }, &actor, evidence)
        .await?;
    caller
        .audit("golive_step", &id.to_string(), serde_json::json!({"step": step.number(), "outcome": outcome["outcome"], "confirmed": confirm}))
        .await;
    let (row, records, checklist) = state.store.golive(id).await?;
    Ok(ssr::detail(&row, &records, &checklist))
}

#[cfg(feature = "ssr")]
async fn measure_verdict(state: &engine::AppState, id: i64) -> Result<VerdictView, AppError> {
    use domain::golive::{Criterion, Finding, UpdateFacts, leadership_update, verdict};
    let (row, _, checklist) = state.store.golive(id).await?;
    let envs = ssr::environments(state, &row)?;
    let now = engine::store::auth::now_unix();
    let (findings, evidence) = engine::golive::go_criteria(state, ssr::pair(envs), now).await;
    let verdict = verdict(&findings);
    let find = |c: Criterion| {
        findings
            .iter()
            .find(|f| f.criterion == c)
            .map(|f| f.finding.clone())
    };
    let staging_report = engine::probe::Prober::default().probe(envs.0).await;
    let staging_strict = staging_report
        .deployed_strict_flags()
        .and_then(|f| Some(f.redis_required? && f.inngest_required?));
    let production_strict = match find(Criterion::StrictFlags) {
        Some(Finding::Met { .. }) => Some(true),
        Some(Finding::Failed { .. }) => Some(false),
        _ => None,
    };
    let endpoints = [
        Criterion::Readiness,
        Criterion::RuntimeDependencies,
        Criterion::InngestCloud,
    ]
    .into_iter()
    .filter_map(find)
    .find(|f| !matches!(f, Finding::Met { .. }))
    .unwrap_or(Finding::Met {
        evidence:
            "ready (200), dependencies healthy, Inngest in cloud mode with the expected functions."
                .into(),
    });
    let replay = evidence
        .get("release_gate")
        .and_then(|g| g.get("run"))
        .and_then(|r| serde_json::from_value(r.clone()).ok());
    let min_pass_rate = evidence
        .get("release_gate")
        .and_then(|g| g.get("min_pass_rate"))
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.95);
    let update = leadership_update(&UpdateFacts {
        staging: row.staging.clone(),
        production: row.production.clone(),
        staging_strict,
        production_strict,
        production_endpoints: endpoints,
        replay,
        min_pass_rate,
        current_step: checklist.current(),
        verdict: verdict.clone(),
    });
    Ok(VerdictView {
        verdict,
        findings,
        update,
        measured_unix: now,
    })
}

/// The Go / No-Go / Hold verdict measured now, with the leadership update.
#[server(prefix = "/api", endpoint = "golive/verdict")]
pub async fn golive_verdict(id: i64) -> Result<VerdictView, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    measure_verdict(&caller.state, id).await
}

/// The operator's final decision; the report of this moment is kept with it.
#[server(prefix = "/api", endpoint = "golive/signoff")]
pub async fn sign_off(
    id: i64,
    decision: String,
    note: Option<String>,
) -> Result<GoLiveDetail, AppError> {
    use engine::store::golive::Decision;
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let decision = match decision.as_str() {
        "go" => Decision::Go,
        "no_go" => Decision::NoGo,
        "hold" => Decision::Hold,
        "abandoned" => Decision::Abandoned,
        other => return Err(AppError::BadRequest(format!("Unknown decision {other:?}."))),
    };
    let view = measure_verdict(&caller.state, id).await?;
    if decision == Decision::Go && view.verdict != domain::golive::Verdict::Go {
        return Err(AppError::BadRequest(format!(
            "The verdict measured now is {}, so Go cannot be signed off. Record No-Go or Hold, or fix what is named and check again.",
            view.verdict.word()
        )));
    }
    let note = note
        .filter(|n| !n.trim().is_empty())
        .map(|n| n.chars().take(1_000).collect::<String>());
    let report = serde_json::to_value(&view).unwrap_or_default();
    caller
        .state
        .store
        .end_golive(id, decision, &caller.who.name, note.as_deref(), report)
        .await?;
    caller
        .audit(
            "golive_signoff",
            &id.to_string(),
            serde_json::json!({"decision": decision, "verdict": view.verdict.word()}),
        )
        .await;
    let (row, records, checklist) = caller.state.store.golive(id).await?;
    Ok(ssr::detail(&row, &records, &checklist))
}
