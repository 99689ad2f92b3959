//! What one probe of one environment found. A failing probe is a result, not an error; "could
//! not measure" (timeout, refused, DNS, TLS) is kept apart from "measured bad" (503, not ready).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeStatus {
    /// Measured, and as it should be.
    Healthy,
    /// Measured; works, but something is off (an optional dependency down, a weak token).
    Degraded,
    /// Measured, and bad (503, `ready: false`, a wrong function count).
    Unhealthy,
    /// Nothing to probe: the environment does not configure this.
    NotConfigured,
    /// Could not measure (timeout, refused, DNS, TLS, unreadable answer).
    Unverified,
}

impl ProbeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeStatus::Healthy => "healthy",
            ProbeStatus::Degraded => "degraded",
            ProbeStatus::Unhealthy => "unhealthy",
            ProbeStatus::NotConfigured => "not_configured",
            ProbeStatus::Unverified => "unverified",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeOutcome {
    /// `redis`, `readiness`, `dependencies`, `inngest`, `env_file`, or a custom check's name.
    pub probe: String,
    pub status: ProbeStatus,
    pub latency_ms: Option<f64>,
    /// For operators: what was expected, what was seen, what to do.
    pub message: String,
    /// For engineers: the raw answer, secrets masked.
    pub evidence: serde_json::Value,
}

impl ProbeOutcome {
    pub fn new(probe: &str, status: ProbeStatus, message: impl Into<String>) -> Self {
        Self {
            probe: probe.to_string(),
            status,
            latency_ms: None,
            message: message.into(),
            evidence: serde_json::Value::Null,
        }
    }

    pub fn latency(mut self, ms: f64) -> Self {
        self.latency_ms = Some((ms * 100.0).round() / 100.0);
        self
    }

    pub fn evidence(mut self, evidence: serde_json::Value) -> Self {
        self.evidence = evidence;
        self
    }
}

/// The verdict for an environment from its probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    Ready,
    NotReady,
    /// Something that decides readiness could not be measured: never turned into Ready.
    Unknown,
}

/// Ready only when nothing is unhealthy and nothing that matters is unverified.
pub fn readiness(outcomes: &[ProbeOutcome]) -> Readiness {
    if outcomes.iter().any(|o| o.status == ProbeStatus::Unhealthy) {
        Readiness::NotReady
    } else if outcomes.iter().any(|o| o.status == ProbeStatus::Unverified) {
        Readiness::Unknown
    } else {
        Readiness::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_never_turned_into_ready() {
        let ok = ProbeOutcome::new("readiness", ProbeStatus::Healthy, "200");
        let unverified = ProbeOutcome::new("redis", ProbeStatus::Unverified, "timeout");
        let bad = ProbeOutcome::new("dependencies", ProbeStatus::Unhealthy, "ready: false");
        let degraded = ProbeOutcome::new("env_file", ProbeStatus::Degraded, "weak token");
        assert_eq!(readiness(&[ok.clone(), degraded.clone()]), Readiness::Ready);
        assert_eq!(
            readiness(&[ok.clone(), unverified.clone()]),
            Readiness::Unknown
        );
        assert_eq!(readiness(&[ok, unverified, bad]), Readiness::NotReady);
        assert_eq!(
            readiness(&[ProbeOutcome::new("inngest", ProbeStatus::NotConfigured, "")]),
            Readiness::Ready
        );
    }

    #[test]
    fn latency_is_rounded_to_hundredths() {
        let o = ProbeOutcome::new("redis", ProbeStatus::Healthy, "PONG").latency(1.23456);
        assert_eq!(o.latency_ms, Some(1.23));
    }
}
