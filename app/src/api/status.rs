//! Status: the configured environments and the console's own health.

use domain::RuntimeReport;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{EnvironmentStatus, EnvironmentSummary};

#[server(prefix = "/api", endpoint = "status/environments")]
pub async fn list_environments() -> Result<Vec<EnvironmentSummary>, AppError> {
    let state = super::state()?;
    Ok(state.config.environments.iter().map(ssr::summary).collect())
}

/// Every environment with its latest probe round, streak, 24 h uptime and timeline.
#[server(prefix = "/api", endpoint = "status/overview")]
pub async fn environment_statuses() -> Result<Vec<EnvironmentStatus>, AppError> {
    let state = super::state()?;
    let mut out = Vec::with_capacity(state.config.environments.len());
    for env in &state.config.environments {
        out.push(ssr::status(&state, env).await?);
    }
    Ok(out)
}

/// Probes one environment now (configured environments only) and stores the round.
#[server(prefix = "/api", endpoint = "status/probe")]
pub async fn probe_now(environment: String) -> Result<EnvironmentStatus, AppError> {
    let state = super::state()?;
    let env = state
        .config
        .environment(&environment)
        .ok_or_else(|| {
            AppError::Unavailable(format!("There is no environment named {environment}."))
        })?
        .clone();
    engine::scheduler::probe_and_store(&state, &engine::probe::Prober::default(), &env).await;
    Ok(ssr::status(&state, &env).await?)
}

#[cfg(feature = "ssr")]
mod ssr {
    use domain::secret::mask_url_credentials;
    use engine::AppState;
    use engine::config::{EnvironmentConfig, SecretSource};

    use crate::model::{EnvironmentStatus, EnvironmentSummary};

    pub(super) fn summary(env: &EnvironmentConfig) -> EnvironmentSummary {
        EnvironmentSummary {
            name: env.name.to_string(),
            mode: env.mode,
            base_url: mask_url_credentials(env.base_url.as_str()),
            env_file: env.env_file.as_deref().map(crate::api::file_name),
            probe_interval_secs: env.probe_interval.as_secs(),
            expected_inngest_functions: env.expected_inngest_functions,
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

    pub(super) async fn status(
        state: &AppState,
        env: &EnvironmentConfig,
    ) -> Result<EnvironmentStatus, engine::Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        let name = env.name.as_str();
        let report = state.store.latest_report(name).await?;
        let samples = state.store.samples_since(name, now - 86_400.0).await?;
        let streak = state
            .store
            .streak_start(name)
            .await?
            .map(|(v, since)| (v, (now - since).max(0.0)));
        let uptime = (!samples.is_empty()).then(|| {
            samples.iter().filter(|s| s.readiness == "ready").count() as f64 / samples.len() as f64
        });
        let deployed = report.as_ref().and_then(|r| {
            let deps = r.probes.iter().find(|p| p.probe == "dependencies")?;
            let body = deps.evidence.get("body")?;
            let health = domain::health_formats::parse(&body.to_string(), None).ok()?;
            Some(domain::health_formats::strict_flags(&health))
        });
        let word = |r: domain::probe::Readiness| {
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let parse = |w: &str| match w {
            "ready" => domain::probe::Readiness::Ready,
            "not_ready" => domain::probe::Readiness::NotReady,
            _ => domain::probe::Readiness::Unknown,
        };
        let rounds: Vec<_> = samples.iter().map(|s| parse(&s.readiness)).collect();
        let stable = domain::probe::stable_readiness(
            &rounds,
            env.flip_after_rounds,
            env.recover_after_rounds,
        );
        Ok(EnvironmentStatus {
            summary: summary(env),
            readiness: stable
                .map(|(r, _)| word(r))
                .or_else(|| report.as_ref().map(|r| word(r.readiness))),
            latest_round: report
                .as_ref()
                .map(|r| (word(r.readiness), stable.map_or(1, |(_, run)| run))),
            flip_after_rounds: env.flip_after_rounds,
            recover_after_rounds: env.recover_after_rounds,
            checked_at: report.as_ref().map(|r| r.checked_at.clone()),
            probes: report.map(|r| r.probes).unwrap_or_default(),
            streak,
            uptime_24h: uptime,
            timeline: samples
                .into_iter()
                .map(|s| (now - s.unix, s.readiness))
                .collect(),
            redis_required: deployed.as_ref().and_then(|d| d.redis_required),
            inngest_required: deployed.as_ref().and_then(|d| d.inngest_required),
        })
    }
}

#[server(prefix = "/api", endpoint = "status/console")]
pub async fn console_health() -> Result<RuntimeReport, AppError> {
    let state = super::state()?;
    Ok(engine::health::runtime_report(&state).await)
}
