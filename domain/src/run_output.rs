//! What a runner printed for one case, coerced as the reference harness coerces it.
//!
//! README rule 8, from the reference's `run_case_with_runner`: a missing `actual_output` is `""`
//! and any other non-string is converted with Python's `str()`; a trace or context that is not a
//! list becomes a one-item list of its `str()`, and a list's items each go through `str()`;
//! metadata that is not an object becomes `{"raw_metadata": str(value)}`.

use serde::{Deserialize, Serialize};

use crate::python::json::loads;
use crate::python::{PyValue, py_strip};

/// The message the reference records when the runner printed nothing but whitespace.
pub const EMPTY_STDOUT_MESSAGE: &str = "Runner produced empty stdout.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunOutput {
    pub actual_output: String,
    pub tool_trace_log: Vec<String>,
    pub rag_context_chunks: Vec<String>,
    /// Always a `PyValue::Dict`: the runner's object as it printed it (keys in its order,
    /// values of any JSON type Python reads), or `{"raw_metadata": str(value)}`.
    pub metadata: PyValue,
}

impl RunOutput {
    /// Parses the runner's stdout as Python's `json.loads` does and coerces it. The error is
    /// the text the reference records: Python's own `json` message
    /// (`Expecting value: line 1 column 1 (char 0)`) or the one for a non-object.
    pub fn from_runner_json(text: &str) -> Result<Self, String> {
        let value = loads(text).map_err(|e| e.to_string())?;
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
        let mut metadata = PyValue::Dict(Vec::new());
        for (key, value) in pairs {
            match key.as_str() {
                "actual_output" => actual_output = value.py_str(),
                "tool_trace_log" => tool_trace_log = str_list(value),
                "rag_context_chunks" => rag_context_chunks = str_list(value),
                "metadata" => {
                    metadata = match value {
                        PyValue::Dict(_) => value,
                        other => PyValue::Dict(vec![(
                            "raw_metadata".to_string(),
                            PyValue::Str(other.py_str()),
                        )]),
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
        assert_eq!(run.metadata, PyValue::Dict(Vec::new()));
    }

    #[test]
    fn metadata_keeps_its_order_and_values_python_reads() {
        let run = coerce(
            r#"{"metadata": {"z": NaN, "a": 123456789012345678901234567890123456789012, "m": -Infinity}}"#,
        );
        assert_eq!(
            crate::python::json::dumps(&run.metadata),
            r#"{"z": NaN, "a": 123456789012345678901234567890123456789012, "m": -Infinity}"#
        );
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
        assert_eq!(
            RunOutput::from_runner_json("{").unwrap_err(),
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
        );
        assert_eq!(
            RunOutput::from_runner_json("not json").unwrap_err(),
            "Expecting value: line 1 column 1 (char 0)"
        );
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
