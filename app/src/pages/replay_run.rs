//! One replay run: its gate verdict, progress, and every case with its scores, output and errors.

use domain::replay_run::{CaseStatus, RunStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::replay::{CancelReplay, SetBaseline, get_run};
use crate::components::load_error::LoadError;
use crate::components::progress_bar::ProgressBar;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::{ReplayCaseInfo, RunDetail};
use crate::pages::replays::{gate_badge, percent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Failed,
    Critical,
    Regressed,
    RunnerErrors,
}

impl Filter {
    const ALL: [(Filter, &'static str); 5] = [
        (Filter::All, "All cases"),
        (Filter::Failed, "Failed"),
        (Filter::Critical, "Critical"),
        (Filter::Regressed, "Regressed vs baseline"),
        (Filter::RunnerErrors, "Runner errors"),
    ];

    fn keeps(self, case: &ReplayCaseInfo, regressed: &[String]) -> bool {
        match self {
            Filter::All => true,
            Filter::Failed => !case.pass,
            Filter::Critical => case.critical,
            Filter::Regressed => regressed.contains(&case.case_id),
            Filter::RunnerErrors => case.status == CaseStatus::RunnerError,
        }
    }
}

/// One replay run: live progress while it runs, then every case with its rubric.
#[component]
pub fn ReplayRunPage() -> impl IntoView {
    let params = use_params_map();
    let run_id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let detail = Resource::new(run_id, get_run);
    let cancel = ServerAction::<CancelReplay>::new();
    let baseline = ServerAction::<SetBaseline>::new();
    let filter = RwSignal::new(Filter::All);

    // While the run is going, poll for progress; stop once it has finished.
    #[cfg(feature = "hydrate")]
    {
        let timer = StoredValue::new(None::<leptos::prelude::IntervalHandle>);
        Effect::new(move |_| {
            let running = detail
                .get()
                .and_then(Result::ok)
                .is_some_and(|d| d.run.status == RunStatus::Running);
            match (running, timer.get_value()) {
                (true, None) => {
                    let handle = set_interval_with_handle(
                        move || detail.refetch(),
                        std::time::Duration::from_millis(700),
                    )
                    .ok();
                    timer.set_value(handle);
                }
                (false, Some(handle)) => {
                    handle.clear();
                    timer.set_value(None);
                }
                _ => {}
            }
        });
    }
    Effect::new(move |_| {
        if cancel.version().get() > 0 || baseline.version().get() > 0 {
            detail.refetch();
        }
    });

    view! {
        <Title text="Replay run"/>
        <p class="crumbs"><a href="/replays">"Replays"</a> " / " {move || format!("Run {}", run_id())}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading the run…"</p> }>
            {move || Suspend::new(async move {
                let can_act = crate::session::may(domain::auth::Role::Engineer).await;
                match detail.await {
                    Ok(d) => view! { <RunView d filter cancel baseline can_act/> }.into_any(),
                    Err(error) => view! { <h1>"Replay run"</h1> <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RunView(
    d: RunDetail,
    filter: RwSignal<Filter>,
    cancel: ServerAction<CancelReplay>,
    baseline: ServerAction<SetBaseline>,
    /// Engineers may cancel and set baselines.
    can_act: bool,
) -> impl IntoView {
    let run = d.run.clone();
    let id = run.id;
    let running = run.status == RunStatus::Running;
    let regressed = StoredValue::new(d.regressed.clone());
    let cases = StoredValue::new(d.cases.clone());
    let compare = d.baseline_id.map(|b| format!("/replays/diff?a={b}&b={id}"));
    view! {
        <h1>{format!("Run {id}: {}", run.suite)}</h1>
        <div class="run-head">
            <p class="gate">"Gate: " {gate_badge(&run)}</p>
            <dl class="facts">
                <dt>"Pass rate"</dt><dd>{percent(run.pass_rate)}{format!(" (minimum {:.0} %)", run.min_pass_rate * 100.0)}</dd>
                <dt>"Average score"</dt><dd>{run.average_score.map_or_else(|| "—".to_string(), |s| format!("{s:.2}"))}</dd>
                <dt>"Runner"</dt><dd><code>{run.runner.clone()}</code></dd>
                <dt>"Suite version"</dt><dd><code>{run.suite_version.clone()}</code></dd>
                <dt>"Started (UTC)"</dt><dd>{run.started_at.replace('T', " ")}</dd>
            </dl>
        </div>
        <ProgressBar done=run.finished_cases total=run.total_cases label="Replay progress"/>
        <div class="actions">
            {(can_act && running).then(|| view! {
                <button type="button" class="button button-danger" on:click=move |_| { cancel.dispatch(CancelReplay { run_id: id }); }>
                    "Cancel replay"
                </button>
            })}
            {(can_act && !running && !run.is_baseline && run.status == RunStatus::Completed).then(|| view! {
                <button type="button" class="button button-secondary" on:click=move |_| { baseline.dispatch(SetBaseline { run_id: id }); }>
                    "Make this run the baseline"
                </button>
            })}
            {run.is_baseline.then(|| view! { <span class="tag">"This run is the suite's baseline"</span> })}
            {compare.map(|href| view! { <a class="button button-secondary" href=href>"Compare with baseline"</a> })}
        </div>
        <fieldset class="filters">
            <legend>"Show"</legend>
            {Filter::ALL
                .iter()
                .map(|(f, label)| {
                    let f = *f;
                    view! {
                        <label>
                            <input type="radio" name="case-filter" checked=move || filter.get() == f on:change=move |_| filter.set(f)/>
                            {*label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        {move || {
            let f = filter.get();
            let shown: Vec<ReplayCaseInfo> =
                cases.with_value(|all| regressed.with_value(|reg| all.iter().filter(|c| f.keeps(c, reg)).cloned().collect()));
            let total = cases.with_value(Vec::len);
            view! {
                <p class="count" aria-live="polite">{format!("Showing {} of {} finished cases", shown.len(), total)}</p>
                <ol class="cases">
                    {shown.into_iter().map(|case| view! { <CaseItem case/> }).collect_view()}
                </ol>
            }
        }}
    }
}

#[component]
fn CaseItem(case: ReplayCaseInfo) -> impl IntoView {
    let (tone, label) = match (case.pass, case.status) {
        (true, _) => (Tone::Good, "Pass"),
        (false, CaseStatus::RunnerError) => (Tone::Bad, "Runner error"),
        (false, CaseStatus::Ok) => (Tone::Bad, "Fail"),
    };
    view! {
        <li class="case">
            <details>
                <summary>
                    <span class="case-id">{case.case_id.clone()}</span>
                    <StatusBadge tone label/>
                    {case.critical.then(|| view! { <span class="tag tag-bad">"critical"</span> })}
                    <span class="case-score">{format!("score {}", case.overall_score)}</span>
                </summary>
                <div class="case-body">
                    <p class="query">{case.input_query.clone()}</p>
                    {case.error.clone().map(|e| view! { <p class="load-error">{e}</p> })}
                    {case.final_verdict.clone().map(|v| view! { <p><strong>"Verdict: "</strong>{v}</p> })}
                    {(!case.criteria.is_empty()).then(|| view! {
                        <table class="rubric">
                            <thead><tr><th scope="col">"Criterion"</th><th scope="col">"Score"</th><th scope="col">"Reason"</th></tr></thead>
                            <tbody>
                                {case.criteria.iter().map(|c| view! {
                                    <tr><th scope="row">{c.name.replace('_', " ")}</th><td>{c.score}</td><td>{c.reason.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    {(!case.negative_violations.is_empty()).then(|| view! {
                        <p><strong>"Negative constraints violated: "</strong>{case.negative_violations.join("; ")}</p>
                    })}
                    <p><strong>"Expected tools: "</strong>{case.expected_tools.join(", ")}</p>
                    <p><strong>"Tool trace: "</strong>{case.tools.join(" → ")}</p>
                    <pre class="output">{case.output.clone()}</pre>
                </div>
            </details>
        </li>
    }
}
