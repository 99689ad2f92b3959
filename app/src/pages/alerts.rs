//! The Alerts page: what is wrong now, the incidents before, and every message sent to every
//! channel with whether it arrived. Administrators send a test message per channel here.

use domain::alert::{Delivery, Incident};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::operations::{SendTestAlert, alerts_overview};
use crate::components::alert_channels::{ChannelList, delivery_badge};
use crate::components::load_error::LoadError;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::AlertsView;

fn when(unix: f64) -> String {
    format!("{} UTC", domain::time::minute_utc(unix))
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let test = ServerAction::<SendTestAlert>::new();
    let view_data = Resource::new(move || test.version().get(), |_| alerts_overview());
    crate::live::on_probe_round(move |_| view_data.refetch());
    view! {
        <Title text="Alerts"/>
        <h1>"Alerts"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading alerts…"</p> }>
            {move || Suspend::new(async move {
                let admin = crate::session::may(domain::auth::Role::Admin).await;
                match view_data.await {
                    Ok(data) => view! { <Alerts data admin test/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Alerts(data: AlertsView, admin: bool, test: ServerAction<SendTestAlert>) -> impl IntoView {
    let AlertsView {
        open,
        incidents,
        deliveries,
        channels,
        now_unix,
    } = data;
    view! {
        <section aria-labelledby="open-heading">
            <h2 id="open-heading">"Open now"</h2>
            {if open.is_empty() {
                view! { <p class="good">"Nothing is alerting."</p> }.into_any()
            } else {
                view! { <ul class="incident-list">{open.into_iter().map(|i| view! { <IncidentItem incident=i now_unix/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="channels-heading">
            <h2 id="channels-heading">"Channels"</h2>
            <ChannelList channels admin test/>
        </section>
        <section aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">"Messages sent"</h2>
            <DeliveryTable deliveries/>
        </section>
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"Incidents"</h2>
            {if incidents.is_empty() {
                view! { <p class="empty">"No incident yet."</p> }.into_any()
            } else {
                view! { <ul class="incident-list">{incidents.into_iter().map(|i| view! { <IncidentItem incident=i now_unix/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn IncidentItem(incident: Incident, now_unix: f64) -> impl IntoView {
    let (tone, state) = match incident.resolved_unix {
        None => (
            Tone::Bad,
            format!(
                "Open for {}",
                domain::time::human_duration(now_unix - incident.opened_unix)
            ),
        ),
        Some(at) => (Tone::Good, format!("Resolved {}", when(at))),
    };
    view! {
        <li class="incident">
            <StatusBadge tone label=state/>
            " "
            <a href=incident.alert.path.clone()><strong>{incident.alert.title.clone()}</strong></a>
            <p>{incident.alert.reason.clone()}</p>
            <p class="hint">{format!("Since {} · rule {}", when(incident.opened_unix), incident.alert.rule.as_str())}</p>
        </li>
    }
}

#[component]
fn DeliveryTable(deliveries: Vec<Delivery>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="empty">"No message has been sent yet."</p> }.into_any();
    }
    view! {
        <table class="deliveries">
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th><th scope="col">"Channel"</th><th scope="col">"Message"</th>
                    <th scope="col">"Result"</th>
                </tr>
            </thead>
            <tbody>
                {deliveries.into_iter().map(|d| {
                    let (tone, label) = delivery_badge(&d);
                    view! {
                        <tr class=format!("delivery delivery-{}", d.state.as_str())>
                            <td>{domain::time::minute_utc(d.created_unix)}</td>
                            <td>{d.channel.clone()}</td>
                            <td>{d.notification.subject()}</td>
                            <td>
                                <StatusBadge tone label/>
                                {d.error.clone().map(|e| view! { <br/><small class="delivery-error">{e}</small> })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
