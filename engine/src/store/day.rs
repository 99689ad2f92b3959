//! The last 24 hours of one environment for its Status card, in one read of its rounds.

use domain::day_strip::{DaySummary, DaySummaryBuilder};
use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};
use domain::probe::Readiness;

impl Store {
    /// Rounds of the 24 hours before `end_unix`, folded into the card's fixed buckets, exact
    /// counts and latency percentiles, and the verdict after hysteresis. Only the round latency
    /// is read (by `json_extract`), not the whole stored report.
    pub async fn day_summary(
        &self,
        environment: &str,
        end_unix: f64,
        flip_after: usize,
        recover_after: usize,
    ) -> Result<DaySummary> {
        let env = environment.to_string();
        self.read(move |conn| {
            let mut day = DaySummaryBuilder::new(end_unix);
            let mut stmt = conn
                .prepare_cached(
                    "SELECT checked_unix, readiness, json_extract(latencies_json, '$.round') FROM probe_samples
                     WHERE environment = ?1 AND checked_unix >= ?2 AND checked_unix <= ?3
                     ORDER BY checked_unix, id",
                )
                .map_err(|e| Error::db("read the day's rounds", e))?;
            let mut rows = stmt
                .query(params![env, day.start_unix(), end_unix])
                .map_err(|e| Error::db("read the day's rounds", e))?;
            while let Some(row) = rows.next().map_err(|e| Error::db("read the day's rounds", e))? {
                let unix: f64 = row.get(0).map_err(|e| Error::db("read a round", e))?;
                let word: String = row.get(1).map_err(|e| Error::db("read a round", e))?;
                let ms: Option<f64> = row.get(2).map_err(|e| Error::db("read a round", e))?;
                day.push(unix, Readiness::parse(&word), ms);
            }
            Ok(day.finish(flip_after, recover_after))
        })
        .await
    }
}
