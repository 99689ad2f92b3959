//! The reference service's runtime-dependencies report (see `crate::dependency` for the shape
//! Greenlight itself writes). The shape is known exactly, so a known field of the wrong type is
//! an error: it means the service changed, and a guess could turn an outage into "ready".

use serde_json::Value;

use super::{Component, DependencyHealth, Format, HealthParseError, Object, field, invalid};
use crate::probe::ProbeStatus;

const F: Format = Format::Reference;

/// How `RuntimeReport::not_ready_detail` (and the reference) words the 503 answer.
const NOT_READY_PREFIX: &str = "Runtime dependencies not ready: ";

pub(super) fn looks_like(obj: &Object) -> bool {
    obj.get("dependencies").is_some_and(Value::is_object)
        || obj.get("ready").is_some_and(Value::is_boolean)
}

pub(super) fn parse(obj: &Object) -> Result<DependencyHealth, HealthParseError> {
    let overall = opt_str(obj, "status", "status")?
        .unwrap_or_default()
        .to_string();
    let ready = match opt_bool(obj, "ready", "ready")? {
        Some(ready) => Some(ready),
        None => match overall.as_str() {
            "ready" => Some(true),
            "not_ready" => Some(false),
            _ => None,
        },
    };

    let mut components = Vec::new();
    let mut derived_failures = Vec::new();
    match field(obj, "dependencies") {
        None => {}
        Some(Value::Object(deps)) => {
            for (name, dep) in deps {
                let at = format!("dependencies.{name}");
                let Value::Object(dep) = dep else {
                    return Err(invalid(F, &at, "must be an object", dep));
                };
                let (component, dep_ready) = component(name, dep, &at)?;
                if dep_ready == Some(false) {
                    derived_failures.push(format!(
                        "{name}: {}",
                        component.message.as_deref().unwrap_or("not ready")
                    ));
                }
                components.push(component);
            }
        }
        Some(other) => return Err(invalid(F, "dependencies", "must be an object", other)),
    }

    let required_failures = match field(obj, "required_failures") {
        None => derived_failures,
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(invalid(
                    F,
                    &format!("required_failures[{i}]"),
                    "must be text",
                    other,
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(invalid(
                F,
                "required_failures",
                "must be a list of text",
                other,
            ));
        }
    };

    Ok(DependencyHealth {
        format: F,
        ready,
        overall,
        components,
        required_failures,
    })
}

/// The component, and the dependency's own `ready` (which decides whether it is a failure).
fn component(
    name: &str,
    dep: &Object,
    at: &str,
) -> Result<(Component, Option<bool>), HealthParseError> {
    let ready = opt_bool(dep, "ready", &format!("{at}.ready"))?;
    let status = match opt_str(dep, "status", &format!("{at}.status"))? {
        Some("healthy") => ProbeStatus::Healthy,
        Some("degraded") => ProbeStatus::Degraded,
        Some("unhealthy") => ProbeStatus::Unhealthy,
        Some("not_configured") => ProbeStatus::NotConfigured,
        // An unknown word: the dependency's own `ready` is the best evidence left.
        _ => match ready {
            Some(true) => ProbeStatus::Healthy,
            Some(false) => ProbeStatus::Unhealthy,
            None => ProbeStatus::Unverified,
        },
    };
    let component = Component {
        name: name.to_string(),
        status,
        required: opt_bool(dep, "required", &format!("{at}.required"))?,
        message: opt_str(dep, "message", &format!("{at}.message"))?.map(str::to_string),
        latency_ms: opt_f64(dep, "latency_ms", &format!("{at}.latency_ms"))?,
    };
    Ok((component, ready))
}

/// The 503 readiness answer names only the failures, each `"<name>: <message>"` joined with
/// `"; "`. Every one of them is a required dependency (only those make the service unready).
pub(super) fn from_not_ready_detail(detail: &str) -> Option<DependencyHealth> {
    let rest = detail.strip_prefix(NOT_READY_PREFIX)?;
    let required_failures: Vec<String> = rest
        .split("; ")
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .collect();
    let components = required_failures
        .iter()
        .map(|failure| {
            let (name, message) = failure.split_once(": ").unwrap_or((failure.as_str(), ""));
            Component {
                name: name.trim().to_string(),
                status: ProbeStatus::Unhealthy,
                required: Some(true),
                message: (!message.is_empty()).then(|| message.to_string()),
                latency_ms: None,
            }
        })
        .collect();
    Some(DependencyHealth {
        format: F,
        ready: Some(false),
        overall: String::new(),
        components,
        required_failures,
    })
}

fn opt_bool(obj: &Object, key: &str, at: &str) -> Result<Option<bool>, HealthParseError> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(invalid(F, at, "must be true or false", other)),
    }
}

fn opt_str<'a>(obj: &'a Object, key: &str, at: &str) -> Result<Option<&'a str>, HealthParseError> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(F, at, "must be text", other)),
    }
}

fn opt_f64(obj: &Object, key: &str, at: &str) -> Result<Option<f64>, HealthParseError> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(invalid(F, at, "must be a number", other)),
    }
}
