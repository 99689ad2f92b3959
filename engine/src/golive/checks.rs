//! The go-live's automatic checks: each step measured against live components (env files,
//! probes, the validator, readiness history, stored replays) and turned into a
//! `domain::golive::Check` with the evidence it saw. The rules of what passes live in
//! `domain::golive`; this module only measures.

use domain::env_file::EnvFile;
use domain::golive::{
    Check, Finding, ReplayFact, Reset, Round, Stability, StepId, release_gate, stability,
};
use domain::probe::{ProbeKind, ProbeStatus, Readiness};
use domain::secret::display_value;
use domain::time::{human_duration, window_words};
use serde_json::{Value, json};

use super::Pair;
use crate::config::{EnvironmentConfig, SuiteConfig};
use crate::scheduler::probe_and_store;
use crate::state::AppState;
use crate::store::RunStatus;

const INPUT_KEYS: [&str; 4] = [
    "REDIS_URL",
    "INNGEST_SIGNING_KEY",
    "INNGEST_EVENT_KEY",
    "INNGEST_WEBHOOK_URL",
];

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
            seen.insert(key.into(), json!(value.map(|v| display_value(key, v))));
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
    let redeploy = format!(
        "Ask an engineer to redeploy {} with the updated env file, then confirm again.",
        env.name
    );
    check_of(super::criteria::strict_flags(
        report,
        env.name.as_str(),
        redeploy,
    ))
}

/// Steps 4 and 8: the validator with connection checks (and the Inngest route for 8).
async fn validate(state: &AppState, env: &EnvironmentConfig, verify_route: bool) -> (Check, Value) {
    let file = match env_file(env).await {
        Ok(file) => file,
        Err(e) => return (unknown(e), json!({})),
    };
    let facts = crate::validation::measure(&file, verify_route, &state.config.server.roots).await;
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

/// Steps 5 and 9: the live endpoints, judged as the Go criteria judge them. Staging (step 5)
/// may run with a degraded optional dependency; production (step 9) may not, and Inngest must
/// be cloud-ready with the expected count. Both include the environment's release checks.
fn endpoints(
    env: &EnvironmentConfig,
    report: &crate::probe::EnvironmentReport,
    production: bool,
) -> Check {
    let mut passed: Vec<String> = Vec::new();
    for kind in [ProbeKind::Readiness, ProbeKind::Dependencies] {
        let finding = match report.outcome(&kind) {
            Some(o) if !production && o.status == ProbeStatus::Degraded => Finding::Met {
                evidence: o.message.clone(),
            },
            _ => super::criteria::from_probe(report, &kind, env.name.as_str()),
        };
        match finding {
            Finding::Met { evidence } => passed.push(evidence),
            other => return check_of(other),
        }
    }
    if production {
        match super::criteria::inngest_cloud(report, env) {
            Finding::Met { evidence } => passed.push(evidence),
            finding => return check_of(finding),
        }
    }
    match super::criteria::release_checks(report, env) {
        None => {}
        Some(Finding::Met { evidence }) => passed.push(evidence),
        Some(finding) => return check_of(finding),
    }
    Check::Pass {
        summary: domain::text::sentences(passed.iter().map(String::as_str)),
    }
}

pub(super) fn evidence_of(report: &crate::probe::EnvironmentReport) -> Value {
    serde_json::to_value(report).unwrap_or_default()
}

/// Step 6: staging ready in every round for the whole window, counted from the moment step 3
/// verified that the deployed staging runs with the strict flags (`redeployed`): rounds from
/// before do not count ("enable both flags, then validate for 24 h").
async fn staging_stable(
    state: &AppState,
    pair: Pair<'_>,
    now: f64,
    redeployed: Option<f64>,
) -> (Check, Value) {
    let window = state.config.golive.stability.as_secs_f64();
    let interval = pair.staging.probe_interval.as_secs_f64();
    let from = (now - window - 4.0 * interval).max(redeployed.unwrap_or(f64::MIN));
    let samples = match state
        .store
        .samples_since(pair.staging.name.as_str(), from)
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
            ready: s.readiness == Readiness::Ready,
        })
        .collect();
    let result = stability(&rounds, now, window, interval);
    // A failed round restarted the clock: say what failed in it (the newest failure is it).
    let reset_by_failure = matches!(
        &result,
        Stability::NotReady {
            reset: Reset::FailedRound { .. }
        } | Stability::Waiting {
            reset: Some(Reset::FailedRound { .. }),
            ..
        }
    );
    let failure = if reset_by_failure {
        state
            .store
            .last_failure(pair.staging.name.as_str())
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let what_failed = failure
        .as_ref()
        .and_then(|(_, report)| domain::probe::first_problem(&report.probes))
        .map(|p| format!(" ({})", p.message.trim_end_matches('.')))
        .unwrap_or_default();
    let evidence = json!({
        "window_secs": window, "interval_secs": interval, "rounds": rounds.len(), "stability": result,
        "counted_from_unix": redeployed,
        "failed_round": failure.map(|(_, report)| evidence_of(&report)),
    });
    let to_go = |secs: f64| human_duration(secs.ceil());
    let check = match result {
        Stability::Stable { .. } => Check::Pass {
            summary: format!(
                "Staging has been ready in every round for the whole {} window.",
                window_words(window as u64)
            ),
        },
        Stability::Waiting {
            remaining_secs,
            reset,
            ..
        } => Check::Waiting {
            summary: match reset {
                Some(Reset::FailedRound { at_unix }) => format!(
                    "The clock restarted after a round that was not ready at {} UTC{what_failed}; {} to go.",
                    domain::time::minute_utc(at_unix),
                    to_go(remaining_secs)
                ),
                Some(Reset::Gap { from_unix, .. }) => format!(
                    "The clock restarted after a gap in probing from {} UTC; {} to go.",
                    domain::time::minute_utc(from_unix),
                    to_go(remaining_secs)
                ),
                None => format!("Ready so far; {} to go.", to_go(remaining_secs)),
            },
            remaining_secs,
            replay_run: None,
        },
        // Nothing measured lately: could not be measured (Hold), not measured bad.
        Stability::NotReady {
            reset: Reset::Gap { from_unix, .. },
        } => unknown(format!(
            "Staging has not been probed since {} UTC, so the stability clock is stopped; ask an engineer to check that Greenlight is running and can reach staging.",
            domain::time::minute_utc(from_unix)
        )),
        // Not a failure to act on (the guide says so): the clock restarts by itself at the next
        // ready round, and the page checks again.
        Stability::NotReady {
            reset: Reset::FailedRound { at_unix },
        } => Check::Waiting {
            summary: format!(
                "Staging was not ready in the round at {} UTC{what_failed}, so the clock is stopped; it restarts at the next ready round and then needs the whole {}.",
                domain::time::minute_utc(at_unix),
                window_words(window as u64)
            ),
            remaining_secs: window,
            replay_run: None,
        },
        Stability::NoHistory => unknown(
            "Staging has no readiness round since it was redeployed yet; the next probe round starts the clock.",
        ),
    };
    (check, evidence)
}

/// The release gate's suite: `[golive] suite`, else the first configured one.
pub(super) fn gate_suite(state: &AppState) -> Result<&SuiteConfig, String> {
    match &state.config.golive.suite {
        Some(name) => state.config.suites.iter().find(|s| &s.name == name),
        None => state.config.suites.first(),
    }
    .ok_or_else(|| "No replay suite is configured for the release gate: an engineer needs to add a [[suites]] entry to greenlight.toml.".to_string())
}

/// The newest completed run of the release-gate suite, and the suite's current version.
async fn latest_replay(state: &AppState) -> Result<(Option<ReplayFact>, String, f64), String> {
    let suite = gate_suite(state)?;
    let text = tokio::fs::read_to_string(&suite.golden_set)
        .await
        .map_err(|e| format!("The golden set of {} cannot be read: {e}", suite.name))?;
    let version = domain::GoldenSet::parse(&text)
        .map_err(|e| format!("The golden set of {} is not valid: {e}", suite.name))?
        .version()
        .to_string();
    // Only a run of the whole suite counts: a canary of a sample does not.
    let fact = state
        .store
        .latest_whole_run(&suite.name)
        .await
        .map_err(|e| format!("Replay runs cannot be read: {e}"))?
        .and_then(|r| {
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

/// What the release gate was judged on: the suite's newest whole run, its version and its gate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(super) struct GateEvidence {
    pub run: Option<ReplayFact>,
    pub suite_version: String,
    pub min_pass_rate: f64,
}

/// The release gate now, and what it was judged on (none when the suite cannot be read).
pub(super) async fn gate_finding(state: &AppState, now: f64) -> (Finding, Option<GateEvidence>) {
    match latest_replay(state).await {
        Err(e) => (Finding::Unmeasured { missing: e }, None),
        Ok((run, suite_version, min_pass_rate)) => (
            release_gate(run.as_ref(), &suite_version, min_pass_rate, now),
            Some(GateEvidence {
                run,
                suite_version,
                min_pass_rate,
            }),
        ),
    }
}

pub(super) fn check_of(finding: Finding) -> Check {
    match finding {
        Finding::Met { evidence } => Check::Pass { summary: evidence },
        Finding::Failed { problem, action } => Check::Fail { problem, action },
        Finding::Unmeasured { missing } => Check::Unknown { missing },
    }
}

/// Step 10: a replay of the gate suite that is running now is waited for; otherwise the
/// newest finished one is judged.
async fn release_gate_check(state: &AppState, now: f64) -> (Check, Value) {
    let running = match gate_suite(state) {
        Ok(suite) => state.replays.running(&suite.name),
        Err(_) => None,
    };
    // The background replays forget a run just after storing its end: the stored status decides.
    if let Some(run_id) = running
        && let Ok(Some(run)) = state.store.run(run_id).await
        && run.status == RunStatus::Running
    {
        return (
            Check::Waiting {
                summary: format!(
                    "Replay run {run_id} is running: {} of {} cases judged.",
                    run.finished_cases, run.total_cases
                ),
                remaining_secs: 0.0,
                replay_run: Some(run_id),
            },
            json!({ "running_run": run_id }),
        );
    }
    let (finding, evidence) = gate_finding(state, now).await;
    (
        check_of(finding),
        evidence.map_or_else(|| json!({}), |g| json!(g)),
    )
}

/// Runs step `step`'s automatic check now. Confirm-then-verify steps are verified here too
/// (after the operator confirmed). The live probes of steps 3, 5, 7 and 9 are stored as rounds
/// of readiness history, like "Probe now": what the go-live saw is what step 6 counts.
pub async fn evaluate(
    state: &AppState,
    pair: Pair<'_>,
    step: StepId,
    now: f64,
    staging_redeployed: Option<f64>,
) -> (Check, Value) {
    let prober = &state.prober;
    match step {
        StepId::ConfirmInputs => confirm_inputs(pair).await,
        StepId::PolicyDecision => policy_decision(pair).await,
        StepId::UpdateStaging | StepId::UpdateProduction => {
            let env = if step == StepId::UpdateStaging {
                pair.staging
            } else {
                pair.production
            };
            let report = probe_and_store(state, prober, env).await;
            (deployed_strict(env, &report), evidence_of(&report))
        }
        StepId::ValidateStaging => validate(state, pair.staging, false).await,
        StepId::ValidateProduction => validate(state, pair.production, true).await,
        StepId::VerifyStagingEndpoints | StepId::VerifyProductionEndpoints => {
            let production = step == StepId::VerifyProductionEndpoints;
            let env = if production {
                pair.production
            } else {
                pair.staging
            };
            let report = probe_and_store(state, prober, env).await;
            (endpoints(env, &report, production), evidence_of(&report))
        }
        StepId::StagingStable => staging_stable(state, pair, now, staging_redeployed).await,
        StepId::ReleaseGate => release_gate_check(state, now).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::secret::MASK;

    #[test]
    fn inputs_are_shown_masked() {
        // Step 1's evidence goes through the one masking rule of `domain::secret`.
        let shown = |key, value| display_value(key, value);
        assert_eq!(shown("INNGEST_SIGNING_KEY", "signkey-prod-abc"), MASK);
        assert_eq!(shown("INNGEST_EVENT_KEY", "evt"), MASK);
        assert_eq!(
            shown("REDIS_URL", "rediss://user:pw@h:6380/0"),
            format!("rediss://user:{MASK}@h:6380/0")
        );
        // Malformed: not unpicked, hidden whole; a raw '/' in a password hides all of it.
        assert_eq!(shown("REDIS_URL", "redis//user:pw@h:6380/0"), MASK);
        assert!(!shown("REDIS_URL", "redis://:pa/ss@h:6380/0").contains("ss"));
        assert_eq!(
            shown("INNGEST_WEBHOOK_URL", "https://h.example.com/api/inngest"),
            "https://h.example.com/api/inngest"
        );
    }
}
