//! `application/health+json` (draft-inadarei-api-health-check): `status` is pass, warn or fail
//! (with the aliases ok/up and error/down the draft allows), and `checks` maps
//! `"<component>:<measurement>"` to a list of results. Implementations differ in the details, so
//! only the structure is enforced; an odd leaf value is ignored rather than rejected.

use serde_json::Value;

use super::{Component, DependencyHealth, Format, HealthParseError, Object, field, invalid};
use crate::probe::ProbeStatus;

const F: Format = Format::HealthJson;

fn word_status(word: &str) -> Option<ProbeStatus> {
    match word.to_ascii_lowercase().as_str() {
        "pass" | "ok" | "up" => Some(ProbeStatus::Healthy),
        "warn" => Some(ProbeStatus::Degraded),
        "fail" | "error" | "down" => Some(ProbeStatus::Unhealthy),
        _ => None,
    }
}

/// A known status word and, if there are checks, checks that are lists: `{"status": "ok"}`
/// alone counts too, it is the smallest document the draft allows.
pub(super) fn looks_like(obj: &Object) -> bool {
    let status_known = obj
        .get("status")
        .and_then(Value::as_str)
        .and_then(word_status)
        .is_some();
    let checks_fit = match obj.get("checks") {
        None => true,
        Some(Value::Object(checks)) => checks.values().all(Value::is_array),
        Some(_) => false,
    };
    status_known && checks_fit
}

pub(super) fn parse(obj: &Object) -> Result<DependencyHealth, HealthParseError> {
    let overall = match field(obj, "status") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => return Err(invalid(F, "status", "must be pass, warn or fail", other)),
        None => {
            return Err(HealthParseError::Invalid {
                format: F,
                field: "status".to_string(),
                problem: "is missing; expected pass, warn or fail".to_string(),
            });
        }
    };
    // warn is still ready: the draft means "healthy, with some concerns".
    let ready = word_status(&overall).map(|s| s != ProbeStatus::Unhealthy);

    let mut components = Vec::new();
    match field(obj, "checks") {
        None => {}
        Some(Value::Object(checks)) => {
            for (key, entries) in checks {
                let at = format!("checks.{key}");
                let Value::Array(entries) = entries else {
                    return Err(invalid(F, &at, "must be a list of check results", entries));
                };
                for (i, entry) in entries.iter().enumerate() {
                    let Value::Object(entry) = entry else {
                        return Err(invalid(
                            F,
                            &format!("{at}[{i}]"),
                            "must be an object",
                            entry,
                        ));
                    };
                    components.push(component(key, i, entries.len(), entry));
                }
            }
        }
        Some(other) => {
            return Err(invalid(
                F,
                "checks",
                "must be an object of check lists",
                other,
            ));
        }
    }

    Ok(DependencyHealth::from_components(
        F, ready, overall, components, "fail",
    ))
}

fn component(key: &str, index: usize, count: usize, entry: &Object) -> Component {
    let text = |name: &str| entry.get(name).and_then(Value::as_str);
    // Several results under one key are told apart by componentId (or by position without one).
    let name = if count > 1 {
        match text("componentId") {
            Some(id) => format!("{key}/{id}"),
            None => format!("{key}[{index}]"),
        }
    } else {
        key.to_string()
    };
    let latency_ms = match (
        entry.get("observedValue").and_then(Value::as_f64),
        text("observedUnit"),
    ) {
        (Some(v), Some("ms")) => Some(v),
        (Some(v), Some("s")) => Some(v * 1000.0),
        _ => None,
    };
    Component {
        name,
        status: text("status")
            .and_then(word_status)
            .unwrap_or(ProbeStatus::Unverified),
        required: None,
        message: text("output").filter(|s| !s.is_empty()).map(str::to_string),
        latency_ms,
    }
}
