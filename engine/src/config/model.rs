//! The configuration as the rest of the console reads it: checked values, paths resolved.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use domain::{BaseUrl, EnvironmentName, Mode, RedisUrl};

use super::{AlertsConfig, CanaryConfig};

/// Values from flags or environment variables (`GREENLIGHT_ADDR`, `GREENLIGHT_DATA_DIR`) that win
/// over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub addr: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfigSource {
    File(PathBuf),
    EmbeddedExample(PathBuf),
}

impl ConfigSource {
    pub fn describe(&self) -> String {
        match self {
            ConfigSource::File(p) => p.display().to_string(),
            ConfigSource::EmbeddedExample(dir) => {
                format!("built-in example workspace ({})", dir.display())
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub source: ConfigSource,
    pub server: ServerConfig,
    pub environments: Vec<EnvironmentConfig>,
    pub suites: Vec<SuiteConfig>,
    pub golive: GoLiveConfig,
    /// Declared maintenance windows (operators' windows are in the store).
    pub maintenance: Vec<domain::maintenance::MaintenanceWindow>,
    pub alerts: AlertsConfig,
}

/// The guided go-live (`[golive]`).
#[derive(Debug, Clone, PartialEq)]
pub struct GoLiveConfig {
    /// How long staging must stay ready (step 6); default 24 h.
    pub stability: Duration,
    /// The replay suite of the release gate (step 10); default the first configured suite.
    pub suite: Option<String>,
}

impl Default for GoLiveConfig {
    fn default() -> Self {
        Self {
            stability: Duration::from_secs(24 * 3_600),
            suite: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    /// The console's own Redis dependency, reported by `/api/runtime/dependencies`.
    pub redis: Option<ConsoleRedis>,
    pub retention: Retention,
    pub access: AccessConfig,
    /// Certificate authorities trusted for outbound TLS on top of the web roots (`ca_file`).
    pub roots: crate::tls::TrustedRoots,
}

/// Sign-in and sessions (`[auth]`).
#[derive(Debug, Clone, PartialEq)]
pub struct AccessConfig {
    pub sessions: domain::auth::SessionPolicy,
    /// Paths served without signing in. A trailing `*` matches any rest of the path.
    pub public_paths: Vec<String>,
    /// Mark the session cookie Secure (set when the console is served over HTTPS, e.g. behind
    /// a TLS-terminating proxy). Requests arriving with `X-Forwarded-Proto: https` get it anyway.
    pub secure_cookies: bool,
    /// Failed sign-ins allowed per client per minute before answers become 429.
    pub sign_in_attempts_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`trusted_proxies`, addresses
    /// or CIDR ranges). Empty (the default): the socket's peer is the client, and the header
    /// is ignored, since anybody can send it.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for AccessConfig {
    fn default() -> Self {
        Self {
            sessions: domain::auth::SessionPolicy::default(),
            public_paths: vec!["/api/health/*".to_string()],
            secure_cookies: false,
            sign_in_attempts_per_minute: 10,
            trusted_proxies: Vec::new(),
        }
    }
}

impl AccessConfig {
    pub fn is_public(&self, path: &str) -> bool {
        self.public_paths.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == p,
        })
    }
}

pub use domain::history::Retention;

#[derive(Debug, Clone)]
pub struct ConsoleRedis {
    pub url: RedisUrl,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct EnvironmentConfig {
    pub name: EnvironmentName,
    pub base_url: BaseUrl,
    pub mode: Mode,
    pub env_file: Option<PathBuf>,
    pub expected_inngest_functions: Option<u32>,
    pub probe_interval: Duration,
    pub readiness_path: String,
    pub dependencies_path: String,
    pub inngest_path: String,
    pub dependencies_auth: Option<AuthHeader>,
    /// Custom HTTP checks (queue health, scheduler success, ...) with Gatus-style conditions.
    pub checks: Vec<CustomCheck>,
    /// Consecutive rounds a worse verdict must hold before the shown verdict changes.
    pub flip_after_rounds: usize,
    /// Consecutive ready rounds before the shown verdict returns to Ready.
    pub recover_after_rounds: usize,
    /// `[[environments.slos]]`: objectives computed from the stored rounds.
    pub slos: Vec<domain::slo::Objective>,
    /// One of practice mode's services (see `practice`), never one of the user's own.
    pub practice: bool,
}

/// An HTTP GET whose answer must meet every condition, e.g. `[BODY].queue.p95_age_seconds < 900`.
#[derive(Debug, Clone)]
pub struct CustomCheck {
    pub name: String,
    /// Absolute http(s) URL, parsed when loaded (a `path` in the config is joined to the
    /// environment's base URL).
    pub url: String,
    pub conditions: Vec<domain::conditions::Condition>,
    /// Part of the release checklist: go-live steps 5 and 9 and the Go criteria read it.
    pub release: bool,
}

/// A header whose value is a secret: the config names where to read it, never the value.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthHeader {
    pub header: String,
    pub source: SecretSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecretSource {
    /// An environment variable of the console's own process.
    EnvVar(String),
    /// A key of the environment's env file.
    EnvFileKey(String),
}

#[derive(Debug, Clone)]
pub struct SuiteConfig {
    pub name: String,
    pub golden_set: PathBuf,
    pub runner: RunnerConfig,
    pub min_pass_rate: f64,
    pub concurrency: usize,
    pub case_timeout: Duration,
    /// Its scheduled canary replay, if any.
    pub canary: Option<CanaryConfig>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunnerConfig {
    /// A program given the case JSON on stdin; argv, never a shell string.
    Command {
        argv: Vec<String>,
        working_dir: PathBuf,
    },
    /// An HTTP endpoint the case JSON is POSTed to.
    Http {
        url: String,
        headers: BTreeMap<String, String>,
        /// header name → environment variable holding its (secret) value
        secret_headers: BTreeMap<String, String>,
    },
    /// Recorded runner outputs: case id → run object.
    Recorded { file: PathBuf },
}

impl RunnerConfig {
    pub fn kind(&self) -> &'static str {
        match self {
            RunnerConfig::Command { .. } => "command",
            RunnerConfig::Http { .. } => "http",
            RunnerConfig::Recorded { .. } => "recorded",
        }
    }
}

impl Config {
    pub fn environment(&self, name: &str) -> Option<&EnvironmentConfig> {
        self.environments.iter().find(|e| e.name.as_str() == name)
    }
}
