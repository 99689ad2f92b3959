//! A runtime-dependencies answer, read once into one shape whatever the service speaks.
//!
//! Three shapes are understood:
//! - [`Format::Reference`]: the reference service's report (`ready`, `status`,
//!   `required_failures`, `dependencies.<name>.{required, ready, status, message, latency_ms}`),
//!   also when its readiness endpoint wraps it in `runtime_dependencies`, and the 503 answer
//!   `{"detail": "Runtime dependencies not ready: ..."}` that carries only the failures;
//! - [`Format::HealthJson`]: `application/health+json` (draft-inadarei-api-health-check);
//! - [`Format::SpringActuator`]: Spring Boot Actuator's `/actuator/health`.
//!
//! The content type decides only for `health+json`; otherwise the shape does, because plenty of
//! services answer `application/json` whatever they put inside. Components come in key order
//! (serde_json sorts object keys in this workspace), which keeps the output stable.

mod actuator;
mod health_json;
mod reference;
mod summary;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod summary_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::probe::ProbeStatus;

pub use summary::{StrictFlags, strict_flags, summary};

type Object = Map<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Reference,
    HealthJson,
    SpringActuator,
}

impl Format {
    /// How the format is named in messages for operators.
    pub fn label(self) -> &'static str {
        match self {
            Format::Reference => "reference runtime-dependencies",
            Format::HealthJson => "application/health+json",
            Format::SpringActuator => "Spring Boot Actuator health",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One dependency (or one check entry) as the service reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub name: String,
    pub status: ProbeStatus,
    /// Only the reference format says whether a dependency is required.
    pub required: Option<bool>,
    pub message: Option<String>,
    pub latency_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DependencyHealth {
    pub format: Format,
    /// None when the answer does not say (Actuator `UNKNOWN`, an unknown status word).
    pub ready: Option<bool>,
    /// The overall status word exactly as sent (`ready`, `warn`, `OUT_OF_SERVICE`), or "" when
    /// the answer has none (the reference's 503 body carries only `detail`).
    pub overall: String,
    pub components: Vec<Component>,
    /// The reference's own list when it sends one; otherwise `"<name>: <message>"` for each
    /// component that makes the answer not ready.
    pub required_failures: Vec<String>,
}

impl DependencyHealth {
    /// For formats without a failure list of their own: when the answer is not ready, its
    /// unhealthy components are the failures, worded `name: message` as the reference does.
    pub(crate) fn from_components(
        format: Format,
        ready: Option<bool>,
        overall: String,
        components: Vec<Component>,
        default_message: &str,
    ) -> Self {
        let required_failures = if ready == Some(false) {
            components
                .iter()
                .filter(|c| c.status == ProbeStatus::Unhealthy)
                .map(|c| {
                    format!(
                        "{}: {}",
                        c.name,
                        c.message.as_deref().unwrap_or(default_message)
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            format,
            ready,
            overall,
            components,
            required_failures,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HealthParseError {
    #[error("the answer is empty; expected a JSON health document")]
    Empty,
    #[error("the answer is not JSON ({reason}); it starts with: {start}")]
    NotJson { reason: String, start: String },
    #[error(
        "the answer is JSON {found}, not an object; expected an object such as \
         {{\"ready\": true, \"dependencies\": {{...}}}}"
    )]
    NotAnObject { found: &'static str },
    #[error("unrecognised health answer: {0}")]
    Unrecognised(String),
    #[error("{format} answer: `{field}` {problem}")]
    Invalid {
        format: Format,
        field: String,
        problem: String,
    },
}

/// Reads a runtime-dependencies answer. `content_type` is the answer's header, if any.
pub fn parse(body: &str, content_type: Option<&str>) -> Result<DependencyHealth, HealthParseError> {
    let text = body.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(HealthParseError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| HealthParseError::NotJson {
        reason: e.to_string(),
        start: snippet(text),
    })?;
    let Value::Object(obj) = &value else {
        return Err(HealthParseError::NotAnObject {
            found: kind(&value),
        });
    };
    if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("health+json")) {
        return health_json::parse(obj);
    }
    detect(obj)
}

fn detect(obj: &Object) -> Result<DependencyHealth, HealthParseError> {
    // The readiness endpoint nests the report; what matters is the report.
    if let Some(inner) = field(obj, "runtime_dependencies") {
        let Value::Object(inner) = inner else {
            return Err(invalid(
                Format::Reference,
                "runtime_dependencies",
                "must be an object",
                inner,
            ));
        };
        return reference::parse(inner);
    }
    if reference::looks_like(obj) {
        return reference::parse(obj);
    }
    if let Some(detail) = obj.get("detail").and_then(Value::as_str) {
        return reference::from_not_ready_detail(detail).ok_or_else(|| unrecognised_detail(detail));
    }
    if obj
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(actuator::is_status)
    {
        return actuator::parse(obj);
    }
    if health_json::looks_like(obj) {
        return health_json::parse(obj);
    }
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).take(10).collect();
    if obj.len() > keys.len() {
        keys.push("...");
    }
    let found = if keys.is_empty() {
        "no keys (an empty object)".to_string()
    } else {
        format!("keys {}", keys.join(", "))
    };
    Err(HealthParseError::Unrecognised(format!(
        "expected the reference runtime-dependencies shape (`ready` and `dependencies`), \
         application/health+json (`status` pass/warn/fail with `checks` lists) or Spring Boot \
         Actuator health (`status` UP/DOWN/OUT_OF_SERVICE/UNKNOWN); found {found}"
    )))
}

fn unrecognised_detail(detail: &str) -> HealthParseError {
    // The reference answers 401 {"detail": "Unauthorized"} when the dashboard token is missing.
    let hint = if detail == "Unauthorized" {
        " (the runtime-dependencies endpoint wants the X-Dashboard-Token header)"
    } else {
        ""
    };
    HealthParseError::Unrecognised(format!(
        "the answer is an error, not a health report: detail {}{hint}",
        shorten(&Value::String(detail.to_string()).to_string(), 200)
    ))
}

/// The field, with `null` counted as absent (several services send `"message": null`).
fn field<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn invalid(format: Format, field: &str, expected: &str, found: &Value) -> HealthParseError {
    HealthParseError::Invalid {
        format,
        field: field.to_string(),
        problem: format!("{expected}, found {}", describe(found)),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `a string ("yes")`: the kind, and the value when it is short enough to help.
fn describe(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) | Value::Null => kind(value).to_string(),
        _ => format!("{} ({})", kind(value), shorten(&value.to_string(), 60)),
    }
}

fn snippet(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    shorten(first_line, 60)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}
