//! The environment's env file: readable, well formed, complete for its mode, no weak tokens.

use domain::env_file::EnvFile;
use domain::probe::{ProbeKind, ProbeOutcome, ProbeStatus};
use domain::validator::{Severity, validate};
use serde_json::json;

use crate::config::EnvironmentConfig;

/// Reads and judges the env file. Returns the parsed file too, for the other probes.
pub(super) async fn read(env: &EnvironmentConfig) -> (Option<EnvFile>, ProbeOutcome) {
    let Some(path) = &env.env_file else {
        return (
            None,
            ProbeOutcome::new(
                ProbeKind::EnvFile,
                ProbeStatus::NotConfigured,
                "No env file is configured for this environment.",
            ),
        );
    };
    let name = crate::env_files::display_name(path);
    let file = match crate::env_files::read(path).await {
        Ok(file) => file,
        Err(message) => {
            return (
                None,
                ProbeOutcome::new(ProbeKind::EnvFile, ProbeStatus::Unverified, message),
            );
        }
    };
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
        ProbeOutcome::new(ProbeKind::EnvFile, status, message).evidence(evidence),
    )
}
