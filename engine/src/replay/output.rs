//! The files a replay leaves behind, in the reference harness's layout:
//! `<output-dir>/<UTC timestamp>/summary.json` and `cases/<id>.json`, plus JUnit XML and a
//! Markdown summary for CI job pages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use domain::RunSummary;
use serde::Serialize;
use serde_json::{Value, json};

use super::harness::CaseRecord;
use super::pyjson;
use crate::error::{Error, Result};

/// `summary.json`: the reference's header keys, then the summary's.
#[derive(Serialize)]
pub struct SummaryFile<'a> {
    pub timestamp_utc: &'a str,
    pub golden_set_path: &'a str,
    pub runner_cmd: &'a str,
    #[serde(flatten)]
    pub summary: &'a RunSummary,
}

/// `cases/<id>.json` for one case.
pub fn case_file(record: &CaseRecord) -> Value {
    let mut value = json!({
        "case_id": record.case.id,
        "input_query": record.case.input_query,
        "expected_tools": record.case.expected_tools,
        "status": record.status.as_str(),
    });
    let map = value.as_object_mut().expect("object");
    match (&record.run, &record.judge) {
        (Some(run), Some(judge)) => {
            map.insert(
                "run_result".into(),
                serde_json::to_value(run).unwrap_or(Value::Null),
            );
            map.insert(
                "judge_result".into(),
                serde_json::to_value(judge).unwrap_or(Value::Null),
            );
        }
        _ => {
            map.insert(
                "error".into(),
                json!(record.error.clone().unwrap_or_default()),
            );
        }
    }
    value
}

/// Writes the run directory and returns its path. Case ids become file names, so anything
/// that is not a safe file-name character is replaced.
pub fn write_run_dir(
    output_dir: &Path,
    header: &SummaryFile<'_>,
    records: &[CaseRecord],
) -> Result<PathBuf> {
    let dir = output_dir.join(header.timestamp_utc);
    let cases = dir.join("cases");
    std::fs::create_dir_all(&cases)
        .map_err(|e| Error::io(format!("cannot create {}", cases.display()), e))?;
    for record in records {
        let text = pyjson::to_string_pretty(&case_file(record)).map_err(json_err)?;
        let path = cases.join(format!("{}.json", safe_file_name(&record.case.id)));
        std::fs::write(&path, text)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    let summary = pyjson::to_string_pretty(header).map_err(json_err)?;
    let path = dir.join("summary.json");
    std::fs::write(&path, summary)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(dir)
}

fn json_err(e: serde_json::Error) -> Error {
    Error::io("cannot encode JSON", std::io::Error::other(e))
}

pub fn safe_file_name(id: &str) -> String {
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    }
}

/// One `<testcase>` per case; a failed case's message is its final verdict and reasons.
pub fn junit_xml(
    suite: &str,
    summary: &RunSummary,
    records: &[CaseRecord],
    seconds: f64,
) -> String {
    let failures = summary.failed_cases;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites><testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.3}\">",
        xml_escape(suite),
        summary.total_cases
    );
    for record in records {
        let _ = write!(
            xml,
            "  <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            xml_escape(suite),
            xml_escape(&record.case.id),
            record.duration.as_secs_f64()
        );
        match (&record.judge, &record.error) {
            (Some(judge), _) if judge.pass => xml.push_str("/>\n"),
            (Some(judge), _) => {
                let reasons = failure_reasons(judge);
                let _ = writeln!(
                    xml,
                    ">\n    <failure message=\"{}\" type=\"judge\">{}</failure>\n  </testcase>",
                    xml_escape(&judge.final_verdict),
                    xml_escape(&reasons)
                );
            }
            (None, error) => {
                let error = error.as_deref().unwrap_or("runner failed");
                let _ = writeln!(
                    xml,
                    ">\n    <failure message=\"{}\" type=\"runner_error\">{}</failure>\n  </testcase>",
                    xml_escape(error),
                    xml_escape(error)
                );
            }
        }
    }
    xml.push_str("</testsuite></testsuites>\n");
    xml
}

fn failure_reasons(judge: &domain::JudgeResult) -> String {
    let r = &judge.rubric;
    let mut text = format!(
        "{} (overall {})\n",
        judge.final_verdict, judge.overall_score
    );
    for (name, c) in [
        ("tool_selection_accuracy", &r.tool_selection_accuracy),
        ("groundedness", &r.groundedness),
        ("completeness", &r.completeness),
        ("reliability_consistency", &r.reliability_consistency),
    ] {
        let _ = writeln!(text, "{name}: {} - {}", c.score, c.reason);
    }
    let violated = &judge.constraints_evaluation.negative_constraints_violated;
    if !violated.is_empty() {
        let _ = writeln!(
            text,
            "negative constraints violated: {}",
            violated.join("; ")
        );
    }
    text
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown summary for a CI job page: the gate verdict first, then the failed cases.
pub fn markdown(
    suite: &str,
    summary: &RunSummary,
    records: &[CaseRecord],
    blocked_reasons: &[String],
) -> String {
    let mut md = String::new();
    let verdict = if blocked_reasons.is_empty() {
        "✅ Release gate passed"
    } else {
        "❌ Release gate blocked"
    };
    let _ = writeln!(md, "## Replay `{suite}`: {verdict}\n");
    let _ = writeln!(
        md,
        "| cases | passed | failed | pass rate | minimum | average score |"
    );
    let _ = writeln!(md, "| ---: | ---: | ---: | ---: | ---: | ---: |");
    let _ = writeln!(
        md,
        "| {} | {} | {} | {:.2} % | {:.2} % | {} |\n",
        summary.total_cases,
        summary.passed_cases,
        summary.failed_cases,
        summary.pass_rate * 100.0,
        summary.min_pass_rate_required * 100.0,
        summary.average_score
    );
    for reason in blocked_reasons {
        let _ = writeln!(md, "- {reason}");
    }
    let failed: Vec<&CaseRecord> = records
        .iter()
        .filter(|r| r.judge.as_ref().is_none_or(|j| !j.pass))
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(md, "\n### Failed cases\n");
        let _ = writeln!(md, "| case | score | verdict |");
        let _ = writeln!(md, "| --- | ---: | --- |");
        for record in failed {
            let (score, verdict) = match (&record.judge, &record.error) {
                (Some(j), _) => (j.overall_score.to_string(), j.final_verdict.clone()),
                (None, e) => (
                    "0".into(),
                    format!("runner error: {}", e.as_deref().unwrap_or("")),
                ),
            };
            let _ = writeln!(
                md,
                "| `{}` | {score} | {} |",
                record.case.id,
                verdict.replace('|', "\\|").replace('\n', " ")
            );
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_become_safe_file_names() {
        assert_eq!(safe_file_name("CORE_001"), "CORE_001");
        assert_eq!(safe_file_name("../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("a b/c"), "a_b_c");
        assert_eq!(safe_file_name(""), "_");
    }

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
