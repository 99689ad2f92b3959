//! The Go / No-Go / Hold verdict from the Go criteria measured at the moment of the verdict.
//! Anything measured bad makes it No-Go; anything that could not be measured makes it Hold.
//! "Unknown" never becomes Go.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// REDIS_REQUIRED and INNGEST_REQUIRED true in the target environment, as deployed.
    StrictFlags,
    /// The readiness endpoint answers 200.
    Readiness,
    /// Runtime dependencies ready and healthy.
    RuntimeDependencies,
    /// A replay of the current suite at or above the minimum pass rate, recent enough.
    ReleaseGate,
    /// Inngest in cloud mode with the expected function count (and matching keys when signed).
    InngestCloud,
    /// The go-live's ten steps all passed (staging stable for the whole window among them).
    Checklist,
    /// Production's custom checks marked `release = true` (queue health, for example) hold.
    ReleaseChecks,
}

impl Criterion {
    pub const ALL: [Criterion; 7] = [
        Criterion::StrictFlags,
        Criterion::Readiness,
        Criterion::RuntimeDependencies,
        Criterion::ReleaseGate,
        Criterion::InngestCloud,
        Criterion::Checklist,
        Criterion::ReleaseChecks,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Criterion::StrictFlags => "Strict dependency policy",
            Criterion::Readiness => "Readiness",
            Criterion::RuntimeDependencies => "Dependencies",
            Criterion::ReleaseGate => "Release quality gate",
            Criterion::InngestCloud => "Inngest",
            Criterion::Checklist => "Go-live steps",
            Criterion::ReleaseChecks => "Release checks",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    Met { evidence: String },
    Failed { problem: String, action: String },
    Unmeasured { missing: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionFinding {
    pub criterion: Criterion,
    pub finding: Finding,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Go,
    /// Each failing criterion, in plain words, with what to do.
    NoGo {
        failing: Vec<CriterionFinding>,
    },
    /// What could not be measured.
    Hold {
        missing: Vec<CriterionFinding>,
    },
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Go => "Go",
            Verdict::NoGo { .. } => "No-Go",
            Verdict::Hold { .. } => "Hold",
        }
    }
}

/// A verdict measured at one moment, with the findings behind it and the leadership update
/// written from them: what the go-live page shows and what a sign-off keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictReport {
    pub verdict: Verdict,
    pub findings: Vec<CriterionFinding>,
    /// The plain-text leadership update.
    pub update: String,
    pub measured_unix: f64,
}

/// The verdict from the findings. A criterion with no finding at all counts as unmeasured.
pub fn verdict(findings: &[CriterionFinding]) -> Verdict {
    let failing: Vec<CriterionFinding> = findings
        .iter()
        .filter(|f| matches!(f.finding, Finding::Failed { .. }))
        .cloned()
        .collect();
    if !failing.is_empty() {
        return Verdict::NoGo { failing };
    }
    let mut missing: Vec<CriterionFinding> = findings
        .iter()
        .filter(|f| matches!(f.finding, Finding::Unmeasured { .. }))
        .cloned()
        .collect();
    for criterion in Criterion::ALL {
        if !findings.iter().any(|f| f.criterion == criterion) {
            missing.push(CriterionFinding {
                criterion,
                finding: Finding::Unmeasured {
                    missing: format!("{} was not measured.", criterion.label()),
                },
            });
        }
    }
    if missing.is_empty() {
        Verdict::Go
    } else {
        Verdict::Hold { missing }
    }
}

/// What is known of the newest finished replay of the gate's suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayFact {
    pub run_id: i64,
    pub finished_unix: f64,
    pub suite_version: String,
    pub passed: u64,
    pub total: u64,
    pub pass_rate: f64,
}

/// How old an accepted replay may be.
pub const REPLAY_MAX_AGE_SECS: f64 = 24.0 * 3_600.0;

/// The release-gate finding: no replay, a stale one or one of another suite version is
/// unmeasured (Hold); below the minimum is failed (No-Go).
pub fn release_gate(
    latest: Option<&ReplayFact>,
    current_suite_version: &str,
    min_pass_rate: f64,
    now_unix: f64,
) -> Finding {
    let Some(run) = latest else {
        return Finding::Unmeasured {
            missing: "No replay has finished yet: start one from step 10.".into(),
        };
    };
    if run.suite_version != current_suite_version {
        return Finding::Unmeasured {
            missing: format!(
                "The last replay (run {}) used an older version of the test set; run it again on the current one.",
                run.run_id
            ),
        };
    }
    let age = now_unix - run.finished_unix;
    if age > REPLAY_MAX_AGE_SECS {
        return Finding::Unmeasured {
            missing: format!(
                "The last replay (run {}) finished {:.0} hours ago; the gate needs one from the last 24 hours.",
                run.run_id,
                age / 3_600.0
            ),
        };
    }
    let percent = |r: f64| format!("{:.1} %", r * 100.0);
    if run.pass_rate + 1e-12 < min_pass_rate {
        Finding::Failed {
            problem: format!(
                "The replay passed {}/{} cases ({}), below the minimum of {}.",
                run.passed,
                run.total,
                percent(run.pass_rate),
                percent(min_pass_rate)
            ),
            action: "Ask an engineer to look at the failing cases in the replay, fix them and run the replay again.".into(),
        }
    } else {
        Finding::Met {
            evidence: format!(
                "Replay run {}: {}/{} passed ({}), minimum {}.",
                run.run_id,
                run.passed,
                run.total,
                percent(run.pass_rate),
                percent(min_pass_rate)
            ),
        }
    }
}
