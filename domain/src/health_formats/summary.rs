//! The verdict an operator reads for a dependencies answer, and the strict-mode flags it shows.

use serde::{Deserialize, Serialize};

use super::{Component, DependencyHealth, Format};
use crate::probe::ProbeStatus;

/// Whether the reference service runs Redis and Inngest as required ("strict") dependencies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrictFlags {
    pub redis_required: Option<bool>,
    pub inngest_required: Option<bool>,
}

/// Read from `dependencies.<name>.required`; None when the answer does not say, and always None
/// for other formats, which have no notion of a required dependency.
pub fn strict_flags(health: &DependencyHealth) -> StrictFlags {
    if health.format != Format::Reference {
        return StrictFlags::default();
    }
    let required = |name: &str| {
        health
            .components
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.required)
    };
    StrictFlags {
        redis_required: required("redis"),
        inngest_required: required("inngest"),
    }
}

/// The probe verdict: not ready is Unhealthy, unknown readiness is Unverified, ready with
/// something down is Degraded (never Healthy: that is how a relaxed environment hides an
/// outage), and ready with everything up is Healthy.
pub fn summary(health: &DependencyHealth) -> (ProbeStatus, String) {
    let down: Vec<&Component> = health
        .components
        .iter()
        .filter(|c| {
            matches!(
                c.status,
                ProbeStatus::Degraded | ProbeStatus::Unhealthy | ProbeStatus::Unverified
            )
        })
        .collect();
    match health.ready {
        Some(false) => (ProbeStatus::Unhealthy, not_ready(health, &down)),
        None => (ProbeStatus::Unverified, unknown(health, &down)),
        Some(true) if !down.is_empty() => (ProbeStatus::Degraded, ready_but_down(&down)),
        Some(true) if health.overall.eq_ignore_ascii_case("warn") => (
            ProbeStatus::Degraded,
            "The environment reports ready with a warning (status \"warn\") but names no failing check"
                .to_string(),
        ),
        Some(true) => (ProbeStatus::Healthy, all_healthy(health)),
    }
}

/// `redis is unhealthy (Redis ping failed: ...)`. A trailing full stop is dropped from the
/// message so the parenthesis does not end in `.)`.
fn describe(c: &Component) -> String {
    match c.message.as_deref().map(|m| m.trim().trim_end_matches('.')) {
        Some(m) if !m.is_empty() => format!("{} is {} ({m})", c.name, c.status.as_str()),
        _ => format!("{} is {}", c.name, c.status.as_str()),
    }
}

fn describe_all(components: &[&Component]) -> String {
    components
        .iter()
        .map(|c| describe(c))
        .collect::<Vec<_>>()
        .join("; ")
}

fn not_ready(health: &DependencyHealth, down: &[&Component]) -> String {
    // Blocking: unhealthy and not marked optional (formats without `required` count them all).
    let (blocking, others): (Vec<&Component>, Vec<&Component>) = down
        .iter()
        .partition(|c| c.status == ProbeStatus::Unhealthy && c.required != Some(false));
    let mut text = if !blocking.is_empty() {
        format!("Not ready: {}", describe_all(&blocking))
    } else if !health.required_failures.is_empty() {
        format!("Not ready: {}", health.required_failures.join("; "))
    } else if health.overall.is_empty() {
        "Not ready, without naming a failing dependency".to_string()
    } else {
        format!(
            "Not ready: the environment reports status \"{}\" without naming a failing dependency",
            health.overall
        )
    };
    if !others.is_empty() {
        text.push_str(&format!(
            ". Also down, but not counted against readiness: {}",
            describe_all(&others)
        ));
    }
    text
}

fn unknown(health: &DependencyHealth, down: &[&Component]) -> String {
    let mut text = if health.overall.is_empty() {
        "Could not tell whether the environment is ready: the answer has no overall status"
            .to_string()
    } else {
        format!(
            "Could not tell whether the environment is ready: its overall status is \"{}\"",
            health.overall
        )
    };
    if !down.is_empty() {
        text.push_str(&format!("; {}", describe_all(down)));
    }
    text
}

fn ready_but_down(down: &[&Component]) -> String {
    let one = down.len() == 1;
    let names = join_names(down.iter().map(|c| c.name.as_str()).collect());
    let why = if down.iter().all(|c| c.required == Some(false)) {
        if one {
            "It is marked optional, so it does not count against readiness: relaxed mode hides an outage this way."
        } else {
            "They are marked optional, so they do not count against readiness: relaxed mode hides an outage this way."
        }
    } else if one {
        "The overall status does not count it, which hides an outage."
    } else {
        "The overall status does not count them, which hides an outage."
    };
    format!(
        "The environment reports ready, but {}. {why} Check that this release does not need {names}.",
        describe_all(down)
    )
}

fn all_healthy(health: &DependencyHealth) -> String {
    let healthy = health
        .components
        .iter()
        .filter(|c| c.status == ProbeStatus::Healthy)
        .count();
    let not_configured: Vec<&str> = health
        .components
        .iter()
        .filter(|c| c.status == ProbeStatus::NotConfigured)
        .map(|c| c.name.as_str())
        .collect();
    let base = match (healthy, not_configured.is_empty()) {
        (0, true) => return "Ready; the answer lists no dependencies".to_string(),
        (0, false) => "Ready; no dependency is configured".to_string(),
        (1, _) => "1 dependency healthy".to_string(),
        (n, _) => format!("All {n} dependencies healthy"),
    };
    if not_configured.is_empty() {
        base
    } else {
        format!("{base} ({} not configured)", join_names(not_configured))
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_names(names: Vec<&str>) -> String {
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
