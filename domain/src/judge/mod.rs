//! The reference team's deterministic rubric judge (fixtures README, rules 1–7).
//!
//! [`judge`] scores one run of one golden-set case, optionally against a prior output, and
//! [`JudgeResult`] serializes to the JSON the reference's `evaluate_case` returns: the same
//! keys in the same order, with `overall_score` an integer when whole.

mod criteria;

#[cfg(test)]
mod adversarial_cases;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize, Serializer};

use crate::golden_set::Case;
use crate::python::{py_lower, py_repr_list, py_round, py_strip};
use crate::run_diff::CRITERIA;
use crate::run_output::RunOutput;

pub const VERDICT_AUTOMATIC_FAIL: &str = "FAIL: Automatic fail condition triggered.";
pub const VERDICT_PASS: &str = "PASS";
pub const VERDICT_BELOW_THRESHOLD: &str = "FAIL: Overall score below threshold.";
pub const HALLUCINATION_NOTES: &str = "Deterministic check based on positive-constraint grounding.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeResult {
    #[serde(serialize_with = "serialize_py_number")]
    pub overall_score: f64,
    pub pass: bool,
    pub rubric: Rubric,
    pub expected_tools_evaluation: ToolsEvaluation,
    pub constraints_evaluation: ConstraintsEvaluation,
    pub hallucination_check: HallucinationCheck,
    pub final_verdict: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub tool_selection_accuracy: ScoredReason,
    pub groundedness: ScoredReason,
    pub completeness: ScoredReason,
    pub reliability_consistency: ScoredReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredReason {
    pub score: u8,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolsEvaluation {
    pub missing_tools: Vec<String>,
    pub unexpected_tools: Vec<String>,
    pub tool_match_summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintsEvaluation {
    pub positive_constraints_met: Vec<String>,
    pub positive_constraints_missed: Vec<String>,
    pub negative_constraints_violated: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallucinationCheck {
    pub unsupported_claims: Vec<String>,
    pub notes: String,
}

impl Rubric {
    /// The four scores in [`crate::run_diff::CRITERIA`] order.
    pub fn scores(&self) -> [u8; 4] {
        self.criteria().map(|(_, c)| c.score)
    }

    /// Each criterion with its name, in [`crate::run_diff::CRITERIA`] order.
    pub fn criteria(&self) -> [(&'static str, &ScoredReason); 4] {
        [
            (CRITERIA[0], &self.tool_selection_accuracy),
            (CRITERIA[1], &self.groundedness),
            (CRITERIA[2], &self.completeness),
            (CRITERIA[3], &self.reliability_consistency),
        ]
    }
}

impl JudgeResult {
    /// README rule 6's automatic-fail condition: tool score ≤ 2, groundedness ≤ 2, or any
    /// negative-constraint violation.
    pub fn automatic_fail(&self) -> bool {
        self.rubric.tool_selection_accuracy.score <= 2
            || self.rubric.groundedness.score <= 2
            || !self
                .constraints_evaluation
                .negative_constraints_violated
                .is_empty()
    }
}

/// Writes a whole score as a JSON integer (`4`, not `4.0`), as the reference does:
/// `statistics.mean` of four ints is an int when whole, and `round(int, 2)` stays an int.
pub(crate) fn serialize_py_number<S: Serializer>(
    x: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        serializer.serialize_i64(*x as i64)
    } else {
        serializer.serialize_f64(*x)
    }
}

/// Scores one run of `case` (README rules 1–7). `baseline_output` is the case's prior output,
/// if any, for the reliability criterion.
pub fn judge(case: &Case, run: &RunOutput, baseline_output: Option<&str>) -> JudgeResult {
    let tools = criteria::check_tools(&case.expected_tools, &run.tool_trace_log);

    // Rules 2 and 3 lower the output and each constraint once; the reference lowers them
    // again for every check, with the same result.
    let output = run.actual_output.as_str();
    let output_lower = py_lower(output);
    let positives = &case.positive_constraints;
    let lowered: Vec<String> = positives.iter().map(|c| py_lower(c)).collect();
    let (met, missed): (Vec<_>, Vec<_>) = positives
        .iter()
        .zip(&lowered)
        .partition(|(_, lower)| output_lower.contains(lower.as_str()));
    let completeness = criteria::completeness_score(met.len(), positives.len());

    // Rule 3: with no usable context every met constraint is unsupported.
    let rag = run.rag_context_chunks.join("\n");
    let rag_is_blank = py_strip(&rag).is_empty();
    let unsupported: Vec<String> = if rag_is_blank {
        met.iter().map(|(c, _)| (*c).clone()).collect()
    } else {
        let rag_lower = py_lower(&rag);
        met.iter()
            .filter(|(_, lower)| !rag_lower.contains(lower.as_str()))
            .map(|(c, _)| (*c).clone())
            .collect()
    };
    let groundedness =
        criteria::groundedness_score(rag_is_blank, py_strip(output).is_empty(), unsupported.len());

    // Rule 4.
    let violated: Vec<String> = case
        .negative_constraints
        .iter()
        .filter(|c| {
            let fragment = criteria::negative_fragment(c);
            !fragment.is_empty() && output_lower.contains(fragment.as_str())
        })
        .cloned()
        .collect();

    // Rule 5.
    let (reliability, reliability_reason) = criteria::reliability(baseline_output, output);

    // Rule 6: the mean of four integers is exact in binary (a multiple of 1/4).
    let total = u32::from(tools.score)
        + u32::from(groundedness)
        + u32::from(completeness)
        + u32::from(reliability);
    let overall_score = py_round(f64::from(total) / 4.0, 2);
    let automatic_fail = tools.score <= 2 || groundedness <= 2 || !violated.is_empty();
    let pass = !automatic_fail && overall_score >= 4.0;
    let final_verdict = if automatic_fail {
        VERDICT_AUTOMATIC_FAIL
    } else if pass {
        VERDICT_PASS
    } else {
        VERDICT_BELOW_THRESHOLD
    };

    // Rule 7: reasons.
    let tool_reason = if tools.missing.is_empty() && tools.unexpected.is_empty() {
        "Exact match.".to_string()
    } else {
        format!(
            "Missing: {}; Unexpected: {}",
            py_repr_list(&tools.missing),
            py_repr_list(&tools.unexpected)
        )
    };
    let groundedness_reason = if unsupported.is_empty() {
        "All key claims grounded in retrieved context.".to_string()
    } else {
        format!("Unsupported constraints: {}", py_repr_list(&unsupported))
    };
    let expected = case.expected_tools.len();
    let tool_match_summary = format!(
        "{}/{expected} expected tools matched.",
        expected - tools.missing.len()
    );

    JudgeResult {
        overall_score,
        pass,
        rubric: Rubric {
            tool_selection_accuracy: ScoredReason {
                score: tools.score,
                reason: tool_reason,
            },
            groundedness: ScoredReason {
                score: groundedness,
                reason: groundedness_reason,
            },
            completeness: ScoredReason {
                score: completeness,
                reason: format!(
                    "Met {}/{} positive constraints.",
                    met.len(),
                    positives.len()
                ),
            },
            reliability_consistency: ScoredReason {
                score: reliability,
                reason: reliability_reason,
            },
        },
        expected_tools_evaluation: ToolsEvaluation {
            missing_tools: tools.missing,
            unexpected_tools: tools.unexpected,
            tool_match_summary,
        },
        constraints_evaluation: ConstraintsEvaluation {
            positive_constraints_met: met.into_iter().map(|(c, _)| c.clone()).collect(),
            positive_constraints_missed: missed.into_iter().map(|(c, _)| c.clone()).collect(),
            negative_constraints_violated: violated,
        },
        hallucination_check: HallucinationCheck {
            unsupported_claims: unsupported,
            notes: HALLUCINATION_NOTES.to_string(),
        },
        final_verdict: final_verdict.to_string(),
    }
}
