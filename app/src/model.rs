//! What server functions send to the browser. Secrets never appear in these types: URLs are
//! masked and env files are named, not read, here.

use domain::Mode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentSummary {
    pub name: String,
    pub mode: Mode,
    pub base_url: String,
    /// The env file's name (not its path or contents).
    pub env_file: Option<String>,
    pub probe_interval_secs: u64,
    pub expected_inngest_functions: Option<u32>,
    /// "X-Dashboard-Token from env file key DASHBOARD_AUTH_TOKEN": where, never what.
    pub dependencies_auth: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteSummary {
    pub name: String,
    /// The golden set's file name.
    pub golden_set: String,
    pub runner_kind: String,
    pub runner: String,
    pub min_pass_rate: f64,
    pub concurrency: usize,
    pub case_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleInfo {
    pub version: String,
    pub config_source: String,
    pub listen_addr: String,
    pub data_dir: String,
    pub database_file: String,
    pub database_created_at: String,
    pub schema_version: i64,
    pub database_size_bytes: u64,
    pub uptime_secs: u64,
    pub console_redis: Option<String>,
}
