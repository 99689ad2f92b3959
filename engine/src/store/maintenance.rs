//! Operators' maintenance windows (declared ones live in the configuration).

use domain::maintenance::MaintenanceWindow;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{Error, Result};

fn window_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<MaintenanceWindow> {
    Ok(MaintenanceWindow {
        id: Some(r.get(0)?),
        environment: r.get(1)?,
        start_unix: r.get(2)?,
        end_unix: r.get(3)?,
        reason: r.get(4)?,
        started_by: r.get(5)?,
    })
}

/// Why a window could not be started or ended.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum MaintenanceError {
    #[error("{0} is already in a maintenance window; end it first")]
    AlreadyOpen(String),
    #[error("there is no open maintenance window with id {0}")]
    NotOpen(i64),
}

impl Store {
    /// Opens a window for `environment` now. At most one open window per environment.
    pub async fn start_maintenance(
        &self,
        environment: &str,
        reason: &str,
        by: &str,
        now: f64,
    ) -> Result<std::result::Result<MaintenanceWindow, MaintenanceError>> {
        let (env, reason, by) = (environment.to_string(), reason.to_string(), by.to_string());
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin maintenance", e))?;
            let open: Option<i64> = tx
                .query_row(
                    "SELECT id FROM maintenance_windows WHERE environment = ?1 AND end_unix IS NULL",
                    [&env],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| Error::db("read maintenance", e))?;
            if open.is_some() {
                return Ok(Err(MaintenanceError::AlreadyOpen(env)));
            }
            tx.execute(
                "INSERT INTO maintenance_windows (environment, start_unix, reason, started_by) VALUES (?1, ?2, ?3, ?4)",
                params![env, now, reason, by],
            )
            .map_err(|e| Error::db("start maintenance", e))?;
            let id = tx.last_insert_rowid();
            tx.commit().map_err(|e| Error::db("commit maintenance", e))?;
            Ok(Ok(MaintenanceWindow {
                id: Some(id),
                environment: env,
                start_unix: now,
                end_unix: None,
                reason,
                started_by: by,
            }))
        })
        .await
    }

    /// Ends open window `id` now.
    pub async fn end_maintenance(
        &self,
        id: i64,
        by: &str,
        now: f64,
    ) -> Result<std::result::Result<MaintenanceWindow, MaintenanceError>> {
        let by = by.to_string();
        self.write(move |conn| {
            let changed = conn
                .execute(
                    "UPDATE maintenance_windows SET end_unix = MAX(?2, start_unix), ended_by = ?3 WHERE id = ?1 AND end_unix IS NULL",
                    params![id, now, by],
                )
                .map_err(|e| Error::db("end maintenance", e))?;
            if changed == 0 {
                return Ok(Err(MaintenanceError::NotOpen(id)));
            }
            conn.query_row(
                "SELECT id, environment, start_unix, end_unix, reason, started_by FROM maintenance_windows WHERE id = ?1",
                [id],
                window_of,
            )
            .map(Ok)
            .map_err(|e| Error::db("read maintenance", e))
        })
        .await
    }

    /// Stored windows still open or ended after `from`, oldest first.
    pub async fn maintenance_since(&self, from: f64) -> Result<Vec<MaintenanceWindow>> {
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT id, environment, start_unix, end_unix, reason, started_by FROM maintenance_windows
                     WHERE end_unix IS NULL OR end_unix > ?1 ORDER BY start_unix, id",
                )
                .map_err(|e| Error::db("read maintenance", e))?;
            let rows = stmt
                .query_map([from], window_of)
                .map_err(|e| Error::db("read maintenance", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read maintenance", e))
        })
        .await
    }
}
