//! The environment's env file: readable, well formed, complete for its mode, no weak tokens.

use domain::env_file::EnvFile;
use domain::probe::{ProbeOutcome, ProbeStatus};
use domain::validator::{Severity, validate};
use serde_json::json;

use super::MAX_BODY;
use crate::config::EnvironmentConfig;

/// Reads and judges the env file. Returns the parsed file too, for the other probes.
pub(super) async fn read(env: &EnvironmentConfig) -> (Option<EnvFile>, ProbeOutcome) {
    let Some(path) = &env.env_file else {
        return (
            None,
            ProbeOutcome::new(
                "env_file",
                ProbeStatus::NotConfigured,
                "No env file is configured for this environment.",
            ),
        );
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = match tokio::fs::read(path).await {
        Ok(bytes) if bytes.len() > MAX_BODY => {
            return (
                None,
                ProbeOutcome::new(
                    "env_file",
                    ProbeStatus::Unverified,
                    format!("{name} is larger than 1 MiB; it was not read."),
                ),
            );
        }
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                None,
                ProbeOutcome::new(
                    "env_file",
                    ProbeStatus::Unverified,
                    format!("{name} cannot be read: {e}"),
                ),
            );
        }
    };
    let file = EnvFile::parse(&String::from_utf8_lossy(&bytes));
    let report = validate(&file, env.mode, None);
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let (status, message) = if !report.missing_required.is_empty() {
        (
            ProbeStatus::Unhealthy,
            format!(
                "{name} is missing required keys for {}: {}. Add them and redeploy.",
                env.mode,
                report.missing_required.join(", ")
            ),
        )
    } else if errors > 0 || !report.findings.is_empty() || !report.parse_issues.is_empty() {
        let mut parts = Vec::new();
        if !report.parse_issues.is_empty() {
            parts.push(format!("{} malformed line(s)", report.parse_issues.len()));
        }
        if !report.findings.is_empty() {
            parts.push(format!(
                "{} finding(s) such as weak tokens",
                report.findings.len()
            ));
        }
        (
            ProbeStatus::Degraded,
            format!(
                "{name} has every required key, but {}.",
                parts.join(" and ")
            ),
        )
    } else {
        (
            ProbeStatus::Healthy,
            format!("{name} has every key required for {}.", env.mode),
        )
    };
    let evidence = json!({
        "file": name,
        "missing_required": report.missing_required,
        "recommended_missing": report.recommended_missing,
        "findings": report.findings,
        "parse_issues": report.parse_issues,
        "redis_required": file.flag("REDIS_REQUIRED"),
        "inngest_required": file.flag("INNGEST_REQUIRED"),
    });
    (
        Some(file),
        ProbeOutcome::new("env_file", status, message).evidence(evidence),
    )
}
