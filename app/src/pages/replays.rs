//! The Replays page: configured suites, canary schedules and trends, and every stored run.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::replay::{StartReplay, canary_overview, list_runs, list_suites};
use crate::components::load_error::LoadError;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::components::trend_chart::TrendChart;
use crate::model::{ReplayRunInfo, SuiteSummary};

pub(crate) fn gate_badge(run: &ReplayRunInfo) -> impl IntoView + use<> {
    let tone = match run.gate() {
        "Passed" => Tone::Good,
        "Blocked" => Tone::Bad,
        "Running" => Tone::Unknown,
        _ => Tone::Warn,
    };
    view! { <StatusBadge tone label=run.gate()/> }
}

pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1} %", r * 100.0))
}

/// Engineers' view of the replay harness: configured suites, past runs, and a way to start one.
#[component]
pub fn ReplaysPage() -> impl IntoView {
    let suites = Resource::new(|| (), |_| list_suites());
    let runs = Resource::new(|| (), |_| list_runs());
    let canaries = Resource::new(|| (), |_| canary_overview());
    let start = ServerAction::<StartReplay>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            navigate(&format!("/replays/run/{id}"), Default::default());
        }
    });
    view! {
        <Title text="Replays"/>
        <h1>"Replays"</h1>
        <p class="lede">
            "A replay sends every case of a golden set through your runner and scores each answer with the rubric. "
            "Releases are blocked when the pass rate falls below the suite's minimum."
        </p>
        <h2>"Configured suites"</h2>
        {move || start.value().get().and_then(|r| r.err()).map(|error| view! { <LoadError error/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading suites…"</p> }>
            {move || Suspend::new(async move {
                let can_run = crate::session::may(domain::auth::Role::Engineer).await;
                match suites.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"No replay suites are configured. Add a [[suites]] table to greenlight.toml."</p>
                    }.into_any(),
                    Ok(list) => view! { <SuiteTable list start can_run/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match canaries.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <h2>"Canary replays"</h2>
                        {list.into_iter().map(|canary| view! { <CanaryPanel canary/> }).collect_view()}
                    }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
        <h2>"Runs"</h2>
        <Suspense fallback=|| view! { <p class="loading">"Loading runs…"</p> }>
            {move || Suspend::new(async move {
                match runs.await {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty">"No replay has run yet. Start one above, or run greenlight replay with --data-dir."</p>
                    }.into_any(),
                    Ok(list) => {
                        let capped = list.len() >= crate::api::replay::RUNS_LISTED;
                        view! {
                            {capped.then(|| view! { <p class="hint">{format!("The newest {} runs; older ones stay stored and can be compared by id.", crate::api::replay::RUNS_LISTED)}</p> })}
                            <RunList list/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One suite's canaries: schedule, the 7-day pass-rate trend, the streak and the newest runs.
#[component]
fn CanaryPanel(canary: crate::model::CanaryView) -> impl IntoView {
    let mut points: Vec<(i64, f64)> = canary
        .runs
        .iter()
        .filter(|r| r.status == domain::replay_run::RunStatus::Completed)
        .filter_map(|r| r.pass_rate.map(|p| (r.id, p)))
        .collect();
    points.reverse();
    let streak = match canary.streak() {
        None => "No canary has completed yet.".to_string(),
        Some((true, 1)) => "Passing: the last canary passed the gate.".to_string(),
        Some((false, 1)) => "Failing: the last canary was below the minimum.".to_string(),
        Some((true, n)) => format!("Passing: the last {n} canaries in a row passed the gate."),
        Some((false, n)) => {
            format!("Failing: the last {n} canaries in a row were below the minimum.")
        }
    };
    let minimum = canary.min_pass_rate;
    view! {
        <section class="canary" data-suite=canary.suite.clone()>
            <h3>{format!("{}: {}, {}", canary.suite, canary.schedule, canary.selection)}</h3>
            <p class="canary-streak">{streak}</p>
            <p class="hint">{format!(
                "Alerts when a canary is below {} or {} points under the canaries before it. Only a canary of the whole suite counts for a go-live.",
                percent(Some(minimum)), canary.max_drop_points
            )}</p>
            {(!points.is_empty()).then(|| view! { <TrendChart points minimum/> })}
            {(canary.runs.len() >= crate::api::replay::CANARIES_READ).then(|| view! {
                <p class="hint">{format!("The trend shows the newest {} canaries of the last 7 days.", crate::api::replay::CANARIES_READ)}</p>
            })}
            <ul class="canary-runs">
                {canary.runs.iter().take(10).map(|r| view! {
                    <li>
                        <a href=format!("/replays/run/{}", r.id)>{format!("Run {}", r.id)}</a>
                        " " {gate_badge(r)} " "
                        {format!("{} · {}", percent(r.pass_rate), r.started_at.replace('T', " "))}
                        {r.selection.clone().map(|s| view! { <small>{format!(" · {s}")}</small> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SuiteTable(
    list: Vec<SuiteSummary>,
    start: ServerAction<StartReplay>,
    /// Engineers and admins may start replays; others see who can.
    can_run: bool,
) -> impl IntoView {
    let pending = start.pending();
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
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|s| {
                            let suite = s.name.clone();
                            let label = format!("Run replay of {}", s.name);
                            view! {
                                <tr>
                                    <th scope="row">{s.name}</th>
                                    <td>{s.golden_set}</td>
                                    <td>{s.runner_kind}": " <code>{s.runner}</code></td>
                                    <td>{format!("{:.0} %", s.min_pass_rate * 100.0)}</td>
                                    <td>{s.concurrency}</td>
                                    <td>{format!("{} s", s.case_timeout_secs)}</td>
                                    <td>
                                        {if can_run {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="button"
                                                    aria-label=label
                                                    disabled=move || pending.get()
                                                    on:click=move |_| {
                                                        start.dispatch(StartReplay { suite: suite.clone() });
                                                    }
                                                >
                                                    "Run replay"
                                                </button>
                                            }
                                                .into_any()
                                        } else {
                                            view! { <span class="hint">"Engineers start replays"</span> }.into_any()
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RunList(list: Vec<ReplayRunInfo>) -> impl IntoView {
    let mut completed: Vec<&ReplayRunInfo> = list
        .iter()
        .filter(|r| r.status == domain::replay_run::RunStatus::Completed)
        .take(20)
        .collect();
    completed.reverse();
    let points: Vec<(i64, f64)> = completed
        .iter()
        .filter_map(|r| r.pass_rate.map(|p| (r.id, p)))
        .collect();
    let minimum = completed.last().map_or(0.95, |r| r.min_pass_rate);
    let latest = list.first().map(|r| r.id);
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let default_a = list
        .iter()
        .find(|r| r.is_baseline)
        .map(|r| r.id)
        .or_else(|| list.get(1).map(|r| r.id));
    view! {
        {(!points.is_empty()).then(|| view! { <TrendChart points minimum/> })}
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Run"</th>
                        <th scope="col">"Suite"</th>
                        <th scope="col">"Gate"</th>
                        <th scope="col">"Pass rate"</th>
                        <th scope="col">"Average score"</th>
                        <th scope="col">"Cases"</th>
                        <th scope="col">"Started (UTC)"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .iter()
                        .map(|r| {
                            let href = format!("/replays/run/{}", r.id);
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=href>{format!("Run {}", r.id)}</a>
                                        {r.is_baseline.then(|| view! { " " <span class="tag">"baseline"</span> })}
                                    </th>
                                    <td>{r.suite.clone()}</td>
                                    <td>{gate_badge(r)}</td>
                                    <td>{percent(r.pass_rate)}</td>
                                    <td>{r.average_score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}"))}</td>
                                    <td>{format!("{} of {}", r.finished_cases, r.total_cases)}</td>
                                    <td>{r.started_at.replace('T', " ")}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {(ids.len() >= 2).then(|| {
            let options = move |selected: Option<i64>| {
                ids.iter()
                    .map(|id| view! { <option value=id.to_string() selected=selected == Some(*id)>{format!("Run {id}")}</option> })
                    .collect_view()
            };
            view! {
                <form class="compare" method="get" action="/replays/diff">
                    <h3>"Compare two runs"</h3>
                    <label for="diff-a">"Before (A)"</label>
                    <select id="diff-a" name="a">{options(default_a)}</select>
                    <label for="diff-b">"After (B)"</label>
                    <select id="diff-b" name="b">{options(latest)}</select>
                    <button type="submit" class="button">"Compare"</button>
                </form>
            }
        })}
    }
}
