//! Findings: risks the reference validator does not check but an operator should see. They never
//! change the verdict (see the module docs of `validator`).
//!
//! Messages are built from fixed text and key names only, never from a value: not even its
//! length (the mask is fixed-width for the same reason).

use serde::{Deserialize, Serialize};

use crate::env_file::EnvFile;
use crate::environment::Mode;
use crate::python::{py_lower, py_strip};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Works, but is risky or outdated.
    Warning,
    /// Known to anyone (a published or placeholder value) or unusable as written.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub key: String,
    pub severity: Severity,
    pub message: String,
}

/// A token shorter than this is weak: 24 characters of a random alphabet is the least that is
/// still comfortably out of brute-force reach, and what common generators produce by default.
pub const MIN_TOKEN_LEN: usize = 24;
/// Fewer distinct characters than this marks a patterned value (`aaaa…`, `abcabc…`, `1234…`).
pub const MIN_DISTINCT_CHARS: usize = 10;
/// Shannon entropy (bits per character) below this marks a value far from random: random hex
/// scores about 3.7–4.0, random base64 about 4.5+, repeated or dictionary-like text much less.
pub const MIN_ENTROPY_BITS: f64 = 3.0;

/// Values that are public knowledge: placeholders from templates and docs, and the reference
/// service's own published default (`caio-swarm-secret-2026`). Compared after strip + lower.
pub const DENY_LIST: [&str; 22] = [
    "caio-swarm-secret-2026",
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "password",
    "passw0rd",
    "secret",
    "token",
    "test",
    "testing",
    "dummy",
    "example",
    "sample",
    "placeholder",
    "default",
    "admin",
    "letmein",
    "todo",
    "xxx",
    "your-token-here",
    "your-secret-here",
];

/// Every finding for `file`, in the file's key order.
pub fn findings(file: &EnvFile, mode: Mode) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, value) in file.entries() {
        let value = value.unwrap_or("");
        let upper = key.to_ascii_uppercase();
        if (upper.contains("TOKEN") || upper.contains("SECRET")) && !value.is_empty() {
            out.extend(weak_token(key, value));
        }
        if (key == "INNGEST_SIGNING_KEY" || key == "INNGEST_SIGNING_KEY_FALLBACK")
            && !value.is_empty()
        {
            out.extend(signing_key_format(key, value, mode));
        }
        if key == "INNGEST_DEVSERVER_URL" {
            // Inngest's TypeScript SDK v3 replaced it with INNGEST_BASE_URL / INNGEST_DEV
            // ("Refactored environment variables", v2→v3 migration guide); the Python SDK the
            // reference runs never read it. A file that still sets it likely expects an effect
            // it does not have.
            out.push(Finding {
                key: key.to_string(),
                severity: Severity::Warning,
                message: format!(
                    "{key} is a legacy name that current Inngest SDKs ignore: use INNGEST_BASE_URL (and INNGEST_DEV for the dev server)"
                ),
            });
        }
    }
    out
}

fn weak_token(key: &str, value: &str) -> Option<Finding> {
    if DENY_LIST.contains(&py_lower(py_strip(value)).as_str()) {
        return Some(Finding {
            key: key.to_string(),
            severity: Severity::Error,
            message: format!(
                "{key} is a published or placeholder value that anyone can guess: replace it with a random value of at least 32 characters"
            ),
        });
    }
    let mut reasons = Vec::new();
    if value.chars().count() < MIN_TOKEN_LEN {
        reasons.push(format!("is shorter than {MIN_TOKEN_LEN} characters"));
    }
    let distinct = {
        let mut chars: Vec<char> = value.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if distinct < MIN_DISTINCT_CHARS || shannon_entropy(value) < MIN_ENTROPY_BITS {
        reasons.push(format!(
            "has low entropy (fewer than {MIN_DISTINCT_CHARS} distinct characters or under {MIN_ENTROPY_BITS:.1} bits per character)"
        ));
    }
    (!reasons.is_empty()).then(|| Finding {
        key: key.to_string(),
        severity: Severity::Warning,
        message: format!(
            "{key} looks weak: it {}; use a random value of at least 32 characters",
            reasons.join(" and ")
        ),
    })
}

/// Shannon entropy of the character distribution, in bits per character (0 for "").
pub fn shannon_entropy(value: &str) -> f64 {
    let mut chars: Vec<char> = value.chars().collect();
    let total = chars.len() as f64;
    chars.sort_unstable();
    chars
        .chunk_by(|a, b| a == b)
        .map(|run| {
            let p = run.len() as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// Inngest signing keys read `signkey-<env>-<hex>`. The Inngest SDK strips the prefix with
/// `^signkey-[\w]+-` and hex-decodes the rest before hashing it (inngest-py
/// `transforms.remove_signing_key_prefix` / `hash_signing_key`), so a key without the prefix is
/// a legacy or mistyped one, and a body that is not hex cannot authenticate anything.
fn signing_key_format(key: &str, value: &str, mode: Mode) -> Option<Finding> {
    let finding = |severity, message: String| {
        Some(Finding {
            key: key.to_string(),
            severity,
            message,
        })
    };
    let Some((env, body)) = value
        .strip_prefix("signkey-")
        .and_then(|rest| rest.split_once('-'))
        .filter(|(env, _)| !env.is_empty() && env.chars().all(|c| c.is_alphanumeric() || c == '_'))
    else {
        return finding(
            Severity::Warning,
            format!(
                "{key} does not have the signkey-<env>- prefix (e.g. signkey-prod-…): it is a legacy or mistyped key; copy the current one from the Inngest dashboard"
            ),
        );
    };
    let is_hex = !body.is_empty()
        && body.len().is_multiple_of(2)
        && body.chars().all(|c| c.is_ascii_hexdigit());
    if !is_hex {
        return finding(
            Severity::Error,
            format!(
                "{key} has the signkey-<env>- prefix but the rest is not hexadecimal, so the Inngest SDK cannot use it to sign or verify requests"
            ),
        );
    }
    if mode == Mode::Production && env != "prod" {
        return finding(
            Severity::Warning,
            format!(
                "{key} is not a production key (signkey-prod-…) although the mode is production"
            ),
        );
    }
    None
}
