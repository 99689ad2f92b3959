//! The files a replay leaves behind, in the reference harness's layout:
//! `<output-dir>/<UTC timestamp>/summary.json` and `cases/<id>.json`, written as the reference's
//! `json.dumps(obj, indent=2)` writes them (byte for byte), plus JUnit XML and a Markdown summary
//! for CI job pages. The JUnit file is written by hand, one `<testcase>` as each case finishes,
//! rather than with `quick-junit`: that crate builds the whole report in memory and writes it at
//! the end, while here a 100,000-case run streams and memory stays flat whatever its size.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use domain::python::PyValue;
use domain::python::json::{dumps_indented, to_py_value, write_indented, write_str};
use domain::{RunOutput, RunSummary};
use serde::Serialize;

use super::harness::CaseRecord;
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

impl SummaryFile<'_> {
    /// The file's text, as the reference's `json.dumps(summary, indent=2)` writes it (also what
    /// the command prints).
    pub fn text(&self) -> String {
        dumps_indented(&to_py_value(self).expect("string keys"))
    }

    /// The same text written piece by piece, one result row at a time, so a summary of any
    /// number of cases is never all in memory at once.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let s = self.summary;
        let head = to_py_value(&SummaryHead {
            timestamp_utc: self.timestamp_utc,
            golden_set_path: self.golden_set_path,
            runner_cmd: self.runner_cmd,
            total_cases: s.total_cases,
            passed_cases: s.passed_cases,
            failed_cases: s.failed_cases,
            pass_rate: s.pass_rate,
            min_pass_rate_required: s.min_pass_rate_required,
            average_score: s.average_score,
            block_build: s.block_build,
        })
        .expect("string keys");
        let PyValue::Dict(fields) = head else {
            unreachable!("a struct is a dict");
        };
        let mut text = String::from("{");
        for (key, value) in &fields {
            text.push_str("\n  ");
            write_str(&mut text, key);
            text.push_str(": ");
            write_indented(&mut text, value, 1);
            text.push(',');
        }
        text.push_str("\n  \"results\": ");
        if s.results.is_empty() {
            text.push_str("[]");
        } else {
            text.push('[');
            for (i, row) in s.results.iter().enumerate() {
                text.push_str(if i == 0 { "\n    " } else { ",\n    " });
                write_indented(&mut text, &to_py_value(row).expect("string keys"), 2);
                if text.len() > 64 * 1024 {
                    out.write_all(text.as_bytes())?;
                    text.clear();
                }
            }
            text.push_str("\n  ]");
        }
        text.push_str("\n}");
        out.write_all(text.as_bytes())
    }
}

/// The summary's fields before `results`, in its order (see [`SummaryFile::write_to`]).
#[derive(Serialize)]
struct SummaryHead<'a> {
    timestamp_utc: &'a str,
    golden_set_path: &'a str,
    runner_cmd: &'a str,
    total_cases: usize,
    passed_cases: usize,
    failed_cases: usize,
    pass_rate: f64,
    min_pass_rate_required: f64,
    average_score: f64,
    block_build: bool,
}

/// The case record the reference writes to `cases/<id>.json`, keys in its order: case_id,
/// input_query and expected_tools as the golden set wrote them, status, then run_result and
/// judge_result, or error.
pub fn case_record(record: &CaseRecord) -> PyValue {
    let case = &record.case;
    let echo = |name: &str| case.field(name).cloned().unwrap_or(PyValue::None);
    let mut fields = vec![
        ("case_id".to_string(), PyValue::Str(case.id.clone())),
        ("input_query".to_string(), echo("input_query")),
        ("expected_tools".to_string(), echo("expected_tools")),
        (
            "status".to_string(),
            PyValue::Str(record.status.as_str().to_string()),
        ),
    ];
    match (&record.run, &record.judge) {
        (Some(run), Some(judge)) => {
            fields.push(("run_result".into(), run_result(run)));
            fields.push((
                "judge_result".into(),
                to_py_value(judge).expect("string keys"),
            ));
        }
        _ => fields.push((
            "error".into(),
            PyValue::Str(record.error.clone().unwrap_or_default()),
        )),
    }
    PyValue::Dict(fields)
}

/// The coerced run, with the runner's metadata exactly as it printed it.
fn run_result(run: &RunOutput) -> PyValue {
    let strings =
        |items: &[String]| PyValue::List(items.iter().cloned().map(PyValue::Str).collect());
    PyValue::Dict(vec![
        (
            "actual_output".into(),
            PyValue::Str(run.actual_output.clone()),
        ),
        ("tool_trace_log".into(), strings(&run.tool_trace_log)),
        (
            "rag_context_chunks".into(),
            strings(&run.rag_context_chunks),
        ),
        ("metadata".into(), run.metadata.clone()),
    ])
}

/// `<id>.json`, the name the reference gives a case's file. Refused when it cannot be one
/// file name inside `cases/` (a `/` or NUL in the id, or over 255 bytes), where the reference
/// would write outside the run directory or crash midway.
pub fn case_file_name(id: &str) -> std::result::Result<String, String> {
    let name = format!("{id}.json");
    if id.contains('/') || id.contains('\0') {
        return Err(format!(
            "case id {id:?} cannot be a file name (it holds a slash or a NUL)"
        ));
    }
    if name.len() > 255 {
        return Err(format!(
            "case id {id:?} is too long to be a file name ({} bytes with .json, at most 255)",
            name.len()
        ));
    }
    Ok(name)
}

/// The run directory `<output-dir>/<UTC timestamp>/` with its `cases/`, created at the start
/// of the run as the reference does.
pub struct RunDir {
    dir: PathBuf,
    cases: PathBuf,
}

impl RunDir {
    pub fn create(output_dir: &Path, timestamp: &str) -> Result<Self> {
        let dir = output_dir.join(timestamp);
        let cases = dir.join("cases");
        std::fs::create_dir_all(&cases)
            .map_err(|e| Error::io(format!("cannot create {}", cases.display()), e))?;
        Ok(Self { dir, cases })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `cases/<id>.json` (the id was checked with [`case_file_name`]).
    pub fn write_case(&self, record: &CaseRecord) -> Result<()> {
        let name = case_file_name(&record.case.id)
            .map_err(|e| Error::io(e, std::io::Error::other("bad case id")))?;
        let path = self.cases.join(name);
        std::fs::write(&path, dumps_indented(&case_record(record)))
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    }

    /// Writes `summary.json` and returns its path.
    pub fn write_summary(&self, header: &SummaryFile<'_>) -> Result<PathBuf> {
        let path = self.dir.join("summary.json");
        let cannot = |e| Error::io(format!("cannot write {}", path.display()), e);
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(cannot)?);
        header
            .write_to(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(cannot)?;
        Ok(path)
    }
}

/// One `<testcase>` element (with its newline) for a finished case; a failed case's message
/// is its final verdict, its text the reasons.
pub fn junit_testcase(suite: &str, record: &CaseRecord) -> String {
    let mut xml = String::new();
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
    xml
}

/// The JUnit XML report: one suite, the cases' `<testcase>` elements in case order.
pub fn junit_xml(suite: &str, summary: &RunSummary, testcases: &[String], seconds: f64) -> String {
    let failures = summary.failed_cases;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites><testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.3}\">",
        xml_escape(suite),
        summary.total_cases
    );
    for testcase in testcases {
        xml.push_str(testcase);
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

/// The Markdown table row of a case that did not pass, `None` for a passed one.
pub fn markdown_failed_row(record: &CaseRecord) -> Option<String> {
    let (score, verdict) = match (&record.judge, &record.error) {
        (Some(j), _) if j.pass => return None,
        (Some(j), _) => (j.overall_score.to_string(), j.final_verdict.clone()),
        (None, e) => (
            "0".into(),
            format!("runner error: {}", e.as_deref().unwrap_or("")),
        ),
    };
    Some(format!(
        "| `{}` | {score} | {} |",
        record.case.id,
        verdict.replace('|', "\\|").replace('\n', " ")
    ))
}

/// A Markdown summary for a CI job page: the gate verdict first, then the failed cases' rows
/// (from [`markdown_failed_row`], in case order).
pub fn markdown(
    suite: &str,
    summary: &RunSummary,
    failed_rows: &[String],
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
    if !failed_rows.is_empty() {
        let _ = writeln!(md, "\n### Failed cases\n");
        let _ = writeln!(md, "| case | score | verdict |");
        let _ = writeln!(md, "| --- | ---: | --- |");
        for row in failed_rows {
            let _ = writeln!(md, "{row}");
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_name_their_files_as_the_reference_names_them_unless_they_cannot() {
        assert_eq!(case_file_name("CORE_001").unwrap(), "CORE_001.json");
        assert_eq!(case_file_name("a b é").unwrap(), "a b é.json");
        assert_eq!(case_file_name("").unwrap(), ".json");
        assert_eq!(case_file_name("..").unwrap(), "...json");
        assert!(case_file_name("../etc/passwd").is_err());
        assert!(case_file_name("a\0b").is_err());
        assert!(case_file_name(&"x".repeat(251)).is_err());
        assert!(case_file_name(&"x".repeat(250)).is_ok());
    }

    #[test]
    fn the_summary_written_row_by_row_is_the_whole_summary_dumped() {
        let row = |id: &str, error: Option<&str>| domain::SummaryRow {
            case_id: id.into(),
            pass: error.is_none(),
            overall_score: if error.is_none() { 4.25 } else { 0.0 },
            tool_score: 5,
            groundedness_score: 5,
            error: error.map(str::to_string),
        };
        for rows in [vec![], vec![row("é", None), row("B", Some("boom"))]] {
            let summary = domain::summarize_rows(rows, f64::NAN);
            let header = SummaryFile {
                timestamp_utc: "20261202T000000Z",
                golden_set_path: "g.json",
                runner_cmd: "python3 r.py",
                summary: &summary,
            };
            let mut streamed = Vec::new();
            header.write_to(&mut streamed).unwrap();
            assert_eq!(String::from_utf8(streamed).unwrap(), header.text());
        }
    }

    #[test]
    fn xml_escapes_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
