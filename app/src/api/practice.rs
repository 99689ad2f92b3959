//! Practice mode: its state (everyone signed in) and the practice panel's actions (operators
//! and up, audited). The actions themselves are `engine::practice`; these only authorize, call
//! it, audit and map the answer.

use domain::practice::{Action, Status};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;
use crate::model::Welcome;

/// Practice mode's services now; `None` when the console runs a configuration of its own.
#[server(prefix = "/api", endpoint = "practice/status")]
pub async fn practice_status() -> Result<Option<Status>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    Ok(match &caller.state.practice {
        Some(practice) => Some(practice.status().await),
        None => None,
    })
}

/// Does one practice-panel action for real, and answers what was done with the state after it.
#[server(prefix = "/api", endpoint = "practice/act", input = Json)]
pub async fn practice_act(action: Action) -> Result<(String, Status), AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let Some(practice) = caller.state.practice.clone() else {
        return Err(AppError::NotFound(
            "Practice mode is not running: this console watches a configuration of its own.".into(),
        ));
    };
    let done = engine::practice::act(&caller.state, &practice, action).await;
    let outcome = if done.is_ok() { "success" } else { "failure" };
    let detail = serde_json::to_value(action).unwrap_or_default();
    caller
        .audit_outcome(action.audit_name(), "practice", outcome, detail)
        .await;
    let done = done.map_err(|e| AppError::Conflict(domain::text::sentence(&e)))?;
    Ok((done, practice.status().await))
}

/// The first-run guide's facts: shown while the console runs its embedded example workspace.
#[server(prefix = "/api", endpoint = "practice/first_run")]
pub async fn first_run() -> Result<Option<Welcome>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = &caller.state;
    if !matches!(
        state.config.source,
        engine::config::ConfigSource::EmbeddedExample(_)
    ) {
        return Ok(None);
    }
    // The guide is on every Status page load: it reads what practice mode knows, not the
    // services' state.
    Ok(Some(Welcome {
        practice: state.practice.is_some(),
        notice: state
            .practice
            .as_ref()
            .and_then(|p| p.notice().map(str::to_string)),
        // The example workspace's own suite comes first; practice mode's is added after it.
        example_suite: state.config.suites.first().map(|s| s.name.clone()),
    }))
}
