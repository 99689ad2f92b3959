//! The guided go-live, end to end: starting one, acting on a step (automatic steps that open
//! are checked at once), starting the release-gate replay from step 10, the verdict measured
//! now, and the sign-off. Server functions and tests call these; the rules live in
//! `domain::golive`, the measurements in `checks` and `criteria`, the records in the store.

mod checks;
mod criteria;
pub mod recent;

use domain::Mode;
use domain::golive::{Check, Checklist, Refusal, StepEvent, StepId, Verdict, VerdictReport};

pub use checks::evaluate;
pub use criteria::verdict_report;

use crate::clock::now_unix;
use crate::config::EnvironmentConfig;
use crate::state::AppState;
use crate::store::golive::{Decision, GoLiveRow, GoLiveStoreError, StepRecord};

/// The environment pair a go-live takes live.
#[derive(Clone, Copy)]
pub struct Pair<'a> {
    pub staging: &'a EnvironmentConfig,
    pub production: &'a EnvironmentConfig,
}

impl From<domain::golive::StepError> for GoLiveError {
    fn from(e: domain::golive::StepError) -> Self {
        GoLiveError::Refused(Refusal::Step(e))
    }
}

impl From<GoLiveStoreError> for GoLiveError {
    fn from(e: GoLiveStoreError) -> Self {
        match e {
            GoLiveStoreError::Store(inner) => GoLiveError::Store(inner),
            GoLiveStoreError::Refused(refusal) => GoLiveError::Refused(refusal),
        }
    }
}

/// Why a go-live operation was refused, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum GoLiveError {
    #[error(transparent)]
    Store(#[from] crate::Error),
    /// The go-live's own state refused it (already running, unknown, finished, a step out of
    /// turn).
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("there is no environment named {0} in greenlight.toml; this go-live can only be read")]
    UnknownEnvironment(String),
    #[error(
        "{name} is configured with mode = \"{actual}\"; a go-live needs a {expected} environment here"
    )]
    WrongMode {
        name: String,
        expected: Mode,
        actual: Mode,
    },
    #[error(
        "the verdict measured now is {0}, so Go cannot be signed off. Record No-Go or Hold, or fix what is named and check again"
    )]
    GoRefused(&'static str),
    #[error("the release-gate replay cannot start: {0}")]
    Replay(String),
}

/// What the operator does to a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run its check now ("Run check", "Check again").
    Check,
    /// "I have done this" on a confirm-then-verify step, with an optional note; then verify.
    Confirm { note: Option<String> },
}

fn environment<'a>(
    state: &'a AppState,
    name: &str,
    expected: Mode,
) -> Result<&'a EnvironmentConfig, GoLiveError> {
    let env = state
        .config
        .environment(name)
        .ok_or_else(|| GoLiveError::UnknownEnvironment(name.to_string()))?;
    if env.mode != expected {
        return Err(GoLiveError::WrongMode {
            name: name.to_string(),
            expected,
            actual: env.mode,
        });
    }
    Ok(env)
}

/// The configured pair of a go-live.
pub fn pair_of<'a>(state: &'a AppState, row: &GoLiveRow) -> Result<Pair<'a>, GoLiveError> {
    Ok(Pair {
        staging: environment(state, &row.staging, Mode::Staging)?,
        production: environment(state, &row.production, Mode::Production)?,
    })
}

/// A go-live with its records and checklist.
pub type GoLive = (GoLiveRow, Vec<StepRecord>, Checklist);

/// Starts a go-live of `staging` → `production` (one at a time per pair) and checks step 1
/// at once, walking on while automatic steps pass.
pub async fn start(
    state: &AppState,
    staging: &str,
    production: &str,
    actor: &str,
) -> Result<(GoLiveRow, Vec<(StepId, Check)>), GoLiveError> {
    environment(state, staging, Mode::Staging)?;
    environment(state, production, Mode::Production)?;
    let row = state.store.start_golive(staging, production, actor).await?;
    let checked = act(state, row.id, StepId::ConfirmInputs, Action::Check, actor).await?;
    Ok((row, checked))
}

/// Acts on `step` and records every result with what it saw. When the step passes, each
/// automatic step that opens after it is checked too ("automatic checks run when the step
/// opens"), until one does not pass or a step needs the operator. Returns the steps checked,
/// in order.
pub async fn act(
    state: &AppState,
    id: i64,
    step: StepId,
    action: Action,
    actor: &str,
) -> Result<Vec<(StepId, Check)>, GoLiveError> {
    let acted = act_on_checklist(state, id, step, action, actor).await;
    // What the verdict depends on may have changed: the next look measures it again.
    state.verdicts.forget(id).await;
    acted
}

async fn act_on_checklist(
    state: &AppState,
    id: i64,
    step: StepId,
    action: Action,
    actor: &str,
) -> Result<Vec<(StepId, Check)>, GoLiveError> {
    let (row, _, checklist) = state.store.golive(id).await?;
    if row.ended_unix.is_some() {
        return Err(Refusal::Finished(id).into());
    }
    let pair = pair_of(state, &row)?;
    // Refuse what the checklist would refuse before measuring anything: a check runs live
    // probes and stores rounds, which a refused step must not cause.
    if action == Action::Check {
        checklist.may_check(step)?;
    }
    if let Action::Confirm { note } = action {
        let note = note
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.trim().chars().take(500).collect());
        let event = StepEvent::Confirm {
            by: actor.to_string(),
            note,
        };
        state
            .store
            .record_step(id, step, event, actor, serde_json::json!({}))
            .await?;
    }
    let mut checked = Vec::new();
    let mut next = Some(step);
    while let Some(step) = next {
        let redeployed = match step {
            StepId::StagingStable => staging_redeployed(state, id).await?,
            _ => None,
        };
        let (check, evidence) = evaluate(state, pair, step, now_unix(), redeployed).await;
        let event = StepEvent::Evaluated {
            check: check.clone(),
        };
        let checklist = state
            .store
            .record_step(id, step, event, actor, evidence)
            .await?;
        checked.push((step, check));
        next = checklist.opens_next(step);
    }
    Ok(checked)
}

/// When step 3 last verified that the deployed staging runs with the strict flags: step 6's
/// window counts from then.
pub async fn staging_redeployed(state: &AppState, id: i64) -> Result<Option<f64>, GoLiveError> {
    let (_, records, _) = state.store.golive(id).await?;
    Ok(records
        .iter()
        .rev()
        .find(|r| {
            r.step == StepId::UpdateStaging
                && matches!(
                    r.event,
                    StepEvent::Evaluated {
                        check: Check::Pass { .. }
                    }
                )
        })
        .map(|r| r.at_unix))
}

/// Starts a replay of the release-gate suite from step 10 (open once steps 1-9 passed) and
/// records step 10 as waiting for it. Returns the run id.
pub async fn start_gate_replay(state: &AppState, id: i64, actor: &str) -> Result<i64, GoLiveError> {
    let (row, _, checklist) = state.store.golive(id).await?;
    if row.ended_unix.is_some() {
        return Err(Refusal::Finished(id).into());
    }
    pair_of(state, &row)?;
    if !checklist.is_open(StepId::ReleaseGate) {
        let blocking = checklist.current().map_or(0, StepId::number);
        return Err(domain::golive::StepError::NotOpenYet {
            step: StepId::ReleaseGate.number(),
            blocking,
        }
        .into());
    }
    let suite = checks::gate_suite(state).map_err(GoLiveError::Replay)?;
    let run = state
        .replays
        .start(&state.store, &state.config.suites, &suite.name)
        .await
        .map_err(|e| match e {
            crate::replay::background::StartError::Store(inner) => GoLiveError::Store(inner),
            other => GoLiveError::Replay(other.to_string()),
        })?;
    // The replay runs whatever happens next; a failure to record the step's new state is
    // logged, and the page's next check records it.
    if let Err(e) = act(state, id, StepId::ReleaseGate, Action::Check, actor).await {
        tracing::warn!(golive = id, run, error = %e, "cannot record step 10 waiting for its replay");
    }
    Ok(run)
}

/// The verdict of go-live `id` measured now.
pub async fn verdict_now(state: &AppState, id: i64) -> Result<VerdictReport, GoLiveError> {
    let (row, _, checklist) = state.store.golive(id).await?;
    let pair = pair_of(state, &row)?;
    Ok(verdict_report(state, pair, &checklist, now_unix()).await)
}

/// The verdict measured at most [`recent::MAX_AGE`] ago (what viewers are shown; a sign-off
/// measures afresh with [`verdict_now`]).
pub async fn verdict_recent(state: &AppState, id: i64) -> Result<VerdictReport, GoLiveError> {
    state
        .verdicts
        .get_or_measure(id, async || verdict_now(state, id).await)
        .await
}

/// The operator's final decision, with the report of this moment kept beside it. Go is
/// refused unless the verdict measured now is Go.
pub async fn sign_off(
    state: &AppState,
    id: i64,
    decision: Decision,
    actor: &str,
    note: Option<&str>,
) -> Result<(GoLiveRow, VerdictReport), GoLiveError> {
    let report = verdict_now(state, id).await?;
    state.verdicts.forget(id).await;
    if decision == Decision::Go && report.verdict != Verdict::Go {
        return Err(GoLiveError::GoRefused(report.verdict.word()));
    }
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(1_000).collect::<String>());
    let row = state
        .store
        .end_golive(id, decision, actor, note.as_deref(), &report)
        .await?;
    Ok((row, report))
}
