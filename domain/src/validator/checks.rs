//! The decisions behind the reference validator's connection checks (`--check-connections`),
//! taking the measured facts as input (fixtures README, "Connection checks").
//!
//! Messages may quote an I/O error (a Redis client's error can hold the URL, password included),
//! so every message goes through [`redact`] before it is stored.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::env_file::EnvFile;
use crate::redis_url::RedisUrl;
use crate::secret::{MASK, is_secret_key, mask_url_credentials};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Ok,
    Fail,
    Skip,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "OK",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "SKIP",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionCheck {
    pub name: String,
    pub outcome: Outcome,
    pub message: String,
}

impl ConnectionCheck {
    fn new(file: &EnvFile, name: &str, outcome: Outcome, message: String) -> Self {
        Self {
            name: name.to_string(),
            outcome,
            message: redact(file, &message),
        }
    }
}

/// REDIS_REQUIRED, read with the reference's flag rule.
pub fn redis_required(file: &EnvFile) -> bool {
    file.flag("REDIS_REQUIRED")
}

/// INNGEST_REQUIRED, read with the reference's flag rule.
pub fn inngest_required(file: &EnvFile) -> bool {
    file.flag("INNGEST_REQUIRED")
}

/// The redis check. `ping` is the PING's outcome, `None` when Redis was not pinged.
///
/// A PING that fails while Redis is optional is OK: the reference service then reports Redis
/// `degraded` and stays ready (fixtures/payloads/runtime_dependencies.relaxed_degraded.json). The
/// message says so, because that is how a relaxed environment hides an outage.
pub fn redis_check(file: &EnvFile, ping: Option<Result<(), String>>) -> ConnectionCheck {
    let required = redis_required(file);
    let (outcome, message) = match (file.value_present("REDIS_URL"), ping) {
        (false, _) if required => (
            Outcome::Fail,
            "REDIS_URL is not set, but REDIS_REQUIRED=true: set REDIS_URL or make Redis optional"
                .to_string(),
        ),
        (false, _) => (
            Outcome::Skip,
            "REDIS_URL is not set and Redis is not required: nothing to check".to_string(),
        ),
        (true, None) => (
            Outcome::Skip,
            "REDIS_URL is set but Redis was not pinged".to_string(),
        ),
        (true, Some(Ok(()))) => (Outcome::Ok, "Redis answered PING".to_string()),
        (true, Some(Err(error))) if required => (
            Outcome::Fail,
            format!(
                "Redis PING failed: {error}. REDIS_REQUIRED=true, so the service is not ready without Redis"
            ),
        ),
        (true, Some(Err(error))) => (
            Outcome::Ok,
            format!(
                "Redis PING failed: {error}. Redis is optional here (REDIS_REQUIRED is not true), so it is only degraded: the service still reports ready while Redis is down"
            ),
        ),
    };
    ConnectionCheck::new(file, "redis", outcome, message)
}

/// The inngest check. `route` is the route verification's outcome (`--verify-inngest-route`),
/// `None` when it was not asked for.
pub fn inngest_check(file: &EnvFile, route: Option<Result<(), String>>) -> ConnectionCheck {
    let unset: Vec<&str> = ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]
        .into_iter()
        .filter(|key| !file.value_present(key))
        .collect();
    let (outcome, message) = match (unset.is_empty(), route) {
        (false, _) if inngest_required(file) => (
            Outcome::Fail,
            format!(
                "INNGEST_REQUIRED=true but {} not set: both the signing key and the event key are needed",
                join_keys(&unset)
            ),
        ),
        (false, _) => (
            Outcome::Skip,
            format!(
                "{} not set and Inngest is not required: nothing to check",
                join_keys(&unset)
            ),
        ),
        (true, None) => (
            Outcome::Ok,
            "the signing and event keys are set (route not verified)".to_string(),
        ),
        (true, Some(Ok(()))) => (
            Outcome::Ok,
            "the signing and event keys are set and the route answers as mounted".to_string(),
        ),
        (true, Some(Err(error))) => (
            Outcome::Fail,
            format!(
                "the signing and event keys are set, but the route does not answer as mounted: {error}"
            ),
        ),
    };
    ConnectionCheck::new(file, "inngest", outcome, message)
}

fn join_keys(keys: &[&str]) -> String {
    match keys {
        [one] => format!("{one} is"),
        _ => format!("{} are", keys.join(" and ")),
    }
}

/// The runtime check: OK when no *required* dependency failed, otherwise FAIL listing the failures
/// as the reference's `required_failures` does (`"redis: <message>"`). A failed inngest route of
/// an optional Inngest fails the inngest check but is not a required failure.
pub fn runtime_check(
    file: &EnvFile,
    redis: &ConnectionCheck,
    inngest: &ConnectionCheck,
) -> ConnectionCheck {
    let failures: Vec<String> = [
        (redis, redis_required(file)),
        (inngest, inngest_required(file)),
    ]
    .into_iter()
    .filter(|(check, required)| *required && check.outcome == Outcome::Fail)
    .map(|(check, _)| format!("{}: {}", check.name, check.message))
    .collect();
    let (outcome, message) = if failures.is_empty() {
        (Outcome::Ok, "no required dependency failed".to_string())
    } else {
        (
            Outcome::Fail,
            format!("required dependencies failed: {}", failures.join("; ")),
        )
    };
    ConnectionCheck::new(file, "runtime", outcome, message)
}

/// Removes the file's secrets from `text`: values of secret keys (4 characters or more; shorter
/// ones would garble ordinary words and are flagged as weak anyway), credentials of URL values,
/// then the user-info of any URL still in the text.
pub(crate) fn redact(file: &EnvFile, text: &str) -> String {
    let mut needles: Vec<(String, String)> = Vec::new();
    for (key, value) in file.entries() {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        if is_secret_key(key) {
            needles.push((value.to_string(), MASK.to_string()));
        }
        let masked = mask_url_credentials(value);
        if masked != value {
            needles.push((value.to_string(), masked));
            if let Ok(url) = RedisUrl::parse(value)
                && let Some(password) = url.password()
            {
                needles.push((password.to_string(), MASK.to_string()));
            }
            if let Some(raw) = raw_password(value) {
                needles.push((raw.to_string(), MASK.to_string()));
            }
        }
    }
    // Longest first, so a whole URL is replaced before the password inside it.
    needles.retain(|(needle, _)| needle.chars().count() >= 4);
    needles.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
    let mut out = text.to_string();
    for (needle, replacement) in &needles {
        out = out.replace(needle.as_str(), replacement);
    }
    mask_urls_in_text(&out)
}

/// [`mask_url_credentials`] applied to every whitespace-separated word that holds a URL.
pub(crate) fn mask_urls_in_text(text: &str) -> String {
    crate::secret::map_url_words(text, mask_url_credentials)
}

/// The password (or lone token) of a URL's user-info, as written.
fn raw_password(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    Some(userinfo.split_once(':').map_or(userinfo, |(_, p)| p))
}
