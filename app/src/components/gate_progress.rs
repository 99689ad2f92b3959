//! Step 10 while its replay runs: live progress, and the step checked again the moment the
//! replay finishes (by an operator's page; viewers only watch).

use leptos::prelude::*;

use crate::api::golive::RunStep;
use crate::api::replay::get_run;
use crate::components::progress_bar::ProgressBar;

#[component]
pub fn GateProgress(
    run_id: i64,
    /// The go-live's id.
    id: i64,
    can_act: bool,
    run_step: ServerAction<RunStep>,
) -> impl IntoView {
    let run = Resource::new(move || run_id, get_run);
    #[cfg(feature = "hydrate")]
    {
        // Poll while the replay runs; stop, and check the step once, when it has finished.
        let checked = StoredValue::new(false);
        let timer = StoredValue::new(
            set_interval_with_handle(
                move || run.refetch(),
                std::time::Duration::from_millis(1_500),
            )
            .ok(),
        );
        let stop = move || {
            if let Some(handle) = timer.get_value() {
                handle.clear();
                timer.set_value(None);
            }
        };
        on_cleanup(stop);
        Effect::new(move |_| {
            let finished = run
                .get()
                .and_then(Result::ok)
                .is_some_and(|d| d.run.status != domain::replay_run::RunStatus::Running);
            if finished {
                stop();
                if can_act && !checked.get_value() {
                    checked.set_value(true);
                    run_step.dispatch(RunStep {
                        id,
                        step: crate::components::step_card::step_key(
                            domain::golive::StepId::ReleaseGate,
                        ),
                        confirm: false,
                        note: None,
                    });
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, can_act, run_step);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading the replay…"</p> }>
            {move || Suspend::new(async move {
                match run.await {
                    Ok(d) => view! {
                        <ProgressBar done=d.run.finished_cases total=d.run.total_cases label=format!("Replay run {run_id}")/>
                        <p class="hint"><a href=format!("/replays/run/{run_id}")>{format!("Open replay run {run_id}")}</a></p>
                    }.into_any(),
                    Err(error) => view! { <crate::components::load_error::LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
