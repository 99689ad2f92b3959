//! Parity between two environments' env files (e.g. staging and production): which keys only one
//! of them sets, which ordinary values differ unexpectedly, and which credentials are shared.
//!
//! Rules:
//! - A key counts as set when its value is non-empty, as in the validator (an empty value is
//!   missing), so "set in production, empty in staging" shows up as a key only in production.
//! - Secrets — keys named as secrets ([`is_secret_key`]) and the user-info of URL values such as
//!   `REDIS_URL=rediss://user:pw@host` — are compared through a hash and never shown. The same
//!   credential in both environments is flagged: a staging leak then opens production too, and
//!   staging traffic lands in production systems.
//! - Other values that differ are listed, except for keys expected to differ between environments
//!   ([`expected_to_differ`]), each side as [`EnvFile::display`] shows it: URL credentials and
//!   query values masked, and values that may not be shown (a display-sensitive key such as
//!   `DB_PWD` or `SLACK_WEBHOOK`, a secret-shaped value such as `Bearer …` or
//!   `host=db password=…`, a value that interpolated a secret) masked whole, so the report says
//!   *that* they differ, never what they are.
//!
//! Which keys are compared by hash stays [`is_secret_key`], the reference classification: the
//! wider display rule ([`crate::secret::is_sensitive_key`]) would flag ordinary settings that
//! rightly match (`SESSION_TIMEOUT=3600`) as shared credentials.
//!
//! Every list is sorted by key (code point order) so reports are stable.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::env_file::EnvFile;
use crate::secret::is_secret_key;

/// Markers of keys whose values naturally differ per environment: addresses (URL, URI, HOST,
/// ORIGIN), identities (`_ID`, e.g. INNGEST_APP_ID, GHL_LOCATION_ID) and name-spacing (NAMESPACE,
/// PREFIX, e.g. STATE_REDIS_PREFIX).
pub const EXPECTED_TO_DIFFER_MARKERS: [&str; 7] =
    ["URL", "URI", "_ID", "NAMESPACE", "PREFIX", "HOST", "ORIGIN"];

/// Keys expected to differ by name: the environment's own name and its verbosity.
pub const EXPECTED_TO_DIFFER_KEYS: [&str; 2] = ["ENVIRONMENT", "LOG_LEVEL"];

/// True for keys whose values are expected to differ between environments (case-insensitive).
pub fn expected_to_differ(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    EXPECTED_TO_DIFFER_KEYS.contains(&upper.as_str())
        || EXPECTED_TO_DIFFER_MARKERS.iter().any(|m| upper.contains(m))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParityReport {
    pub a_name: String,
    pub b_name: String,
    /// Keys set in A only.
    pub only_in_a: Vec<String>,
    /// Keys set in B only.
    pub only_in_b: Vec<String>,
    /// Non-secret values that differ, for keys not expected to differ.
    pub differing_values: Vec<ValueDifference>,
    /// Keys whose secret value (or URL credentials) is the same in both environments.
    pub shared_credentials: Vec<String>,
}

impl ParityReport {
    /// True when nothing differs unexpectedly and no credential is shared.
    pub fn is_clean(&self) -> bool {
        self.only_in_a.is_empty()
            && self.only_in_b.is_empty()
            && self.differing_values.is_empty()
            && self.shared_credentials.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueDifference {
    pub key: String,
    /// A's value as [`EnvFile::display`] shows it (never a secret).
    pub a: String,
    /// B's value as [`EnvFile::display`] shows it (never a secret).
    pub b: String,
}

pub fn parity(a_name: &str, a: &EnvFile, b_name: &str, b: &EnvFile) -> ParityReport {
    let set_keys = |file: &EnvFile| -> Vec<String> {
        let mut keys: Vec<String> = file
            .keys()
            .filter(|k| file.value_present(k))
            .map(str::to_string)
            .collect();
        keys.sort();
        keys
    };
    let keys_a = set_keys(a);
    let keys_b = set_keys(b);
    let only = |keys: &[String], other: &EnvFile| -> Vec<String> {
        keys.iter()
            .filter(|k| !other.value_present(k))
            .cloned()
            .collect()
    };
    let mut report = ParityReport {
        a_name: a_name.to_string(),
        b_name: b_name.to_string(),
        only_in_a: only(&keys_a, b),
        only_in_b: only(&keys_b, a),
        differing_values: Vec::new(),
        shared_credentials: Vec::new(),
    };
    for key in keys_a.iter().filter(|k| b.value_present(k)) {
        let (Some(va), Some(vb)) = (a.get(key), b.get(key)) else {
            continue;
        };
        if is_secret_key(key) {
            if fingerprint(va) == fingerprint(vb) {
                report.shared_credentials.push(key.clone());
            }
            continue;
        }
        if let (Some(ca), Some(cb)) = (url_credentials(va), url_credentials(vb))
            && fingerprint(ca) == fingerprint(cb)
        {
            report.shared_credentials.push(key.clone());
        }
        if va != vb && !expected_to_differ(key) {
            report.differing_values.push(ValueDifference {
                key: key.clone(),
                a: a.display(key).unwrap_or_default(),
                b: b.display(key).unwrap_or_default(),
            });
        }
    }
    report
}

/// The user-info of a URL value (`user:password` or a lone token), when it holds one.
fn url_credentials(value: &str) -> Option<&str> {
    let rest = &value[value.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    // `user:` or `:` with an empty password carries no secret.
    let secret_part = userinfo.split_once(':').map_or(userinfo, |(_, p)| p);
    (!secret_part.is_empty()).then_some(userinfo)
}

/// SHA-256 of the value: two secrets are compared by their digests, so neither is kept or
/// shown, and the digest is never displayed, stored or sent either.
fn fingerprint(value: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(value.as_bytes()).into()
}

/// The report as text for a terminal: what differs, never a secret value.
pub fn render_text(report: &ParityReport) -> String {
    let (a, b) = (&report.a_name, &report.b_name);
    let mut out = format!("Parity {a} vs {b}: ");
    if report.is_clean() {
        out.push_str(
            "clean (same keys set, no shared credentials, values differ only where expected)\n",
        );
        return out;
    }
    out.push_str("differences found\n");
    let mut list = |title: String, keys: &[String]| {
        if !keys.is_empty() {
            out.push_str(&format!("\n{title} ({}):\n", keys.len()));
            for key in keys {
                out.push_str(&format!("  - {key}\n"));
            }
        }
    };
    list(
        "Same secret in both (compared by hash; give each environment its own)".to_string(),
        &report.shared_credentials,
    );
    list(format!("Set in {a} only"), &report.only_in_a);
    list(format!("Set in {b} only"), &report.only_in_b);
    if !report.differing_values.is_empty() {
        out.push_str(&format!(
            "\nValues that differ where they should not ({}):\n",
            report.differing_values.len()
        ));
        for d in &report.differing_values {
            out.push_str(&format!("  - {}: {a}={} {b}={}\n", d.key, d.a, d.b));
        }
    }
    out
}
