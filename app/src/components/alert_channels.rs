//! The configured alert channels with how each one's newest message went, and (for admins) a
//! "Send test alert" button per channel. On the Alerts and Settings pages.

use domain::alert::{Delivery, DeliveryState};
use leptos::prelude::*;

use crate::api::operations::SendTestAlert;
use crate::components::load_error::LoadError;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::ChannelInfo;

pub fn delivery_badge(d: &Delivery) -> (Tone, String) {
    match d.state {
        DeliveryState::Delivered => (Tone::Good, "Delivered".into()),
        DeliveryState::Failed => (
            Tone::Bad,
            format!(
                "Failed after {} attempt{}",
                d.attempts,
                if d.attempts == 1 { "" } else { "s" }
            ),
        ),
        DeliveryState::Pending if d.attempts == 0 => (Tone::Unknown, "Sending".into()),
        DeliveryState::Pending => (Tone::Warn, format!("Retrying ({} failed)", d.attempts)),
    }
}

#[component]
pub fn ChannelList(
    channels: Vec<ChannelInfo>,
    admin: bool,
    test: ServerAction<SendTestAlert>,
) -> impl IntoView {
    if channels.is_empty() {
        return view! {
            <p class="empty">"No channel is configured: alerts are stored and shown here only. Add [[alerts.channels]] to greenlight.toml (see the README)."</p>
        }
        .into_any();
    }
    let pending = test.pending();
    view! {
        <ul class="channel-list">
            {channels.into_iter().map(|c| {
                let last = c.last.as_ref().map(|d| {
                    let (tone, label) = delivery_badge(d);
                    view! {
                        " " <StatusBadge tone label/>
                        {d.error.clone().map(|e| view! { <span class="delivery-error">{format!(" {e}")}</span> })}
                    }
                });
                let name = c.name.clone();
                let label = format!("Send a test alert to {}", c.name);
                view! {
                    <li data-channel=c.name.clone()>
                        <strong>{c.name.clone()}</strong>{format!(" ({})", c.kind)}
                        {last}
                        {admin.then(|| view! {
                            " "
                            <button type="button" class="button button-secondary" aria-label=label
                                disabled=move || pending.get()
                                on:click=move |_| { test.dispatch(SendTestAlert { channel: name.clone() }); }>
                                "Send test alert"
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || test.value().get().map(|result| match result {
            Ok(d) => {
                let (_, label) = delivery_badge(&d);
                view! { <p role="status">{format!("Test to {}: {label}{}", d.channel, d.error.map(|e| format!(" — {e}")).unwrap_or_default())}</p> }.into_any()
            }
            Err(error) => view! { <LoadError error/> }.into_any(),
        })}
    }
    .into_any()
}
