//! The four rubric criteria of the reference judge, one function per README rule.

use crate::difflib;
use crate::python::{py_format_fixed, py_lower, py_remove_spaces, py_strip};

/// README rule 1: strip, then lower, then drop every whitespace character — in that order,
/// because lowering first decides Greek final sigmas by the spaces still present.
pub(crate) fn normalize_tool_name(name: &str) -> String {
    py_remove_spaces(&py_lower(py_strip(name)))
}

pub(crate) struct ToolCheck {
    pub missing: Vec<String>,
    pub unexpected: Vec<String>,
    pub score: u8,
}

/// README rule 1: tools match when their normalized names are equal or one contains the other
/// (so an empty expected name matches every tool).
pub(crate) fn check_tools(expected: &[String], actual: &[String]) -> ToolCheck {
    let expected_norm: Vec<String> = expected.iter().map(|t| normalize_tool_name(t)).collect();
    let actual_norm: Vec<String> = actual.iter().map(|t| normalize_tool_name(t)).collect();
    let matches = |e: &str, a: &str| e == a || a.contains(e) || e.contains(a);
    let missing: Vec<String> = expected
        .iter()
        .zip(&expected_norm)
        .filter(|(_, e)| !actual_norm.iter().any(|a| matches(e, a)))
        .map(|(original, _)| original.clone())
        .collect();
    let unexpected: Vec<String> = actual
        .iter()
        .zip(&actual_norm)
        .filter(|(_, a)| !expected_norm.iter().any(|e| matches(e, a)))
        .map(|(original, _)| original.clone())
        .collect();
    let score = tool_score(expected.len(), missing.len(), unexpected.len());
    ToolCheck {
        missing,
        unexpected,
        score,
    }
}

/// README rule 1's score table, checked in the reference's order.
pub(crate) fn tool_score(expected: usize, missing: usize, unexpected: usize) -> u8 {
    if expected == 0 {
        3
    } else if missing == 0 && unexpected == 0 {
        5
    } else if missing == 0 {
        4
    } else if missing == 1 {
        3
    } else if missing < expected {
        2
    } else {
        1
    }
}

/// README rule 2: the share of positive constraints met. Python's `len / len` is a correctly
/// rounded division, as is Rust's on integers this small.
pub(crate) fn completeness_score(met: usize, total: usize) -> u8 {
    if total == 0 {
        return 3;
    }
    let ratio = met as f64 / total as f64;
    if ratio >= 0.9 {
        5
    } else if ratio >= 0.7 {
        4
    } else if ratio >= 0.5 {
        3
    } else if ratio >= 0.3 {
        2
    } else {
        1
    }
}

/// README rule 3: groundedness from the retrieved context and the unsupported claims.
pub(crate) fn groundedness_score(
    rag_is_blank: bool,
    output_is_blank: bool,
    unsupported: usize,
) -> u8 {
    if rag_is_blank {
        if output_is_blank { 3 } else { 1 }
    } else {
        match unsupported {
            0 => 5,
            1 => 3,
            _ => 2,
        }
    }
}

/// README rule 4: `c.strip().lower().rstrip(".")`, then without a leading `"do not "`.
pub(crate) fn negative_fragment(constraint: &str) -> String {
    let lowered = py_lower(py_strip(constraint));
    let trimmed = lowered.trim_end_matches('.');
    trimmed
        .strip_prefix("do not ")
        .unwrap_or(trimmed)
        .to_string()
}

/// README rule 5: the score and reason for consistency with a prior output.
pub(crate) fn reliability(baseline: Option<&str>, output: &str) -> (u8, String) {
    match baseline {
        None => (4, "No prior baseline output for this case.".to_string()),
        Some(prior) => {
            let similarity = difflib::ratio(prior, output);
            (
                reliability_score(similarity),
                format!(
                    "Output similarity vs baseline: {}",
                    py_format_fixed(similarity, 2)
                ),
            )
        }
    }
}

pub(crate) fn reliability_score(similarity: f64) -> u8 {
    if similarity >= 0.90 {
        5
    } else if similarity >= 0.75 {
        4
    } else if similarity >= 0.60 {
        3
    } else if similarity >= 0.40 {
        2
    } else {
        1
    }
}
