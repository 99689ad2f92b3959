//! Replays: the configured replay suites.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SuiteSummary;

#[server(prefix = "/api", endpoint = "replay/suites")]
pub async fn list_suites() -> Result<Vec<SuiteSummary>, AppError> {
    use domain::secret::mask_url_credentials;
    use engine::config::RunnerConfig;

    let state = super::state()?;
    Ok(state
        .config
        .suites
        .iter()
        .map(|suite| SuiteSummary {
            name: suite.name.clone(),
            golden_set: super::file_name(&suite.golden_set),
            runner_kind: suite.runner.kind().to_string(),
            runner: match &suite.runner {
                RunnerConfig::Command { argv, .. } => mask_url_credentials(&argv.join(" ")),
                RunnerConfig::Http { url, .. } => mask_url_credentials(url),
                RunnerConfig::Recorded { file } => super::file_name(file),
            },
            min_pass_rate: suite.min_pass_rate,
            concurrency: suite.concurrency,
            case_timeout_secs: suite.case_timeout.as_secs(),
        })
        .collect())
}
