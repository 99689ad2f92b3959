//! Every environment's SLO ledgers in memory: loaded from the store once at start, then kept
//! current as rounds are stored, so evaluating all objectives reads no database and costs the
//! same after a day or a month of history.

use std::collections::HashMap;
use std::sync::RwLock;

use domain::maintenance::MaintenanceWindow;
use domain::slo::{Counts, Evaluation, Ledger};

use crate::config::{Config, EnvironmentConfig};
use crate::error::Result;
use crate::probe::EnvironmentReport;
use crate::store::Store;

#[derive(Default)]
pub struct SloBook {
    /// (environment, objective) → ledger.
    ledgers: RwLock<HashMap<(String, String), Ledger>>,
}

impl SloBook {
    /// Reads the stored counts of every configured objective.
    pub async fn load(&self, store: &Store, config: &Config, now: f64) -> Result<()> {
        let longest = config
            .environments
            .iter()
            .flat_map(|e| &e.slos)
            .map(|o| o.window_secs)
            .fold(0.0, f64::max);
        if longest == 0.0 {
            return Ok(());
        }
        let stored = store
            .slo_ledgers(
                now - longest - 3_600.0,
                now - domain::slo::MINUTES_KEPT_SECS,
            )
            .await?;
        let mut ledgers = self.ledgers.write().unwrap_or_else(|p| p.into_inner());
        for env in &config.environments {
            for slo in &env.slos {
                let key = (env.name.to_string(), slo.name.clone());
                let ledger = stored.get(&key).cloned().unwrap_or_default();
                ledgers.insert(key, ledger);
            }
        }
        Ok(())
    }

    /// The round's count for each objective of `env`; none when the round is inside a
    /// maintenance window (it spends no budget).
    pub fn judge(
        env: &EnvironmentConfig,
        report: &EnvironmentReport,
        maintenance: Option<&MaintenanceWindow>,
    ) -> Vec<(String, Counts)> {
        if maintenance.is_some() {
            return Vec::new();
        }
        env.slos
            .iter()
            .filter_map(|slo| {
                let good = slo.judge(report.readiness, &report.probes)?;
                Some((slo.name.clone(), Counts::of(good)))
            })
            .collect()
    }

    /// Adds a stored round's counts.
    pub fn record(&self, env: &EnvironmentConfig, unix: f64, counts: &[(String, Counts)]) {
        let mut ledgers = self.ledgers.write().unwrap_or_else(|p| p.into_inner());
        for (name, c) in counts {
            let Some(slo) = env.slos.iter().find(|s| &s.name == name) else {
                continue;
            };
            let ledger = ledgers
                .entry((env.name.to_string(), name.clone()))
                .or_default();
            ledger.record(unix, *c);
            ledger.prune(unix, slo.window_secs);
        }
    }

    /// Every objective of `env` at `now`, in configuration order.
    pub fn evaluate(&self, env: &EnvironmentConfig, now: f64) -> Vec<Evaluation> {
        let ledgers = self.ledgers.read().unwrap_or_else(|p| p.into_inner());
        let empty = Ledger::default();
        let round_secs = env.probe_interval.as_secs_f64();
        env.slos
            .iter()
            .map(|slo| {
                let ledger = ledgers
                    .get(&(env.name.to_string(), slo.name.clone()))
                    .unwrap_or(&empty);
                slo.evaluate(ledger, now, round_secs)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
