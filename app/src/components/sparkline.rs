//! A small inline line chart of recent values (latency on a card).

use leptos::prelude::*;

/// Round latency (p95 per bucket) as a small line, oldest first; gaps where nothing was
/// measured. The caption states the numbers, so the line never stands alone.
#[component]
pub fn Sparkline(points: Vec<Option<f64>>, caption: String) -> impl IntoView {
    const W: f64 = 288.0;
    const H: f64 = 28.0;
    let max = points.iter().flatten().copied().fold(0.0_f64, f64::max);
    let n = points.len().max(2);
    let x = |i: usize| W * i as f64 / (n - 1) as f64;
    let y = |ms: f64| {
        if max <= 0.0 {
            H - 2.0
        } else {
            H - 2.0 - (H - 4.0) * (ms / max)
        }
    };
    // A new segment starts after every gap.
    let mut path = String::new();
    let mut pen_down = false;
    for (i, point) in points.iter().enumerate() {
        match point {
            Some(ms) => {
                path.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(*ms)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    view! {
        <figure class="sparkline">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" height="28" role="img" aria-label=caption.clone() preserveAspectRatio="none">
                <path d=path class="sparkline-line" fill="none"/>
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}
