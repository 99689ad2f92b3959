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

/// What decides that a round is not ready: the first unhealthy probe, else the first one that
/// could not be measured. `None` for a ready round.
pub fn first_problem(outcomes: &[ProbeOutcome]) -> Option<&ProbeOutcome> {
    outcomes
        .iter()
        .find(|o| o.status == ProbeStatus::Unhealthy)
        .or_else(|| {
            outcomes
                .iter()
                .find(|o| o.status == ProbeStatus::Unverified)
        })
}

/// The verdict shown for an environment after hysteresis: a change of verdict counts only
/// once it has held for `flip_after` consecutive rounds (`recover_after` for a return to
/// Ready), so one lost packet does not page anyone. `rounds` are oldest first; the first round
/// sets the starting verdict. Returns the stable verdict and how many rounds the newest verdict
/// has held.
pub fn stable_readiness(
    rounds: &[Readiness],
    flip_after: usize,
    recover_after: usize,
) -> Option<(Readiness, usize)> {
    let (&first, rest) = rounds.split_first()?;
    let (mut stable, mut current, mut run) = (first, first, 1usize);
    for &verdict in rest {
        if verdict == current {
            run += 1;
        } else {
            current = verdict;
            run = 1;
        }
        let needed = if current == Readiness::Ready {
            recover_after
        } else {
            flip_after
        };
        if current != stable && run >= needed.max(1) {
            stable = current;
        }
    }
    Some((stable, run))
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
    fn a_verdict_flips_only_after_enough_consecutive_rounds() {
        use Readiness::{NotReady, Ready, Unknown};
        assert_eq!(stable_readiness(&[], 2, 2), None);
        assert_eq!(stable_readiness(&[Ready], 2, 2), Some((Ready, 1)));
        // One bad round: still Ready.
        assert_eq!(
            stable_readiness(&[Ready, Ready, NotReady], 2, 2),
            Some((Ready, 1))
        );
        // Two in a row: flips.
        assert_eq!(
            stable_readiness(&[Ready, NotReady, NotReady], 2, 2),
            Some((NotReady, 2))
        );
        // Alternating never flips.
        assert_eq!(
            stable_readiness(&[Ready, NotReady, Ready, NotReady, Ready], 2, 2),
            Some((Ready, 1))
        );
        // Recovery needs its own count.
        assert_eq!(
            stable_readiness(&[NotReady, Ready], 2, 3),
            Some((NotReady, 1))
        );
        assert_eq!(
            stable_readiness(&[NotReady, Ready, Ready, Ready], 2, 3),
            Some((Ready, 3))
        );
        // Unknown flips like not-ready.
        assert_eq!(
            stable_readiness(&[Ready, Unknown, Unknown], 2, 2),
            Some((Unknown, 2))
        );
        // A threshold of 1 follows every round.
        assert_eq!(
            stable_readiness(&[Ready, NotReady], 1, 1),
            Some((NotReady, 1))
        );
    }

    #[test]
    fn latency_is_rounded_to_hundredths() {
        let o = ProbeOutcome::new("redis", ProbeStatus::Healthy, "PONG").latency(1.23456);
        assert_eq!(o.latency_ms, Some(1.23));
    }
}
