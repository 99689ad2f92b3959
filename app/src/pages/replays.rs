use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::replay::list_suites;
use crate::components::load_error::LoadError;
use crate::model::SuiteSummary;

/// The replay suites this console is configured with.
#[component]
pub fn ReplaysPage() -> impl IntoView {
    let suites = Resource::new(|| (), |_| list_suites());
    view! {
        <Title text="Replays"/>
        <h1>"Replays"</h1>
        <p class="lede">
            "A replay sends every case of a golden set through your runner and scores each answer with the rubric. "
            "Releases are blocked when the pass rate falls below the suite's minimum."
        </p>
        <h2>"Configured suites"</h2>
        <Suspense fallback=|| view! { <p class="loading">"Loading suites…"</p> }>
            {move || Suspend::new(async move {
                match suites.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"No replay suites are configured. Add a [[suites]] table to greenlight.toml."</p>
                    }.into_any(),
                    Ok(list) => view! { <SuiteTable list/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SuiteTable(list: Vec<SuiteSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Suite"</th>
                        <th scope="col">"Golden set"</th>
                        <th scope="col">"Runner"</th>
                        <th scope="col">"Minimum pass rate"</th>
                        <th scope="col">"Concurrency"</th>
                        <th scope="col">"Timeout per case"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|s| {
                            view! {
                                <tr>
                                    <th scope="row">{s.name}</th>
                                    <td>{s.golden_set}</td>
                                    <td>{s.runner_kind}": " <code>{s.runner}</code></td>
                                    <td>{format!("{:.0} %", s.min_pass_rate * 100.0)}</td>
                                    <td>{s.concurrency}</td>
                                    <td>{format!("{} s", s.case_timeout_secs)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
