//! Practice mode at start-up: on the embedded default (no `--config`), the practice services
//! are started and the configuration is made again with the lines that watch them. With a
//! configuration of the user's own nothing is started.

use std::sync::Arc;
use std::time::Duration;

use domain::practice::Side;
use engine::config::ConfigSource;
use engine::practice::{Options, Practice};
use engine::{Config, Overrides};

/// How long a slowed practice service keeps a request: past the probe timeout.
const SLOW_BEYOND_TIMEOUT: Duration = Duration::from_secs(2);

/// `config` with practice mode's environments, and the running practice services; `config`
/// unchanged when practice mode does not apply (`enabled` false, or a file of the user's own)
/// or cannot start, which is logged in words and never stops the console.
pub async fn attach(
    config: Config,
    enabled: bool,
    stability: Duration,
    overrides: &Overrides,
) -> Result<(Config, Option<Arc<Practice>>), String> {
    if !enabled || !matches!(config.source, ConfigSource::EmbeddedExample(_)) {
        return Ok((config, None));
    }
    let options = Options {
        data_dir: config.server.data_dir.clone(),
        stability,
        slow_delay: engine::probe::DEFAULT_TIMEOUT + SLOW_BEYOND_TIMEOUT,
    };
    let practice = match Practice::start(options).await {
        Ok(practice) => Arc::new(practice),
        Err(e) => {
            tracing::warn!("practice mode is off: {e}");
            return Ok((config, None));
        }
    };
    let names = Side::BOTH.map(Side::name);
    let made = Config::embedded_with(&practice.config_lines(), &names, overrides);
    let mut practised = match made {
        Ok(config) => config,
        Err(e) => {
            practice.shutdown().await;
            return Err(format!("practice mode's configuration was refused: {e}"));
        }
    };
    practised.server.roots = practised.server.roots.with_root(practice.ca());
    Ok((practised, Some(practice)))
}
