//! What a runner printed for one case, coerced as the reference harness coerces it.
//!
//! README rule 8, from the reference's `run_case_with_runner`: a missing `actual_output` is `""`
//! and any other non-string is converted with Python's `str()`; a trace or context that is not a
//! list becomes a one-item list of its `str()`, and a list's items each go through `str()`;
//! metadata that is not an object becomes `{"raw_metadata": str(value)}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::python::{PyValue, py_strip};

/// The message the reference records when the runner printed nothing but whitespace.
pub const EMPTY_STDOUT_MESSAGE: &str = "Runner produced empty stdout.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunOutput {
    pub actual_output: String,
    pub tool_trace_log: Vec<String>,
    pub rag_context_chunks: Vec<String>,
    pub metadata: Map<String, Value>,
}

impl RunOutput {
    /// Coerces a parsed runner payload. The payload's objects have already lost their key
    /// order, which shows when an object must go through `str()` (e.g. an object-valued
    /// `actual_output`); prefer [`RunOutput::from_runner_json`] when the text is at hand.
    pub fn from_runner_value(value: Value) -> Result<Self, String> {
        Self::from_py_value(PyValue::from(&value))
    }

    /// Parses and coerces the runner's stdout, keeping object key order for `str()`.
    pub fn from_runner_json(text: &str) -> Result<Self, String> {
        let value: PyValue = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Self::from_py_value(value)
    }

    /// Coerces a payload. The error for a non-object is the one the reference records, which
    /// comes from calling `payload.get(...)` on it.
    pub fn from_py_value(value: PyValue) -> Result<Self, String> {
        let PyValue::Dict(pairs) = value else {
            return Err(format!(
                "'{}' object has no attribute 'get'",
                value.type_name()
            ));
        };
        let mut actual_output = String::new();
        let mut tool_trace_log = Vec::new();
        let mut rag_context_chunks = Vec::new();
        let mut metadata = Map::new();
        for (key, value) in pairs {
            match key.as_str() {
                "actual_output" => actual_output = value.py_str(),
                "tool_trace_log" => tool_trace_log = str_list(value),
                "rag_context_chunks" => rag_context_chunks = str_list(value),
                "metadata" => {
                    metadata = match value {
                        PyValue::Dict(_) => match value.to_json() {
                            Value::Object(map) => map,
                            _ => Map::new(),
                        },
                        other => {
                            let mut map = Map::new();
                            map.insert("raw_metadata".to_string(), Value::String(other.py_str()));
                            map
                        }
                    };
                }
                _ => {}
            }
        }
        Ok(Self {
            actual_output,
            tool_trace_log,
            rag_context_chunks,
            metadata,
        })
    }
}

/// `[str(t) for t in x]` when `x` is a list, else `[str(x)]`.
fn str_list(value: PyValue) -> Vec<String> {
    match value {
        PyValue::List(items) => items.iter().map(PyValue::py_str).collect(),
        other => vec![other.py_str()],
    }
}

/// The error the reference records when the runner exits non-zero: its stripped stderr, or its
/// stripped stdout when stderr is blank (README rule 8).
pub fn runner_failure_message(exit_code: i32, stdout: &str, stderr: &str) -> String {
    let detail = match py_strip(stderr) {
        "" => py_strip(stdout),
        stderr => stderr,
    };
    format!("Runner command failed (exit={exit_code}): {detail}")
}

/// Whether the reference would reject this stdout as empty ([`EMPTY_STDOUT_MESSAGE`]).
pub fn stdout_is_empty(stdout: &str) -> bool {
    py_strip(stdout).is_empty()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn coerce(text: &str) -> RunOutput {
        RunOutput::from_runner_json(text).unwrap()
    }

    // Expected values from the reference's coercion run in python3.

    #[test]
    fn non_string_fields_go_through_python_str_in_document_order() {
        let run = coerce(
            r#"{"actual_output": {"b": [true, null, 1.0, 1e-05], "a": "it's"}, "tool_trace_log": null,
                "rag_context_chunks": [1, 2.5, false, {"k": "v"}, ["x"]], "metadata": [1, "a"]}"#,
        );
        assert_eq!(
            run.actual_output,
            r#"{'b': [True, None, 1.0, 1e-05], 'a': "it's"}"#
        );
        assert_eq!(run.tool_trace_log, ["None"]);
        assert_eq!(
            run.rag_context_chunks,
            ["1", "2.5", "False", "{'k': 'v'}", "['x']"]
        );
        assert_eq!(json!(run.metadata), json!({"raw_metadata": "[1, 'a']"}));
    }

    #[test]
    fn missing_output_is_empty_and_scalars_become_one_item_lists() {
        let run = coerce(
            r#"{"tool_trace_log": "t", "rag_context_chunks": 12, "metadata": null, "extra": 1}"#,
        );
        assert_eq!(run.actual_output, "");
        assert_eq!(run.tool_trace_log, ["t"]);
        assert_eq!(run.rag_context_chunks, ["12"]);
        assert_eq!(json!(run.metadata), json!({"raw_metadata": "None"}));
    }

    #[test]
    fn strings_and_objects_pass_through_and_a_repeated_key_takes_its_last_value() {
        let run = coerce(
            r#"{"actual_output": 3.0, "tool_trace_log": ["a\u001c"], "rag_context_chunks": [], "metadata": {"z": 1, "a": 2}}"#,
        );
        assert_eq!(run.actual_output, "3.0");
        assert_eq!(run.tool_trace_log, ["a\u{1c}"]);
        assert_eq!(json!(run.metadata), json!({"z": 1, "a": 2}));
        let run = coerce(r#"{"actual_output": null, "actual_output": 12345678901234567890}"#);
        assert_eq!(run.actual_output, "12345678901234567890");
        assert!(run.metadata.is_empty());
    }

    #[test]
    fn a_parsed_value_is_coerced_the_same_way_with_sorted_keys() {
        let run = RunOutput::from_runner_value(json!({"actual_output": {"b": 1, "a": 2}})).unwrap();
        assert_eq!(run.actual_output, "{'a': 2, 'b': 1}");
    }

    #[test]
    fn a_non_object_payload_fails_with_the_references_message() {
        let table = [
            ("[1]", "'list' object has no attribute 'get'"),
            ("\"s\"", "'str' object has no attribute 'get'"),
            ("3", "'int' object has no attribute 'get'"),
            ("null", "'NoneType' object has no attribute 'get'"),
            ("1.5", "'float' object has no attribute 'get'"),
            ("true", "'bool' object has no attribute 'get'"),
        ];
        for (text, message) in table {
            assert_eq!(RunOutput::from_runner_json(text).unwrap_err(), message);
        }
        assert!(RunOutput::from_runner_json("{").is_err());
    }

    #[test]
    fn runner_failures_report_stripped_stderr_or_else_stdout() {
        assert_eq!(
            runner_failure_message(2, "out", " \u{1c}boom\n"),
            "Runner command failed (exit=2): boom"
        );
        assert_eq!(
            runner_failure_message(1, " partial \n", " \t"),
            "Runner command failed (exit=1): partial"
        );
        assert_eq!(
            runner_failure_message(-9, "", ""),
            "Runner command failed (exit=-9): "
        );
        assert!(stdout_is_empty(" \n\u{1f}"));
        assert!(!stdout_is_empty("{}"));
    }
}
