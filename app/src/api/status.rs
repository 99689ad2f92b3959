//! Status: the configured environments and the console's own health.

use domain::RuntimeReport;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::EnvironmentSummary;

#[server(prefix = "/api", endpoint = "status/environments")]
pub async fn list_environments() -> Result<Vec<EnvironmentSummary>, AppError> {
    use domain::secret::mask_url_credentials;
    use engine::config::SecretSource;

    let state = super::state()?;
    Ok(state
        .config
        .environments
        .iter()
        .map(|env| EnvironmentSummary {
            name: env.name.to_string(),
            mode: env.mode,
            base_url: mask_url_credentials(env.base_url.as_str()),
            env_file: env.env_file.as_deref().map(super::file_name),
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
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "status/console")]
pub async fn console_health() -> Result<RuntimeReport, AppError> {
    let state = super::state()?;
    Ok(engine::health::runtime_report(&state).await)
}
