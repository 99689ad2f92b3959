//! One go-live: the one next action in plain words, the ten steps, and the verdict measured
//! now with the leadership update and the sign-off.

use domain::auth::Role;
use domain::golive::{Check, StepId, StepKind, StepState};
use domain::text::sentences;
use domain::time::minute_utc as when;
use leptos::prelude::*;
use leptos_meta::Title;

use super::golive::id_param;
use crate::api::golive::{RunStep, SignOff, StartGateReplay, get_golive, golive_verdict};
use crate::components::load_error::LoadError;
use crate::components::practice_panel::PracticePanel;
use crate::components::step_card::StepCard;
use crate::components::verdict_panel::VerdictPanel;
use crate::model::GoLiveDetail;

#[component]
pub fn GoLiveRunPage() -> impl IntoView {
    let id = id_param();
    let run_step = ServerAction::<RunStep>::new();
    let gate_replay = ServerAction::<StartGateReplay>::new();
    let sign = ServerAction::<SignOff>::new();
    let measure = RwSignal::new(0u32);
    let detail = Resource::new(
        move || {
            (
                id(),
                run_step.version().get(),
                gate_replay.version().get(),
                sign.version().get(),
            )
        },
        |(id, ..)| get_golive(id),
    );
    let verdict = Resource::new(
        move || {
            (
                id(),
                run_step.version().get(),
                gate_replay.version().get(),
                measure.get(),
            )
        },
        |(id, ..)| golive_verdict(id),
    );
    let failure = move || {
        run_step
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| gate_replay.value().get().and_then(|r| r.err()))
            .or_else(|| sign.value().get().and_then(|r| r.err()))
    };
    view! {
        <Title text=move || format!("Go-live #{}", id())/>
        <p class="crumbs"><a href="/go-live">"Go-live"</a> " / " {move || format!("#{}", id())}</p>
        {move || failure().map(|error| view! { <LoadError error/> })}
        <p class="working" role="status">
            {move || (run_step.pending().get() || gate_replay.pending().get())
                .then_some("Checking… this can take a few seconds.")}
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading the go-live…"</p> }>
            {move || Suspend::new(async move {
                let can_act = crate::session::may(Role::Operator).await;
                match detail.await {
                    Ok(d) => view! { <RunView d run_step gate_replay can_act measure/> }.into_any(),
                    Err(error) => view! { <h1>"Go-live"</h1> <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
        <section aria-labelledby="verdict-heading" class="verdict-panel">
            <h2 id="verdict-heading">"Verdict now"</h2>
            <button type="button" class="button button-secondary measure-again"
                on:click=move |_| measure.update(|n| *n += 1)>
                "Measure again"
            </button>
            <Transition fallback=|| view! { <p class="loading">"Measuring production…"</p> }>
                {move || Suspend::new(async move {
                    let can_act = crate::session::may(Role::Operator).await;
                    let open = detail.await.is_ok_and(|d| d.summary.ended_unix.is_none());
                    match verdict.await {
                        Ok(v) => view! { <VerdictPanel v id=id() sign can_sign=can_act && open/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The one thing to do next, in plain words.
fn next_action(d: &GoLiveDetail) -> (String, String) {
    let s = &d.summary;
    if let Some(decision) = &s.decision {
        return (
            format!(
                "Finished: signed off as {} by {}.",
                decision.label(),
                s.signed_by.clone().unwrap_or_default()
            ),
            "The printable report keeps the verdict and the evidence of that moment.".into(),
        );
    }
    let Some(step) = d.current.and_then(|c| d.steps.iter().find(|v| v.step == c)) else {
        return (
            "All ten steps passed.".into(),
            "Check the verdict below, copy the leadership update, and record the decision.".into(),
        );
    };
    let head = format!("Step {}: {}", step.number, step.title);
    let what = match (&step.state, step.kind) {
        (StepState::NotStarted, StepKind::ConfirmThenVerify) => sentences([
            step.means.as_str(),
            "When it has been done, press “I have done this”",
        ]),
        (StepState::NotStarted, StepKind::Automatic) => "Press “Run check”.".into(),
        (StepState::Confirmed { .. }, _) => "Confirmed; press “Check again” to verify.".into(),
        (StepState::Checked { check, .. }, kind) => match check {
            Check::Fail { problem, action } => {
                let again = if kind == StepKind::ConfirmThenVerify {
                    "Then press “I have done this”"
                } else {
                    "Then press “Check again”"
                };
                sentences([problem.as_str(), &format!("What to do: {action}"), again])
            }
            Check::Unknown { missing } if step.step == StepId::ReleaseGate => sentences([
                missing.as_str(),
                "Press “Start replay”, or ask an engineer to run one",
            ]),
            Check::Unknown { missing } => sentences([
                format!("This could not be measured: {missing}").as_str(),
                step.if_it_fails.as_str(),
            ]),
            Check::Waiting { summary, .. } if step.step == StepId::ReleaseGate => sentences([
                summary.as_str(),
                "This page checks the step again when the replay finishes",
            ]),
            Check::Waiting { summary, .. } => sentences([
                summary.as_str(),
                "This page checks again when the time is up; you can leave it open or come back later",
            ]),
            // A passed step is never the current one.
            Check::Pass { summary } => summary.clone(),
        },
    };
    (head, what)
}

#[component]
fn RunView(
    d: GoLiveDetail,
    run_step: ServerAction<RunStep>,
    gate_replay: ServerAction<StartGateReplay>,
    can_act: bool,
    /// Bumped to measure the verdict again (the practice panel does, after each action).
    measure: RwSignal<u32>,
) -> impl IntoView {
    let s = d.summary.clone();
    let finished = s.ended_unix.is_some();
    let id = s.id;
    let (next_head, next_what) = next_action(&d);
    let next_link = d.current.map(|c| format!("#step-{}", c.number()));
    view! {
        <h1>{format!("Go-live #{}: {} → {}", s.id, s.staging, s.production)}</h1>
        <p class="lede">
            {format!("Started {} UTC by {}. {} of 10 steps passed.", when(s.started_unix), s.started_by, d.passed)}
            " " <a href=format!("/go-live/{id}/report")>"Printable report"</a>
        </p>
        <PracticePanel staging=s.staging.clone() production=s.production.clone() can_act measure/>
        <section class="next-action" aria-labelledby="next-heading">
            <h2 id="next-heading">"Next action"</h2>
            <p class="next-head">{next_head}</p>
            <p>{next_what}</p>
            {(!finished).then_some(next_link).flatten().map(|href| view! { <p><a href=href>"Go to the step"</a></p> })}
        </section>
        <ol class="steps" aria-label="Go-live steps">
            {d.steps.into_iter().map(|step| {
                let current = d.current == Some(step.step);
                view! { <StepCard step id current can_act=can_act && !finished run_step gate_replay/> }
            }).collect_view()}
        </ol>
    }
}
