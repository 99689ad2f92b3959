//! An environment's SLOs: for each, the value against its target, the error budget left (as a
//! share and as time) and the burn rates, with the alert it is in. Also the compact line the
//! Status card shows.

use domain::slo::{Burn, Evaluation, percent};
use leptos::prelude::*;

use crate::components::status_badge::{StatusBadge, Tone};

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |r| format!("{r:.1}×"))
}

fn burn_badge(e: &Evaluation) -> (Tone, &'static str) {
    match (e.alert, e.budget_left) {
        (Some(Burn::Fast), _) => (Tone::Bad, "Fast burn: paging"),
        (Some(Burn::Slow), _) => (Tone::Warn, "Slow burn: ticket"),
        (None, Some(left)) if left < 0.0 => (Tone::Bad, "Budget spent"),
        (None, None) => (Tone::Unknown, "No rounds yet"),
        _ => (Tone::Good, "Within budget"),
    }
}

fn value_words(e: &Evaluation) -> String {
    e.value.map_or_else(|| "no rounds yet".into(), percent)
}

#[component]
pub fn SloPanel(slos: Vec<Evaluation>) -> impl IntoView {
    if slos.is_empty() {
        return view! {
            <p class="empty">"No SLOs are configured for this environment. Add [[environments.slos]] to greenlight.toml (see the README)."</p>
        }
        .into_any();
    }
    view! {
        <table class="slo-table">
            <caption>"Error budget = the share of rounds the target allows to be bad. Burn rate 1× spends it exactly over the window; paging at 14.4× (1 h and 5 min), a ticket at 6× (6 h and 30 min)."</caption>
            <thead>
                <tr>
                    <th scope="col">"SLO"</th>
                    <th scope="col">"Now"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Budget left"</th>
                    <th scope="col">"Burn 1 h / 5 min"</th>
                    <th scope="col">"Burn 6 h / 30 min"</th>
                    <th scope="col">"State"</th>
                </tr>
            </thead>
            <tbody>
                {slos
                    .into_iter()
                    .map(|e| {
                        let (tone, label) = burn_badge(&e);
                        let left = e
                            .budget_left
                            .map_or_else(|| "—".into(), |l| format!("{} ({})", percent(l.max(-9.99)), e.budget_words()));
                        view! {
                            <tr data-slo=e.name.clone()>
                                <th scope="row">{e.name.clone()}<br/><small>{e.description.clone()}</small></th>
                                <td>{value_words(&e)}<br/><small>{format!("{} of {} rounds good", e.rounds.good, e.rounds.total)}</small></td>
                                <td>{percent(e.target)}</td>
                                <td>{left}</td>
                                <td>{format!("{} / {}", rate(e.burn_1h), rate(e.burn_5m))}</td>
                                <td>{format!("{} / {}", rate(e.burn_6h), rate(e.burn_30m))}</td>
                                <td><StatusBadge tone label=label.to_string()/></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// One line for the Status card: "SLOs: uptime 99.95 % (72 % of budget left) · ...".
pub fn compact_line(slos: &[Evaluation]) -> Option<String> {
    if slos.is_empty() {
        return None;
    }
    let parts: Vec<String> = slos
        .iter()
        .map(|e| {
            let state = match e.alert {
                Some(Burn::Fast) => " fast burn",
                Some(Burn::Slow) => " slow burn",
                None => "",
            };
            match e.budget_left {
                Some(left) => format!(
                    "{} {} ({} of budget left{state})",
                    e.name,
                    value_words(e),
                    percent(left.max(-9.99))
                ),
                None => format!("{} {}", e.name, value_words(e)),
            }
        })
        .collect();
    Some(format!("SLOs: {}", parts.join(" · ")))
}
