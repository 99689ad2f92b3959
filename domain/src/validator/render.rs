//! The text form of a [`ValidationReport`], for the CLI. It prints key names, outcomes and
//! messages only: the report holds no values, so neither can this.

use std::fmt::Write as _;

use super::{ConnectionCheck, Finding, Severity, ValidationReport};

pub fn render_text(report: &ValidationReport) -> String {
    let mut out = String::new();
    let verdict = if report.passed { "PASS" } else { "FAIL" };
    let _ = writeln!(out, "{verdict}: env validation for mode {}", report.mode);

    out.push('\n');
    if report.missing_required.is_empty() {
        out.push_str("Required keys: all present\n");
    } else {
        let _ = writeln!(
            out,
            "Missing required keys ({}):",
            report.missing_required.len()
        );
        for key in &report.missing_required {
            let _ = writeln!(out, "  - {key}");
        }
    }

    let present = report.recommended_present.len();
    let total = present + report.recommended_missing.len();
    let _ = writeln!(out, "Recommended keys: {present} of {total} present");
    if !report.recommended_missing.is_empty() {
        let _ = writeln!(out, "  missing: {}", report.recommended_missing.join(", "));
    }

    out.push('\n');
    if report.connection_checks.is_empty() {
        out.push_str("Connection checks: not run\n");
    } else {
        out.push_str("Connection checks:\n");
        let width = name_width(&report.connection_checks);
        for check in &report.connection_checks {
            let _ = writeln!(
                out,
                "  {:<4}  {:<width$}  {}",
                check.outcome.as_str(),
                check.name,
                check.message
            );
        }
    }

    if !report.findings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "Findings ({}):", report.findings.len());
        for Finding {
            key,
            severity,
            message,
        } in &report.findings
        {
            let label = match severity {
                Severity::Warning => "warning",
                Severity::Error => "error",
            };
            let _ = writeln!(out, "  {label:<7}  {key}: {message}");
        }
    }

    if !report.parse_issues.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "Lines that could not be parsed ({}):",
            report.parse_issues.len()
        );
        for issue in &report.parse_issues {
            let _ = writeln!(out, "  line {}: {}", issue.line, issue.message);
        }
    }
    out
}

fn name_width(checks: &[ConnectionCheck]) -> usize {
    checks
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
}
