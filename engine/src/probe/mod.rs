//! One probe round of one environment: every probe concurrently, each bounded by its timeout
//! and response-size limit. A failing probe is a result; only the console failing is an error.
//! These are the judgements; the network clients they use are in `crate::clients`.

mod custom;
mod dependencies;
mod env_probe;
mod http;
mod inngest;
mod readiness;
mod redis;

use std::time::Duration;

use domain::env_file::EnvFile;
use domain::probe::readiness;
use domain::secret;
use serde_json::Value;

use crate::config::EnvironmentConfig;
use crate::tls::TrustedRoots;

/// Default bound of every probe.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// No answer a probe reads may be larger than this.
pub const MAX_BODY: usize = 1024 * 1024;

pub use domain::probe::EnvironmentReport;

#[derive(Clone)]
pub struct Prober {
    client: reqwest::Client,
    timeout: Duration,
    roots: TrustedRoots,
}

impl Prober {
    /// A prober whose every probe is bounded by `timeout` and whose TLS trusts `roots`.
    pub fn new(timeout: Duration, roots: &TrustedRoots) -> Self {
        let client = roots
            .http_client()
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(concat!("greenlight/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client configuration is static and valid");
        Self {
            client,
            timeout,
            roots: roots.clone(),
        }
    }

    /// Probes `env` once: env file, Redis, readiness, runtime dependencies and Inngest.
    pub async fn probe(&self, env: &EnvironmentConfig) -> EnvironmentReport {
        let (file, file_outcome) = env_probe::read(env).await;
        let file = file.unwrap_or_else(|| EnvFile::parse(""));
        let (redis, ready, deps, inngest) = tokio::join!(
            redis::probe(&file, self.timeout, &self.roots),
            readiness::probe(self, env),
            dependencies::probe(self, env, &file),
            inngest::probe(self, env, &file),
        );
        let mut probes = vec![file_outcome, redis, ready, deps, inngest];
        for check in &env.checks {
            probes.push(custom::probe(self, check).await);
        }
        EnvironmentReport {
            environment: env.name.to_string(),
            mode: env.mode,
            readiness: readiness(&probes),
            checked_at: crate::clock::now_rfc3339(),
            probes,
        }
    }
}

/// The default timeout, trusting the public web roots only.
impl Default for Prober {
    fn default() -> Self {
        Self::new(DEFAULT_TIMEOUT, &TrustedRoots::default())
    }
}

/// Evidence is for engineers, but it leaves the server: secret-looking keys are masked and
/// credentials inside URLs removed, at any depth.
pub fn mask_evidence(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let masked = if secret::is_sensitive_key(&k) && (v.is_string() || v.is_number())
                    {
                        Value::String(secret::MASK.to_string())
                    } else {
                        mask_evidence(v)
                    };
                    (k, masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(mask_evidence).collect()),
        Value::String(s) => Value::String(if secret::is_sensitive_value(&s) {
            secret::MASK.to_string()
        } else {
            secret::mask_urls(&s)
        }),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_masks_secret_keys_and_url_credentials_at_any_depth() {
        let raw = serde_json::json!({
            "redis": {"url": "rediss://u:hunter2@h:6380/0", "latency_ms": 1.5},
            "tokens": [{"api_key": "sk-live-1"}],
            "signing_key_hash": "abc",
            "ok": true
        });
        let masked = mask_evidence(raw).to_string();
        assert!(!masked.contains("hunter2"), "{masked}");
        assert!(!masked.contains("sk-live-1"), "{masked}");
        assert!(masked.contains("latency_ms"));
    }
}
