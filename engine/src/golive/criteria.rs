//! The Go criteria measured at the moment of the verdict: production probed live (strict flags
//! as deployed, readiness, runtime dependencies, Inngest), the release gate from stored
//! replays, and the go-live's own checklist; and the verdict report written from them.

use domain::golive::{
    Checklist, Criterion, CriterionFinding, Finding, UpdateFacts, VerdictReport, leadership_update,
    verdict,
};
use domain::probe::{Findings, ProbeKind, ProbeStatus};

use super::Pair;
use super::checks::{GateEvidence, gate_finding};
use crate::config::EnvironmentConfig;
use crate::probe::EnvironmentReport;
use crate::state::AppState;

/// A probe's outcome as a Go criterion.
pub(super) fn from_probe(
    report: &EnvironmentReport,
    kind: &ProbeKind,
    production: &str,
) -> Finding {
    let Some(o) = report.outcome(kind) else {
        return Finding::Unmeasured {
            missing: format!("The {kind} probe did not run."),
        };
    };
    match o.status {
        ProbeStatus::Healthy => Finding::Met {
            evidence: o.message.clone(),
        },
        ProbeStatus::Unhealthy => Finding::Failed {
            problem: o.message.clone(),
            action: format!("An engineer needs to fix this in {production} before going on."),
        },
        // Working but not healthy (an optional dependency down): "ready and healthy" is not met.
        ProbeStatus::Degraded if *kind == ProbeKind::Dependencies => Finding::Failed {
            problem: o.message.clone(),
            action: "Every runtime dependency must be healthy for Go; an engineer needs to restore the degraded one.".into(),
        },
        // An unsigned Inngest check, a timeout, nothing configured: not measured.
        _ => Finding::Unmeasured {
            missing: o.message.clone(),
        },
    }
}

/// Inngest cloud-ready: the probe healthy on a signed check, in cloud mode, with the function
/// count the configuration expects. A count that was not configured or not reported cannot be
/// checked, so it is unmeasured (Hold), never met.
pub(super) fn inngest_cloud(report: &EnvironmentReport, env: &EnvironmentConfig) -> Finding {
    let production = env.name.as_str();
    let finding = from_probe(report, &ProbeKind::Inngest, production);
    if !matches!(finding, Finding::Met { .. }) {
        return finding;
    }
    let (signed, mode, seen) = match report.outcome(&ProbeKind::Inngest).map(|o| &o.findings) {
        Some(Findings::Inngest {
            signed,
            mode,
            function_count,
        }) => (*signed, mode.as_deref(), *function_count),
        _ => (false, None, None),
    };
    match (env.expected_inngest_functions, signed, mode, seen) {
        (None, ..) => Finding::Unmeasured {
            missing: format!(
                "expected_inngest_functions is not set for {production} in greenlight.toml, so the number of Inngest functions cannot be checked."
            ),
        },
        (_, false, ..) => Finding::Unmeasured {
            missing: "The Inngest check was not signed, so cloud mode and the function count were not verified.".into(),
        },
        (_, true, Some(mode), _) if mode != "cloud" => Finding::Failed {
            problem: format!("Inngest runs in {mode} mode in {production}, not cloud."),
            action: "An engineer needs to deploy the service with Inngest in cloud mode.".into(),
        },
        (_, true, _, None) => Finding::Unmeasured {
            missing: "Inngest did not report how many functions it serves.".into(),
        },
        _ => finding,
    }
}

/// The custom checks of `env` marked `release = true` (queue health, for example): each one
/// measured and holding is met; one measured bad is failed, naming the check and the value seen;
/// one that could not be measured is unmeasured. `None` when `env` marks no check for release.
pub(super) fn release_checks(
    report: &EnvironmentReport,
    env: &EnvironmentConfig,
) -> Option<Finding> {
    let name = env.name.as_str();
    let mut held = Vec::new();
    let mut missing = Vec::new();
    for check in env.checks.iter().filter(|c| c.release) {
        match report.outcome(&ProbeKind::Check(check.name.clone())) {
            Some(o) if matches!(o.status, ProbeStatus::Healthy | ProbeStatus::Degraded) => {
                held.push(format!(
                    "Release check {} holds in {name}: {}",
                    check.name, o.message
                ));
            }
            Some(o) if o.status == ProbeStatus::Unhealthy => {
                return Some(Finding::Failed {
                    problem: format!(
                        "Release check {} fails in {name}. {}",
                        check.name, o.message
                    ),
                    action: format!(
                        "An engineer needs to bring {} back within its limits in {name} (for a queue: let the backlog drain or add workers), then check again.",
                        check.name
                    ),
                });
            }
            Some(o) => missing.push(format!(
                "Release check {} could not be measured in {name}: {}",
                check.name, o.message
            )),
            None => missing.push(format!(
                "Release check {} did not run in {name}.",
                check.name
            )),
        }
    }
    if !missing.is_empty() {
        return Some(Finding::Unmeasured {
            missing: domain::text::sentences(missing.iter().map(String::as_str)),
        });
    }
    (!held.is_empty()).then(|| Finding::Met {
        evidence: domain::text::sentences(held.iter().map(String::as_str)),
    })
}

/// REDIS_REQUIRED and INNGEST_REQUIRED as the deployed `env` reports them: both true is met,
/// either false is failed (with `action`), not said is unmeasured. Steps 3 and 7 and the Go
/// criterion share it.
pub(super) fn strict_flags(report: &EnvironmentReport, env: &str, action: String) -> Finding {
    match report
        .deployed_strict_flags()
        .map(|f| (f.redis_required, f.inngest_required))
    {
        Some((Some(true), Some(true))) => Finding::Met {
            evidence: format!(
                "{env} reports Redis and Inngest as required dependencies (REDIS_REQUIRED and INNGEST_REQUIRED true)."
            ),
        },
        Some((Some(redis), Some(inngest))) => Finding::Failed {
            problem: format!(
                "{env} still runs with REDIS_REQUIRED={redis} and INNGEST_REQUIRED={inngest}."
            ),
            action,
        },
        _ => Finding::Unmeasured {
            missing: format!(
                "{env}'s runtime dependencies did not say whether Redis and Inngest are required ({}).",
                report
                    .outcome(&ProbeKind::Dependencies)
                    .map_or("no answer", |o| o.message.as_str())
            ),
        },
    }
}

/// Every Go criterion, measured now, with what the release gate was judged on.
pub(super) async fn go_criteria(
    state: &AppState,
    pair: Pair<'_>,
    checklist: &Checklist,
    now: f64,
) -> (Vec<CriterionFinding>, Option<GateEvidence>) {
    let production = pair.production.name.as_str();
    let (report, (gate, gate_evidence)) = tokio::join!(
        state.prober.probe(pair.production),
        gate_finding(state, now)
    );
    let stability_secs = state.config.golive.stability.as_secs();
    let findings = [
        (
            Criterion::StrictFlags,
            strict_flags(
                &report,
                production,
                format!("Set both to true in {production}'s env file and redeploy (step 7)."),
            ),
        ),
        (
            Criterion::Readiness,
            from_probe(&report, &ProbeKind::Readiness, production),
        ),
        (
            Criterion::RuntimeDependencies,
            from_probe(&report, &ProbeKind::Dependencies, production),
        ),
        (Criterion::ReleaseGate, gate),
        (
            Criterion::InngestCloud,
            inngest_cloud(&report, pair.production),
        ),
        (Criterion::Checklist, checklist.finding(stability_secs)),
        (
            Criterion::ReleaseChecks,
            release_checks(&report, pair.production).unwrap_or(Finding::Met {
                evidence: format!("No custom check of {production} is marked release = true."),
            }),
        ),
    ]
    .into_iter()
    .map(|(criterion, finding)| CriterionFinding { criterion, finding })
    .collect();
    (findings, gate_evidence)
}

/// The verdict measured now, with its findings and the leadership update written from the
/// same live data (staging's deployed strict flags are probed too).
pub async fn verdict_report(
    state: &AppState,
    pair: Pair<'_>,
    checklist: &Checklist,
    now: f64,
) -> VerdictReport {
    let ((findings, gate), staging_report) = tokio::join!(
        go_criteria(state, pair, checklist, now),
        state.prober.probe(pair.staging)
    );
    let verdict = verdict(&findings);
    let find = |c: Criterion| {
        findings
            .iter()
            .find(|f| f.criterion == c)
            .map(|f| f.finding.clone())
    };
    let staging_strict = staging_report
        .deployed_strict_flags()
        .and_then(|f| Some(f.redis_required? && f.inngest_required?));
    let production_strict = match find(Criterion::StrictFlags) {
        Some(Finding::Met { .. }) => Some(true),
        Some(Finding::Failed { .. }) => Some(false),
        _ => None,
    };
    // The first production endpoint criterion that does not hold, else all of them held.
    let production_endpoints = [
        Criterion::Readiness,
        Criterion::RuntimeDependencies,
        Criterion::InngestCloud,
    ]
    .into_iter()
    .filter_map(find)
    .find(|f| !matches!(f, Finding::Met { .. }))
    .unwrap_or(Finding::Met {
        evidence:
            "ready (200), dependencies healthy, Inngest in cloud mode with the expected functions."
                .into(),
    });
    let replay = gate.as_ref().and_then(|g| g.run.clone());
    let min_pass_rate = gate.as_ref().map_or(0.95, |g| g.min_pass_rate);
    let update = leadership_update(&UpdateFacts {
        staging: pair.staging.name.to_string(),
        production: pair.production.name.to_string(),
        staging_strict,
        production_strict,
        production_endpoints,
        replay,
        min_pass_rate,
        current_step: checklist.current(),
        stability_secs: state.config.golive.stability.as_secs(),
        verdict: verdict.clone(),
        practice: pair.staging.practice && pair.production.practice,
    });
    VerdictReport {
        verdict,
        findings,
        update,
        measured_unix: now,
    }
}

#[cfg(test)]
#[path = "release_checks_tests.rs"]
mod release_checks_tests;
