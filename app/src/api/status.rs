//! Status: the configured environments and the console's own health.

use domain::RuntimeReport;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{EnvironmentStatus, EnvironmentSummary};

#[server(prefix = "/api", endpoint = "status/environments")]
pub async fn list_environments() -> Result<Vec<EnvironmentSummary>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    Ok(state.config.environments.iter().map(ssr::summary).collect())
}

/// Every environment with its latest probe round, streak, 24 h uptime and timeline.
#[server(prefix = "/api", endpoint = "status/overview")]
pub async fn environment_statuses() -> Result<Vec<EnvironmentStatus>, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let mut out = Vec::with_capacity(state.config.environments.len());
    for env in &state.config.environments {
        out.push(ssr::status(&state, env).await?);
    }
    Ok(out)
}

/// One environment's page: status, the four windows, the chart of `window` (1h, 24h, 7d or
/// 30d), the last failure, and parity against `compare` (another configured environment).
#[server(prefix = "/api", endpoint = "status/environment")]
pub async fn environment_detail(
    environment: String,
    window: Option<String>,
    compare: Option<String>,
) -> Result<crate::model::EnvironmentDetail, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    let env = state
        .config
        .environment(&environment)
        .ok_or_else(|| AppError::NotFound(format!("There is no environment named {environment}.")))?
        .clone();
    let window = match window.as_deref().filter(|w| !w.is_empty()) {
        None => domain::history::Window::Day,
        Some(w) => domain::history::Window::parse(w).ok_or_else(|| {
            AppError::BadRequest(format!("Unknown window {w:?}: use 1h, 24h, 7d or 30d."))
        })?,
    };
    let compare = match compare.filter(|c| !c.is_empty()) {
        None => None,
        Some(name) => Some(
            state
                .config
                .environment(&name)
                .ok_or_else(|| {
                    AppError::NotFound(format!("There is no environment named {name}."))
                })?
                .clone(),
        ),
    };
    let mut detail = ssr::detail(&state, &env, window, compare.as_ref()).await?;
    // Which keys differ is for everyone; the values (masked as they are) only for engineers
    // and above: an ordinary-looking key can still hold something private.
    if !caller.who.role.allows(domain::auth::Role::Engineer)
        && let Some(parity) = detail.parity.as_mut()
    {
        for difference in &mut parity.differing_values {
            difference.a = domain::secret::MASK.to_string();
            difference.b = domain::secret::MASK.to_string();
        }
    }
    Ok(detail)
}

/// Probes one environment now (configured environments only) and stores the round.
#[server(prefix = "/api", endpoint = "status/probe")]
pub async fn probe_now(environment: String) -> Result<EnvironmentStatus, AppError> {
    let caller = super::authorize(domain::auth::Role::Operator)?;
    let state = caller.state.clone();
    let env = state
        .config
        .environment(&environment)
        .ok_or_else(|| AppError::NotFound(format!("There is no environment named {environment}.")))?
        .clone();
    engine::scheduler::probe_and_store(&state, &state.prober, &env).await;
    Ok(ssr::status(&state, &env).await?)
}

#[cfg(feature = "ssr")]
mod ssr {
    use domain::history::{WINDOWS, Window};
    use domain::secret::mask_url;
    use engine::AppState;
    use engine::config::{EnvironmentConfig, SecretSource};

    use crate::model::{EnvironmentDetail, EnvironmentStatus, EnvironmentSummary, FailureEvidence};

    use engine::clock::now_unix;

    pub(super) async fn detail(
        state: &AppState,
        env: &EnvironmentConfig,
        window: Window,
        compare: Option<&EnvironmentConfig>,
    ) -> Result<EnvironmentDetail, engine::Error> {
        let now = now_unix();
        let name = env.name.as_str();
        let retention = state.config.server.retention;
        let mut stats = Vec::with_capacity(WINDOWS.len());
        for w in WINDOWS {
            stats.push(state.store.window_stats(name, w, now, retention).await?);
        }
        let series = state
            .store
            .history_series(name, window, now, retention, 120)
            .await?;
        let last_failure =
            state
                .store
                .last_failure(name)
                .await?
                .map(|(unix, report)| FailureEvidence {
                    secs_ago: (now - unix).max(0.0),
                    checked_at: report.checked_at,
                    probes: report.probes,
                });
        let (parity, parity_error) = match compare {
            None => (None, None),
            Some(other) => match engine::env_files::parity_between(env, other).await {
                Ok(report) => (Some(report), None),
                Err(message) => (None, Some(message)),
            },
        };
        Ok(EnvironmentDetail {
            status: status(state, env).await?,
            window,
            stats,
            series,
            now_unix: now,
            last_failure,
            others: state
                .config
                .environments
                .iter()
                .filter(|e| e.name != env.name)
                .map(|e| e.name.to_string())
                .collect(),
            compare: compare.map(|c| c.name.to_string()),
            parity,
            parity_error,
            maintenance_windows: state
                .maintenance
                .overlapping(name, now - window.seconds(), now),
        })
    }

    pub(super) fn summary(env: &EnvironmentConfig) -> EnvironmentSummary {
        EnvironmentSummary {
            name: env.name.to_string(),
            mode: env.mode,
            base_url: mask_url(env.base_url.as_str()),
            env_file: env.env_file.as_deref().map(crate::api::file_name),
            probe_interval_secs: env.probe_interval.as_secs(),
            expected_inngest_functions: env.expected_inngest_functions,
            practice: env.practice,
            dependencies_auth: env
                .dependencies_auth
                .as_ref()
                .map(|auth| match &auth.source {
                    SecretSource::EnvVar(var) => {
                        format!("{} from environment variable {var}", auth.header)
                    }
                    SecretSource::EnvFileKey(key) => {
                        format!("{} from env file key {key}", auth.header)
                    }
                }),
        }
    }

    /// The card of `env` from the status board: no query when it is current.
    pub(super) async fn status(
        state: &AppState,
        env: &EnvironmentConfig,
    ) -> Result<EnvironmentStatus, engine::Error> {
        let card = state.board.card(&state.store, env).await?;
        let now = now_unix();
        let latest = card.latest.as_ref();
        Ok(EnvironmentStatus {
            summary: summary(env),
            readiness: card.shown_readiness(),
            latest_round: card.latest_round(),
            flip_after_rounds: env.flip_after_rounds,
            recover_after_rounds: env.recover_after_rounds,
            checked_at: latest.map(|r| r.checked_at.clone()),
            probes: latest.map(|r| r.probes.clone()).unwrap_or_default(),
            streak: card.streak_at(now),
            uptime_24h: card.day.rounds.uptime(),
            day: card.day.strip.clone(),
            redis_required: card.deployed.as_ref().and_then(|d| d.redis_required),
            inngest_required: card.deployed.as_ref().and_then(|d| d.inngest_required),
            latency_24h: card.day.round_latency,
            slos: state.slo.evaluate(env, now),
            maintenance: state.maintenance.active(env.name.as_str(), now),
        })
    }
}

#[server(prefix = "/api", endpoint = "status/console")]
pub async fn console_health() -> Result<RuntimeReport, AppError> {
    let caller = super::authorize(domain::auth::Role::Viewer)?;
    let state = caller.state.clone();
    Ok(state.board.console_health(&state).await)
}
