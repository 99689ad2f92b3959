//! The runtime-dependencies endpoint, in the reference format, IETF health+json or Spring
//! Actuator, with the configured auth header. 401/403 is "token rejected", not "service down".

use domain::env_file::EnvFile;
use domain::probe::{Findings, ProbeKind, ProbeOutcome, ProbeStatus};
use serde_json::json;

use super::{Prober, http, mask_evidence, readiness::snippet};
use crate::config::{EnvironmentConfig, SecretSource};

pub(super) async fn probe(
    prober: &Prober,
    env: &EnvironmentConfig,
    file: &EnvFile,
) -> ProbeOutcome {
    let url = env.base_url.join(&env.dependencies_path);
    let mut headers = Vec::new();
    if let Some(auth) = &env.dependencies_auth {
        let value = match &auth.source {
            SecretSource::EnvVar(var) => std::env::var(var).ok(),
            SecretSource::EnvFileKey(key) => file.get(key).map(str::to_string),
        };
        match value.filter(|v| !v.is_empty()) {
            Some(v) => headers.push((auth.header.clone(), v)),
            None => {
                let source = match &auth.source {
                    SecretSource::EnvVar(var) => format!("environment variable {var}"),
                    SecretSource::EnvFileKey(key) => format!("env file key {key}"),
                };
                return ProbeOutcome::new(
                    ProbeKind::Dependencies,
                    ProbeStatus::Unverified,
                    format!(
                        "The {} token is not available ({source} is empty), so the dependencies could not be read.",
                        auth.header
                    ),
                );
            }
        }
    }
    let fetched = match http::get(prober, &url, &headers).await {
        Ok(f) => f,
        Err(cause) => {
            return ProbeOutcome::new(
                ProbeKind::Dependencies,
                ProbeStatus::Unverified,
                format!("Could not measure dependencies: {cause}."),
            );
        }
    };
    let text = fetched.text();
    let evidence = json!({
        "url": url,
        "status": fetched.status,
        "body": fetched.json().map(mask_evidence).unwrap_or_else(|| json!(snippet(&text))),
    });
    let outcome = match fetched.status {
        401 | 403 => ProbeOutcome::new(
            ProbeKind::Dependencies,
            ProbeStatus::Unverified,
            format!(
                "Token rejected (HTTP {}): the service is up but did not accept the dashboard token. Check the token configured for {}.",
                fetched.status, env.name
            ),
        ),
        200 | 503 => match domain::health_formats::parse(&text, fetched.content_type()) {
            Ok(health) => {
                let (status, message) = domain::health_formats::summary(&health);
                let strict = domain::health_formats::strict_flags(&health);
                ProbeOutcome::new(ProbeKind::Dependencies, status, message)
                    .findings(Findings::Dependencies { strict })
            }
            Err(e) => ProbeOutcome::new(
                ProbeKind::Dependencies,
                ProbeStatus::Unhealthy,
                format!("The dependencies answer is not usable: {e}."),
            ),
        },
        status => ProbeOutcome::new(
            ProbeKind::Dependencies,
            ProbeStatus::Unhealthy,
            format!(
                "{} answered HTTP {status}; expected 200 with the dependency report.",
                env.dependencies_path
            ),
        ),
    };
    outcome.latency(fetched.latency_ms).evidence(evidence)
}
