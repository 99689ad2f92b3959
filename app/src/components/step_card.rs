//! One go-live step: what it means, where it stands, what to do, and its actions.

use domain::golive::{Check, StepId, StepKind, StepState};
use domain::time::minute_utc as when;
use leptos::prelude::*;

use crate::api::golive::{RunStep, StartGateReplay};
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::StepView;

/// The badge of a step: colour and words.
pub fn step_badge(step: &StepView) -> (Tone, String) {
    match &step.state {
        StepState::NotStarted if step.open => (Tone::Unknown, "To do".into()),
        StepState::NotStarted => (Tone::Unknown, "Waiting for earlier steps".into()),
        StepState::Confirmed { .. } => (Tone::Warn, "Confirmed, not verified yet".into()),
        StepState::Checked { check, .. } => match check {
            Check::Pass { .. } => (Tone::Good, "Passed".into()),
            Check::Fail { .. } => (Tone::Bad, "Failed".into()),
            Check::Unknown { .. } => (Tone::Warn, "Could not be measured".into()),
            Check::Waiting { .. } => (Tone::Warn, "In progress".into()),
        },
    }
}

/// What the last check said, and what to do about it.
pub fn step_result(state: &StepState) -> (Option<String>, Option<String>) {
    match state {
        StepState::Checked { check, .. } => match check {
            Check::Pass { summary } | Check::Waiting { summary, .. } => {
                (Some(summary.clone()), None)
            }
            Check::Fail { problem, action } => (Some(problem.clone()), Some(action.clone())),
            Check::Unknown { missing } => (Some(format!("Not measured: {missing}")), None),
        },
        StepState::Confirmed { by, .. } => (
            Some(format!("Confirmed by {by}; press Check again to verify.")),
            None,
        ),
        StepState::NotStarted => (None, None),
    }
}

/// The step's key as the server functions take it (`update_staging`).
pub fn step_key(step: StepId) -> String {
    step.key().to_string()
}

#[component]
pub fn StepCard(
    step: StepView,
    /// The go-live's id.
    id: i64,
    /// This is the first step that has not passed.
    current: bool,
    /// The caller may act on this go-live (operator or more, and it is not finished).
    can_act: bool,
    run_step: ServerAction<RunStep>,
    gate_replay: ServerAction<StartGateReplay>,
) -> impl IntoView {
    let (tone, label) = step_badge(&step);
    let (result, action) = step_result(&step.state);
    let passed = step.state.passed();
    let may_act = can_act && step.open;
    let key = StoredValue::new(step_key(step.step));
    let pending = run_step.pending();
    let busy = move || pending.get() || gate_replay.pending().get();
    let note = RwSignal::new(String::new());
    let check = move || {
        run_step.dispatch(RunStep {
            id,
            step: key.get_value(),
            confirm: false,
            note: None,
        });
    };
    let never_checked = matches!(step.state, StepState::NotStarted);
    let waiting_secs = match &step.state {
        StepState::Checked {
            check: Check::Waiting { remaining_secs, .. },
            ..
        } if step.step == StepId::StagingStable => Some(*remaining_secs),
        _ => None,
    };
    if may_act && let Some(secs) = waiting_secs {
        recheck_when_due(secs, check);
    }
    let heading_id = format!("step-{}", step.number);
    let labelled_by = heading_id.clone();
    let about_open = current && !passed;
    let check_button = move |class: &'static str, label: &'static str| {
        view! {
            <button type="button" class=class disabled=busy on:click=move |_| check()>{label}</button>
        }
    };
    let check_label = if never_checked {
        "Run check"
    } else {
        "Check again"
    };
    let actions = may_act.then(|| match step.kind {
        StepKind::ConfirmThenVerify if passed => view! {
            <div class="step-actions">{check_button("button button-secondary", "Check again")}</div>
        }
        .into_any(),
        StepKind::ConfirmThenVerify => view! {
            <div class="step-actions">
                <label for=format!("note-{}", step.number)>"Note (optional)"</label>
                <input id=format!("note-{}", step.number) bind:value=note maxlength="500"
                    placeholder="e.g. redeployed at 14:02"/>
                <button type="button" class="button" disabled=busy
                    on:click=move |_| {
                        run_step.dispatch(RunStep { id, step: key.get_value(), confirm: true, note: Some(note.get()) });
                    }>
                    "I have done this"
                </button>
                {(!never_checked).then(|| check_button("button button-secondary", "Check again"))}
            </div>
        }
        .into_any(),
        StepKind::Automatic => view! {
            <div class="step-actions">
                {(step.step == StepId::ReleaseGate && step.running_replay.is_none() && !passed).then(|| view! {
                    <button type="button" class="button" disabled=busy
                        on:click=move |_| { gate_replay.dispatch(StartGateReplay { id }); }>
                        "Start replay"
                    </button>
                })}
                {check_button(if passed || step.step == StepId::ReleaseGate { "button button-secondary" } else { "button" }, check_label)}
            </div>
        }
        .into_any(),
    });
    let about = view! {
        <details class="step-about" open=about_open>
            <summary>"About this step"</summary>
            <p>{step.means.clone()}</p>
            <p><strong>"Good looks like: "</strong>{step.good.clone()}</p>
            <p><strong>"If it fails: "</strong>{step.if_it_fails.clone()}</p>
        </details>
    };
    let body = view! {
        {about}
        {step.last_at_unix.map(|at| view! {
            <p class="hint">{format!("Last recorded {} UTC by {}.", when(at), step.last_by.clone().unwrap_or_default())}</p>
        })}
        {step.evidence.clone().map(|e| view! { <details><summary>"Evidence"</summary><pre>{e}</pre></details> })}
    };
    view! {
        <li class=if current { "step step-current" } else if passed { "step step-passed" } else { "step" }
            aria-current=current.then_some("step") aria-labelledby=labelled_by>
            <h3 id=heading_id>{format!("{}. {}", step.number, step.title)}" " <StatusBadge tone label/></h3>
            {result.map(|t| view! { <p class="step-result">{t}</p> })}
            {action.map(|a| view! { <p class="step-action"><strong>"What to do: "</strong>{a}</p> })}
            {step.running_replay.map(|run| view! {
                <crate::components::gate_progress::GateProgress run_id=run id can_act=may_act run_step/>
            })}
            {actions}
            {if passed && !current {
                // A passed step stays short: its details are one click away.
                view! { <details class="step-more"><summary>"Details and evidence"</summary>{body}</details> }.into_any()
            } else {
                body.into_any()
            }}
        </li>
    }
}

/// While the stability window runs, checks step 6 again when the time is up (and at least
/// every 15 minutes, so a failure that restarted the clock shows).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn recheck_when_due(remaining_secs: f64, check: impl Fn() + Clone + Send + Sync + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let secs = (remaining_secs + 1.0).clamp(1.0, 900.0);
        if let Ok(handle) = set_timeout_with_handle(check, std::time::Duration::from_secs_f64(secs))
        {
            on_cleanup(move || handle.clear());
        }
    }
}
