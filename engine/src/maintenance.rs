//! The maintenance calendar: declared windows from the configuration and operators' windows
//! from the store, kept in memory (every stored round asks whether it falls inside one).

use std::sync::RwLock;

use domain::maintenance::MaintenanceWindow;

use crate::error::Result;
use crate::store::Store;
use crate::store::maintenance::MaintenanceError;

#[derive(Default)]
pub struct Calendar {
    declared: Vec<MaintenanceWindow>,
    /// Operators' windows still open or recently ended.
    stored: RwLock<Vec<MaintenanceWindow>>,
}

/// Operators' windows ended longer ago than this are not kept in memory (pages read them from
/// the store).
const KEEP_SECS: f64 = 35.0 * 86_400.0;

impl Calendar {
    pub fn new(declared: Vec<MaintenanceWindow>) -> Self {
        Self {
            declared,
            stored: RwLock::default(),
        }
    }

    /// Reads the operators' windows from the store.
    pub async fn load(&self, store: &Store, now: f64) -> Result<()> {
        let windows = store.maintenance_since(now - KEEP_SECS).await?;
        *self.stored.write().unwrap_or_else(|p| p.into_inner()) = windows;
        Ok(())
    }

    /// The window covering `environment` at `unix`.
    pub fn active(&self, environment: &str, unix: f64) -> Option<MaintenanceWindow> {
        if let Some(w) = domain::maintenance::active(&self.declared, environment, unix) {
            return Some(w.clone());
        }
        let stored = self.stored.read().unwrap_or_else(|p| p.into_inner());
        domain::maintenance::active(&stored, environment, unix).cloned()
    }

    /// Windows of `environment` overlapping `from..to`, oldest first (for the history chart).
    pub fn overlapping(&self, environment: &str, from: f64, to: f64) -> Vec<MaintenanceWindow> {
        let stored = self.stored.read().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<MaintenanceWindow> = self
            .declared
            .iter()
            .chain(stored.iter())
            .filter(|w| w.environment == environment && w.overlaps(from, to))
            .cloned()
            .collect();
        out.sort_by(|a, b| a.start_unix.total_cmp(&b.start_unix));
        out
    }

    pub async fn start(
        &self,
        store: &Store,
        environment: &str,
        reason: &str,
        by: &str,
        now: f64,
    ) -> Result<std::result::Result<MaintenanceWindow, MaintenanceError>> {
        let started = store
            .start_maintenance(environment, reason, by, now)
            .await?;
        self.load(store, now).await?;
        Ok(started)
    }

    pub async fn end(
        &self,
        store: &Store,
        id: i64,
        by: &str,
        now: f64,
    ) -> Result<std::result::Result<MaintenanceWindow, MaintenanceError>> {
        let ended = store.end_maintenance(id, by, now).await?;
        self.load(store, now).await?;
        Ok(ended)
    }
}
