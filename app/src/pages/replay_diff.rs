//! Two replay runs compared case by case: regressions, fixes, score deltas, tool changes and word diffs.

use domain::run_diff::{CaseChange, ChangeKind, WordOp};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::replay::diff_runs;
use crate::components::load_error::LoadError;
use crate::model::RunDiffView;
use crate::pages::replays::percent;

/// Two runs side by side: what regressed, what was fixed, and how each case changed.
#[component]
pub fn ReplayDiffPage() -> impl IntoView {
    let query = use_query_map();
    let ids = move || {
        let q = query.read();
        let id = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        (id("a"), id("b"))
    };
    let diff = Resource::new(ids, |(a, b)| diff_runs(a, b));
    view! {
        <Title text="Compare runs"/>
        <p class="crumbs"><a href="/replays">"Replays"</a> " / compare"</p>
        <Suspense fallback=|| view! { <p class="loading">"Comparing…"</p> }>
            {move || Suspend::new(async move {
                match diff.await {
                    Ok(view) => view! { <DiffView view/> }.into_any(),
                    Err(error) => view! { <h1>"Compare runs"</h1> <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DiffView(view: RunDiffView) -> impl IntoView {
    let RunDiffView { a, b, diff } = view;
    let list = |title: &'static str, ids: Vec<String>, class: &'static str| {
        view! {
            <section class=class>
                <h2>{format!("{title} ({})", ids.len())}</h2>
                {if ids.is_empty() {
                    view! { <p class="empty">"None."</p> }.into_any()
                } else {
                    view! { <ul class="id-list">{ids.into_iter().map(|id| view! { <li><a href=format!("#case-{id}")>{id.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                }}
            </section>
        }
    };
    let interesting: Vec<CaseChange> = diff
        .changes
        .iter()
        .filter(|c| {
            !matches!(c.kind, ChangeKind::StillPassing)
                || !c.criteria.is_empty()
                || !c.output_diff.is_empty()
                || !c.tools_added.is_empty()
                || !c.tools_removed.is_empty()
        })
        .cloned()
        .collect();
    view! {
        <h1>{format!("Run {} → run {}", a.id, b.id)}</h1>
        <p class="lede">
            {format!(
                "A: {} pass rate {} · B: {} pass rate {}",
                a.suite,
                percent(a.pass_rate),
                b.suite,
                percent(b.pass_rate)
            )}
        </p>
        <div class="diff-summary">
            {list("Regressions (pass → fail)", diff.regressions.clone(), "diff-bad")}
            {list("Fixes (fail → pass)", diff.fixes.clone(), "diff-good")}
            {list("New cases", diff.new_cases.clone(), "diff-neutral")}
            {list("Removed cases", diff.removed_cases.clone(), "diff-neutral")}
        </div>
        <h2>"Changed cases"</h2>
        {if interesting.is_empty() {
            view! { <p class="empty">"No case changed between these runs."</p> }.into_any()
        } else {
            view! { <ol class="cases">{interesting.into_iter().map(|c| view! { <ChangeItem c/> }).collect_view()}</ol> }.into_any()
        }}
    }
}

#[component]
fn ChangeItem(c: CaseChange) -> impl IntoView {
    let kind = match c.kind {
        ChangeKind::Regression => "Regression",
        ChangeKind::Fix => "Fix",
        ChangeKind::StillFailing => "Still failing",
        ChangeKind::StillPassing => "Still passing",
    };
    let show = |s: Option<u8>| s.map_or_else(|| "—".to_string(), |v| v.to_string());
    view! {
        <li class="case" id=format!("case-{}", c.id)>
            <h3>{c.id.clone()} " " <span class="tag">{kind}</span> {format!(" overall {} → {}", c.score_before, c.score_after)}</h3>
            {(!c.criteria.is_empty()).then(|| view! {
                <ul>{c.criteria.iter().map(|d| view! { <li>{format!("{}: {} → {}", d.criterion.replace('_', " "), show(d.before), show(d.after))}</li> }).collect_view()}</ul>
            })}
            {(!c.tools_added.is_empty()).then(|| view! { <p>"Tools added: " {c.tools_added.join(", ")}</p> })}
            {(!c.tools_removed.is_empty()).then(|| view! { <p>"Tools removed: " {c.tools_removed.join(", ")}</p> })}
            {c.error_after.clone().map(|e| view! { <p class="load-error">"Runner error in B: " {e}</p> })}
            {(!c.output_diff.is_empty()).then(|| view! {
                <p class="word-diff" aria-label="Output changes: removed words are struck through, added words are underlined">
                    {c.output_diff.iter().map(|op| match op {
                        WordOp::Same(t) => view! { <span>{format!("{t} ")}</span> }.into_any(),
                        WordOp::Added(t) => view! { <ins>{t.clone()}</ins> " " }.into_any(),
                        WordOp::Removed(t) => view! { <del>{t.clone()}</del> " " }.into_any(),
                    }).collect_view()}
                </p>
            })}
        </li>
    }
}
