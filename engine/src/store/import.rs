//! Importing history that is older than the raw retention: whole-hour rollups, as the pruning
//! pass would have left them. Used to seed a lived-in console (benchmarks, tests) and to carry
//! history from another store.

use std::collections::BTreeMap;

use domain::history::{LatencyHistogram, RoundCounts};

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
                super::samples::add_to_rollup(
                    &tx,
                    &hour.environment,
                    hour.hour_unix,
                    hour.rounds,
                    |latency| {
                        for (probe, h) in &hour.latency {
                            latency.entry(probe.clone()).or_default().merge(h);
                        }
                    },
                )?;
            }
            tx.commit()
                .map_err(|e| Error::db("commit imported rollups", e))
        })
        .await
    }
}
