//! Alert incidents and deliveries. An incident's alert and a delivery's notification are kept in
//! the serde form their domain types own.

use domain::alert::{Alert, Delivery, DeliveryState, Incident, Notification};
use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::DatabaseState {
        context: "encode alert".into(),
        message: e.to_string(),
    })
}

fn parsed<T: serde::de::DeserializeOwned>(i: usize, text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn incident_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: r.get(0)?,
        alert: parsed(1, &r.get::<_, String>(1)?)?,
        opened_unix: r.get(2)?,
        last_notified_unix: r.get(3)?,
        resolved_unix: r.get(4)?,
    })
}

fn delivery_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    let state: String = r.get(3)?;
    Ok(Delivery {
        id: r.get(0)?,
        channel: r.get(1)?,
        notification: parsed(2, &r.get::<_, String>(2)?)?,
        state: DeliveryState::parse(&state).unwrap_or(DeliveryState::Failed),
        attempts: r.get(4)?,
        created_unix: r.get(5)?,
        finished_unix: r.get(6)?,
        error: r.get(7)?,
    })
}

const INCIDENT: &str =
    "SELECT id, alert_json, opened_unix, last_notified_unix, resolved_unix FROM alert_incidents";
const DELIVERY: &str = "SELECT id, channel, notification_json, state, attempts, created_unix, finished_unix, error FROM alert_deliveries";

impl Store {
    pub async fn open_incidents(&self) -> Result<Vec<Incident>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "{INCIDENT} WHERE resolved_unix IS NULL ORDER BY id"
                ))
                .map_err(|e| Error::db("read incidents", e))?;
            let rows = stmt
                .query_map([], incident_of)
                .map_err(|e| Error::db("read incidents", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read incidents", e))
        })
        .await
    }

    /// The newest incidents, open or not.
    pub async fn recent_incidents(&self, limit: usize) -> Result<Vec<Incident>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(&format!("{INCIDENT} ORDER BY id DESC LIMIT ?1"))
                .map_err(|e| Error::db("read incidents", e))?;
            let rows = stmt
                .query_map([limit as i64], incident_of)
                .map_err(|e| Error::db("read incidents", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read incidents", e))
        })
        .await
    }

    pub async fn open_incident(&self, alert: &Alert, now: f64) -> Result<Incident> {
        let text = json(alert)?;
        let alert = alert.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO alert_incidents (key, alert_json, opened_unix, last_notified_unix) VALUES (?1, ?2, ?3, ?3)",
                params![alert.key, text, now],
            )
            .map_err(|e| Error::db("open incident", e))?;
            Ok(Incident {
                id: conn.last_insert_rowid(),
                alert,
                opened_unix: now,
                last_notified_unix: now,
                resolved_unix: None,
            })
        })
        .await
    }

    /// Records that an open incident was notified again, with its current words.
    pub async fn renotified_incident(&self, id: i64, alert: &Alert, now: f64) -> Result<()> {
        let text = json(alert)?;
        self.write(move |conn| {
            conn.execute(
                "UPDATE alert_incidents SET last_notified_unix = ?2, alert_json = ?3 WHERE id = ?1",
                params![id, now, text],
            )
            .map(drop)
            .map_err(|e| Error::db("update incident", e))
        })
        .await
    }

    pub async fn resolve_incident(&self, id: i64, now: f64) -> Result<()> {
        self.write(move |conn| {
            conn.execute(
                "UPDATE alert_incidents SET resolved_unix = ?2 WHERE id = ?1 AND resolved_unix IS NULL",
                params![id, now],
            )
            .map(drop)
            .map_err(|e| Error::db("resolve incident", e))
        })
        .await
    }

    /// Stores a message for `channel` as pending; returns the delivery's id.
    pub async fn queue_delivery(
        &self,
        incident: Option<i64>,
        channel: &str,
        notification: &Notification,
    ) -> Result<i64> {
        let text = json(notification)?;
        let (channel, event, now) = (
            channel.to_string(),
            notification.event.as_str(),
            notification.sent_unix,
        );
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO alert_deliveries (incident_id, channel, event, notification_json, state, created_unix)
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5)",
                params![incident, channel, event, text, now],
            )
            .map_err(|e| Error::db("queue delivery", e))?;
            Ok(conn.last_insert_rowid())
        })
        .await
    }

    /// Records an attempt: still pending (with the error of the failed attempt), delivered, or
    /// failed for good.
    pub async fn record_attempt(
        &self,
        id: i64,
        state: DeliveryState,
        attempts: u32,
        error: Option<String>,
        now: f64,
    ) -> Result<()> {
        let finished = (state != DeliveryState::Pending).then_some(now);
        self.write(move |conn| {
            conn.execute(
                "UPDATE alert_deliveries SET state = ?2, attempts = ?3, error = ?4, finished_unix = ?5 WHERE id = ?1",
                params![id, state.as_str(), attempts, error, finished],
            )
            .map(drop)
            .map_err(|e| Error::db("record delivery", e))
        })
        .await
    }

    /// Deliveries not finished yet (to resume after a restart).
    pub async fn pending_deliveries(&self) -> Result<Vec<Delivery>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare(&format!("{DELIVERY} WHERE state = 'pending' ORDER BY id"))
                .map_err(|e| Error::db("read deliveries", e))?;
            let rows = stmt
                .query_map([], delivery_of)
                .map_err(|e| Error::db("read deliveries", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read deliveries", e))
        })
        .await
    }

    /// The newest deliveries, newest first.
    pub async fn recent_deliveries(&self, limit: usize) -> Result<Vec<Delivery>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(&format!("{DELIVERY} ORDER BY id DESC LIMIT ?1"))
                .map_err(|e| Error::db("read deliveries", e))?;
            let rows = stmt
                .query_map([limit as i64], delivery_of)
                .map_err(|e| Error::db("read deliveries", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read deliveries", e))
        })
        .await
    }

    /// Per channel, its newest finished delivery (for the Settings page).
    pub async fn last_delivery_per_channel(&self) -> Result<Vec<Delivery>> {
        self.read(|conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "{DELIVERY} WHERE id IN (SELECT MAX(id) FROM alert_deliveries WHERE state != 'pending' GROUP BY channel) ORDER BY channel"
                ))
                .map_err(|e| Error::db("read deliveries", e))?;
            let rows = stmt.query_map([], delivery_of).map_err(|e| Error::db("read deliveries", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read deliveries", e))
        })
        .await
    }
}
