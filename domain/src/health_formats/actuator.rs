//! Spring Boot Actuator's health answer: `status` UP/DOWN/OUT_OF_SERVICE/UNKNOWN and nested
//! `components`. Only leaves become components (a parent's status is the aggregate of its
//! children, so listing it too would count one outage twice); names join with "/".

use serde_json::Value;

use super::{Component, DependencyHealth, Format, HealthParseError, Object, field, invalid};
use crate::probe::ProbeStatus;

const F: Format = Format::SpringActuator;

/// Detail keys that carry a latency in milliseconds, compared lower-case without `_`/`-`.
const LATENCY_KEYS: [&str; 6] = [
    "latency",
    "latencyms",
    "responsetime",
    "responsetimems",
    "duration",
    "durationms",
];

pub(super) fn is_status(word: &str) -> bool {
    matches!(word, "UP" | "DOWN" | "OUT_OF_SERVICE" | "UNKNOWN")
}

fn status_of(word: Option<&str>) -> ProbeStatus {
    match word {
        Some("UP") => ProbeStatus::Healthy,
        Some("DOWN" | "OUT_OF_SERVICE") => ProbeStatus::Unhealthy,
        // UNKNOWN, a custom status, or none: nothing was measured that we can read.
        _ => ProbeStatus::Unverified,
    }
}

pub(super) fn parse(obj: &Object) -> Result<DependencyHealth, HealthParseError> {
    let overall = obj
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // UNKNOWN says nothing either way, and must never read as ready.
    let ready = match overall.as_str() {
        "UP" => Some(true),
        "DOWN" | "OUT_OF_SERVICE" => Some(false),
        _ => None,
    };
    let mut components = Vec::new();
    match field(obj, "components") {
        None => {}
        Some(Value::Object(children)) => walk("", children, &mut components)?,
        Some(other) => return Err(invalid(F, "components", "must be an object", other)),
    }
    Ok(DependencyHealth::from_components(
        F, ready, overall, components, "DOWN",
    ))
}

fn walk(prefix: &str, children: &Object, out: &mut Vec<Component>) -> Result<(), HealthParseError> {
    for (key, child) in children {
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}/{key}")
        };
        let Value::Object(child) = child else {
            return Err(invalid(
                F,
                &format!("components.{name}"),
                "must be an object",
                child,
            ));
        };
        match field(child, "components") {
            Some(Value::Object(nested)) if !nested.is_empty() => walk(&name, nested, out)?,
            Some(Value::Object(_)) | None => out.push(leaf(name, child)),
            Some(other) => {
                return Err(invalid(
                    F,
                    &format!("components.{name}.components"),
                    "must be an object",
                    other,
                ));
            }
        }
    }
    Ok(())
}

fn leaf(name: String, component: &Object) -> Component {
    let details = field(component, "details");
    let message = match details {
        Some(Value::Object(d)) => match d.get("error").and_then(Value::as_str) {
            Some(error) => Some(error.to_string()),
            None if d.is_empty() => None,
            None => Some(Value::Object(d.clone()).to_string()),
        },
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
        None => None,
    };
    let latency_ms = match details {
        Some(Value::Object(d)) => d.iter().find_map(|(k, v)| {
            let key: String = k
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            LATENCY_KEYS
                .contains(&key.as_str())
                .then(|| v.as_f64())
                .flatten()
        }),
        _ => None,
    };
    Component {
        name,
        status: status_of(component.get("status").and_then(Value::as_str)),
        required: None,
        message,
        latency_ms,
    }
}
