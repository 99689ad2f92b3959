//! One environment's page: its card, the 1 h / 24 h / 7 d / 30 d windows and chart, SLOs, maintenance, the last failure and env-file parity.

use domain::history::{WINDOWS, Window, WindowStats};
use domain::parity::ParityReport;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::operations::{EndMaintenance, StartMaintenance};
use crate::api::status::{ProbeNow, environment_detail};
use crate::components::environment_card::{EnvironmentCard, human_duration};
use crate::components::history_chart::HistoryChart;
use crate::components::load_error::LoadError;
use crate::components::maintenance_control::{MaintenanceBanner, MaintenanceControl};
use crate::components::slo_panel::SloPanel;
use crate::model::{EnvironmentDetail, FailureEvidence};

/// One environment in depth: the live card, history over 1 h / 24 h / 7 d / 30 d, the evidence
/// of its last failure, and parity of its env file against another environment.
#[component]
pub fn EnvironmentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let key = move || {
        let q = query.read();
        (name(), q.get("window"), q.get("compare"))
    };
    let detail = Resource::new(key, |(name, window, compare)| {
        environment_detail(name, window, compare)
    });
    let probe = ServerAction::<ProbeNow>::new();
    let start = ServerAction::<StartMaintenance>::new();
    let end = ServerAction::<EndMaintenance>::new();
    Effect::new(move |_| {
        if probe.version().get() + start.version().get() + end.version().get() > 0 {
            detail.refetch();
        }
    });
    crate::live::on_probe_round(move |round| {
        if round == "*" || round == name() {
            detail.refetch();
        }
    });
    view! {
        <Title text=move || format!("{} · environment", name())/>
        <p class="crumbs"><a href="/">"Status"</a> " / " {name}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading history…"</p> }>
            {move || Suspend::new(async move {
                let can_probe = crate::session::may(domain::auth::Role::Operator).await;
                match detail.await {
                    Ok(detail) => view! { <Detail detail probe can_probe start end/> }.into_any(),
                    Err(error) => view! { <h1>{name()}</h1> <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |u| format!("{:.2} %", u * 100.0))
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1} ms"))
}

#[component]
fn Detail(
    detail: EnvironmentDetail,
    probe: ServerAction<ProbeNow>,
    can_probe: bool,
    start: ServerAction<StartMaintenance>,
    end: ServerAction<EndMaintenance>,
) -> impl IntoView {
    let EnvironmentDetail {
        status,
        window,
        stats,
        series,
        now_unix,
        last_failure,
        others,
        compare,
        parity,
        parity_error,
        maintenance_windows,
    } = detail;
    let slos = status.slos.clone();
    let current = status.maintenance.clone();
    let name = status.summary.name.clone();
    let compare_query = compare
        .as_ref()
        .map(|c| format!("&compare={c}"))
        .unwrap_or_default();
    let selected = stats.iter().find(|s| s.window == window).cloned();
    view! {
        <h1>{name.clone()}</h1>
        {current.clone().map(|window| view! { <MaintenanceBanner window/> })}
        {view! { <EnvironmentCard status probe can_probe/> }.into_any()}

        <section aria-labelledby="slo-heading" class="slo-panel">
            <h2 id="slo-heading">"Service-level objectives"</h2>
            {view! { <SloPanel slos/> }.into_any()}
        </section>

        <section aria-labelledby="maintenance-heading">
            <h2 id="maintenance-heading">"Maintenance"</h2>
            {if can_probe {
                view! { <MaintenanceControl environment=name.clone() current start end/> }.into_any()
            } else if current.is_none() {
                view! { <p class="empty">"Not in maintenance."</p> }.into_any()
            } else {
                ().into_any()
            }}
        </section>

        <section aria-labelledby="windows-heading">
            <h2 id="windows-heading">"Readiness over time"</h2>
            {view! { <WindowTable stats=stats.clone()/> }.into_any()}
            <nav class="window-tabs" aria-label="Chart window">
                {WINDOWS
                    .into_iter()
                    .map(|w| {
                        let href = format!("/environments/{name}?window={}{compare_query}", w.label());
                        let current = (w == window).then_some("page");
                        view! { <a href=href aria-current=current>{w.label()}</a> }
                    })
                    .collect_view()}
            </nav>
            {view! { <HistoryChart points=series from_unix=now_unix - window.seconds() span_secs=window.seconds() maintenance=maintenance_windows/> }.into_any()}
            {selected.map(|s| view! { <ProbeLatencyTable stats=s/> }.into_any())}
        </section>

        <section aria-labelledby="failure-heading">
            <h2 id="failure-heading">"Last failure"</h2>
            {match last_failure {
                None => view! { <p class="empty">"No round in the kept history was not ready."</p> }.into_any(),
                Some(failure) => view! { <FailureView failure/> }.into_any(),
            }}
        </section>

        <section aria-labelledby="parity-heading">
            <h2 id="parity-heading">"Env file parity"</h2>
            {if others.is_empty() {
                view! { <p class="empty">"There is no other environment to compare with."</p> }.into_any()
            } else {
                view! {
                    <form method="get" action=format!("/environments/{name}") class="parity-form">
                        <input type="hidden" name="window" value=window.label()/>
                        <label for="compare">"Compare with"</label>
                        <select id="compare" name="compare">
                            {others
                                .into_iter()
                                .map(|o| {
                                    let chosen = compare.as_deref() == Some(o.as_str());
                                    view! { <option value=o.clone() selected=chosen>{o.clone()}</option> }
                                })
                                .collect_view()}
                        </select>
                        <button type="submit" class="button button-secondary">"Compare"</button>
                    </form>
                }
                    .into_any()
            }}
            {parity_error.map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {parity.map(|report| view! { <ParityView report/> }.into_any())}
        </section>
    }
}

#[component]
fn WindowTable(stats: Vec<WindowStats>) -> impl IntoView {
    view! {
        <table class="window-stats">
            <caption>"Uptime is the share of probe rounds that were ready. Latency is the slowest probe of each round."</caption>
            <thead>
                <tr>
                    <th scope="col">"Window"</th>
                    <th scope="col">"Uptime"</th>
                    <th scope="col">"Rounds"</th>
                    <th scope="col">"p50"</th>
                    <th scope="col">"p95"</th>
                    <th scope="col">"p99"</th>
                    <th scope="col">"Ready for"</th>
                    <th scope="col">"Longest ready streak"</th>
                </tr>
            </thead>
            <tbody>
                {stats
                    .into_iter()
                    .map(|s| {
                        let round = s.latency.get("round").copied();
                        view! {
                            <tr>
                                <th scope="row">{s.window.label()}</th>
                                <td>{percent(s.uptime)}</td>
                                <td>{format!("{} ({} not ready, {} unknown)", s.rounds.total(), s.rounds.not_ready, s.rounds.unknown)}</td>
                                <td>{ms(round.map(|p| p.p50))}</td>
                                <td>{ms(round.map(|p| p.p95))}</td>
                                <td>{ms(round.map(|p| p.p99))}</td>
                                <td>{human_duration(s.streaks.current_ready_secs)}</td>
                                <td>{human_duration(s.streaks.longest_ready_secs)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ProbeLatencyTable(stats: WindowStats) -> impl IntoView {
    let window: Window = stats.window;
    view! {
        <table class="probe-latency">
            <caption>{format!("Latency per probe over {}", window.label())}</caption>
            <thead>
                <tr><th scope="col">"Probe"</th><th scope="col">"Samples"</th><th scope="col">"p50"</th><th scope="col">"p95"</th><th scope="col">"p99"</th></tr>
            </thead>
            <tbody>
                {stats
                    .latency
                    .into_iter()
                    .filter(|(probe, _)| probe != "round")
                    .map(|(probe, p)| view! {
                        <tr>
                            <th scope="row">{probe.replace('_', " ")}</th>
                            <td>{p.samples}</td>
                            <td>{ms(Some(p.p50))}</td>
                            <td>{ms(Some(p.p95))}</td>
                            <td>{ms(Some(p.p99))}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn FailureView(failure: FailureEvidence) -> impl IntoView {
    view! {
        <p>{format!("{} ago, at {}.", human_duration(failure.secs_ago), failure.checked_at.replace('T', " "))}</p>
        <ul class="failure-probes">
            {failure
                .probes
                .into_iter()
                .map(|p| {
                    let evidence = serde_json::to_string_pretty(&p.evidence).unwrap_or_default();
                    view! {
                        <li>
                            <strong>{p.probe.label()}</strong>
                            {format!(" ({}): ", p.status.as_str().replace('_', " "))}
                            {p.message}
                            {(!p.evidence.is_null()).then(|| view! {
                                <details><summary>"Evidence"</summary><pre>{evidence}</pre></details>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn ParityView(report: ParityReport) -> impl IntoView {
    let clean = report.is_clean();
    let (a, b) = (report.a_name.clone(), report.b_name.clone());
    let keys = |title: String, keys: Vec<String>| {
        (!keys.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul class="id-list">{keys.into_iter().map(|k| view! { <li><code>{k}</code></li> }).collect_view()}</ul>
            }
        })
    };
    view! {
        <div class="parity-report">
            {clean.then(|| view! { <p class="good">{format!("{a} and {b} set the same keys, share no credentials, and differ only where expected.")}</p> })}
            {(!report.shared_credentials.is_empty()).then(|| view! {
                <p class="error">"Shared credentials: the same secret is used in both environments. A leak of one then opens the other; give each environment its own."</p>
            })}
            {keys("Same secret in both (compared by hash, never shown)".into(), report.shared_credentials)}
            {keys(format!("Set in {a} only"), report.only_in_a)}
            {keys(format!("Set in {b} only"), report.only_in_b)}
            {(!report.differing_values.is_empty()).then(|| view! {
                <h3>"Values that differ where they should not"</h3>
                <p class="hint">"Values are shown to engineers and admins only."</p>
                <table>
                    <thead><tr><th scope="col">"Key"</th><th scope="col">{a.clone()}</th><th scope="col">{b.clone()}</th></tr></thead>
                    <tbody>
                        {report.differing_values.into_iter().map(|d| view! {
                            <tr><th scope="row"><code>{d.key}</code></th><td><code>{d.a}</code></td><td><code>{d.b}</code></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}
