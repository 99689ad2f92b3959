//! The runtime-dependencies report, in the reference service's shape.
//!
//! The reference module reports each dependency with `required`, `status` and `ready`, and the
//! service as ready only when no *required* dependency failed; an optional dependency that fails is
//! `degraded` and does not make the service unready (see fixtures/payloads/*relaxed_degraded*).
//! Greenlight reports its own health the same way, so it can be probed by itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyStatus {
    Healthy,
    Degraded,
    Unhealthy,
    NotConfigured,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DependencyCheck {
    pub name: String,
    pub required: bool,
    pub configured: bool,
    pub status: DependencyStatus,
    pub ready: bool,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
}

impl DependencyCheck {
    /// A dependency that was measured: `ok` says whether it answered as it should.
    /// A failure is `unhealthy` (and not ready) when required, `degraded` (still ready) when not.
    pub fn measured(
        name: &str,
        required: bool,
        ok: bool,
        message: String,
        latency_ms: Option<f64>,
    ) -> Self {
        let status = match (ok, required) {
            (true, _) => DependencyStatus::Healthy,
            (false, true) => DependencyStatus::Unhealthy,
            (false, false) => DependencyStatus::Degraded,
        };
        Self {
            name: name.to_string(),
            required,
            configured: true,
            status,
            ready: ok || !required,
            message,
            latency_ms: latency_ms.map(round_ms),
        }
    }

    pub fn not_configured(name: &str, message: String) -> Self {
        Self {
            name: name.to_string(),
            required: false,
            configured: false,
            status: DependencyStatus::NotConfigured,
            ready: true,
            message,
            latency_ms: None,
        }
    }
}

/// Latencies are reported with two decimals, as the reference does (`"latency_ms": 7.35`).
fn round_ms(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuntimeReport {
    /// `ready` or `not_ready`.
    pub status: String,
    pub ready: bool,
    /// RFC 3339 time of the check.
    pub checked_at: String,
    /// `"<name>: <message>"` for each required dependency that failed.
    pub required_failures: Vec<String>,
    pub dependencies: BTreeMap<String, DependencyCheck>,
}

impl RuntimeReport {
    pub fn from_checks(checks: Vec<DependencyCheck>, checked_at: String) -> Self {
        let required_failures: Vec<String> = checks
            .iter()
            .filter(|c| !c.ready)
            .map(|c| format!("{}: {}", c.name, c.message))
            .collect();
        let ready = required_failures.is_empty();
        Self {
            status: if ready { "ready" } else { "not_ready" }.to_string(),
            ready,
            checked_at,
            required_failures,
            dependencies: checks.into_iter().map(|c| (c.name.clone(), c)).collect(),
        }
    }

    /// The sentence a 503 readiness answer carries in its `detail`, as the reference words it.
    pub fn not_ready_detail(&self) -> String {
        format!(
            "Runtime dependencies not ready: {}",
            self.required_failures.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_required_dependency_makes_the_report_not_ready() {
        let report = RuntimeReport::from_checks(
            vec![
                DependencyCheck::measured("database", true, false, "disk I/O error".into(), None),
                DependencyCheck::measured("redis", false, true, "PONG".into(), Some(0.123)),
            ],
            "t".into(),
        );
        assert!(!report.ready);
        assert_eq!(report.status, "not_ready");
        assert_eq!(report.required_failures, vec!["database: disk I/O error"]);
        assert_eq!(report.dependencies["redis"].latency_ms, Some(0.12));
        assert_eq!(
            report.not_ready_detail(),
            "Runtime dependencies not ready: database: disk I/O error"
        );
    }

    #[test]
    fn a_failed_optional_dependency_is_degraded_but_ready() {
        let check = DependencyCheck::measured("redis", false, false, "refused".into(), None);
        assert_eq!(check.status, DependencyStatus::Degraded);
        assert!(check.ready);
        let report = RuntimeReport::from_checks(vec![check], "t".into());
        assert!(report.ready);
        assert!(report.required_failures.is_empty());
    }

    #[test]
    fn report_serializes_in_the_reference_shape() {
        let report = RuntimeReport::from_checks(
            vec![DependencyCheck::measured(
                "redis",
                true,
                true,
                "Redis ping succeeded".into(),
                Some(7.351),
            )],
            "2026-11-29T15:36:12+00:00".into(),
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["status"], "ready");
        assert_eq!(json["ready"], true);
        assert_eq!(json["required_failures"], serde_json::json!([]));
        assert_eq!(json["dependencies"]["redis"]["status"], "healthy");
        assert_eq!(json["dependencies"]["redis"]["latency_ms"], 7.35);
        assert_eq!(json["dependencies"]["redis"]["required"], true);
    }
}
