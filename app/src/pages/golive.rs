use domain::Mode;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::status::list_environments;
use crate::components::load_error::LoadError;
use crate::model::EnvironmentSummary;

/// Which staging → production pairs this console can take live.
#[component]
pub fn GoLivePage() -> impl IntoView {
    let environments = Resource::new(|| (), |_| list_environments());
    view! {
        <Title text="Go-live"/>
        <h1>"Go-live"</h1>
        <p class="lede">
            "A go-live takes a staging environment and its production environment live with the strict dependency policy: "
            "Redis and Inngest must both be required, checked and healthy before the verdict can be Go."
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Loading environments…"</p> }>
            {move || Suspend::new(async move {
                match environments.await {
                    Ok(list) => view! { <Pairs list/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Pairs(list: Vec<EnvironmentSummary>) -> impl IntoView {
    let names = |mode: Mode| {
        list.iter()
            .filter(|e| e.mode == mode)
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    let staging = names(Mode::Staging);
    let production = names(Mode::Production);
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
    view! {
        <h2>"Environment pairs"</h2>
        <ul class="pairs">
            {staging
                .iter()
                .flat_map(|s| production.iter().map(move |p| format!("{s} → {p}")))
                .map(|pair| view! { <li>{pair}</li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}
