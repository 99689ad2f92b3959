//! What every request handler and server function shares.

use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use crate::replay::manager::ReplayManager;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub replays: Arc<ReplayManager>,
    pub started: Instant,
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Self {
        Self {
            config: Arc::new(config),
            store,
            replays: Arc::new(ReplayManager::default()),
            started: Instant::now(),
        }
    }
}
