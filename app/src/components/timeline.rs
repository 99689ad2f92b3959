//! The 24-hour strip of readiness buckets on a Status card.

use domain::day_strip::{BucketVerdict, DayStrip};
use leptos::prelude::*;

/// The last 24 h of readiness as a strip of 15-minute buckets (newest at the right): green
/// where every round was ready, red where any round was not, amber where one could not be
/// measured, blank where nothing was probed. The caption gives the exact counts, so colour is
/// never alone. Adjacent buckets of one colour are drawn as one rectangle, and each colour as
/// one path: three elements whatever the history, which keeps the page small and fast to render.
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
    let width = W / day.len().max(1) as f64;
    let path_of = |wanted: BucketVerdict| {
        let mut d = String::new();
        let mut i = 0;
        while i < day.len() {
            if day.verdict(i) != wanted {
                i += 1;
                continue;
            }
            let start = i;
            while i < day.len() && day.verdict(i) == wanted {
                i += 1;
            }
            d.push_str(&format!(
                "M{:.2} 0h{:.2}v{H}h-{:.2}z",
                start as f64 * width,
                (i - start) as f64 * width,
                (i - start) as f64 * width
            ));
        }
        d
    };
    let ready = path_of(BucketVerdict::Ready);
    let bad = path_of(BucketVerdict::NotReady);
    let unknown = path_of(BucketVerdict::Unknown);
    view! {
        <figure class="timeline">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" height="18" role="img" aria-label=label.clone() preserveAspectRatio="none">
                <rect x="0" y="0" width=W height=H class="timeline-bg"/>
                <path d=ready class="tl-ready"/>
                <path d=bad class="tl-bad"/>
                <path d=unknown class="tl-unknown"/>
            </svg>
            <figcaption>{label}</figcaption>
        </figure>
    }
}
