//! What every request handler and server function shares.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{broadcast, watch};

use crate::config::Config;
use crate::probe::Prober;
use crate::replay::background::BackgroundReplays;
use crate::status_board::StatusBoard;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    /// The Status page's cards, kept current as rounds are stored.
    pub board: Arc<StatusBoard>,
    pub replays: Arc<BackgroundReplays>,
    /// The probes' HTTP client, shared so connections are reused; trusts `[server] ca_file`.
    pub prober: Prober,
    pub started: Instant,
    /// The name of each environment whose probe round was just stored: what live pages
    /// subscribe to (`/api/events`).
    pub rounds: broadcast::Sender<String>,
    /// Becomes true when the console begins shutting down: long-lived responses (event
    /// streams) end so the graceful shutdown does not wait for them.
    pub stopping: watch::Sender<bool>,
    /// What `GET /metrics` shows (see `metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Go-live verdicts measured a moment ago (see `golive::recent`).
    pub verdicts: Arc<crate::golive::recent::RecentVerdicts>,
    /// Every environment's SLO ledgers.
    pub slo: Arc<crate::slo_book::SloBook>,
    /// Declared and operators' maintenance windows.
    pub maintenance: Arc<crate::maintenance::Calendar>,
    pub alerts: Arc<crate::alerts::Alerter>,
    /// Practice mode's services, when the console runs on its embedded default.
    pub practice: Option<Arc<crate::practice::Practice>>,
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Self {
        let roots = config.server.roots.clone();
        let metrics = Arc::<crate::metrics::Metrics>::default();
        Self {
            alerts: Arc::new(crate::alerts::Alerter::new(
                &config.alerts,
                &roots,
                Arc::clone(&metrics),
            )),
            maintenance: Arc::new(crate::maintenance::Calendar::new(
                config.maintenance.clone(),
            )),
            slo: Arc::default(),
            prober: Prober::new(crate::probe::DEFAULT_TIMEOUT, &roots),
            config: Arc::new(config),
            store,
            board: Arc::new(StatusBoard::default()),
            replays: Arc::new(BackgroundReplays::new(roots, Arc::clone(&metrics))),
            started: Instant::now(),
            rounds: broadcast::channel(256).0,
            stopping: watch::channel(false).0,
            verdicts: Arc::default(),
            metrics,
            practice: None,
        }
    }

    /// The state of a console that runs practice mode's services.
    pub fn with_practice(mut self, practice: Arc<crate::practice::Practice>) -> Self {
        self.practice = Some(practice);
        self
    }

    /// Reads what operations keep in memory (SLO ledgers, operators' maintenance windows) and
    /// resumes alert deliveries a previous run left pending. Call once before serving.
    pub async fn load_operations(&self) -> crate::Result<()> {
        let now = crate::clock::now_unix();
        self.slo.load(&self.store, &self.config, now).await?;
        self.maintenance.load(&self.store, now).await?;
        let resumed = self.alerts.resume_pending(&self.store).await?;
        if resumed > 0 {
            tracing::info!(resumed, "resuming alert deliveries left pending");
        }
        Ok(())
    }
}
