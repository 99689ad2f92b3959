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

/// Which probe an outcome is from. Written as its name (`redis`, `env_file`, a custom check's
/// own name), which is how rounds are stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKind {
    EnvFile,
    Redis,
    Readiness,
    Dependencies,
    Inngest,
    /// A custom check (`[[environments.checks]]`), by its configured name.
    Check(String),
}

impl ProbeKind {
    /// The built-in probes: no custom check may take one's name.
    pub const BUILT_IN: [ProbeKind; 5] = [
        ProbeKind::EnvFile,
        ProbeKind::Redis,
        ProbeKind::Readiness,
        ProbeKind::Dependencies,
        ProbeKind::Inngest,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            ProbeKind::EnvFile => "env_file",
            ProbeKind::Redis => "redis",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Dependencies => "dependencies",
            ProbeKind::Inngest => "inngest",
            ProbeKind::Check(name) => name,
        }
    }

    /// The kind named `name`: a built-in probe's name, else a custom check's.
    pub fn parse(name: &str) -> Self {
        Self::BUILT_IN
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .unwrap_or_else(|| ProbeKind::Check(name.to_string()))
    }

    /// The name as people read it ("env file", "queue health").
    pub fn label(&self) -> String {
        self.as_str().replace('_', " ")
    }
}

impl std::fmt::Display for ProbeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ProbeKind {
    fn from(name: &str) -> Self {
        ProbeKind::parse(name)
    }
}

impl Serialize for ProbeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProbeKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(ProbeKind::parse(&name))
    }
}

/// What a probe established that later verdicts read, typed once by the probe that read the
/// answer (the raw answer stays in `evidence` for engineers).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Findings {
    #[default]
    None,
    /// The runtime-dependencies answer: what the deployed service says it requires.
    Dependencies {
        strict: crate::health_formats::StrictFlags,
    },
    /// What the Inngest serve endpoint reported, and whether our signed check was accepted
    /// (only these: the inspection's key hashes stay in the masked evidence).
    Inngest {
        signed: bool,
        mode: Option<String>,
        function_count: Option<u64>,
    },
}

impl Findings {
    fn is_none(&self) -> bool {
        matches!(self, Findings::None)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeOutcome {
    pub probe: ProbeKind,
    pub status: ProbeStatus,
    pub latency_ms: Option<f64>,
    /// For operators: what was expected, what was seen, what to do.
    pub message: String,
    /// For the verdicts that read this probe later: what it established, typed.
    #[serde(default, skip_serializing_if = "Findings::is_none")]
    pub findings: Findings,
    /// For engineers: the raw answer, secrets masked.
    pub evidence: serde_json::Value,
}

impl ProbeOutcome {
    pub fn new(
        probe: impl Into<ProbeKind>,
        status: ProbeStatus,
        message: impl Into<String>,
    ) -> Self {
        Self {
            probe: probe.into(),
            status,
            latency_ms: None,
            message: message.into(),
            findings: Findings::None,
            evidence: serde_json::Value::Null,
        }
    }

    pub fn findings(mut self, findings: Findings) -> Self {
        self.findings = findings;
        self
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

/// One round of probes of one environment, with its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentReport {
    pub environment: String,
    pub mode: crate::Mode,
    pub readiness: Readiness,
    pub checked_at: String,
    pub probes: Vec<ProbeOutcome>,
}

impl EnvironmentReport {
    /// The outcome of probe `kind`, if it ran.
    pub fn outcome(&self, kind: &ProbeKind) -> Option<&ProbeOutcome> {
        self.probes.iter().find(|p| &p.probe == kind)
    }

    /// REDIS_REQUIRED / INNGEST_REQUIRED as the deployed service reports them in its runtime
    /// dependencies (read by the dependencies probe); `None` when that answer was unreadable.
    pub fn deployed_strict_flags(&self) -> Option<crate::health_formats::StrictFlags> {
        match &self.outcome(&ProbeKind::Dependencies)?.findings {
            Findings::Dependencies { strict } => Some(*strict),
            _ => None,
        }
    }
}

/// The verdict for an environment from its probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    Ready,
    NotReady,
    /// Something that decides readiness could not be measured: never turned into Ready.
    Unknown,
}

impl Readiness {
    /// Its one written form (`ready`, `not_ready`, `unknown`), as stored and as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::NotReady => "not_ready",
            Readiness::Unknown => "unknown",
        }
    }

    /// The verdict of a stored word; anything else is not known to be ready.
    pub fn parse(word: &str) -> Self {
        match word {
            "ready" => Readiness::Ready,
            "not_ready" => Readiness::NotReady,
            _ => Readiness::Unknown,
        }
    }
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
