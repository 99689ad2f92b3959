//! The ten go-live steps, in order, each explained for an operator who is not an engineer, and
//! the state machine of one step.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    ConfirmInputs,
    PolicyDecision,
    UpdateStaging,
    ValidateStaging,
    VerifyStagingEndpoints,
    StagingStable,
    UpdateProduction,
    ValidateProduction,
    VerifyProductionEndpoints,
    ReleaseGate,
}

/// How a step is completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Greenlight checks it when the step opens and on "Check again".
    Automatic,
    /// The operator does something outside Greenlight and confirms; Greenlight then verifies.
    ConfirmThenVerify,
}

/// What a step means, what good looks like, and what to do when it fails, in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepGuide {
    pub title: &'static str,
    pub means: &'static str,
    pub good: &'static str,
    pub if_it_fails: &'static str,
}

impl StepId {
    /// The step's key (`update_staging`): its serde form, how it is stored and sent.
    pub fn key(self) -> &'static str {
        match self {
            StepId::ConfirmInputs => "confirm_inputs",
            StepId::PolicyDecision => "policy_decision",
            StepId::UpdateStaging => "update_staging",
            StepId::ValidateStaging => "validate_staging",
            StepId::VerifyStagingEndpoints => "verify_staging_endpoints",
            StepId::StagingStable => "staging_stable",
            StepId::UpdateProduction => "update_production",
            StepId::ValidateProduction => "validate_production",
            StepId::VerifyProductionEndpoints => "verify_production_endpoints",
            StepId::ReleaseGate => "release_gate",
        }
    }

    /// The step of a key; `None` for a key that names no step.
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Check {
    /// The outcome's word (`pass`, `fail`, `unknown`, `waiting`), as serde tags it.
    pub fn outcome(&self) -> &'static str {
        match self {
            Check::Pass { .. } => "pass",
            Check::Fail { .. } => "fail",
            Check::Unknown { .. } => "unknown",
            Check::Waiting { .. } => "waiting",
        }
    }
}

impl StepId {
    pub const ALL: [StepId; 10] = [
        StepId::ConfirmInputs,
        StepId::PolicyDecision,
        StepId::UpdateStaging,
        StepId::ValidateStaging,
        StepId::VerifyStagingEndpoints,
        StepId::StagingStable,
        StepId::UpdateProduction,
        StepId::ValidateProduction,
        StepId::VerifyProductionEndpoints,
        StepId::ReleaseGate,
    ];

    /// The title as shown. Step 6 names the configured stability window (`stability_secs`);
    /// the guide's own title assumes the default of 24 hours.
    pub fn title(self, stability_secs: u64) -> String {
        match self {
            StepId::StagingStable => format!(
                "Staging stays ready for {}",
                crate::time::window_words(stability_secs)
            ),
            _ => self.guide().title.to_string(),
        }
    }

    /// 1-based position in the checklist.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn kind(self) -> StepKind {
        match self {
            StepId::UpdateStaging | StepId::UpdateProduction => StepKind::ConfirmThenVerify,
            _ => StepKind::Automatic,
        }
    }

    pub fn guide(self) -> StepGuide {
        match self {
            StepId::ConfirmInputs => StepGuide {
                title: "Confirm the four inputs",
                means: "The settings files of staging and production must contain the address of the Redis cache (REDIS_URL) and the three Inngest settings (INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, INNGEST_WEBHOOK_URL). Redis is the service's fast shared memory; Inngest runs its background jobs.",
                good: "All four are present and well formed: the signing key starts with signkey-, production's webhook address starts with https:// and ends in the Inngest path. Secret values are shown masked.",
                if_it_fails: "Ask the engineer who owns the service for the missing values and have them added to the env files; then press Check again.",
            },
            StepId::PolicyDecision => StepGuide {
                title: "Turn on the strict dependency policy in staging",
                means: "Two switches in staging's settings file, REDIS_REQUIRED and INNGEST_REQUIRED, tell the service to report itself not ready when Redis or Inngest is missing, instead of quietly running without them.",
                good: "Both are set to true in staging's env file.",
                if_it_fails: "Ask an engineer to set the exact lines shown below in staging's env file; then press Check again.",
            },
            StepId::UpdateStaging => StepGuide {
                title: "Update staging and redeploy",
                means: "The new settings only take effect once staging is redeployed (restarted with them).",
                good: "After you confirm, Greenlight sees staging report both Redis and Inngest as required.",
                if_it_fails: "The deployed staging still runs the old settings: ask an engineer to redeploy staging with the updated env file, then confirm again.",
            },
            StepId::ValidateStaging => StepGuide {
                title: "Validate staging",
                means: "Greenlight runs the same settings check the engineering team uses, including a live connection to Redis and the Inngest keys.",
                good: "The check passes: nothing required is missing and every connection check is OK.",
                if_it_fails: "The failing check is named below; pass it to an engineer, then press Check again.",
            },
            StepId::VerifyStagingEndpoints => StepGuide {
                title: "Verify staging is ready",
                means: "Greenlight asks the running staging service whether it is ready and whether its dependencies are healthy.",
                good: "The readiness check answers 200 (ready) and every required dependency is ready.",
                if_it_fails: "The dependency that is down is named below; an engineer needs to fix it before going on.",
            },
            StepId::StagingStable => StepGuide {
                title: "Staging stays ready for 24 hours",
                means: "Staging must be ready in every probe round, with no long gaps, for the whole window named in the title, so we know it is stable and not ready by luck.",
                good: "The full window has passed without a failure. The time remaining is shown while it runs.",
                if_it_fails: "The clock restarts from the next ready round; the failure that reset it is shown. Nothing to do unless it keeps failing: then ask an engineer.",
            },
            StepId::UpdateProduction => StepGuide {
                title: "Update production and redeploy",
                means: "Production gets the same strict switches (REDIS_REQUIRED=true, INNGEST_REQUIRED=true) and is redeployed.",
                good: "After you confirm, Greenlight sees production report both Redis and Inngest as required.",
                if_it_fails: "The deployed production still runs the old settings: ask an engineer to redeploy it with the updated env file, then confirm again.",
            },
            StepId::ValidateProduction => StepGuide {
                title: "Validate production",
                means: "The settings check again, for production, including a signed check that the Inngest endpoint is really mounted.",
                good: "The check passes with the Inngest route verified.",
                if_it_fails: "The failing check is named below; pass it to an engineer, then press Check again.",
            },
            StepId::VerifyProductionEndpoints => StepGuide {
                title: "Verify production is ready",
                means: "Greenlight asks production whether it is ready, whether its dependencies are healthy, and whether Inngest runs in cloud mode with the expected number of background jobs.",
                good: "Ready (200), dependencies healthy, Inngest in cloud mode with the expected function count and matching keys.",
                if_it_fails: "What is wrong is named below; an engineer needs to fix it before going live.",
            },
            StepId::ReleaseGate => StepGuide {
                title: "Release quality gate",
                means: "The replay harness runs the team's test questions through the service and scores the answers. The pass rate must reach the minimum.",
                good: "A replay of the current test set finished within the last 24 hours at or above the minimum pass rate.",
                if_it_fails: "Start a replay from this step, or ask an engineer to look at the failing cases.",
            },
        }
    }
}

/// The result of evaluating a step now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Check {
    Pass {
        summary: String,
    },
    /// Measured, and wrong.
    Fail {
        problem: String,
        action: String,
    },
    /// Could not be measured (a probe timed out, no data yet).
    Unknown {
        missing: String,
    },
    /// In progress (the stability window, a running replay): how long is left.
    Waiting {
        summary: String,
        remaining_secs: f64,
        /// The replay run being waited for (step 10), so the page can follow it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replay_run: Option<i64>,
    },
}

/// Where one step stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    NotStarted,
    /// A confirm-then-verify step the operator has confirmed, not yet verified.
    Confirmed {
        by: String,
        note: Option<String>,
    },
    Checked {
        check: Check,
        /// For confirm-then-verify steps: who confirmed.
        confirmed_by: Option<String>,
    },
}

/// Something that happens to a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StepEvent {
    Confirm { by: String, note: Option<String> },
    Evaluated { check: Check },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("step {0} is checked automatically; there is nothing to confirm")]
    NothingToConfirm(usize),
    #[error("step {0} needs your confirmation first")]
    ConfirmFirst(usize),
    #[error("finish step {blocking} first; step {step} opens after it")]
    NotOpenYet { step: usize, blocking: usize },
}

impl StepState {
    pub fn passed(&self) -> bool {
        matches!(
            self,
            StepState::Checked {
                check: Check::Pass { .. },
                ..
            }
        )
    }

    /// Applies `event` to this step. A passed step that later fails goes back to failing; a
    /// failed one that passes again is passed.
    pub fn apply(&self, step: StepId, event: StepEvent) -> Result<StepState, StepError> {
        match (step.kind(), self, event) {
            (StepKind::Automatic, _, StepEvent::Confirm { .. }) => {
                Err(StepError::NothingToConfirm(step.number()))
            }
            (StepKind::Automatic, _, StepEvent::Evaluated { check }) => Ok(StepState::Checked {
                check,
                confirmed_by: None,
            }),
            // Confirming again (say after another redeploy) starts a new verification.
            (StepKind::ConfirmThenVerify, _, StepEvent::Confirm { by, note }) => {
                Ok(StepState::Confirmed { by, note })
            }
            (StepKind::ConfirmThenVerify, StepState::NotStarted, StepEvent::Evaluated { .. }) => {
                Err(StepError::ConfirmFirst(step.number()))
            }
            (
                StepKind::ConfirmThenVerify,
                StepState::Confirmed { by, .. },
                StepEvent::Evaluated { check },
            )
            | (
                StepKind::ConfirmThenVerify,
                StepState::Checked {
                    confirmed_by: Some(by),
                    ..
                },
                StepEvent::Evaluated { check },
            ) => Ok(StepState::Checked {
                check,
                confirmed_by: Some(by.clone()),
            }),
            (
                StepKind::ConfirmThenVerify,
                StepState::Checked { .. },
                StepEvent::Evaluated { .. },
            ) => Err(StepError::ConfirmFirst(step.number())),
        }
    }
}
