//! Operations: maintenance windows started and ended by operators, the Alerts page, and an
//! administrator's test message to one channel.

use domain::alert::Delivery;
use domain::maintenance::MaintenanceWindow;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AlertsView;

/// Starts a maintenance window for `environment` now: its rounds spend no SLO budget and raise
/// no alert until it ends.
#[server(prefix = "/api", endpoint = "maintenance/start")]
pub async fn start_maintenance(
    environment: String,
    reason: String,
) -> Result<MaintenanceWindow, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let state = &caller.state;
    if state.config.environment(&environment).is_none() {
        return Err(AppError::NotFound(format!(
            "There is no environment named {environment}."
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::BadRequest(
            "Say in a few words why (at most 500 characters): it is shown to everyone.".into(),
        ));
    }
    let now = engine::clock::now_unix();
    let by = caller.who.name.clone();
    let window = state
        .maintenance
        .start(&state.store, &environment, reason, &by, now)
        .await?
        .map_err(|e| AppError::BadRequest(format!("{e}.")))?;
    caller
        .audit(
            "maintenance.start",
            &environment,
            serde_json::json!({"id": window.id, "reason": reason}),
        )
        .await;
    Ok(window)
}

/// Ends the open maintenance window `id` now.
#[server(prefix = "/api", endpoint = "maintenance/end")]
pub async fn end_maintenance(id: i64) -> Result<MaintenanceWindow, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let state = &caller.state;
    let now = engine::clock::now_unix();
    let window = state
        .maintenance
        .end(&state.store, id, &caller.who.name, now)
        .await?
        .map_err(|e| AppError::NotFound(format!("{e}.")))?;
    caller
        .audit(
            "maintenance.end",
            &window.environment,
            serde_json::json!({"id": id}),
        )
        .await;
    Ok(window)
}

/// Open incidents, the newest ones, every recent delivery and the channels.
#[server(prefix = "/api", endpoint = "alerts")]
pub async fn alerts_overview() -> Result<AlertsView, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = &caller.state;
    let store = &state.store;
    let last = store.last_delivery_per_channel().await?;
    let channels = state
        .alerts
        .channels()
        .map(|c| crate::model::ChannelInfo {
            name: c.name().to_string(),
            kind: c.kind().to_string(),
            last: last.iter().find(|d| d.channel == c.name()).cloned(),
        })
        .collect();
    Ok(AlertsView {
        open: store.open_incidents().await?,
        incidents: store.recent_incidents(50).await?,
        deliveries: store.recent_deliveries(100).await?,
        channels,
        now_unix: engine::clock::now_unix(),
    })
}

/// Sends a test message to channel `channel` now and says how it went.
#[server(prefix = "/api", endpoint = "alerts/test")]
pub async fn send_test_alert(channel: String) -> Result<Delivery, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    let state = &caller.state;
    let now = engine::clock::now_unix();
    let delivery = state
        .alerts
        .send_test(&state.store, &channel, &caller.who.name, now)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no alert channel named {channel}.")))?;
    caller
        .audit(
            "alerts.test",
            &channel,
            serde_json::json!({"state": delivery.state.as_str(), "error": delivery.error}),
        )
        .await;
    Ok(delivery)
}
