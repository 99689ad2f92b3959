use domain::Mode;
use domain::auth::Role;
use domain::golive::{Check, Finding, StepKind, StepState, Verdict};
use domain::time::minute_utc as when;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::golive::{RunStep, SignOff, StartGolive, get_golive, golive_verdict, list_golives};
use crate::api::status::list_environments;
use crate::components::load_error::LoadError;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::{EnvironmentSummary, GoLiveDetail, GoLiveSummary, StepView, VerdictView};

/// The `:id` route parameter (0 when absent or not a number: the server answers "not found").
fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
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
                    let label = format!("{s} → {p}");
                    let (s2, p2) = (s.clone(), p.clone());
                    view! {
                        <li>
                            <span class="pair-name">{label.clone()}</span>
                            " "
                            {match active {
                                Some(id) => view! { <a class="button" href=format!("/go-live/{id}")>{format!("Continue go-live #{id}")}</a> }.into_any(),
                                None if can_start => view! {
                                    <button type="button" class="button" aria-label=format!("Start a go-live of {label}")
                                        on:click=move |_| { start.dispatch(StartGolive { staging: s2.clone(), production: p2.clone() }); }>
                                        "Start go-live"
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
                                <td>{format!("{} → {}", g.staging, g.production)}</td>
                                <td>{format!("{} by {}", when(g.started_unix), g.started_by)}</td>
                                <td>{g.decision.clone().map_or_else(|| "in progress".to_string(), |d| format!("{} (signed off by {})", d.replace('_', "-"), g.signed_by.clone().unwrap_or_default()))}</td>
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

fn step_badge(step: &StepView) -> (Tone, String) {
    match &step.state {
        StepState::NotStarted if step.open => (Tone::Unknown, "To do".into()),
        StepState::NotStarted => (Tone::Unknown, "Waiting for earlier steps".into()),
        StepState::Confirmed { .. } => (Tone::Warn, "Confirmed, not verified yet".into()),
        StepState::Checked { check, .. } => match check {
            Check::Pass { .. } => (Tone::Good, "Passed".into()),
            Check::Fail { .. } => (Tone::Bad, "Failed".into()),
            Check::Unknown { .. } => (Tone::Warn, "Could not be measured".into()),
            Check::Waiting { .. } => (Tone::Warn, "In progress".into()),
        },
    }
}

/// One go-live: the ten steps, the verdict measured now with the leadership update, and
/// sign-off.
#[component]
pub fn GoLiveRunPage() -> impl IntoView {
    let id = id_param();
    let run_step = ServerAction::<RunStep>::new();
    let sign = ServerAction::<SignOff>::new();
    let detail = Resource::new(
        move || (id(), run_step.version().get(), sign.version().get()),
        |(id, _, _)| get_golive(id),
    );
    let verdict = Resource::new(
        move || (id(), run_step.version().get()),
        |(id, _)| golive_verdict(id),
    );
    view! {
        <Title text=move || format!("Go-live #{}", id())/>
        <p class="crumbs"><a href="/go-live">"Go-live"</a> " / " {move || format!("#{}", id())}</p>
        {move || run_step.value().get().and_then(|r| r.err()).map(|error| view! { <LoadError error/> })}
        {move || sign.value().get().and_then(|r| r.err()).map(|error| view! { <LoadError error/> })}
        <Transition fallback=|| view! { <p class="loading">"Loading the go-live…"</p> }>
            {move || Suspend::new(async move {
                let can_act = crate::session::may(Role::Operator).await;
                match detail.await {
                    Ok(d) => view! { <RunView d run_step can_act pending=run_step.pending()/> }.into_any(),
                    Err(error) => view! { <h1>"Go-live"</h1> <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
        <section aria-labelledby="verdict-heading" class="verdict-panel">
            <h2 id="verdict-heading">"Verdict now"</h2>
            <Transition fallback=|| view! { <p class="loading">"Measuring production…"</p> }>
                {move || Suspend::new(async move {
                    let can_act = crate::session::may(Role::Operator).await;
                    match verdict.await {
                        Ok(v) => view! { <VerdictPanel v id=id() sign can_act/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RunView(
    d: GoLiveDetail,
    run_step: ServerAction<RunStep>,
    can_act: bool,
    pending: Memo<bool>,
) -> impl IntoView {
    let s = d.summary.clone();
    let finished = s.ended_unix.is_some();
    let id = s.id;
    view! {
        <h1>{format!("Go-live #{}: {} → {}", s.id, s.staging, s.production)}</h1>
        <p class="lede">
            {format!("Started {} by {}. {} of 10 steps passed.", when(s.started_unix), s.started_by, d.passed)}
            {s.decision.clone().map(|dec| format!(" Signed off as {} by {}.", dec.replace('_', "-"), s.signed_by.clone().unwrap_or_default()))}
            " " <a href=format!("/go-live/{id}/report")>"Printable report"</a>
        </p>
        <ol class="steps">
            {d.steps.into_iter().map(|step| {
                let (tone, label) = step_badge(&step);
                let current = d.current == Some(step.step);
                let step_key = serde_json::to_value(step.step).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                let note = RwSignal::new(String::new());
                let (detail_text, action) = match &step.state {
                    StepState::Checked { check: Check::Pass { summary }, .. } => (Some(summary.clone()), None),
                    StepState::Checked { check: Check::Fail { problem, action }, .. } => (Some(problem.clone()), Some(action.clone())),
                    StepState::Checked { check: Check::Unknown { missing }, .. } => (Some(format!("Not measured: {missing}")), None),
                    StepState::Checked { check: Check::Waiting { summary, .. }, .. } => (Some(summary.clone()), None),
                    StepState::Confirmed { by, .. } => (Some(format!("Confirmed by {by}; press Check again to verify.")), None),
                    StepState::NotStarted => (None, None),
                };
                let confirm_step = step.kind == StepKind::ConfirmThenVerify;
                let may_act = can_act && !finished && step.open;
                let key1 = step_key.clone();
                let key2 = step_key.clone();
                view! {
                    <li class=if current { "step step-current" } else { "step" } aria-current=current.then_some("step")>
                        <h3>{format!("{}. {}", step.number, step.title)}" " <StatusBadge tone label/></h3>
                        <p>{step.means.clone()}</p>
                        <p class="hint">"Good looks like: " {step.good.clone()}</p>
                        {detail_text.map(|t| view! { <p class="step-result">{t}</p> })}
                        {action.map(|a| view! { <p class="step-action"><strong>"What to do: "</strong>{a}</p> })}
                        {(!matches!(step.state, StepState::Checked { check: Check::Pass { .. }, .. })).then(|| view! {
                            <p class="hint">"If it fails: " {step.if_it_fails.clone()}</p>
                        })}
                        {step.last_at_unix.map(|at| view! {
                            <p class="hint">{format!("Last recorded {} by {}.", when(at), step.last_by.clone().unwrap_or_default())}</p>
                        })}
                        {step.evidence.clone().map(|e| view! { <details><summary>"Evidence"</summary><pre>{e}</pre></details> })}
                        {may_act.then(|| if confirm_step {
                            view! {
                                <div class="step-actions">
                                    <label for=format!("note-{}", step.number)>"Note (optional)"</label>
                                    <input id=format!("note-{}", step.number) bind:value=note maxlength="500"/>
                                    <button type="button" class="button" disabled=move || pending.get()
                                        on:click=move |_| { run_step.dispatch(RunStep { id, step: key1.clone(), confirm: true, note: Some(note.get()) }); }>
                                        "I have done this"
                                    </button>
                                    <button type="button" class="button button-secondary" disabled=move || pending.get()
                                        on:click=move |_| { run_step.dispatch(RunStep { id, step: key2.clone(), confirm: false, note: None }); }>
                                        "Check again"
                                    </button>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <div class="step-actions">
                                    <button type="button" class="button" disabled=move || pending.get()
                                        on:click=move |_| { run_step.dispatch(RunStep { id, step: key1.clone(), confirm: false, note: None }); }>
                                        {if matches!(step.state, StepState::NotStarted) { "Run check" } else { "Check again" }}
                                    </button>
                                </div>
                            }.into_any()
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn VerdictPanel(
    v: VerdictView,
    id: i64,
    sign: ServerAction<SignOff>,
    can_act: bool,
) -> impl IntoView {
    let (class, word) = match &v.verdict {
        Verdict::Go => ("verdict verdict-ready", "Go"),
        Verdict::NoGo { .. } => ("verdict verdict-not-ready", "No-Go"),
        Verdict::Hold { .. } => ("verdict verdict-unknown", "Hold"),
    };
    let reasons: Vec<String> = v
        .findings
        .iter()
        .filter_map(|f| match &f.finding {
            Finding::Met { .. } => None,
            Finding::Failed { problem, action } => Some(format!(
                "{}: {problem} What to do: {action}",
                f.criterion.label()
            )),
            Finding::Unmeasured { missing } => {
                Some(format!("{}: not measured — {missing}", f.criterion.label()))
            }
        })
        .collect();
    let update = v.update.clone();
    let note = RwSignal::new(String::new());
    let decision = RwSignal::new(match v.verdict {
        Verdict::Go => "go".to_string(),
        Verdict::NoGo { .. } => "no_go".to_string(),
        Verdict::Hold { .. } => "hold".to_string(),
    });
    view! {
        <p class=class><span class="verdict-word">{word}</span>
            <span class="verdict-why">{format!("Measured {} UTC.", when(v.measured_unix))}</span></p>
        {(!reasons.is_empty()).then(|| view! { <ul class="verdict-reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul> })}
        <h3>"Leadership update"</h3>
        <textarea id="leadership-update" readonly rows="10" class="update">{update.clone()}</textarea>
        <button type="button" class="button button-secondary" on:click=move |_| {
            #[cfg(feature = "hydrate")]
            {
                let _ = window().navigator().clipboard().write_text(&update);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &update;
        }>"Copy update"</button>
        {can_act.then(|| view! {
            <h3>"Sign-off"</h3>
            <div class="signoff">
                <label for="decision">"Decision"</label>
                <select id="decision" on:change=move |ev| decision.set(event_target_value(&ev)) prop:value=move || decision.get()>
                    <option value="go">"Go"</option>
                    <option value="no_go">"No-Go"</option>
                    <option value="hold">"Hold"</option>
                    <option value="abandoned">"Abandon this go-live"</option>
                </select>
                <label for="signoff-note">"Note (optional)"</label>
                <input id="signoff-note" bind:value=note maxlength="1000"/>
                <button type="button" class="button" on:click=move |_| {
                    sign.dispatch(SignOff { id, decision: decision.get(), note: Some(note.get()) });
                }>"Record decision"</button>
            </div>
        })}
    }
}

/// The read-only, printable report of a go-live: steps, evidence and (once signed off) the
/// verdict of that moment.
#[component]
pub fn GoLiveReportPage() -> impl IntoView {
    let id = id_param();
    let detail = Resource::new(id, get_golive);
    view! {
        <Title text=move || format!("Go-live #{} report", id())/>
        <Suspense fallback=|| view! { <p class="loading">"Loading the report…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Report d/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(d: GoLiveDetail) -> impl IntoView {
    let s = d.summary;
    view! {
        <article class="report">
            <h1>{format!("Go-live report #{}: {} → {}", s.id, s.staging, s.production)}</h1>
            <p>{format!("Started {} UTC by {}.", when(s.started_unix), s.started_by)}</p>
            <p>{match (&s.decision, s.ended_unix) {
                (Some(dec), Some(at)) => format!("Decision: {} — signed off by {} at {} UTC.{}", dec.replace('_', "-"), s.signed_by.clone().unwrap_or_default(), when(at), s.note.clone().map(|n| format!(" Note: {n}")).unwrap_or_default()),
                _ => "In progress: no decision recorded yet.".to_string(),
            }}</p>
            <ol class="steps">
                {d.steps.into_iter().map(|step| {
                    let (_, label) = step_badge(&step);
                    let detail = match &step.state {
                        StepState::Checked { check: Check::Pass { summary }, .. } | StepState::Checked { check: Check::Waiting { summary, .. }, .. } => summary.clone(),
                        StepState::Checked { check: Check::Fail { problem, .. }, .. } => problem.clone(),
                        StepState::Checked { check: Check::Unknown { missing }, .. } => missing.clone(),
                        StepState::Confirmed { by, .. } => format!("Confirmed by {by}."),
                        StepState::NotStarted => String::new(),
                    };
                    view! {
                        <li>
                            <h2>{format!("{}. {} — {label}", step.number, step.title)}</h2>
                            <p>{detail}</p>
                            {step.evidence.map(|e| view! { <details><summary>"Evidence"</summary><pre>{e}</pre></details> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {d.report.map(|r| view! { <h2>"Verdict at sign-off"</h2> <pre class="report-json">{r}</pre> })}
        </article>
    }
}
