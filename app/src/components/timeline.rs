use leptos::prelude::*;

/// The last 24 h of readiness as a strip: one bar per probe round, placed by time (newest at
/// the right), coloured and labelled so it does not rely on colour alone.
#[component]
pub fn Timeline(points: Vec<(f64, String)>) -> impl IntoView {
    const W: f64 = 288.0;
    const H: f64 = 18.0;
    let ready = points.iter().filter(|(_, r)| r == "ready").count();
    let label = format!(
        "Readiness over the last 24 hours: {ready} of {} probe rounds ready",
        points.len()
    );
    view! {
        <figure class="timeline">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" height="18" role="img" aria-label=label.clone() preserveAspectRatio="none">
                <rect x="0" y="0" width=W height=H class="timeline-bg"/>
                {points
                    .iter()
                    .map(|(ago, verdict)| {
                        let x = W - (ago / 86_400.0 * W).clamp(0.0, W);
                        let class = match verdict.as_str() {
                            "ready" => "tl-ready",
                            "not_ready" => "tl-bad",
                            _ => "tl-unknown",
                        };
                        view! { <rect x=format!("{:.2}", (x - 1.5).max(0.0)) y="0" width="1.5" height=H class=class/> }
                    })
                    .collect_view()}
            </svg>
            <figcaption>{label}</figcaption>
        </figure>
    }
}
