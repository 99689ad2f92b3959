//! The service's readiness endpoint: 200 ready, 503 not ready (with its `detail`).

use domain::probe::{ProbeKind, ProbeOutcome, ProbeStatus};
use serde_json::json;

use super::{Prober, http, mask_evidence};
use crate::config::EnvironmentConfig;

pub(super) async fn probe(prober: &Prober, env: &EnvironmentConfig) -> ProbeOutcome {
    let url = env.base_url.join(&env.readiness_path);
    let fetched = match http::get(prober, &url, &[]).await {
        Ok(f) => f,
        Err(cause) => {
            return ProbeOutcome::new(
                ProbeKind::Readiness,
                ProbeStatus::Unverified,
                format!("Could not measure readiness: {cause}."),
            );
        }
    };
    let body = fetched.json();
    let evidence = json!({
        "url": url,
        "status": fetched.status,
        "body": body.clone().map(mask_evidence).unwrap_or_else(|| json!(snippet(&fetched.text()))),
    });
    let outcome = match (fetched.status, &body) {
        (200, Some(_)) => ProbeOutcome::new(
            ProbeKind::Readiness,
            ProbeStatus::Healthy,
            format!("{} answered 200 (ready).", env.readiness_path),
        ),
        (200, None) => ProbeOutcome::new(
            ProbeKind::Readiness,
            ProbeStatus::Unhealthy,
            format!(
                "{} answered 200 but not with JSON; expected the readiness report.",
                env.readiness_path
            ),
        ),
        (503, body) => {
            let detail = body
                .as_ref()
                .and_then(|b| b.get("detail"))
                .and_then(|d| d.as_str())
                .map(domain::secret::mask_urls)
                .unwrap_or_else(|| "no detail given".into());
            ProbeOutcome::new(
                ProbeKind::Readiness,
                ProbeStatus::Unhealthy,
                format!("Not ready (503): {detail}"),
            )
        }
        (status, _) => ProbeOutcome::new(
            ProbeKind::Readiness,
            ProbeStatus::Unhealthy,
            format!(
                "{} answered HTTP {status}; expected 200 (ready) or 503 (not ready).",
                env.readiness_path
            ),
        ),
    };
    outcome.latency(fetched.latency_ms).evidence(evidence)
}

pub(super) fn snippet(text: &str) -> String {
    let t: String = domain::secret::mask_urls(text.trim())
        .chars()
        .take(300)
        .collect();
    if t.is_empty() {
        "(empty body)".into()
    } else {
        t
    }
}
