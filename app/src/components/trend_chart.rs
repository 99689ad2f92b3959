//! A pass-rate trend chart of replay runs against the suite's gate.

use leptos::prelude::*;

/// Pass rate of the last runs as a small inline SVG, oldest first, with the minimum drawn as a
/// dashed line. The numbers are listed beside it: the chart never stands alone.
#[component]
pub fn TrendChart(points: Vec<(i64, f64)>, minimum: f64) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 80.0;
    let n = points.len();
    let x = move |i: usize| {
        if n <= 1 {
            W / 2.0
        } else {
            8.0 + (W - 16.0) * i as f64 / (n - 1) as f64
        }
    };
    let y = |rate: f64| H - 6.0 - (H - 12.0) * rate.clamp(0.0, 1.0);
    let path = points
        .iter()
        .enumerate()
        .map(|(i, (_, r))| {
            format!(
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                x(i),
                y(*r)
            )
        })
        .collect::<String>();
    let label = format!(
        "Pass rate of the last {n} completed runs: {}",
        points
            .iter()
            .map(|(id, r)| format!("run {id} {:.0} %", r * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let min_y = y(minimum);
    view! {
        <figure class="trend">
            <svg viewBox=format!("0 0 {W} {H}") width="320" height="80" role="img" aria-label=label>
                <line x1="0" x2=W y1=min_y y2=min_y class="trend-min"/>
                <path d=path class="trend-line"/>
                {points
                    .iter()
                    .enumerate()
                    .map(|(i, (_, r))| {
                        let class = if *r >= minimum { "trend-dot" } else { "trend-dot trend-bad" };
                        view! { <circle cx=x(i) cy=y(*r) r="3" class=class/> }
                    })
                    .collect_view()}
            </svg>
            <figcaption>{format!("Pass-rate trend; dashed line: minimum {:.0} %", minimum * 100.0)}</figcaption>
        </figure>
    }
}
