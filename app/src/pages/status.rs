//! The Status page: a card per environment (verdict, streak, uptime, timeline) and the console's own health.

use domain::{DependencyStatus, RuntimeReport};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::status::{ProbeNow, console_health, environment_statuses};
use crate::components::environment_card::EnvironmentCard;
use crate::components::first_run::FirstRunGuide;
use crate::components::load_error::LoadError;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::EnvironmentStatus;

/// "Can we ship?" at a glance: one card per configured environment.
#[component]
pub fn StatusPage() -> impl IntoView {
    let environments = Resource::new(|| (), |_| environment_statuses());
    let health = Resource::new(|| (), |_| console_health());
    let filter = RwSignal::new(String::new());
    let probe = ServerAction::<ProbeNow>::new();
    // A finished "Probe now" shows at once; every round the scheduler stores arrives over
    // /api/events and refreshes the cards that moment. A slow poll keeps "last checked" and
    // the console's own health fresh.
    Effect::new(move |_| {
        if probe.version().get() > 0 {
            environments.refetch();
        }
    });
    crate::live::on_probe_round(move |_| environments.refetch());
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                environments.refetch();
                health.refetch();
            },
            std::time::Duration::from_secs(30),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }

    let refresh = move |_| {
        environments.refetch();
        health.refetch();
    };

    view! {
        <Title text="Status"/>
        <div class="page-head">
            <h1>"Status"</h1>
            <button type="button" class="button" on:click=refresh>"Refresh"</button>
        </div>
        <FirstRunGuide/>
        <section aria-labelledby="envs-heading">
            <div class="section-head">
                <h2 id="envs-heading">"Environments"</h2>
                <div class="filter">
                    <label for="env-filter">"Filter environments"</label>
                    <input
                        id="env-filter"
                        type="search"
                        placeholder="name or mode"
                        autocomplete="off"
                        bind:value=filter
                    />
                </div>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading environments…"</p> }>
                {move || Suspend::new(async move {
                    let can_probe = crate::session::may(domain::auth::Role::Operator).await;
                    match environments.await {
                        Ok(list) => view! { <EnvironmentList list filter probe can_probe/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section aria-labelledby="console-heading" class="console-health">
            <h2 id="console-heading">"This console"</h2>
            <Transition fallback=|| view! { <p class="loading">"Checking the console's own dependencies…"</p> }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(report) => view! { <ConsoleHealthTable report/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn matches(status: &EnvironmentStatus, needle: &str) -> bool {
    let env = &status.summary;
    let needle = needle.trim().to_lowercase();
    needle.is_empty() || env.name.contains(&needle) || env.mode.as_str().contains(&needle)
}

#[component]
fn EnvironmentList(
    list: Vec<EnvironmentStatus>,
    filter: RwSignal<String>,
    probe: ServerAction<ProbeNow>,
    can_probe: bool,
) -> impl IntoView {
    let total = list.len();
    let list = StoredValue::new(list);
    let shown = move || {
        let needle = filter.get();
        list.with_value(|all| {
            all.iter()
                .filter(|e| matches(e, &needle))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || {
            if total == 0 {
                return view! {
                    <p class="empty">
                        "No environments are configured. Add an [[environments]] table to greenlight.toml."
                    </p>
                }
                    .into_any();
            }
            let shown = shown();
            let count = shown.len();
            view! {
                <p class="count" aria-live="polite">
                    {format!("Showing {count} of {total} environment{}", if total == 1 { "" } else { "s" })}
                </p>
                {(count == 0).then(|| view! { <p class="empty">"No environment matches this filter."</p> })}
                <div class="card-grid">
                    {shown.into_iter().map(|status| view! { <EnvironmentCard status probe can_probe/> }).collect_view()}
                </div>
            }
                .into_any()
        }}
    }
}

#[component]
fn ConsoleHealthTable(report: RuntimeReport) -> impl IntoView {
    let (tone, label) = if report.ready {
        (Tone::Good, "Ready")
    } else {
        (Tone::Bad, "Not ready")
    };
    view! {
        <p class="console-verdict"><StatusBadge tone label/></p>
        <table class="deps">
            <caption>"Dependencies checked at " {report.checked_at.clone()}</caption>
            <thead>
                <tr><th scope="col">"Dependency"</th><th scope="col">"Status"</th><th scope="col">"Latency"</th><th scope="col">"Details"</th></tr>
            </thead>
            <tbody>
                {report
                    .dependencies
                    .into_values()
                    .map(|dep| {
                        let tone = match dep.status {
                            DependencyStatus::Healthy => Tone::Good,
                            DependencyStatus::Degraded => Tone::Warn,
                            DependencyStatus::Unhealthy => Tone::Bad,
                            DependencyStatus::NotConfigured => Tone::Unknown,
                        };
                        let label = match dep.status {
                            DependencyStatus::Healthy => "Healthy",
                            DependencyStatus::Degraded => "Degraded (optional)",
                            DependencyStatus::Unhealthy => "Unhealthy",
                            DependencyStatus::NotConfigured => "Not configured",
                        };
                        let latency = dep.latency_ms.map_or_else(|| "—".to_string(), |ms| format!("{ms:.2} ms"));
                        view! {
                            <tr>
                                <th scope="row">{dep.name}{dep.required.then_some(" (required)")}</th>
                                <td><StatusBadge tone label/></td>
                                <td>{latency}</td>
                                <td>{dep.message}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
