//! The serde mirror of `greenlight.toml`: every table and key as written, with spans for errors.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use domain::{BaseUrl, EnvironmentName, Mode, RedisUrl};
use serde::Deserialize;
use toml::Spanned;

use super::{canary, operations};

fn default_probe_interval() -> Spanned<u64> {
    Spanned::new(0..0, 15)
}
fn default_readiness_path() -> String {
    "/api/health/ready".into()
}
fn default_dependencies_path() -> String {
    "/api/runtime/dependencies".into()
}
fn default_inngest_path() -> String {
    "/api/inngest".into()
}
fn default_auth_header() -> String {
    "X-Dashboard-Token".into()
}
fn default_min_pass_rate() -> Spanned<f64> {
    Spanned::new(0..0, 0.95)
}
fn default_case_timeout() -> Spanned<u64> {
    Spanned::new(0..0, 120)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) server: RawServer,
    #[serde(default)]
    pub(super) auth: RawAccess,
    #[serde(default)]
    pub(super) golive: RawGoLive,
    #[serde(default)]
    pub(super) environments: Vec<RawEnvironment>,
    #[serde(default)]
    pub(super) suites: Vec<RawSuite>,
    #[serde(default)]
    pub(super) maintenance: Vec<Spanned<operations::RawMaintenance>>,
    #[serde(default)]
    pub(super) alerts: operations::RawAlerts,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGoLive {
    pub(super) stability_minutes: Option<Spanned<u64>>,
    pub(super) suite: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccess {
    pub(super) session_idle_minutes: Option<Spanned<u64>>,
    pub(super) session_max_hours: Option<Spanned<u64>>,
    pub(super) public_paths: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) secure_cookies: bool,
    pub(super) sign_in_attempts_per_minute: Option<Spanned<u32>>,
    pub(super) trusted_proxies: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    pub(super) addr: Option<SocketAddr>,
    pub(super) data_dir: Option<PathBuf>,
    pub(super) redis_url: Option<Spanned<RedisUrl>>,
    #[serde(default)]
    pub(super) redis_required: bool,
    /// Hours of raw rounds to keep (at least 24, so the 1 h and 24 h windows are exact).
    pub(super) history_raw_hours: Option<Spanned<u64>>,
    /// Days of hourly rollups to keep (at least 30, for the 30 d window).
    pub(super) history_days: Option<Spanned<u64>>,
    /// A PEM bundle of CA certificates trusted for outbound TLS, beside the web roots.
    pub(super) ca_file: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEnvironment {
    pub(super) name: Spanned<EnvironmentName>,
    pub(super) base_url: BaseUrl,
    pub(super) mode: Mode,
    pub(super) env_file: Option<Spanned<PathBuf>>,
    pub(super) expected_inngest_functions: Option<u32>,
    #[serde(default = "default_probe_interval")]
    pub(super) probe_interval_secs: Spanned<u64>,
    #[serde(default = "default_readiness_path")]
    pub(super) readiness_path: String,
    #[serde(default = "default_dependencies_path")]
    pub(super) dependencies_path: String,
    #[serde(default = "default_inngest_path")]
    pub(super) inngest_path: String,
    pub(super) dependencies_auth: Option<Spanned<RawAuth>>,
    #[serde(default)]
    pub(super) checks: Vec<Spanned<RawCheck>>,
    #[serde(default = "default_rounds")]
    pub(super) flip_after_rounds: Spanned<usize>,
    #[serde(default = "default_rounds")]
    pub(super) recover_after_rounds: Spanned<usize>,
    #[serde(default)]
    pub(super) slos: Vec<Spanned<operations::RawSlo>>,
}

fn default_rounds() -> Spanned<usize> {
    Spanned::new(0..0, 2)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheck {
    pub(super) name: String,
    /// A path on the environment's base URL (`/api/queue/health`) or a full http(s) URL.
    pub(super) path: String,
    pub(super) conditions: Vec<domain::conditions::Condition>,
    #[serde(default)]
    pub(super) release: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAuth {
    #[serde(default = "default_auth_header")]
    pub(super) header: String,
    pub(super) from_env: Option<String>,
    pub(super) from_env_file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSuite {
    pub(super) name: Spanned<String>,
    pub(super) golden_set: Spanned<PathBuf>,
    pub(super) runner: Spanned<RawRunner>,
    #[serde(default = "default_min_pass_rate")]
    pub(super) min_pass_rate: Spanned<f64>,
    pub(super) concurrency: Option<Spanned<usize>>,
    #[serde(default = "default_case_timeout")]
    pub(super) case_timeout_secs: Spanned<u64>,
    pub(super) canary: Option<Spanned<canary::RawCanary>>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub(super) enum RawRunner {
    Command {
        command: Vec<String>,
    },
    Http {
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, String>,
        #[serde(default)]
        secret_headers: BTreeMap<String, String>,
    },
    Recorded {
        file: PathBuf,
    },
}
