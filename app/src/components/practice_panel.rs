//! The practice panel of a practice go-live: what the engineer would do between the operator's
//! steps, done for real on the practice services (operators and up; each action is audited).
//! Everyone sees the banner that says this is a practice.

use domain::practice::{Action, RedisState, Service, Side, Status};
use domain::time::window_words;
use leptos::prelude::*;

use crate::api::practice::{PracticeAct, practice_status};
use crate::components::load_error::LoadError;

/// Shown on a go-live of `staging` → `production` when that is practice mode's pair. After
/// each action the page's verdict is measured again (`measure` is bumped): what it measures
/// has just changed.
#[component]
pub fn PracticePanel(
    staging: String,
    production: String,
    can_act: bool,
    measure: RwSignal<u32>,
) -> impl IntoView {
    let act = ServerAction::<PracticeAct>::new();
    let status = Resource::new(move || act.version().get(), |_| practice_status());
    Effect::new(move |_| {
        if act.value().get().is_some_and(|r| r.is_ok()) {
            measure.update(|n| *n += 1);
        }
    });
    let is_pair = staging == Side::Staging.name() && production == Side::Production.name();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(Some(status)) if is_pair => view! { <Panel status act can_act/> }.into_any(),
                    Ok(_) => ().into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Panel(status: Status, act: ServerAction<PracticeAct>, can_act: bool) -> impl IntoView {
    let window = window_words(status.stability_secs);
    let outcome = move || {
        act.value().get().map(|r| match r {
            Ok((done, _)) => view! { <p class="practice-done" role="status">{done}</p> }.into_any(),
            Err(error) => view! { <LoadError error/> }.into_any(),
        })
    };
    let runner_failures = status.runner_failures;
    view! {
        <section class="practice-panel" aria-labelledby="practice-heading">
            <h2 id="practice-heading">"Practice go-live"</h2>
            <p>
                {format!("Staging and production here are practice services running on this machine, not real environments. Staging has to stay ready for {window} instead of 24 hours, so the whole walk takes a coffee break.")}
            </p>
            {status.notice.clone().map(|n| view! { <p class="notice" role="note">{n}</p> })}
            {can_act.then(|| view! {
                <p>"In a real go-live an engineer does the following between your steps. Here you do it yourself: each button really changes the practice services, and is recorded in the audit log."</p>
                {outcome}
                <div class="practice-services">
                    {status.services.iter().cloned().map(|service| view! { <ServiceControls service act/> }).collect_view()}
                </div>
                <div class="practice-runner">
                    <p>{if runner_failures { "The practice runner answers two test questions wrongly." } else { "The practice runner answers every test question correctly." }}</p>
                    <ActButton act action=Action::RunnerFailures { on: !runner_failures }
                        label=if runner_failures { "Make the runner answer correctly" } else { "Make the runner fail two cases" }.to_string()/>
                    <ActButton act action=Action::Reset label="Start the practice over".to_string()/>
                </div>
            })}
        </section>
    }
}

#[component]
fn ServiceControls(service: Service, act: ServerAction<PracticeAct>) -> impl IntoView {
    let side = service.side;
    let name = side.name();
    let flags = match (service.strict_in_file, service.strict_deployed) {
        (true, true) => "strict (REDIS_REQUIRED and INNGEST_REQUIRED true), and running with it",
        (true, false) => {
            "strict in the env file, but the running service still has the relaxed settings: redeploy it"
        }
        (false, true) => {
            "relaxed in the env file; the running service still has the strict settings"
        }
        (false, false) => "relaxed (REDIS_REQUIRED=false), as the reference team runs today",
    };
    let (redis_line, redis_button) = match &service.redis {
        RedisState::Running { port } => (
            format!("Redis: running on port {port}."),
            Some((Action::StopRedis { side }, format!("Stop {name}'s Redis"))),
        ),
        RedisState::Stopped { port } => (
            format!("Redis: stopped (port {port})."),
            Some((Action::StartRedis { side }, format!("Start {name}'s Redis"))),
        ),
        RedisState::Unavailable { reason } => (format!("Redis: none. {reason}"), None),
    };
    let slow = service.slow;
    view! {
        <article class="practice-service" aria-label=format!("Practice {name}")>
            <h3>{format!("{name} ({})", service.base_url)}</h3>
            <ul>
                {(!service.running).then(|| view! {
                    <li class="notice">"Not running: its last restart failed. Redeploy it to start it again."</li>
                })}
                <li>{format!("Settings: {flags}.")}</li>
                <li>{redis_line}</li>
                <li>{if slow { "Answers: slower than the probe timeout." } else { "Answers: at once." }}</li>
            </ul>
            <div class="practice-actions">
                {(!service.strict_in_file).then(|| view! {
                    <ActButton act action=Action::SetStrictFlags { side } label=format!("Turn on the strict flags in {name}'s env file")/>
                })}
                <ActButton act action=Action::Redeploy { side } label=format!("Redeploy {name}")/>
                {redis_button.map(|(action, label)| view! { <ActButton act action label/> })}
                <ActButton act action=Action::SlowAnswers { side, on: !slow }
                    label=if slow { format!("Make {name} answer at once") } else { format!("Slow {name}'s answers") }/>
            </div>
        </article>
    }
}

#[component]
fn ActButton(act: ServerAction<PracticeAct>, action: Action, label: String) -> impl IntoView {
    view! {
        <button type="button" class="button button-secondary"
            disabled=move || act.pending().get()
            on:click=move |_| { act.dispatch(PracticeAct { action }); }>
            {label}
        </button>
    }
}
