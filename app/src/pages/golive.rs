//! The go-live list: which staging → production pairs can be taken live, a start button per
//! pair, and every go-live so far.

use domain::Mode;
use domain::auth::Role;
use domain::time::minute_utc as when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::golive::{StartGolive, list_golives};
use crate::api::status::list_environments;
use crate::components::load_error::LoadError;
use crate::model::{EnvironmentSummary, GoLiveSummary};

/// The `:id` route parameter (0 when absent or not a number: the server answers "not found").
pub(super) fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// Which staging → production pairs this console can take live, their go-lives, and a start.
#[component]
pub fn GoLivePage() -> impl IntoView {
    let environments = Resource::new(|| (), |_| list_environments());
    let start = ServerAction::<StartGolive>::new();
    let golives = Resource::new(move || start.version().get(), |_| list_golives());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            navigate(&format!("/go-live/{id}"), Default::default());
        }
    });
    view! {
        <Title text="Go-live"/>
        <h1>"Go-live"</h1>
        <p class="lede">
            "A go-live takes a staging environment and its production environment live with the strict dependency policy: "
            "Redis and Inngest must both be required, checked and healthy before the verdict can be Go."
        </p>
        {move || start.value().get().and_then(|r| r.err()).map(|error| view! { <LoadError error/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading environments…"</p> }>
            {move || Suspend::new(async move {
                let can_start = crate::session::may(Role::Operator).await;
                match (environments.await, golives.await) {
                    (Ok(list), Ok(runs)) => view! { <Pairs list runs start can_start/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Pairs(
    list: Vec<EnvironmentSummary>,
    runs: Vec<GoLiveSummary>,
    start: ServerAction<StartGolive>,
    can_start: bool,
) -> impl IntoView {
    let names = |mode: Mode| {
        list.iter()
            .filter(|e| e.mode == mode)
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    let staging = names(Mode::Staging);
    let production = names(Mode::Production);
    let practice: Vec<String> = list
        .iter()
        .filter(|e| e.practice)
        .map(|e| e.name.clone())
        .collect();
    if staging.is_empty() || production.is_empty() {
        let missing = match (staging.is_empty(), production.is_empty()) {
            (true, true) => "a staging and a production environment",
            (true, false) => "a staging environment",
            _ => "a production environment",
        };
        return view! {
            <p class="empty">
                {format!("A go-live needs {missing}. Add them to greenlight.toml with mode = \"staging\" and mode = \"production\".")}
            </p>
        }
        .into_any();
    }
    let pairs: Vec<(String, String)> = staging
        .iter()
        .flat_map(|s| production.iter().map(move |p| (s.clone(), p.clone())))
        .collect();
    let runs = StoredValue::new(runs);
    view! {
        <h2>"Environment pairs"</h2>
        <ul class="pairs">
            {pairs
                .into_iter()
                .map(|(s, p)| {
                    let active = runs.with_value(|r| {
                        r.iter().find(|g| g.staging == s && g.production == p && g.ended_unix.is_none()).map(|g| g.id)
                    });
                    let label = if practice.contains(&s) && practice.contains(&p) {
                        format!("{s} → {p} (practice)")
                    } else {
                        format!("{s} → {p}")
                    };
                    let (s2, p2) = (s.clone(), p.clone());
                    view! {
                        <li>
                            <span class="pair-name">{label.clone()}</span>
                            " "
                            {match active {
                                Some(id) => view! { <a class="button" href=format!("/go-live/{id}")>{format!("Continue go-live #{id}")}</a> }.into_any(),
                                None if can_start => view! {
                                    <button type="button" class="button" aria-label=format!("Start a go-live of {label}")
                                        disabled=move || start.pending().get()
                                        on:click=move |_| { start.dispatch(StartGolive { staging: s2.clone(), production: p2.clone() }); }>
                                        {move || if start.pending().get() { "Starting and checking step 1…" } else { "Start go-live" }}
                                    </button>
                                }.into_any(),
                                None => view! { <span class="hint">"Operators start go-lives"</span> }.into_any(),
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <h2>"Past and current go-lives"</h2>
        {runs.with_value(|r| if r.is_empty() {
            view! { <p class="empty">"None yet."</p> }.into_any()
        } else {
            view! {
                <table class="golives">
                    <thead><tr><th scope="col">"#"</th><th scope="col">"Pair"</th><th scope="col">"Started"</th><th scope="col">"Decision"</th><th scope="col">"Report"</th></tr></thead>
                    <tbody>
                        {r.iter().map(|g| view! {
                            <tr>
                                <td><a href=format!("/go-live/{}", g.id)>{g.id}</a></td>
                                <td>{format!("{} → {}{}", g.staging, g.production, if g.practice { " (practice)" } else { "" })}</td>
                                <td>{format!("{} by {}", when(g.started_unix), g.started_by)}</td>
                                <td>{g.decision.map_or_else(|| "in progress".to_string(), |d| format!("{} (signed off by {})", d.label(), g.signed_by.clone().unwrap_or_default()))}</td>
                                <td><a href=format!("/go-live/{}/report", g.id)>"Report"</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        })}
    }
    .into_any()
}
