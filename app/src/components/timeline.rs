use domain::day_strip::{BucketVerdict, DayStrip};
use leptos::prelude::*;

/// The last 24 h of readiness as a strip: one bar per 15-minute bucket (newest at the right),
/// red when any round in it was not ready, amber when one could not be measured, blank where
/// nothing was probed; the caption gives the exact counts, so colour is never alone.
#[component]
pub fn Timeline(day: DayStrip) -> impl IntoView {
    const W: f64 = 288.0;
    const H: f64 = 18.0;
    let totals = day.totals();
    let label = format!(
        "Readiness over the last 24 hours: {} of {} probe rounds ready",
        totals.ready,
        totals.total()
    );
    let n = day.len().max(1);
    let width = W / n as f64;
    view! {
        <figure class="timeline">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" height="18" role="img" aria-label=label.clone() preserveAspectRatio="none">
                <rect x="0" y="0" width=W height=H class="timeline-bg"/>
                {(0..day.len())
                    .filter_map(|i| {
                        let class = match day.verdict(i) {
                            BucketVerdict::Empty => return None,
                            BucketVerdict::Ready => "tl-ready",
                            BucketVerdict::NotReady => "tl-bad",
                            BucketVerdict::Unknown => "tl-unknown",
                        };
                        let x = format!("{:.2}", i as f64 * width);
                        let w = format!("{:.2}", width);
                        Some(view! { <rect x=x y="0" width=w height=H class=class/> })
                    })
                    .collect_view()}
            </svg>
            <figcaption>{label}</figcaption>
        </figure>
    }
}
