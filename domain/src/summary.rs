//! The replay run's summary arithmetic (fixtures README, rule 9).
//!
//! [`RunSummary`] holds the reference summary's fields from `total_cases` to `results`, in its
//! key order; the engine adds `timestamp_utc`, `golden_set_path` and `runner_cmd` in front
//! (e.g. with `#[serde(flatten)]`).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::judge::JudgeResult;
use crate::python::{py_mean, py_round};

/// How one case ended: judged, or the runner failed before there was anything to judge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CaseOutcome<'a> {
    Judged {
        case_id: &'a str,
        result: &'a JudgeResult,
    },
    RunnerError {
        case_id: &'a str,
        error: &'a str,
    },
}

/// One item of the summary's `results`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub case_id: String,
    pub pass: bool,
    pub overall_score: f64,
    pub tool_score: u8,
    pub groundedness_score: u8,
    /// Set for a runner error, whose scores are all zero.
    pub error: Option<String>,
}

/// Written as the reference writes it: a judged case's score is copied from the judge result
/// (an integer when whole) while a runner error's is the float `0.0`, followed by `error`.
impl Serialize for SummaryRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = if self.error.is_some() { 6 } else { 5 };
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("case_id", &self.case_id)?;
        map.serialize_entry("pass", &self.pass)?;
        match &self.error {
            None => map.serialize_entry("overall_score", &PyNumber(self.overall_score))?,
            Some(_) => map.serialize_entry("overall_score", &self.overall_score)?,
        }
        map.serialize_entry("tool_score", &self.tool_score)?;
        map.serialize_entry("groundedness_score", &self.groundedness_score)?;
        if let Some(error) = &self.error {
            map.serialize_entry("error", error)?;
        }
        map.end()
    }
}

struct PyNumber(f64);

impl Serialize for PyNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::judge::serialize_py_number(&self.0, serializer)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunSummary {
    pub total_cases: usize,
    pub passed_cases: usize,
    pub failed_cases: usize,
    /// `round(passed / total, 4)`; 0.0 for an empty run.
    pub pass_rate: f64,
    pub min_pass_rate_required: f64,
    /// `round(mean(overall scores), 2)`, runner errors counting 0.0; 0.0 for an empty run.
    pub average_score: f64,
    /// The *unrounded* pass rate is below the minimum.
    pub block_build: bool,
    pub results: Vec<SummaryRow>,
}

impl SummaryRow {
    pub fn from_outcome(outcome: &CaseOutcome<'_>) -> Self {
        match *outcome {
            CaseOutcome::Judged { case_id, result } => Self {
                case_id: case_id.to_string(),
                pass: result.pass,
                overall_score: result.overall_score,
                tool_score: result.rubric.tool_selection_accuracy.score,
                groundedness_score: result.rubric.groundedness.score,
                error: None,
            },
            CaseOutcome::RunnerError { case_id, error } => Self {
                case_id: case_id.to_string(),
                pass: false,
                overall_score: 0.0,
                tool_score: 0,
                groundedness_score: 0,
                error: Some(error.to_string()),
            },
        }
    }
}

/// The summary of a run, in case order (README rule 9).
pub fn summarize(outcomes: &[CaseOutcome<'_>], min_pass_rate: f64) -> RunSummary {
    summarize_rows(
        outcomes.iter().map(SummaryRow::from_outcome).collect(),
        min_pass_rate,
    )
}

/// The summary of a run from its rows, in case order.
pub fn summarize_rows(results: Vec<SummaryRow>, min_pass_rate: f64) -> RunSummary {
    let total_cases = results.len();
    let passed_cases = results.iter().filter(|r| r.pass).count();
    // Python's int / int is correctly rounded, as is f64 division of counts below 2^53.
    let pass_rate = if total_cases == 0 {
        0.0
    } else {
        passed_cases as f64 / total_cases as f64
    };
    let scores: Vec<f64> = results.iter().map(|r| r.overall_score).collect();
    // `statistics.mean` is exact before its single rounding; see `py_mean`.
    let average = py_mean(&scores).unwrap_or(0.0);
    RunSummary {
        total_cases,
        passed_cases,
        failed_cases: total_cases - passed_cases,
        pass_rate: py_round(pass_rate, 4),
        min_pass_rate_required: min_pass_rate,
        average_score: py_round(average, 2),
        block_build: pass_rate < min_pass_rate,
        results,
    }
}

/// A failure that no overall score can make up for: tool score ≤ 2, groundedness ≤ 2, or a
/// violated negative constraint (README rule 6's automatic fail).
pub fn critical_failure(result: &JudgeResult) -> bool {
    result.automatic_fail()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::judge::{
        ConstraintsEvaluation, HallucinationCheck, Rubric, ScoredReason, ToolsEvaluation,
    };

    fn result(overall_score: f64, pass: bool, tool: u8, grounded: u8) -> JudgeResult {
        let scored = |score| ScoredReason {
            score,
            reason: String::new(),
        };
        JudgeResult {
            overall_score,
            pass,
            rubric: Rubric {
                tool_selection_accuracy: scored(tool),
                groundedness: scored(grounded),
                completeness: scored(5),
                reliability_consistency: scored(4),
            },
            expected_tools_evaluation: ToolsEvaluation {
                missing_tools: vec![],
                unexpected_tools: vec![],
                tool_match_summary: String::new(),
            },
            constraints_evaluation: ConstraintsEvaluation {
                positive_constraints_met: vec![],
                positive_constraints_missed: vec![],
                negative_constraints_violated: vec![],
            },
            hallucination_check: HallucinationCheck {
                unsupported_claims: vec![],
                notes: String::new(),
            },
            final_verdict: String::new(),
        }
    }

    fn numbers(summary: &RunSummary) -> serde_json::Value {
        let mut value = serde_json::to_value(summary).unwrap();
        value.as_object_mut().unwrap().remove("results");
        value
    }

    // Expected numbers from the reference's summary code run in python3.

    #[test]
    fn runner_errors_count_as_zero_and_are_written_as_the_reference_writes_them() {
        let (a, b) = (result(4.75, true, 5, 5), result(4.0, true, 4, 5));
        let outcomes = [
            CaseOutcome::Judged {
                case_id: "A",
                result: &a,
            },
            CaseOutcome::Judged {
                case_id: "B",
                result: &b,
            },
            CaseOutcome::RunnerError {
                case_id: "C",
                error: "Runner produced empty stdout.",
            },
        ];
        let summary = summarize(&outcomes, 0.95);
        assert_eq!(
            numbers(&summary),
            json!({"total_cases": 3, "passed_cases": 2, "failed_cases": 1, "pass_rate": 0.6667,
                   "min_pass_rate_required": 0.95, "average_score": 2.92, "block_build": true})
        );
        assert_eq!(
            serde_json::to_string(&summary.results[1..]).unwrap(),
            concat!(
                r#"[{"case_id":"B","pass":true,"overall_score":4,"tool_score":4,"groundedness_score":5},"#,
                r#"{"case_id":"C","pass":false,"overall_score":0.0,"tool_score":0,"groundedness_score":0,"#,
                r#""error":"Runner produced empty stdout."}]"#
            )
        );
    }

    #[test]
    fn block_build_compares_the_unrounded_pass_rate() {
        let (good, bad) = (result(4.25, true, 5, 5), result(3.5, false, 3, 5));
        let mut outcomes = vec![
            CaseOutcome::Judged {
                case_id: "P",
                result: &good
            };
            1899
        ];
        outcomes.extend(vec![
            CaseOutcome::Judged {
                case_id: "F",
                result: &bad
            };
            100
        ]);
        let summary = summarize(&outcomes, 0.95);
        // 1899 / 1999 = 0.94997…: shown as 0.95, yet below the minimum.
        assert_eq!(summary.pass_rate, 0.95);
        assert!(summary.block_build);
        assert_eq!(summary.average_score, 4.21);
        assert_eq!(summary.failed_cases, 100);
    }

    #[test]
    fn a_pass_rate_equal_to_the_minimum_does_not_block() {
        let (a, b) = (result(4.5, true, 4, 5), result(4.75, true, 5, 5));
        let outcomes = [
            CaseOutcome::Judged {
                case_id: "A",
                result: &a,
            },
            CaseOutcome::Judged {
                case_id: "B",
                result: &a,
            },
            CaseOutcome::Judged {
                case_id: "C",
                result: &b,
            },
            CaseOutcome::RunnerError {
                case_id: "D",
                error: "x",
            },
        ];
        let summary = summarize(&outcomes, 0.75);
        assert_eq!((summary.pass_rate, summary.average_score), (0.75, 3.44));
        assert!(!summary.block_build);
    }

    #[test]
    fn the_average_is_rounded_with_ties_to_even() {
        // mean([4.5, 3.75]) is exactly 4.125, and Python's round(4.125, 2) is 4.12.
        let (a, b) = (result(4.5, true, 4, 5), result(3.75, false, 3, 5));
        let outcomes = [
            CaseOutcome::Judged {
                case_id: "A",
                result: &a,
            },
            CaseOutcome::Judged {
                case_id: "B",
                result: &b,
            },
        ];
        assert_eq!(summarize(&outcomes, 0.5).average_score, 4.12);
    }

    #[test]
    fn an_empty_run_has_zero_rates_and_blocks() {
        let summary = summarize(&[], 0.95);
        assert_eq!(
            serde_json::to_value(&summary).unwrap(),
            json!({"total_cases": 0, "passed_cases": 0, "failed_cases": 0, "pass_rate": 0.0,
                   "min_pass_rate_required": 0.95, "average_score": 0.0, "block_build": true,
                   "results": []})
        );
    }

    #[test]
    fn critical_failures_are_the_automatic_fail_conditions() {
        assert!(!critical_failure(&result(4.5, true, 3, 3)));
        assert!(critical_failure(&result(4.5, true, 2, 5)));
        assert!(critical_failure(&result(4.5, true, 5, 2)));
        let mut violated = result(4.5, true, 5, 5);
        violated
            .constraints_evaluation
            .negative_constraints_violated
            .push("Do not x".to_string());
        assert!(critical_failure(&violated));
    }
}
