//! A labelled progress bar (replay cases done of total).

use leptos::prelude::*;

/// A labelled progress bar: `done` of `total` cases finished.
#[component]
pub fn ProgressBar(done: i64, total: i64, #[prop(into)] label: String) -> impl IntoView {
    let pct = if total > 0 {
        (done as f64 / total as f64 * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    };
    view! {
        <div class="progress">
            <div
                class="progress-track"
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax=total
                aria-valuenow=done
            >
                <div class="progress-fill" style=format!("width: {pct:.1}%")></div>
            </div>
            <span class="progress-text">{format!("{done} of {total} cases finished")}</span>
        </div>
    }
}
