//! The Inngest serve endpoint: mounted, mode, function count, and (signed) the app id and the
//! key hashes, which prove the deployed app runs with the keys the env file holds.

use domain::env_file::EnvFile;
use domain::inngest::{event_key_hash, signing_key_hash};
use domain::probe::{Findings, ProbeKind, ProbeOutcome, ProbeStatus};
use serde_json::json;

use super::Prober;
use crate::clients::inngest::{InngestAnswer, inspect};
use crate::config::EnvironmentConfig;

pub(super) async fn probe(
    prober: &Prober,
    env: &EnvironmentConfig,
    file: &EnvFile,
) -> ProbeOutcome {
    let required = file.flag("INNGEST_REQUIRED");
    let key = file
        .get("INNGEST_SIGNING_KEY")
        .filter(|k| !k.trim().is_empty());
    let configured = required || key.is_some() || file.value_present("INNGEST_EVENT_KEY");
    let url = env.base_url.join(&env.inngest_path);
    let started = std::time::Instant::now();
    let answer = match inspect(&prober.client, &url, key, prober.timeout).await {
        Ok(answer) => answer,
        Err(cause) if configured => {
            return ProbeOutcome::new(
                ProbeKind::Inngest,
                ProbeStatus::Unverified,
                format!("Could not measure Inngest: {cause}."),
            );
        }
        Err(_) => {
            return ProbeOutcome::new(
                ProbeKind::Inngest,
                ProbeStatus::NotConfigured,
                "Inngest is not configured in the env file.",
            );
        }
    };
    let latency = started.elapsed().as_secs_f64() * 1000.0;
    let release = env.mode.is_release_mode();
    let outcome = match &answer {
        InngestAnswer::Unexpected { detail, .. } if !configured => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::NotConfigured,
            format!("Inngest is not configured ({detail})."),
        ),
        InngestAnswer::Unexpected { detail, .. } => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::Unhealthy,
            format!(
                "{} does not answer as an Inngest endpoint ({detail}). Check that the app serves Inngest at this path.",
                env.inngest_path
            ),
        ),
        // We signed with the env file's key and the SDK still refused: it verifies with
        // another signing key (checked against the real inngest-py SDK).
        InngestAnswer::CloudUnsigned if key.is_some() => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::Unhealthy,
            "The deployed app rejected a check signed with the env file's INNGEST_SIGNING_KEY: it runs with another signing key than the env file says. Put the deployed key in the env file (or redeploy with this one).",
        ),
        InngestAnswer::CloudUnsigned => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::Degraded,
            "Mounted, in cloud mode; the function count is unverified because the env file has no INNGEST_SIGNING_KEY to sign the check with.",
        ),
        InngestAnswer::Unauthenticated { inspection } => {
            let mode = inspection.mode.clone().unwrap_or_else(|| "unknown".into());
            if release && mode != "cloud" {
                ProbeOutcome::new(
                    ProbeKind::Inngest,
                    ProbeStatus::Unhealthy,
                    format!(
                        "Inngest runs in {mode} mode; {} needs cloud mode. Set INNGEST_DEV=0 / provide the signing key and redeploy.",
                        env.mode
                    ),
                )
            } else {
                count_check(env, inspection.function_count, &mode)
            }
        }
        InngestAnswer::Authenticated {
            inspection,
            signature_valid,
        } => {
            let mut problems = Vec::new();
            let mode = inspection.mode.clone().unwrap_or_else(|| "unknown".into());
            if release && mode != "cloud" {
                problems.push(format!("it runs in {mode} mode, not cloud"));
            }
            if let (Some(expected), Some(seen)) =
                (env.expected_inngest_functions, inspection.function_count)
                && u64::from(expected) != seen
            {
                problems.push(format!("it serves {seen} functions, {expected} expected"));
            }
            if let Some(app_id) = file.get("INNGEST_APP_ID").filter(|a| !a.is_empty())
                && inspection.app_id.as_deref() != Some(app_id)
            {
                problems.push(format!(
                    "its app id is {}, the env file says {app_id}",
                    inspection.app_id.as_deref().unwrap_or("(none)")
                ));
            }
            let signing_matches =
                key.and_then(signing_key_hash).as_deref() == inspection.signing_key_hash.as_deref();
            let event_matches = match file.get("INNGEST_EVENT_KEY").filter(|k| !k.is_empty()) {
                Some(event) => Some(event_key_hash(event)) == inspection.event_key_hash,
                None => true,
            };
            if !signing_matches || !event_matches {
                let which = match (signing_matches, event_matches) {
                    (false, false) => "signing key and event key",
                    (false, true) => "signing key",
                    _ => "event key",
                };
                problems.push(format!(
                    "the deployed app runs with another {which} than the env file says (key hashes differ)"
                ));
            }
            if !signature_valid {
                problems.push(
                    "its answer's signature does not verify with the env file's signing key".into(),
                );
            }
            if problems.is_empty() {
                ProbeOutcome::new(
                    ProbeKind::Inngest,
                    ProbeStatus::Healthy,
                    format!(
                        "Cloud mode, {} functions, keys match the env file (signed check).",
                        inspection
                            .function_count
                            .map_or_else(|| "?".into(), |n| n.to_string())
                    ),
                )
            } else {
                ProbeOutcome::new(
                    ProbeKind::Inngest,
                    ProbeStatus::Unhealthy,
                    format!("Inngest answered, but {}.", problems.join("; ")),
                )
            }
        }
    };
    let evidence = match &answer {
        InngestAnswer::Authenticated {
            inspection,
            signature_valid,
        } => {
            json!({"url": url, "answer": "authenticated", "inspection": inspection, "signature_valid": signature_valid})
        }
        InngestAnswer::Unauthenticated { inspection } => {
            json!({"url": url, "answer": "unauthenticated", "inspection": inspection})
        }
        InngestAnswer::CloudUnsigned => {
            json!({"url": url, "answer": "401 from the SDK (cloud mode, unsigned request)"})
        }
        InngestAnswer::Unexpected { status, detail } => {
            json!({"url": url, "status": status, "detail": detail})
        }
    };
    let findings = match answer {
        InngestAnswer::Authenticated { inspection, .. } => Findings::Inngest {
            signed: true,
            mode: inspection.mode,
            function_count: inspection.function_count,
        },
        InngestAnswer::Unauthenticated { inspection } => Findings::Inngest {
            signed: false,
            mode: inspection.mode,
            function_count: inspection.function_count,
        },
        InngestAnswer::CloudUnsigned | InngestAnswer::Unexpected { .. } => Findings::Inngest {
            signed: false,
            mode: None,
            function_count: None,
        },
    };
    outcome
        .latency(latency)
        .findings(findings)
        .evidence(super::mask_evidence(evidence))
}

fn count_check(env: &EnvironmentConfig, seen: Option<u64>, mode: &str) -> ProbeOutcome {
    match (env.expected_inngest_functions, seen) {
        (Some(expected), Some(seen)) if u64::from(expected) != seen => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::Unhealthy,
            format!("Inngest ({mode} mode) serves {seen} functions; {expected} expected."),
        ),
        (_, seen) => ProbeOutcome::new(
            ProbeKind::Inngest,
            ProbeStatus::Healthy,
            format!(
                "Mounted, {mode} mode, {} functions.",
                seen.map_or_else(|| "?".into(), |n| n.to_string())
            ),
        ),
    }
}
