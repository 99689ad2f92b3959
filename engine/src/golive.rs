//! The go-live's automatic checks: each step measured against live components (env files,
//! probes, the validator, readiness history, stored replays) and turned into a
//! `domain::golive::Check` with the evidence it saw; and the Go criteria at the moment of the
//! verdict. The rules of what passes live in `domain::golive`; this module only measures.

use domain::env_file::EnvFile;
use domain::golive::{
    Check, Criterion, CriterionFinding, Finding, ReplayFact, Round, Stability, StepId,
    release_gate, stability,
};
use domain::probe::{ProbeOutcome, ProbeStatus};
use domain::secret::{MASK, is_secret_key, mask_url_credentials};
use serde_json::{Value, json};

use crate::config::EnvironmentConfig;
use crate::probe::Prober;
use crate::state::AppState;
use crate::store::RunStatus;

/// The environment pair a go-live takes live.
#[derive(Clone, Copy)]
pub struct Pair<'a> {
    pub staging: &'a EnvironmentConfig,
    pub production: &'a EnvironmentConfig,
}

const INPUT_KEYS: [&str; 4] = [
    "REDIS_URL",
    "INNGEST_SIGNING_KEY",
    "INNGEST_EVENT_KEY",
    "INNGEST_WEBHOOK_URL",
];

fn masked(key: &str, value: &str) -> String {
    if is_secret_key(key) {
        MASK.to_string()
    } else {
        mask_url_credentials(value)
    }
}

async fn env_file(env: &EnvironmentConfig) -> Result<EnvFile, String> {
    match &env.env_file {
        None => Err(format!(
            "{} has no env file configured in greenlight.toml.",
            env.name
        )),
        Some(path) => crate::env_files::read(path).await,
    }
}

fn unknown(missing: impl Into<String>) -> Check {
    Check::Unknown {
        missing: missing.into(),
    }
}

/// Step 1: the four inputs present and well formed in both env files, shown masked.
async fn confirm_inputs(pair: Pair<'_>) -> (Check, Value) {
    let mut problems = Vec::new();
    let mut evidence = serde_json::Map::new();
    for env in [pair.staging, pair.production] {
        let file = match env_file(env).await {
            Ok(file) => file,
            Err(e) => return (unknown(e), json!({})),
        };
        let mut seen = serde_json::Map::new();
        for key in INPUT_KEYS {
            let value = file.get(key).filter(|v| !v.trim().is_empty());
            seen.insert(key.into(), json!(value.map(|v| masked(key, v))));
            let Some(value) = value else {
                problems.push(format!("{key} is missing in {}'s env file", env.name));
                continue;
            };
            match key {
                "REDIS_URL" if domain::RedisUrl::parse(value).is_err() => problems.push(format!(
                    "REDIS_URL in {} is not a redis:// or rediss:// address",
                    env.name
                )),
                "INNGEST_SIGNING_KEY" if !value.starts_with("signkey-") => problems.push(format!(
                    "INNGEST_SIGNING_KEY in {} does not start with signkey- (copy it from the Inngest dashboard)",
                    env.name
                )),
                "INNGEST_WEBHOOK_URL" => {
                    if env.mode == domain::Mode::Production && !value.starts_with("https://")
                    {
                        problems.push(format!(
                            "INNGEST_WEBHOOK_URL in {} must start with https://",
                            env.name
                        ));
                    }
                    let path = value.split("://").nth(1).and_then(|r| r.find('/').map(|i| &r[i..]));
                    let serve_path = env.inngest_path.trim_end_matches('/');
                    if !path.is_some_and(|p| p.trim_end_matches('/').ends_with(serve_path)) {
                        problems.push(format!(
                            "INNGEST_WEBHOOK_URL in {} should end in the serve path {}",
                            env.name, env.inngest_path
                        ));
                    }
                }
                _ => {}
            }
        }
        evidence.insert(env.name.to_string(), Value::Object(seen));
    }
    let evidence = Value::Object(evidence);
    if problems.is_empty() {
        (
            Check::Pass {
                summary: "All four inputs are present and well formed in both env files.".into(),
            },
            evidence,
        )
    } else {
        (
            Check::Fail {
                problem: format!("{}.", problems.join("; ")),
                action: "Ask the service's engineer for the missing or wrong values and have them put in the env files, then press Check again.".into(),
            },
            evidence,
        )
    }
}

/// Step 2: both strict flags true in staging's env file.
async fn policy_decision(pair: Pair<'_>) -> (Check, Value) {
    let file = match env_file(pair.staging).await {
        Ok(file) => file,
        Err(e) => return (unknown(e), json!({})),
    };
    let flags = [
        ("REDIS_REQUIRED", file.flag("REDIS_REQUIRED")),
        ("INNGEST_REQUIRED", file.flag("INNGEST_REQUIRED")),
    ];
    let evidence = json!({ "REDIS_REQUIRED": flags[0].1, "INNGEST_REQUIRED": flags[1].1 });
    let missing: Vec<&str> = flags
        .iter()
        .filter(|(_, on)| !on)
        .map(|(k, _)| *k)
        .collect();
    if missing.is_empty() {
        (
            Check::Pass {
                summary:
                    "REDIS_REQUIRED=true and INNGEST_REQUIRED=true are set in staging's env file."
                        .into(),
            },
            evidence,
        )
    } else {
        let lines: Vec<String> = missing.iter().map(|k| format!("{k}=true")).collect();
        (
            Check::Fail {
                problem: format!(
                    "{} not set to true in staging's env file.",
                    missing.join(" and ")
                ),
                action: format!(
                    "Set these lines in staging's env file: {}",
                    lines.join(" / ")
                ),
            },
            evidence,
        )
    }
}

/// Steps 3 and 7: the redeployed service reports both dependencies as required.
fn deployed_strict(env: &EnvironmentConfig, report: &crate::probe::EnvironmentReport) -> Check {
    match report
        .deployed_strict_flags()
        .map(|f| (f.redis_required, f.inngest_required))
    {
        Some((Some(true), Some(true))) => Check::Pass {
            summary: format!(
                "{} reports Redis and Inngest as required dependencies.",
                env.name
            ),
        },
        Some((Some(redis), Some(inngest))) => Check::Fail {
            problem: format!(
                "{} still runs with REDIS_REQUIRED={redis} and INNGEST_REQUIRED={inngest}.",
                env.name
            ),
            action: format!(
                "Ask an engineer to redeploy {} with the updated env file, then confirm again.",
                env.name
            ),
        },
        _ => unknown(format!(
            "{}'s runtime dependencies did not say whether Redis and Inngest are required ({}).",
            env.name,
            report
                .outcome("dependencies")
                .map_or("no answer", |o| o.message.as_str())
        )),
    }
}

/// Steps 4 and 8: the validator with connection checks (and the Inngest route for 8).
async fn validate(env: &EnvironmentConfig, verify_route: bool) -> (Check, Value) {
    let file = match env_file(env).await {
        Ok(file) => file,
        Err(e) => return (unknown(e), json!({})),
    };
    let facts = crate::validation::measure(&file, verify_route).await;
    let report = domain::validator::validate(&file, env.mode, Some(&facts));
    let evidence = serde_json::to_value(&report).unwrap_or_default();
    if report.passed {
        return (
            Check::Pass {
                summary: format!(
                    "The {} settings check passes, connections included.",
                    env.name
                ),
            },
            evidence,
        );
    }
    let mut problems: Vec<String> = report
        .missing_required
        .iter()
        .map(|k| format!("{k} is missing"))
        .collect();
    problems.extend(
        report
            .connection_checks
            .iter()
            .filter(|c| c.outcome == domain::validator::Outcome::Fail)
            .map(|c| format!("{}: {}", c.name, c.message)),
    );
    (
        Check::Fail {
            problem: format!(
                "The {} settings check fails: {}.",
                env.name,
                problems.join("; ")
            ),
            action: "Pass this to an engineer; once it is fixed, press Check again.".into(),
        },
        evidence,
    )
}

/// Steps 5 and 9: the live endpoints (and Inngest for production).
fn endpoints(
    env: &EnvironmentConfig,
    report: &crate::probe::EnvironmentReport,
    with_inngest: bool,
) -> Check {
    let mut wanted = vec!["readiness", "dependencies"];
    if with_inngest {
        wanted.push("inngest");
    }
    let outcomes: Vec<&ProbeOutcome> = wanted.iter().filter_map(|w| report.outcome(w)).collect();
    if let Some(bad) = outcomes.iter().find(|o| o.status == ProbeStatus::Unhealthy) {
        return Check::Fail {
            problem: bad.message.clone(),
            action: format!(
                "An engineer needs to fix this in {} before going on.",
                env.name
            ),
        };
    }
    if let Some(unsure) = outcomes.iter().find(|o| {
        matches!(
            o.status,
            ProbeStatus::Unverified | ProbeStatus::NotConfigured
        )
    }) {
        return unknown(format!("{}: {}", unsure.probe, unsure.message));
    }
    if with_inngest
        && let Some(inngest) = report.outcome("inngest")
        && inngest.status == ProbeStatus::Degraded
    {
        return unknown(format!("inngest: {}", inngest.message));
    }
    Check::Pass {
        summary: outcomes
            .iter()
            .map(|o| o.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn evidence_of(report: &crate::probe::EnvironmentReport) -> Value {
    serde_json::to_value(report).unwrap_or_default()
}

/// Step 6: staging ready in every round for the whole window.
async fn staging_stable(state: &AppState, pair: Pair<'_>, now: f64) -> (Check, Value) {
    let window = state.config.golive.stability.as_secs_f64();
    let interval = pair.staging.probe_interval.as_secs_f64();
    let samples = match state
        .store
        .samples_since(pair.staging.name.as_str(), now - window - 4.0 * interval)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            return (
                unknown(format!("Readiness history cannot be read: {e}")),
                json!({}),
            );
        }
    };
    let rounds: Vec<Round> = samples
        .iter()
        .map(|s| Round {
            unix: s.unix,
            ready: s.readiness == "ready",
        })
        .collect();
    let result = stability(&rounds, now, window, interval);
    let evidence = json!({ "window_secs": window, "interval_secs": interval, "rounds": rounds.len(), "stability": result });
    let hours = |secs: f64| {
        if secs >= 3_600.0 {
            format!("{:.1} h", secs / 3_600.0)
        } else {
            format!("{:.0} min", (secs / 60.0).ceil())
        }
    };
    let check = match result {
        Stability::Stable { .. } => Check::Pass {
            summary: format!("Staging has been ready in every round for the whole {} window.", hours(window)),
        },
        Stability::Waiting {
            remaining_secs,
            reset,
            ..
        } => Check::Waiting {
            summary: match reset {
                Some(domain::golive::Reset::FailedRound { .. }) => format!(
                    "The clock restarted after a failed round; {} to go.",
                    hours(remaining_secs)
                ),
                Some(domain::golive::Reset::Gap { .. }) => format!(
                    "The clock restarted after a gap in probing; {} to go.",
                    hours(remaining_secs)
                ),
                None => format!("Ready so far; {} to go.", hours(remaining_secs)),
            },
            remaining_secs,
        },
        Stability::NotReady { .. } => Check::Fail {
            problem: "Staging is not ready now, so the stability clock is stopped.".into(),
            action: "See the staging card on the Status page for what failed; the clock starts again at the next ready round.".into(),
        },
        Stability::NoHistory => unknown("Staging has no readiness history yet."),
    };
    (check, evidence)
}

/// The newest completed run of the release-gate suite, and the suite's current version.
async fn latest_replay(state: &AppState) -> Result<(Option<ReplayFact>, String, f64), String> {
    let suite = match &state.config.golive.suite {
        Some(name) => state.config.suites.iter().find(|s| &s.name == name),
        None => state.config.suites.first(),
    }
    .ok_or("No replay suite is configured for the release gate.")?;
    let text = tokio::fs::read_to_string(&suite.golden_set)
        .await
        .map_err(|e| format!("The golden set of {} cannot be read: {e}", suite.name))?;
    let version = domain::GoldenSet::parse(&text)
        .map_err(|e| format!("The golden set of {} is not valid: {e}", suite.name))?
        .version()
        .to_string();
    let runs = state
        .store
        .list_runs(200)
        .await
        .map_err(|e| format!("Replay runs cannot be read: {e}"))?;
    let fact = runs
        .into_iter()
        .filter(|r| r.suite == suite.name && r.status == RunStatus::Completed)
        .find_map(|r| {
            Some(ReplayFact {
                run_id: r.id,
                finished_unix: domain::time::parse_rfc3339_utc(r.finished_at.as_deref()?)?,
                suite_version: r.suite_version,
                passed: u64::try_from(r.passed_cases?).ok()?,
                total: u64::try_from(r.total_cases).ok()?,
                pass_rate: r.pass_rate?,
            })
        });
    Ok((fact, version, suite.min_pass_rate))
}

async fn gate_finding(state: &AppState, now: f64) -> (Finding, Value) {
    match latest_replay(state).await {
        Err(e) => (Finding::Unmeasured { missing: e }, json!({})),
        Ok((fact, version, min)) => (
            release_gate(fact.as_ref(), &version, min, now),
            json!({ "run": fact, "suite_version": version, "min_pass_rate": min }),
        ),
    }
}

fn check_of(finding: Finding) -> Check {
    match finding {
        Finding::Met { evidence } => Check::Pass { summary: evidence },
        Finding::Failed { problem, action } => Check::Fail { problem, action },
        Finding::Unmeasured { missing } => Check::Unknown { missing },
    }
}

/// Runs step `step`'s automatic check now. Confirm-then-verify steps are verified here too
/// (after the operator confirmed).
pub async fn evaluate(state: &AppState, pair: Pair<'_>, step: StepId, now: f64) -> (Check, Value) {
    let prober = Prober::default();
    match step {
        StepId::ConfirmInputs => confirm_inputs(pair).await,
        StepId::PolicyDecision => policy_decision(pair).await,
        StepId::UpdateStaging | StepId::UpdateProduction => {
            let env = if step == StepId::UpdateStaging {
                pair.staging
            } else {
                pair.production
            };
            let report = prober.probe(env).await;
            (deployed_strict(env, &report), evidence_of(&report))
        }
        StepId::ValidateStaging => validate(pair.staging, false).await,
        StepId::ValidateProduction => validate(pair.production, true).await,
        StepId::VerifyStagingEndpoints | StepId::VerifyProductionEndpoints => {
            let production = step == StepId::VerifyProductionEndpoints;
            let env = if production {
                pair.production
            } else {
                pair.staging
            };
            let report = prober.probe(env).await;
            (endpoints(env, &report, production), evidence_of(&report))
        }
        StepId::StagingStable => staging_stable(state, pair, now).await,
        StepId::ReleaseGate => {
            let (finding, evidence) = gate_finding(state, now).await;
            (check_of(finding), evidence)
        }
    }
}

/// The Go criteria of the target environment (production), measured now.
pub async fn go_criteria(
    state: &AppState,
    pair: Pair<'_>,
    now: f64,
) -> (Vec<CriterionFinding>, Value) {
    let report = Prober::default().probe(pair.production).await;
    let from_probe = |name: &str| -> Finding {
        match report.outcome(name) {
            None => Finding::Unmeasured {
                missing: format!("The {name} probe did not run."),
            },
            Some(o) => match o.status {
                ProbeStatus::Healthy => Finding::Met {
                    evidence: o.message.clone(),
                },
                ProbeStatus::Unhealthy => Finding::Failed {
                    problem: o.message.clone(),
                    action: format!("An engineer needs to fix this in {} before going live.", pair.production.name),
                },
                // Working but not healthy (an optional dependency down, an unsigned Inngest
                // check): "ready and healthy" is not met.
                ProbeStatus::Degraded if name == "dependencies" => Finding::Failed {
                    problem: o.message.clone(),
                    action: "Every runtime dependency must be healthy for Go; an engineer needs to restore the degraded one.".into(),
                },
                _ => Finding::Unmeasured {
                    missing: o.message.clone(),
                },
            },
        }
    };
    let strict = match report
        .deployed_strict_flags()
        .map(|f| (f.redis_required, f.inngest_required))
    {
        Some((Some(true), Some(true))) => Finding::Met {
            evidence: "REDIS_REQUIRED and INNGEST_REQUIRED are true in production.".into(),
        },
        Some((Some(redis), Some(inngest))) => Finding::Failed {
            problem: format!("Production runs with REDIS_REQUIRED={redis} and INNGEST_REQUIRED={inngest}."),
            action: "Set both to true in production's env file and redeploy (step 7).".into(),
        },
        _ => Finding::Unmeasured {
            missing: "Production's runtime dependencies did not say whether Redis and Inngest are required.".into(),
        },
    };
    let (gate, gate_evidence) = gate_finding(state, now).await;
    let findings = vec![
        CriterionFinding {
            criterion: Criterion::StrictFlags,
            finding: strict,
        },
        CriterionFinding {
            criterion: Criterion::Readiness,
            finding: from_probe("readiness"),
        },
        CriterionFinding {
            criterion: Criterion::RuntimeDependencies,
            finding: from_probe("dependencies"),
        },
        CriterionFinding {
            criterion: Criterion::ReleaseGate,
            finding: gate,
        },
        CriterionFinding {
            criterion: Criterion::InngestCloud,
            finding: from_probe("inngest"),
        },
    ];
    (
        findings,
        json!({ "production": evidence_of(&report), "release_gate": gate_evidence }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_shown_masked() {
        assert_eq!(masked("INNGEST_SIGNING_KEY", "signkey-prod-abc"), MASK);
        assert_eq!(masked("INNGEST_EVENT_KEY", "evt"), MASK);
        assert_eq!(
            masked("REDIS_URL", "rediss://user:pw@h:6380/0"),
            mask_url_credentials("rediss://user:pw@h:6380/0")
        );
        assert!(!masked("REDIS_URL", "rediss://user:pw@h:6380/0").contains("pw"));
    }
}
