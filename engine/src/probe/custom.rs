//! Custom checks: a GET whose answer must meet every Gatus-style condition. A failed condition
//! shows itself with the value seen: `[BODY].queue.p95_age_seconds (1320) < 900`.

use domain::probe::{ProbeKind, ProbeOutcome, ProbeStatus};
use serde_json::json;

use super::{Prober, http, mask_evidence};
use crate::config::CustomCheck;

pub(super) async fn probe(prober: &Prober, check: &CustomCheck) -> ProbeOutcome {
    let fetched = match http::get(prober, &check.url, &[]).await {
        Ok(f) => f,
        Err(cause) => {
            return ProbeOutcome::new(
                ProbeKind::Check(check.name.clone()),
                ProbeStatus::Unverified,
                format!("Could not measure {}: {cause}.", check.name),
            );
        }
    };
    let body = fetched.json();
    let results: Vec<_> = check
        .conditions
        .iter()
        .map(|c| c.evaluate(fetched.status, fetched.latency_ms, body.as_ref()))
        .collect();
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.shown.as_str())
        .collect();
    let evidence = json!({
        "url": domain::secret::mask_url(&check.url),
        "status": fetched.status,
        "conditions": results.iter().map(|r| json!({"passed": r.passed, "shown": r.shown})).collect::<Vec<_>>(),
        "body": body.map(mask_evidence),
    });
    let outcome = if failed.is_empty() {
        ProbeOutcome::new(
            ProbeKind::Check(check.name.clone()),
            ProbeStatus::Healthy,
            format!("All {} conditions hold.", results.len()),
        )
    } else {
        ProbeOutcome::new(
            ProbeKind::Check(check.name.clone()),
            ProbeStatus::Unhealthy,
            format!("Failed: {}", failed.join("; ")),
        )
    };
    outcome.latency(fetched.latency_ms).evidence(evidence)
}
