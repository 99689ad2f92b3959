//! What the Status page reads: one card per environment, computed from the store when a round
//! is stored and kept in memory, so a viewer's request reads no database at all and costs the
//! same after a day or a month of history, for one viewer or fifty.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use domain::RuntimeReport;
use domain::day_strip::DaySummary;
use domain::health_formats::StrictFlags;
use domain::probe::Readiness;

use crate::clock::now_unix;
use crate::config::EnvironmentConfig;
use crate::error::Result;
use crate::probe::EnvironmentReport;
use crate::state::AppState;
use crate::store::Store;

/// A card older than this is computed again when read, so the 24 h window keeps sliding for
/// an environment that is probed rarely (or not at all while its loop is stopped).
const CARD_MAX_AGE: Duration = Duration::from_secs(30);
/// The console's own health on the Status page; the health endpoints always check afresh.
const CONSOLE_MAX_AGE: Duration = Duration::from_secs(5);

/// One environment's card.
#[derive(Debug, Clone)]
pub struct Card {
    pub computed_unix: f64,
    /// The newest round, its probes' raw evidence left out (the environment page has it).
    pub latest: Option<EnvironmentReport>,
    pub day: DaySummary,
    /// The newest round's verdict and since when it has held (unix seconds).
    pub streak: Option<(Readiness, f64)>,
    /// REDIS_REQUIRED / INNGEST_REQUIRED as the deployed service reported them in that round.
    pub deployed: Option<StrictFlags>,
}

impl Card {
    /// The verdict the card shows: the stable one after hysteresis, else (no history yet) the
    /// newest round's.
    pub fn shown_readiness(&self) -> Option<Readiness> {
        self.day
            .stable
            .map(|(r, _)| r)
            .or(self.latest.as_ref().map(|r| r.readiness))
    }

    /// The newest round's verdict and how many rounds in a row it has held (1 without history),
    /// for "Not ready in 2 of the 3 rounds needed to flip".
    pub fn latest_round(&self) -> Option<(Readiness, usize)> {
        let held = self.day.stable.map_or(1, |(_, run)| run);
        self.latest.as_ref().map(|r| (r.readiness, held))
    }

    /// The newest verdict and how long it has held at `now` (seconds).
    pub fn streak_at(&self, now: f64) -> Option<(Readiness, f64)> {
        self.streak.map(|(v, since)| (v, (now - since).max(0.0)))
    }
}

#[derive(Default)]
pub struct StatusBoard {
    cards: RwLock<HashMap<String, (Instant, Arc<Card>)>>,
    /// One computation at a time: fifty viewers finding a stale card compute it once.
    computing: tokio::sync::Mutex<()>,
    console: RwLock<Option<(Instant, RuntimeReport)>>,
    /// Moves on whenever anything the Status page shows was computed again.
    generation: AtomicU64,
}

impl StatusBoard {
    /// The card of `env`, computed now when missing or older than `CARD_MAX_AGE`.
    pub async fn card(&self, store: &Store, env: &EnvironmentConfig) -> Result<Arc<Card>> {
        if let Some(card) = self.fresh(env) {
            return Ok(card);
        }
        let _computing = self.computing.lock().await;
        if let Some(card) = self.fresh(env) {
            return Ok(card);
        }
        self.compute(store, env).await
    }

    /// Computes the card of `env` from the store now: after a round of it was stored.
    pub async fn refresh(&self, store: &Store, env: &EnvironmentConfig) -> Result<Arc<Card>> {
        let _computing = self.computing.lock().await;
        self.compute(store, env).await
    }

    /// Changes whenever a card or the console's health is computed again: an answer built
    /// from the board under one generation is current until it changes.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn fresh(&self, env: &EnvironmentConfig) -> Option<Arc<Card>> {
        let cards = self.cards.read().unwrap_or_else(|p| p.into_inner());
        let (at, card) = cards.get(env.name.as_str())?;
        (at.elapsed() < CARD_MAX_AGE).then(|| Arc::clone(card))
    }

    async fn compute(&self, store: &Store, env: &EnvironmentConfig) -> Result<Arc<Card>> {
        let now = now_unix();
        let name = env.name.as_str();
        let latest = store.latest_report(name).await?;
        let day = store
            .day_summary(name, now, env.flip_after_rounds, env.recover_after_rounds)
            .await?;
        let streak = store.streak_start(name).await?;
        let deployed = latest
            .as_ref()
            .and_then(EnvironmentReport::deployed_strict_flags);
        let card = Arc::new(Card {
            computed_unix: now,
            latest: latest.map(without_evidence),
            day,
            streak,
            deployed,
        });
        self.cards
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_string(), (Instant::now(), Arc::clone(&card)));
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(card)
    }

    /// The console's own health as the Status page shows it: measured at most every few
    /// seconds however many viewers ask.
    pub async fn console_health(&self, state: &AppState) -> RuntimeReport {
        if let Some((at, report)) = &*self.console.read().unwrap_or_else(|p| p.into_inner())
            && at.elapsed() < CONSOLE_MAX_AGE
        {
            return report.clone();
        }
        let report = crate::health::runtime_report(state).await;
        *self.console.write().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), report.clone()));
        self.generation.fetch_add(1, Ordering::AcqRel);
        report
    }
}

fn without_evidence(mut report: EnvironmentReport) -> EnvironmentReport {
    for probe in &mut report.probes {
        probe.evidence = serde_json::Value::Null;
    }
    report
}
