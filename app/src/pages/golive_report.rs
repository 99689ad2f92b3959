//! The read-only, printable report of a go-live: steps, evidence and (once signed off) the
//! verdict of that moment. Viewers may read it.

use domain::golive::Finding;
use domain::time::minute_utc as when;
use leptos::prelude::*;
use leptos_meta::Title;

use super::golive::id_param;
use crate::api::golive::get_golive;
use crate::components::load_error::LoadError;
use crate::components::step_card::{step_badge, step_result};
use crate::model::GoLiveDetail;

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
    let kept = d.report;
    view! {
        <article class="report">
            <h1>{format!("{}o-live report #{}: {} → {}", if s.practice { "Practice g" } else { "G" }, s.id, s.staging, s.production)}</h1>
            {s.practice.then(|| view! {
                <p class="notice" role="note">"A rehearsal on the practice services this console runs, not a real go-live."</p>
            })}
            <p>{format!("Started {} UTC by {}.", when(s.started_unix), s.started_by)}</p>
            <p class="report-decision">{match (&s.decision, s.ended_unix) {
                (Some(dec), Some(at)) => format!("Decision: {} — signed off by {} at {} UTC.{}", dec.label(), s.signed_by.clone().unwrap_or_default(), when(at), s.note.clone().map(|n| format!(" Note: {n}")).unwrap_or_default()),
                _ => "In progress: no decision recorded yet.".to_string(),
            }}</p>
            {kept.map(|v| view! {
                <section>
                    <h2>{format!("Verdict at sign-off: {}", v.verdict.word())}</h2>
                    <ul class="criteria">
                        {v.findings.iter().map(|f| {
                            let text = match &f.finding {
                                Finding::Met { evidence } => format!("met — {evidence}"),
                                Finding::Failed { problem, action } => format!("failed — {problem} What to do: {action}"),
                                Finding::Unmeasured { missing } => format!("not measured — {missing}"),
                            };
                            view! { <li><strong>{f.criterion.label()}": "</strong>{text}</li> }
                        }).collect_view()}
                    </ul>
                    <h3>"Leadership update"</h3>
                    <pre class="update">{v.update.clone()}</pre>
                </section>
            })}
            <h2>"Steps"</h2>
            <ol class="steps">
                {d.steps.into_iter().map(|step| {
                    let (_, label) = step_badge(&step);
                    let (result, action) = step_result(&step.state);
                    view! {
                        <li>
                            <h3>{format!("{}. {} — {label}", step.number, step.title)}</h3>
                            {result.map(|t| view! { <p>{t}</p> })}
                            {action.map(|a| view! { <p><strong>"What to do: "</strong>{a}</p> })}
                            {step.last_at_unix.map(|at| view! {
                                <p class="hint">{format!("Last recorded {} UTC by {}.", when(at), step.last_by.clone().unwrap_or_default())}</p>
                            })}
                            {step.evidence.map(|e| view! { <details><summary>"Evidence"</summary><pre>{e}</pre></details> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}
