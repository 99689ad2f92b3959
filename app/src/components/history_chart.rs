//! The readiness history chart of one window, with maintenance windows shaded.

use domain::history::HistoryPoint;
use domain::maintenance::MaintenanceWindow;
use leptos::prelude::*;

use crate::components::environment_card::human_duration;

/// Readiness history of one window: a bar per bucket whose height is the share of ready
/// rounds (red part: not ready, grey: unknown), with the p95 round latency as a line on its
/// own scale. Maintenance windows are shaded behind the bars.
#[component]
pub fn HistoryChart(
    points: Vec<HistoryPoint>,
    from_unix: f64,
    span_secs: f64,
    /// Windows overlapping the chart.
    #[prop(optional)]
    maintenance: Vec<MaintenanceWindow>,
) -> impl IntoView {
    const W: f64 = 720.0;
    const H: f64 = 160.0;
    const PAD: f64 = 4.0;
    let x = |unix: f64| ((unix - from_unix) / span_secs * W).clamp(0.0, W);
    let max_latency = points
        .iter()
        .filter_map(|p| p.latency_p95_ms)
        .fold(0.0_f64, f64::max);
    let bars = points
        .iter()
        .map(|p| {
            let total = p.rounds.total().max(1) as f64;
            let left = x(p.start_unix);
            let width = (x(p.start_unix + p.width_secs) - left - 1.0).max(1.0);
            let h = H - 2.0 * PAD;
            let ready_h = h * p.rounds.ready as f64 / total;
            let bad_h = h * p.rounds.not_ready as f64 / total;
            let unknown_h = h - ready_h - bad_h;
            let title = format!(
                "{} ready, {} not ready, {} unknown{}",
                p.rounds.ready,
                p.rounds.not_ready,
                p.rounds.unknown,
                p.latency_p95_ms
                    .map(|ms| format!("; p95 {ms:.1} ms"))
                    .unwrap_or_default()
            );
            view! {
                <g>
                    <title>{title}</title>
                    <rect x=format!("{left:.1}") y=format!("{:.1}", PAD) width=format!("{width:.1}") height=format!("{unknown_h:.1}") class="hc-unknown"/>
                    <rect x=format!("{left:.1}") y=format!("{:.1}", PAD + unknown_h) width=format!("{width:.1}") height=format!("{bad_h:.1}") class="hc-bad"/>
                    <rect x=format!("{left:.1}") y=format!("{:.1}", PAD + unknown_h + bad_h) width=format!("{width:.1}") height=format!("{ready_h:.1}") class="hc-ready"/>
                </g>
            }
        })
        .collect_view();
    let line = points
        .iter()
        .filter_map(|p| {
            let ms = p.latency_p95_ms?;
            let cx = x(p.start_unix + p.width_secs / 2.0);
            let cy = H
                - PAD
                - (H - 2.0 * PAD)
                    * if max_latency > 0.0 {
                        ms / max_latency
                    } else {
                        0.0
                    };
            Some(format!("{cx:.1},{cy:.1}"))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let shaded = maintenance
        .iter()
        .map(|w| {
            let left = x(w.start_unix);
            let right = x(w.end_unix.unwrap_or(from_unix + span_secs));
            let title = format!(
                "Maintenance from {} to {}: {} (rounds in it spend no budget and raise no alert)",
                domain::time::minute_utc(w.start_unix),
                w.end_unix
                    .map_or_else(|| "now".to_string(), domain::time::minute_utc),
                w.reason
            );
            view! {
                <rect x=format!("{left:.1}") y="0" width=format!("{:.1}", (right - left).max(2.0)) height=H class="hc-maintenance">
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let windows = maintenance.len();
    let rounds: u64 = points.iter().map(|p| p.rounds.total()).sum();
    let ready: u64 = points.iter().map(|p| p.rounds.ready).sum();
    let label = format!(
        "Readiness over the last {}: {ready} of {rounds} rounds ready; bars show the share of ready rounds, the line the p95 round latency (top of chart = {max_latency:.1} ms).{}",
        human_duration(span_secs),
        match windows {
            0 => String::new(),
            1 => " The shaded band is a maintenance window.".to_string(),
            n => format!(" The {n} shaded bands are maintenance windows."),
        }
    );
    view! {
        <figure class="history-chart">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" role="img" aria-label=label.clone()>
                <rect x="0" y="0" width=W height=H class="hc-bg"/>
                {shaded}
                {bars}
                <polyline points=line class="hc-latency" fill="none"/>
            </svg>
            <figcaption>{label}</figcaption>
        </figure>
    }
}
