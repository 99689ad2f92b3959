//! Importing history that is older than the raw retention: whole-hour rollups, as the pruning
//! pass would have left them. Used to seed a lived-in console (benchmarks, tests) and to carry
//! history from another store.

use std::collections::BTreeMap;

use domain::history::{LatencyHistogram, RoundCounts};
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{Error, Result};

/// One environment's hour of rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct RollupHour {
    pub environment: String,
    /// The hour's start (unix seconds, a multiple of 3600).
    pub hour_unix: i64,
    pub rounds: RoundCounts,
    /// Probe name (and `round`) → latency histogram.
    pub latency: BTreeMap<String, LatencyHistogram>,
}

impl Store {
    /// Adds hours to the rollups in one transaction; an hour already stored is merged (counts
    /// added, histograms merged). Hours must be whole (`hour_unix % 3600 == 0`).
    pub async fn import_rollups(&self, hours: Vec<RollupHour>) -> Result<()> {
        if let Some(bad) = hours.iter().find(|h| h.hour_unix % 3_600 != 0) {
            return Err(Error::DatabaseState {
                context: "import rollups".into(),
                message: format!("{} is not the start of an hour", bad.hour_unix),
            });
        }
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin importing rollups", e))?;
            for hour in &hours {
                let existing: Option<String> = tx
                    .query_row(
                        "SELECT latency_json FROM probe_rollups WHERE environment = ?1 AND hour_unix = ?2",
                        params![hour.environment, hour.hour_unix],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(|e| Error::db("read rollup", e))?;
                let mut latency: BTreeMap<String, LatencyHistogram> = existing
                    .and_then(|j| serde_json::from_str(&j).ok())
                    .unwrap_or_default();
                for (probe, h) in &hour.latency {
                    latency.entry(probe.clone()).or_default().merge(h);
                }
                let json = serde_json::to_string(&latency).map_err(|e| Error::DatabaseState {
                    context: "encode rollup".into(),
                    message: e.to_string(),
                })?;
                let c = hour.rounds;
                tx.execute(
                    "INSERT INTO probe_rollups (environment, hour_unix, ready, not_ready, unknown, latency_json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (environment, hour_unix) DO UPDATE SET
                       ready = ready + excluded.ready, not_ready = not_ready + excluded.not_ready,
                       unknown = unknown + excluded.unknown, latency_json = excluded.latency_json",
                    params![hour.environment, hour.hour_unix, c.ready, c.not_ready, c.unknown, json],
                )
                .map_err(|e| Error::db("import rollup", e))?;
            }
            tx.commit().map_err(|e| Error::db("commit imported rollups", e))
        })
        .await
    }
}
