//! A replay run's records: the states of a run and of its cases (one enum each, stored, sent to
//! the browser and matched on as themselves; their snake_case word is their one written form),
//! and one finished case as the harness hands it to the store and the output files.

use serde::{Deserialize, Serialize};

/// Where a replay run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Completed,
    Cancelled,
    /// Its process stopped before it finished.
    Interrupted,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Completed => "completed",
            RunStatus::Cancelled => "cancelled",
            RunStatus::Interrupted => "interrupted",
        }
    }

    /// The status of a stored word; an unknown word is a run that did not finish.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "running" => RunStatus::Running,
            "completed" => RunStatus::Completed,
            "cancelled" => RunStatus::Cancelled,
            _ => RunStatus::Interrupted,
        }
    }
}

/// Who started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunTrigger {
    /// Someone: the console's Replays page, the go-live, or the CLI.
    Manual,
    /// The suite's canary schedule.
    Canary,
}

impl RunTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            RunTrigger::Manual => "manual",
            RunTrigger::Canary => "canary",
        }
    }

    pub fn parse(raw: &str) -> Self {
        if raw == "canary" {
            RunTrigger::Canary
        } else {
            RunTrigger::Manual
        }
    }
}

/// How one case of a run ended (the reference's `status` in a case record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// The runner answered and the answer was judged.
    Ok,
    /// The runner failed; the case's error says how.
    RunnerError,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Ok => "ok",
            CaseStatus::RunnerError => "runner_error",
        }
    }

    pub fn parse(raw: &str) -> Self {
        if raw == "ok" {
            CaseStatus::Ok
        } else {
            CaseStatus::RunnerError
        }
    }
}

/// One finished case of a run: what the runner answered, how it was judged, how long it took.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    /// Position in the golden set.
    pub index: usize,
    pub case: crate::Case,
    pub status: CaseStatus,
    pub run: Option<crate::RunOutput>,
    pub judge: Option<crate::JudgeResult>,
    pub error: Option<String>,
    pub duration: std::time::Duration,
}

impl CaseRecord {
    /// The case's line in the summary's `results`.
    pub fn summary_row(&self) -> crate::SummaryRow {
        crate::SummaryRow::from_outcome(&self.outcome())
    }

    pub fn outcome(&self) -> crate::CaseOutcome<'_> {
        match (&self.judge, &self.error) {
            (Some(result), _) => crate::CaseOutcome::Judged {
                case_id: &self.case.id,
                result,
            },
            (None, error) => crate::CaseOutcome::RunnerError {
                case_id: &self.case.id,
                error: error.as_deref().unwrap_or("runner failed"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_its_serde_form_and_parses_back() {
        for s in [
            RunStatus::Running,
            RunStatus::Completed,
            RunStatus::Cancelled,
            RunStatus::Interrupted,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(RunStatus::parse(s.as_str()), s);
        }
        for t in [RunTrigger::Manual, RunTrigger::Canary] {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
            assert_eq!(RunTrigger::parse(t.as_str()), t);
        }
        for c in [CaseStatus::Ok, CaseStatus::RunnerError] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
            assert_eq!(CaseStatus::parse(c.as_str()), c);
        }
    }
}
