//! The reference team's env-file validator, as pure rules (fixtures README, "The reference
//! validator, stated as rules"). The connection checks' I/O (Redis PING, the Inngest route) is done
//! elsewhere; this module only decides what the measured facts mean.
//!
//! Verdict: PASS when nothing required is missing and no connection check is FAIL — exactly the
//! reference's rule. [`Finding`]s (weak tokens, legacy keys) and parse issues are reported next
//! to the verdict but never change it, whatever their severity: the reference has no such rule,
//! and a Greenlight verdict must agree with the team's own gate.

mod checks;
mod findings;
mod render;

#[cfg(test)]
mod checks_tests;
#[cfg(test)]
mod findings_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::env_file::{EnvFile, ParseIssue};
use crate::environment::Mode;

pub use checks::{
    ConnectionCheck, Outcome, inngest_check, inngest_required, redis_check, redis_required,
    runtime_check,
};
pub use findings::{
    DENY_LIST, Finding, MIN_DISTINCT_CHARS, MIN_ENTROPY_BITS, MIN_TOKEN_LEN, Severity, findings,
    shannon_entropy,
};
pub use render::render_text;

/// Required in every mode.
pub const BASE_REQUIRED: [&str; 4] = [
    "ENVIRONMENT",
    "LOG_LEVEL",
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
];

/// Required in addition in staging and production.
pub const RELEASE_REQUIRED: [&str; 5] = [
    "GHL_API_KEY",
    "GHL_LOCATION_ID",
    "SUPABASE_URL",
    "SUPABASE_KEY",
    "CLAY_API_KEY",
];

/// Reported present or missing, never failing; in the README's order.
pub const RECOMMENDED: [&str; 23] = [
    "REDIS_URL",
    "REDIS_MAX_CONNECTIONS",
    "STATE_BACKEND",
    "STATE_REDIS_PREFIX",
    "STATE_DUAL_READ_ENABLED",
    "STATE_FILE_FALLBACK_WRITE",
    "RATE_LIMIT_REDIS_NAMESPACE",
    "CONTEXT_REDIS_PREFIX",
    "CONTEXT_STATE_TTL_SECONDS",
    "INNGEST_SIGNING_KEY",
    "INNGEST_EVENT_KEY",
    "INNGEST_APP_ID",
    "INNGEST_WEBHOOK_URL",
    "INNGEST_REQUIRED",
    "REDIS_REQUIRED",
    "TRACE_ENVELOPE_FILE",
    "TRACE_ENVELOPE_ENABLED",
    "TRACE_RETENTION_DAYS",
    "TRACE_CLEANUP_ENABLED",
    "DASHBOARD_AUTH_TOKEN",
    "DASHBOARD_AUTH_STRICT",
    "DASHBOARD_AUTH_ALLOWLIST",
    "CORS_ALLOWED_ORIGINS",
];

/// The keys every file in `mode` must set (before the REDIS_/INNGEST_REQUIRED additions).
pub fn required_keys(mode: Mode) -> Vec<&'static str> {
    let mut keys = BASE_REQUIRED.to_vec();
    if mode.is_release_mode() {
        keys.extend(RELEASE_REQUIRED);
    }
    keys
}

/// The reference's missing-required list: required keys without a non-empty value, plus the
/// conditional entries worded exactly as the reference words them; de-duplicated and sorted by
/// code point (Python's `sorted()` on `str`, which is also `String`'s `Ord`).
pub fn missing_required(file: &EnvFile, mode: Mode) -> Vec<String> {
    let mut missing: BTreeSet<String> = required_keys(mode)
        .into_iter()
        .filter(|key| !file.value_present(key))
        .map(str::to_string)
        .collect();
    if redis_required(file) && !file.value_present("REDIS_URL") {
        missing.insert("REDIS_URL (required because REDIS_REQUIRED=true)".to_string());
    }
    if inngest_required(file) {
        for key in ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"] {
            if !file.value_present(key) {
                missing.insert(format!("{key} (required because INNGEST_REQUIRED=true)"));
            }
        }
    }
    missing.into_iter().collect()
}

/// What the I/O layer measured when connection checks were asked for (`--check-connections`).
/// The error texts are raw I/O errors; `Debug` masks URL credentials in them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnectionFacts {
    /// The Redis PING's outcome; `None` when Redis was not pinged (REDIS_URL unset).
    pub redis_ping: Option<Result<(), String>>,
    /// The Inngest route verification's outcome; `None` unless route verification was asked for
    /// (`--verify-inngest-route`).
    pub inngest_route: Option<Result<(), String>>,
}

impl fmt::Debug for ConnectionFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let masked = |fact: &Option<Result<(), String>>| {
            fact.as_ref().map(|r| {
                r.as_ref()
                    .map_err(|e| checks::mask_urls_in_text(e))
                    .copied()
            })
        };
        f.debug_struct("ConnectionFacts")
            .field("redis_ping", &masked(&self.redis_ping))
            .field("inngest_route", &masked(&self.inngest_route))
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub mode: Mode,
    pub passed: bool,
    pub missing_required: Vec<String>,
    pub recommended_present: Vec<String>,
    pub recommended_missing: Vec<String>,
    /// redis, inngest, runtime — in that order — when checks ran; empty otherwise.
    pub connection_checks: Vec<ConnectionCheck>,
    pub findings: Vec<Finding>,
    pub parse_issues: Vec<ParseIssue>,
}

impl ValidationReport {
    /// The reference validator's exit status: 0 for PASS, 1 for FAIL.
    pub fn exit_code(&self) -> i32 {
        if self.passed { 0 } else { 1 }
    }
}

/// Validates `file` for `mode`; `facts` is `Some` when connection checks were run.
pub fn validate(file: &EnvFile, mode: Mode, facts: Option<&ConnectionFacts>) -> ValidationReport {
    let missing_required = missing_required(file, mode);
    let (recommended_present, recommended_missing): (Vec<&str>, Vec<&str>) = RECOMMENDED
        .into_iter()
        .partition(|key| file.value_present(key));
    let connection_checks = match facts {
        None => Vec::new(),
        Some(facts) => {
            let redis = redis_check(file, facts.redis_ping.clone());
            let inngest = inngest_check(file, facts.inngest_route.clone());
            let runtime = runtime_check(file, &redis, &inngest);
            vec![redis, inngest, runtime]
        }
    };
    let passed =
        missing_required.is_empty() && connection_checks.iter().all(|c| c.outcome != Outcome::Fail);
    ValidationReport {
        mode,
        passed,
        missing_required,
        recommended_present: to_strings(recommended_present),
        recommended_missing: to_strings(recommended_missing),
        connection_checks,
        findings: findings(file, mode),
        parse_issues: file.issues().to_vec(),
    }
}

fn to_strings(keys: Vec<&str>) -> Vec<String> {
    keys.into_iter().map(str::to_string).collect()
}
