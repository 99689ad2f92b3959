//! Practice mode: the staging and production services the console runs on loopback when it is
//! started on its embedded default, and what the practice panel does to them. These types cross
//! from the engine to the page as themselves.

use serde::{Deserialize, Serialize};

use crate::text::sentence;

/// One of the two practice services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Staging,
    Production,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Staging, Side::Production];

    /// The environment's name in the console.
    pub fn name(self) -> &'static str {
        match self {
            Side::Staging => "staging",
            Side::Production => "production",
        }
    }
}

/// What the practice panel does, for real, in the engineer's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Sets REDIS_REQUIRED=true and INNGEST_REQUIRED=true in the service's env file (the
    /// running service keeps its old settings until it is redeployed).
    SetStrictFlags {
        side: Side,
    },
    /// Restarts the service, which reads its env file again.
    Redeploy {
        side: Side,
    },
    StopRedis {
        side: Side,
    },
    StartRedis {
        side: Side,
    },
    /// Makes every answer of the service wait past the probe timeout, or answer at once again.
    SlowAnswers {
        side: Side,
        on: bool,
    },
    /// Makes the practice suite's runner answer two cases wrongly, or answer all of them again.
    RunnerFailures {
        on: bool,
    },
    /// Back to the start: relaxed env files, both Redis servers running, quick answers, the
    /// runner right, both services redeployed.
    Reset,
}

impl Action {
    /// The audit log's action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Action::SetStrictFlags { .. } => "practice.set_strict_flags",
            Action::Redeploy { .. } => "practice.redeploy",
            Action::StopRedis { .. } => "practice.stop_redis",
            Action::StartRedis { .. } => "practice.start_redis",
            Action::SlowAnswers { .. } => "practice.slow_answers",
            Action::RunnerFailures { .. } => "practice.runner_failures",
            Action::Reset => "practice.reset",
        }
    }

    /// What was done, as a sentence for the operator.
    pub fn done(self) -> String {
        match self {
            Action::SetStrictFlags { side } => format!(
                "REDIS_REQUIRED=true and INNGEST_REQUIRED=true are now set in {}'s env file. The running service still has its old settings until it is redeployed.",
                side.name()
            ),
            Action::Redeploy { side } => sentence(&format!(
                "{} was redeployed: it restarted and read its env file again.",
                side.name()
            )),
            Action::StopRedis { side } => format!("{}'s Redis was stopped.", side.name()),
            Action::StartRedis { side } => format!("{}'s Redis is running again.", side.name()),
            Action::SlowAnswers { side, on: true } => sentence(&format!(
                "{} now answers every request after the probe timeout, like a service under heavy load.",
                side.name()
            )),
            Action::SlowAnswers { side, on: false } => {
                sentence(&format!("{} answers at once again.", side.name()))
            }
            Action::RunnerFailures { on: true } => {
                "The practice runner now answers two of the six test questions wrongly.".into()
            }
            Action::RunnerFailures { on: false } => {
                "The practice runner answers every test question correctly again.".into()
            }
            Action::Reset => "Practice mode is back at its start: relaxed env files, both Redis servers running, quick answers, a correct runner, both services redeployed.".into(),
        }
    }
}

/// A practice service's Redis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RedisState {
    Running {
        port: u16,
    },
    Stopped {
        port: u16,
    },
    /// No redis-server could be started (not installed, or it failed): the reason in words.
    Unavailable {
        reason: String,
    },
}

/// One practice service as the panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub side: Side,
    pub base_url: String,
    /// Serving now: false after a redeploy whose restart failed (redeploy again).
    pub running: bool,
    pub redis: RedisState,
    /// Both strict flags are true in the env file.
    pub strict_in_file: bool,
    /// Both strict flags were true in the env file when the running service started.
    pub strict_deployed: bool,
    pub slow: bool,
    pub deployed_unix: f64,
}

/// Practice mode as the panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub services: Vec<Service>,
    pub runner_failures: bool,
    /// The practice pair's stability window (step 6).
    pub stability_secs: u64,
    /// Why practice mode runs without Redis, when it does.
    pub notice: Option<String>,
}

impl Status {
    pub fn service(&self, side: Side) -> Option<&Service> {
        self.services.iter().find(|s| s.side == side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_cross_as_tagged_json() {
        let action = Action::SlowAnswers {
            side: Side::Production,
            on: true,
        };
        let json = serde_json::to_string(&action).unwrap();
        assert_eq!(
            json,
            r#"{"action":"slow_answers","side":"production","on":true}"#
        );
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), action);
        assert!(
            Action::Redeploy {
                side: Side::Staging
            }
            .done()
            .starts_with("Staging was")
        );
    }
}
