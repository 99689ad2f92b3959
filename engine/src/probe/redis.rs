//! Redis PING over REDIS_URL from the env file.

use std::time::Duration;

use domain::RedisUrl;
use domain::env_file::EnvFile;
use domain::probe::{ProbeKind, ProbeOutcome, ProbeStatus};
use serde_json::json;

use crate::clients::redis_ping::{PingError, ping};
use crate::tls::TrustedRoots;

pub(super) async fn probe(file: &EnvFile, timeout: Duration, roots: &TrustedRoots) -> ProbeOutcome {
    let required = file.flag("REDIS_REQUIRED");
    let Some(raw) = file.get("REDIS_URL").filter(|v| !v.trim().is_empty()) else {
        return if required {
            ProbeOutcome::new(
                ProbeKind::Redis,
                ProbeStatus::Unhealthy,
                "REDIS_REQUIRED is true but the env file has no REDIS_URL. Add REDIS_URL to the env file.",
            )
        } else {
            ProbeOutcome::new(
                ProbeKind::Redis,
                ProbeStatus::NotConfigured,
                "The env file has no REDIS_URL.",
            )
        };
    };
    let url = match RedisUrl::parse(raw) {
        Ok(url) => url,
        Err(e) => {
            return ProbeOutcome::new(
                ProbeKind::Redis,
                ProbeStatus::Unhealthy,
                format!("REDIS_URL in the env file is not usable: {e}."),
            );
        }
    };
    let evidence = json!({ "url": url.to_string(), "required": required });
    match ping(&url, timeout, roots).await {
        Ok(latency) => ProbeOutcome::new(ProbeKind::Redis, ProbeStatus::Healthy, format!("Redis at {} answered PING.", url.socket_addr()))
            .latency(latency.as_secs_f64() * 1000.0)
            .evidence(evidence),
        // The server answered, with an error (wrong password, unknown database): measured bad.
        Err(e @ PingError::Rejected { .. }) => ProbeOutcome::new(
            ProbeKind::Redis,
            ProbeStatus::Unhealthy,
            format!("{e}. Check the user, password and database index in REDIS_URL."),
        )
        .evidence(evidence),
        // An optional Redis that does not answer only degrades the service (the reference's own
        // rule), so it is reported as degraded rather than as "could not measure".
        Err(e) if !required => ProbeOutcome::new(
            ProbeKind::Redis,
            ProbeStatus::Degraded,
            format!("Redis is optional here (REDIS_REQUIRED is not true) and did not answer: {e}."),
        )
        .evidence(evidence),
        // Refused, timed out, TLS: nothing was measured.
        Err(e) => ProbeOutcome::new(
            ProbeKind::Redis,
            ProbeStatus::Unverified,
            format!("Could not measure Redis: {e}. Check that Redis is running and reachable from Greenlight."),
        )
        .evidence(evidence),
    }
}
