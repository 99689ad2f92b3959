//! Readiness history: one sample per probe round.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::{Error, Result};
use crate::probe::EnvironmentReport;

/// One point of an environment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplePoint {
    pub unix: f64,
    pub readiness: String,
}

fn readiness_word(report: &EnvironmentReport) -> &'static str {
    match report.readiness {
        domain::probe::Readiness::Ready => "ready",
        domain::probe::Readiness::NotReady => "not_ready",
        domain::probe::Readiness::Unknown => "unknown",
    }
}

impl Store {
    pub async fn insert_sample(&self, unix: f64, report: &EnvironmentReport) -> Result<()> {
        let json = serde_json::to_string(report).map_err(|e| Error::DatabaseState {
            context: "encode sample".into(),
            message: e.to_string(),
        })?;
        let (env, readiness) = (report.environment.clone(), readiness_word(report));
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO probe_samples (environment, checked_unix, readiness, report_json) VALUES (?1, ?2, ?3, ?4)",
                params![env, unix, readiness, json],
            )
            .map_err(|e| Error::db("insert probe sample", e))?;
            Ok(())
        })
        .await
    }

    pub async fn latest_report(&self, environment: &str) -> Result<Option<EnvironmentReport>> {
        let env = environment.to_string();
        let json: Option<String> = self
            .write(move |conn| {
                conn.query_row(
                    "SELECT report_json FROM probe_samples WHERE environment = ?1 ORDER BY checked_unix DESC, id DESC LIMIT 1",
                    [env],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| Error::db("read latest sample", e))
            })
            .await?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Verdicts since `since_unix`, oldest first.
    pub async fn samples_since(
        &self,
        environment: &str,
        since_unix: f64,
    ) -> Result<Vec<SamplePoint>> {
        let env = environment.to_string();
        self.write(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT checked_unix, readiness FROM probe_samples
                     WHERE environment = ?1 AND checked_unix >= ?2 ORDER BY checked_unix, id",
                )
                .map_err(|e| Error::db("read samples", e))?;
            let rows = stmt
                .query_map(params![env, since_unix], |r| {
                    Ok(SamplePoint {
                        unix: r.get(0)?,
                        readiness: r.get(1)?,
                    })
                })
                .map_err(|e| Error::db("read samples", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read samples", e))
        })
        .await
    }

    /// When the current unbroken run of the latest verdict began (unix seconds).
    pub async fn streak_start(&self, environment: &str) -> Result<Option<(String, f64)>> {
        let env = environment.to_string();
        self.write(move |conn| {
            let latest: Option<(String, f64)> = conn
                .query_row(
                    "SELECT readiness, checked_unix FROM probe_samples WHERE environment = ?1 ORDER BY checked_unix DESC, id DESC LIMIT 1",
                    [&env],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(|e| Error::db("read streak", e))?;
            let Some((verdict, _)) = latest else { return Ok(None) };
            // The first sample after the last one with a different verdict.
            let start: f64 = conn
                .query_row(
                    "SELECT MIN(checked_unix) FROM probe_samples WHERE environment = ?1 AND checked_unix >
                       COALESCE((SELECT MAX(checked_unix) FROM probe_samples WHERE environment = ?1 AND readiness != ?2), -1)",
                    params![env, verdict],
                    |r| r.get(0),
                )
                .map_err(|e| Error::db("read streak", e))?;
            Ok(Some((verdict, start)))
        })
        .await
    }
}
