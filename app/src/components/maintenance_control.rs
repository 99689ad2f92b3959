//! Starting and ending an environment's maintenance window (operators and up): while it lasts,
//! rounds spend no SLO budget and raise no alert; everyone sees the banner.

use domain::maintenance::MaintenanceWindow;
use leptos::prelude::*;

use crate::api::operations::{EndMaintenance, StartMaintenance};
use crate::components::load_error::LoadError;

/// The banner of an open window, for everyone.
#[component]
pub fn MaintenanceBanner(window: MaintenanceWindow) -> impl IntoView {
    view! {
        <p class="maintenance-banner" role="status">
            <strong>"In maintenance"</strong>
            {format!(
                " since {} UTC ({}): {}. Rounds now spend no error budget and raise no alert.",
                domain::time::minute_utc(window.start_unix),
                window.started_by,
                window.reason
            )}
        </p>
    }
}

#[component]
pub fn MaintenanceControl(
    environment: String,
    current: Option<MaintenanceWindow>,
    start: ServerAction<StartMaintenance>,
    end: ServerAction<EndMaintenance>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let failed = move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| end.value().get().and_then(Result::err))
            .map(|error| view! { <LoadError error/> })
    };
    let control = match current {
        Some(window) if window.id.is_some() => {
            let id = window.id.unwrap_or_default();
            view! {
                <button type="button" class="button button-secondary"
                    on:click=move |_| { end.dispatch(EndMaintenance { id }); }>
                    "End maintenance"
                </button>
            }
            .into_any()
        }
        Some(_) => view! {
            <p class="hint">"This window is declared in greenlight.toml and ends at its set time."</p>
        }
        .into_any(),
        None => view! {
            <form class="maintenance-form" on:submit=move |ev| {
                ev.prevent_default();
                start.dispatch(StartMaintenance { environment: environment.clone(), reason: reason.get() });
            }>
                <label for="maintenance-reason">"Reason"</label>
                <input id="maintenance-reason" bind:value=reason required maxlength="500"
                    placeholder="e.g. database upgrade" autocomplete="off"/>
                <button type="submit" class="button button-secondary">"Start maintenance"</button>
            </form>
        }
        .into_any(),
    };
    view! { <div class="maintenance-control">{control}{failed}</div> }
}
