//! An environment's Status card: verdict after hysteresis, streak, strict flags, 24 h strip and probes.

use domain::probe::{ProbeStatus, Readiness};
pub use domain::time::human_duration;
use leptos::prelude::*;

use crate::api::status::ProbeNow;
use crate::components::sparkline::Sparkline;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::components::timeline::Timeline;
use crate::model::EnvironmentStatus;

fn probe_tone(status: ProbeStatus) -> (Tone, &'static str) {
    match status {
        ProbeStatus::Healthy => (Tone::Good, "Healthy"),
        ProbeStatus::Degraded => (Tone::Warn, "Degraded"),
        ProbeStatus::Unhealthy => (Tone::Bad, "Unhealthy"),
        ProbeStatus::NotConfigured => (Tone::Unknown, "Not configured"),
        ProbeStatus::Unverified => (Tone::Warn, "Could not measure"),
    }
}

fn title_word(verdict: Readiness) -> &'static str {
    match verdict {
        Readiness::Ready => "Ready",
        Readiness::NotReady => "Not ready",
        Readiness::Unknown => "Unknown",
    }
}

fn flag_badge(name: &'static str, value: Option<bool>) -> impl IntoView + use<> {
    let (tone, label) = match value {
        Some(true) => (Tone::Good, format!("{name}=true")),
        Some(false) => (Tone::Warn, format!("{name}=false")),
        None => (Tone::Unknown, format!("{name} unknown")),
    };
    view! { <StatusBadge tone label/> }
}

/// One environment: its verdict first (big words), then why, then the evidence.
#[component]
pub fn EnvironmentCard(
    status: EnvironmentStatus,
    probe: ServerAction<ProbeNow>,
    /// Operators and above may probe on demand; others do not see the button.
    can_probe: bool,
) -> impl IntoView {
    let env = status.summary.clone();
    let heading_id = format!("env-{}", env.name);
    let labelled_by = heading_id.clone();
    let (class, word) = match status.readiness {
        Some(Readiness::Ready) => ("verdict verdict-ready", "Ready"),
        Some(Readiness::NotReady) => ("verdict verdict-not-ready", "Not ready"),
        _ => ("verdict verdict-unknown", "Unknown"),
    };
    let why = match status.readiness {
        None => "No probe round has finished for this environment yet.".to_string(),
        Some(_) => domain::probe::first_problem(&status.probes)
            .map(|p| p.message.clone())
            .or_else(|| {
                status
                    .probes
                    .iter()
                    .find(|p| p.status == ProbeStatus::Degraded)
                    .map(|p| format!("Ready, with a warning: {}", p.message))
            })
            .unwrap_or_else(|| "Every probe answered as it should.".to_string()),
    };
    let streak = status
        .streak
        .map(|(verdict, secs)| format!("{} for {}", title_word(verdict), human_duration(secs)));
    let uptime = status
        .uptime_24h
        .map(|u| format!("{:.1} % ready over 24 h", u * 100.0));
    // The newest round disagrees with the shown verdict: say so, and how close it is to flipping.
    let pending_change = status.latest_round.and_then(|(latest, run)| {
        (Some(latest) != status.readiness).then(|| {
            let needed = if latest == Readiness::Ready {
                status.recover_after_rounds
            } else {
                status.flip_after_rounds
            };
            let word = title_word(latest).to_lowercase();
            format!("Latest round: {word} ({run} of {needed} rounds needed to change the verdict).")
        })
    });
    let name = env.name.clone();
    let pending = probe.pending();
    let probe_label = format!("Probe {} now", env.name);
    view! {
        <article class="env-card" aria-labelledby=labelled_by>
            <header class="env-card-head">
                <h3 id=heading_id><a href=format!("/environments/{}", env.name)>{env.name.clone()}</a></h3>
                <span class="mode-tag">{env.mode.as_str()}</span>
                {env.practice.then(|| view! {
                    <span class="practice-tag" title="A practice service this console runs on your machine, not a real environment">"Practice"</span>
                })}
            </header>
            <p class=class>
                <span class="verdict-word">{word}</span>
                <span class="verdict-why">{why}</span>
            </p>
            {pending_change.map(|note| view! { <p class="pending-change" role="status">{note}</p> })}
            {status.maintenance.as_ref().map(|w| view! {
                <p class="maintenance-line">{format!("In maintenance: {} (no budget spent, no alerts).", w.reason)}</p>
            })}
            {crate::components::slo_panel::compact_line(&status.slos).map(|line| view! { <p class="slo-line">{line}</p> })}
            <p class="flags">
                {flag_badge("REDIS_REQUIRED", status.redis_required)}
                " "
                {flag_badge("INNGEST_REQUIRED", status.inngest_required)}
            </p>
            {(!status.probes.is_empty()).then(|| view! {
                <ul class="probe-list">
                    {status.probes.iter().map(|p| {
                        let (tone, label) = probe_tone(p.status);
                        let latency = p.latency_ms.map(|ms| format!("{ms:.1} ms")).unwrap_or_default();
                        view! {
                            <li title=p.message.clone()>
                                <span class="probe-name">{p.probe.label()}</span>
                                <StatusBadge tone label/>
                                <span class="probe-latency">{latency}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!status.day.is_empty()).then(|| view! { <Timeline day=status.day.clone()/> })}
            {status.latency_24h.map(|p| {
                let caption = format!(
                    "Round latency over 24 h: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
                    p.p50, p.p95, p.p99
                );
                let points = status.day.p95_ms.iter().map(|ms| ms.map(f64::from)).collect();
                view! { <Sparkline points caption/> }
            })}
            <dl class="facts">
                {streak.map(|s| view! { <dt>"Streak"</dt><dd>{s}</dd> })}
                {uptime.map(|u| view! { <dt>"Uptime"</dt><dd>{u}</dd> })}
                <dt>"Last checked"</dt>
                <dd>{status.checked_at.clone().map_or_else(|| "never".to_string(), |t| t.replace('T', " "))}</dd>
                <dt>"Service"</dt>
                <dd><code>{env.base_url}</code></dd>
                <dt>"Env file"</dt>
                <dd>{env.env_file.unwrap_or_else(|| "none configured".into())}</dd>
                <dt>"Probe interval"</dt>
                <dd>{format!("every {} s", env.probe_interval_secs)}</dd>
            </dl>
            {can_probe.then(|| view! {
                <button
                    type="button"
                    class="button button-secondary"
                    aria-label=probe_label
                    disabled=move || pending.get()
                    on:click=move |_| { probe.dispatch(ProbeNow { environment: name.clone() }); }
                >
                    "Probe now"
                </button>
                " "
            })}
            <a class="button button-link" href=format!("/environments/{}", env.name)>
                "History and evidence"
            </a>
        </article>
    }
}
