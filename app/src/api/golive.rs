//! Go-live: start, check, confirm, start the gate replay and sign off (operators), read
//! (everyone signed in). The walk itself is `engine::golive`; these only authorize, call it,
//! audit and map the answer.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{GoLiveDetail, GoLiveSummary, VerdictView};

#[cfg(feature = "ssr")]
mod ssr {
    use domain::golive::Refusal;
    use domain::golive::{Check, Checklist, StepId};
    use engine::golive::GoLiveError;
    use engine::store::golive::{GoLiveRow, StepRecord};

    use crate::error::AppError;
    use crate::model::{GoLiveDetail, GoLiveSummary, StepView};

    impl From<GoLiveError> for AppError {
        fn from(e: GoLiveError) -> Self {
            match e {
                GoLiveError::Store(inner) => inner.into(),
                GoLiveError::Refused(Refusal::NotFound(_)) | GoLiveError::UnknownEnvironment(_) => {
                    AppError::NotFound(sentence(&e))
                }
                GoLiveError::Refused(_)
                | GoLiveError::WrongMode { .. }
                | GoLiveError::GoRefused(_)
                | GoLiveError::Replay(_) => AppError::Conflict(sentence(&e)),
            }
        }
    }

    fn sentence(e: &GoLiveError) -> String {
        domain::text::sentence(&e.to_string())
    }

    /// The steps checked by one action, for the audit log.
    pub fn outcomes(checked: &[(StepId, Check)]) -> serde_json::Value {
        checked
            .iter()
            .map(|(step, check)| serde_json::json!({"step": step.number(), "outcome": check.outcome()}))
            .collect()
    }

    /// The go-live's summary; `config` says whether its pair is practice mode's.
    pub fn summary(row: &GoLiveRow, config: &engine::Config) -> GoLiveSummary {
        let practice = |name: &str| config.environment(name).is_some_and(|e| e.practice);
        GoLiveSummary {
            practice: practice(&row.staging) && practice(&row.production),
            id: row.id,
            staging: row.staging.clone(),
            production: row.production.clone(),
            started_unix: row.started_unix,
            started_by: row.started_by.clone(),
            ended_unix: row.ended_unix,
            decision: row.decision,
            signed_by: row.signed_by.clone(),
            note: row.note.clone(),
        }
    }

    pub fn detail(
        row: &GoLiveRow,
        records: &[StepRecord],
        checklist: &Checklist,
        config: &engine::Config,
    ) -> GoLiveDetail {
        let stability_secs = config.golive.stability.as_secs();
        let steps = StepId::ALL
            .into_iter()
            .map(|step| {
                let guide = step.guide();
                let last = records.iter().rev().find(|r| r.step == step);
                let state = checklist.state(step).clone();
                let running_replay = match &state {
                    domain::golive::StepState::Checked {
                        check: Check::Waiting { replay_run, .. },
                        ..
                    } => *replay_run,
                    _ => None,
                };
                StepView {
                    step,
                    number: step.number(),
                    title: step.title(stability_secs),
                    means: guide.means.into(),
                    good: guide.good.into(),
                    if_it_fails: guide.if_it_fails.into(),
                    kind: step.kind(),
                    state,
                    open: checklist.is_open(step),
                    last_at_unix: last.map(|r| r.at_unix),
                    last_by: last.map(|r| r.actor.clone()),
                    evidence: last
                        .map(|r| serde_json::to_string_pretty(&r.evidence).unwrap_or_default()),
                    running_replay,
                }
            })
            .collect();
        GoLiveDetail {
            summary: summary(row, config),
            steps,
            current: checklist.current(),
            passed: checklist.passed_count(),
            report: row.report.clone(),
        }
    }

    /// The go-live as the page shows it, read afresh.
    pub async fn load(state: &engine::AppState, id: i64) -> Result<GoLiveDetail, AppError> {
        let (row, records, checklist) = state.store.golive(id).await.map_err(GoLiveError::from)?;
        Ok(detail(&row, &records, &checklist, &state.config))
    }
}

/// Every go-live so far, newest first.
#[server(prefix = "/api", endpoint = "golive/list")]
pub async fn list_golives() -> Result<Vec<GoLiveSummary>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    Ok(caller
        .state
        .store
        .list_golives()
        .await?
        .iter()
        .map(|row| ssr::summary(row, &caller.state.config))
        .collect())
}

/// Starts a go-live of a staging → production pair and checks step 1 at once.
#[server(prefix = "/api", endpoint = "golive/start")]
pub async fn start_golive(staging: String, production: String) -> Result<i64, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let (row, checked) =
        engine::golive::start(&caller.state, &staging, &production, &caller.who.name).await?;
    caller
        .audit(
            "golive_step",
            &row.id.to_string(),
            serde_json::json!({"started": format!("{staging} → {production}"), "checked": ssr::outcomes(&checked)}),
        )
        .await;
    Ok(row.id)
}

#[server(prefix = "/api", endpoint = "golive/get")]
pub async fn get_golive(id: i64) -> Result<GoLiveDetail, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    ssr::load(&caller.state, id).await
}

/// Runs a step's check now (or, for a confirm step, confirms and then verifies), and every
/// automatic step that opens after it; each result is recorded with what it saw.
#[server(prefix = "/api", endpoint = "golive/step")]
pub async fn run_step(
    id: i64,
    step: String,
    confirm: bool,
    note: Option<String>,
) -> Result<GoLiveDetail, AppError> {
    use engine::golive::Action;
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let step = domain::golive::StepId::parse(&step)
        .ok_or_else(|| AppError::BadRequest(format!("There is no step {step:?}.")))?;
    let action = if confirm {
        Action::Confirm { note }
    } else {
        Action::Check
    };
    let checked = engine::golive::act(&caller.state, id, step, action, &caller.who.name).await?;
    caller
        .audit(
            "golive_step",
            &id.to_string(),
            serde_json::json!({"step": step.number(), "confirmed": confirm, "checked": ssr::outcomes(&checked)}),
        )
        .await;
    ssr::load(&caller.state, id).await
}

/// Starts a replay of the release-gate suite from step 10; the step then waits for it.
#[server(prefix = "/api", endpoint = "golive/replay")]
pub async fn start_gate_replay(id: i64) -> Result<i64, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let run = engine::golive::start_gate_replay(&caller.state, id, &caller.who.name).await?;
    caller
        .audit(
            "replay_started",
            &run.to_string(),
            serde_json::json!({"run": run, "golive": id}),
        )
        .await;
    Ok(run)
}

/// The Go / No-Go / Hold verdict measured now, with the leadership update.
#[server(prefix = "/api", endpoint = "golive/verdict")]
pub async fn golive_verdict(id: i64) -> Result<VerdictView, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    Ok(engine::golive::verdict_recent(&caller.state, id).await?)
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
    let decision = Decision::parse(&decision)
        .ok_or_else(|| AppError::BadRequest(format!("Unknown decision {decision:?}.")))?;
    let (_, report) = engine::golive::sign_off(
        &caller.state,
        id,
        decision,
        &caller.who.name,
        note.as_deref(),
    )
    .await?;
    caller
        .audit(
            "golive_signoff",
            &id.to_string(),
            serde_json::json!({"decision": decision, "verdict": report.verdict.word()}),
        )
        .await;
    ssr::load(&caller.state, id).await
}
