//! `greenlight.toml`: parsed once at start, refused with file, line, key and what is expected.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::{BaseUrl, EnvironmentName, Mode, RedisUrl};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};

/// The example workspace shipped in `examples/`, used when no configuration is given.
pub const EMBEDDED_EXAMPLE: &str = include_str!("../../examples/greenlight.toml");
const EXAMPLE_DIR_AT_BUILD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = ".greenlight";

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

/// How long readiness history is kept: every raw round for `raw`, hourly rollups (round
/// counts and latency histograms) for `rollups`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retention {
    pub raw: Duration,
    pub rollups: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            raw: Duration::from_secs(48 * 3_600),
            rollups: Duration::from_secs(35 * 86_400),
        }
    }
}

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
}

/// An HTTP GET whose answer must meet every condition, e.g. `[BODY].queue.p95_age_seconds < 900`.
#[derive(Debug, Clone)]
pub struct CustomCheck {
    pub name: String,
    /// Absolute URL (a `path` in the config is joined to the environment's base URL).
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
    /// Loads the file at `path`, or the embedded example workspace when `path` is `None`.
    pub fn load(path: Option<&Path>, overrides: &Overrides) -> Result<Self> {
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let base = if base.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    base
                };
                Self::parse(
                    &text,
                    ConfigSource::File(path.to_path_buf()),
                    &base,
                    overrides,
                )
            }
            None => {
                let dir = example_dir();
                Self::parse(
                    EMBEDDED_EXAMPLE,
                    ConfigSource::EmbeddedExample(dir.clone()),
                    &dir,
                    overrides,
                )
            }
        }
    }

    /// Parses configuration text; relative paths resolve against `base_dir`.
    pub fn parse(
        text: &str,
        source: ConfigSource,
        base_dir: &Path,
        overrides: &Overrides,
    ) -> Result<Self> {
        let file_label = match &source {
            ConfigSource::File(p) => p.display().to_string(),
            ConfigSource::EmbeddedExample(dir) => dir.join("greenlight.toml").display().to_string(),
        };
        let located = Located {
            file: &file_label,
            text,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            located.error(e.span().unwrap_or(0..0), e.message().trim_end().to_string())
        })?;
        raw.validate(&located, source, base_dir, overrides)
    }

    pub fn environment(&self, name: &str) -> Option<&EnvironmentConfig> {
        self.environments.iter().find(|e| e.name.as_str() == name)
    }
}

/// Where the example workspace lives: next to the sources this binary was built from, or
/// `./examples` when the binary was moved.
fn example_dir() -> PathBuf {
    let built = PathBuf::from(EXAMPLE_DIR_AT_BUILD);
    let dir = if built.is_dir() {
        built
    } else {
        PathBuf::from("examples")
    };
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// The configuration text with its file name, for located errors.
struct Located<'a> {
    file: &'a str,
    text: &'a str,
}

impl Located<'_> {
    fn error(&self, span: Range<usize>, message: String) -> Error {
        self.error_hiding(span, message, "")
    }

    /// As `error`, with `hidden` (a secret someone wrote into the config) masked in the echoed
    /// line.
    fn error_hiding(&self, span: Range<usize>, message: String, hidden: &str) -> Error {
        let offset = span.start.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        // The echoed line is masked: a config error must not print a credential someone pasted.
        let mut line_text =
            domain::secret::mask_urls(self.text[line_start..].lines().next().unwrap_or(""));
        if !hidden.is_empty() {
            line_text = line_text.replace(hidden, domain::secret::MASK);
        }
        let key = key_context(self.text, line_start, &line_text);
        let message = match key {
            Some(key) if !message.contains(&key) => format!("{key}: {message}"),
            _ => message,
        };
        Error::Config {
            file: self.file.to_string(),
            line,
            column,
            message: format!("{message}\n    {line} | {line_text}"),
        }
    }
}

/// Names the key on the error's line with its table: "key `mode` in [[environments]] #2".
fn key_context(text: &str, line_start: usize, line_text: &str) -> Option<String> {
    let key = line_text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['))?;
    let mut table: Option<(String, usize)> = None;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in text[..line_start].lines() {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let n = counts.entry(name.trim().to_string()).or_default();
            *n += 1;
            table = Some((format!("[[{}]]", name.trim()), *n));
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            table = Some((format!("[{}]", name.trim()), 0));
        }
    }
    Some(match table {
        Some((t, 0)) => format!("key `{key}` in {t}"),
        Some((t, n)) => format!("key `{key}` in {t} #{n}"),
        None => format!("key `{key}`"),
    })
}

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
struct RawConfig {
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    auth: RawAccess,
    #[serde(default)]
    golive: RawGoLive,
    #[serde(default)]
    environments: Vec<RawEnvironment>,
    #[serde(default)]
    suites: Vec<RawSuite>,
    #[serde(default)]
    maintenance: Vec<Spanned<operations::RawMaintenance>>,
    #[serde(default)]
    alerts: operations::RawAlerts,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGoLive {
    stability_minutes: Option<Spanned<u64>>,
    suite: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAccess {
    session_idle_minutes: Option<Spanned<u64>>,
    session_max_hours: Option<Spanned<u64>>,
    public_paths: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    secure_cookies: bool,
    sign_in_attempts_per_minute: Option<Spanned<u32>>,
    trusted_proxies: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    addr: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    redis_url: Option<Spanned<RedisUrl>>,
    #[serde(default)]
    redis_required: bool,
    /// Hours of raw rounds to keep (at least 24, so the 1 h and 24 h windows are exact).
    history_raw_hours: Option<Spanned<u64>>,
    /// Days of hourly rollups to keep (at least 30, for the 30 d window).
    history_days: Option<Spanned<u64>>,
    /// A PEM bundle of CA certificates trusted for outbound TLS, beside the web roots.
    ca_file: Option<Spanned<PathBuf>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvironment {
    name: Spanned<EnvironmentName>,
    base_url: BaseUrl,
    mode: Mode,
    env_file: Option<Spanned<PathBuf>>,
    expected_inngest_functions: Option<u32>,
    #[serde(default = "default_probe_interval")]
    probe_interval_secs: Spanned<u64>,
    #[serde(default = "default_readiness_path")]
    readiness_path: String,
    #[serde(default = "default_dependencies_path")]
    dependencies_path: String,
    #[serde(default = "default_inngest_path")]
    inngest_path: String,
    dependencies_auth: Option<Spanned<RawAuth>>,
    #[serde(default)]
    checks: Vec<Spanned<RawCheck>>,
    #[serde(default = "default_rounds")]
    flip_after_rounds: Spanned<usize>,
    #[serde(default = "default_rounds")]
    recover_after_rounds: Spanned<usize>,
    #[serde(default)]
    slos: Vec<Spanned<operations::RawSlo>>,
}

fn default_rounds() -> Spanned<usize> {
    Spanned::new(0..0, 2)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    name: String,
    /// A path on the environment's base URL (`/api/queue/health`) or a full http(s) URL.
    path: String,
    conditions: Vec<domain::conditions::Condition>,
    #[serde(default)]
    release: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    #[serde(default = "default_auth_header")]
    header: String,
    from_env: Option<String>,
    from_env_file: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    name: Spanned<String>,
    golden_set: Spanned<PathBuf>,
    runner: Spanned<RawRunner>,
    #[serde(default = "default_min_pass_rate")]
    min_pass_rate: Spanned<f64>,
    concurrency: Option<Spanned<usize>>,
    #[serde(default = "default_case_timeout")]
    case_timeout_secs: Spanned<u64>,
    canary: Option<Spanned<canary::RawCanary>>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum RawRunner {
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

impl RawConfig {
    fn validate(
        self,
        at: &Located<'_>,
        source: ConfigSource,
        base: &Path,
        overrides: &Overrides,
    ) -> Result<Config> {
        let addr = overrides
            .addr
            .or(self.server.addr)
            .unwrap_or_else(|| DEFAULT_ADDR.parse().expect("default address is valid"));
        let data_dir = match (&overrides.data_dir, &self.server.data_dir) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dir)) => base.join(dir),
            (None, None) => PathBuf::from(DEFAULT_DATA_DIR),
        };
        let redis = match self.server.redis_url {
            None => None,
            Some(url) => {
                if url.get_ref().password().is_some() {
                    return Err(at.error(
                        url.span(),
                        "the console's own redis_url must not hold a password in the config file"
                            .into(),
                    ));
                }
                Some(ConsoleRedis {
                    url: url.into_inner(),
                    required: self.server.redis_required,
                })
            }
        };

        let roots = match self.server.ca_file {
            None => crate::tls::TrustedRoots::default(),
            Some(file) => {
                let path = base.join(file.get_ref());
                crate::tls::TrustedRoots::load(&path)
                    .map_err(|e| at.error(file.span(), format!("key `ca_file` in [server]: {e}")))?
            }
        };

        let mut retention = Retention::default();
        if let Some(hours) = self.server.history_raw_hours {
            if *hours.get_ref() < 24 || *hours.get_ref() > 24 * 366 {
                return Err(at.error(
                    hours.span(),
                    "key `history_raw_hours` in [server] must be between 24 and 8784".into(),
                ));
            }
            retention.raw = Duration::from_secs(hours.into_inner() * 3_600);
        }
        if let Some(days) = self.server.history_days {
            if *days.get_ref() < 30 || *days.get_ref() > 3_660 {
                return Err(at.error(
                    days.span(),
                    "key `history_days` in [server] must be between 30 and 3660".into(),
                ));
            }
            retention.rollups = Duration::from_secs(days.into_inner() * 86_400);
        }

        let mut access = AccessConfig {
            secure_cookies: self.auth.secure_cookies,
            ..AccessConfig::default()
        };
        if let Some(minutes) = self.auth.session_idle_minutes {
            if !(1..=10_080).contains(minutes.get_ref()) {
                return Err(at.error(
                    minutes.span(),
                    "key `session_idle_minutes` in [auth] must be between 1 and 10080".into(),
                ));
            }
            access.sessions.idle_secs = minutes.into_inner() as f64 * 60.0;
        }
        if let Some(hours) = self.auth.session_max_hours {
            if !(1..=8_784).contains(hours.get_ref()) {
                return Err(at.error(
                    hours.span(),
                    "key `session_max_hours` in [auth] must be between 1 and 8784".into(),
                ));
            }
            access.sessions.absolute_secs = hours.into_inner() as f64 * 3_600.0;
        }
        if let Some(paths) = self.auth.public_paths {
            let mut out = Vec::with_capacity(paths.len());
            for p in paths {
                let text = p.get_ref();
                let star = text.find('*');
                if !text.starts_with('/') || star.is_some_and(|i| i + 1 != text.len()) {
                    return Err(at.error(
                        p.span(),
                        "each of `public_paths` in [auth] must start with / and may end with one *"
                            .into(),
                    ));
                }
                out.push(p.into_inner());
            }
            access.public_paths = out;
        }
        if let Some(n) = self.auth.sign_in_attempts_per_minute {
            if *n.get_ref() == 0 {
                return Err(at.error(
                    n.span(),
                    "key `sign_in_attempts_per_minute` in [auth] must be at least 1".into(),
                ));
            }
            access.sign_in_attempts_per_minute = n.into_inner();
        }
        for proxy in self.auth.trusted_proxies.into_iter().flatten() {
            let text = proxy.get_ref().trim();
            let net = text
                .parse::<ipnet::IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
            match net {
                Ok(net) => access.trusted_proxies.push(net),
                Err(_) => {
                    return Err(at.error(
                        proxy.span(),
                        "each of `trusted_proxies` in [auth] must be an IP address or a CIDR range such as 10.0.0.0/8".into(),
                    ));
                }
            }
        }

        let mut seen = HashSet::new();
        let mut environments = Vec::with_capacity(self.environments.len());
        for env in self.environments {
            if !seen.insert(env.name.get_ref().clone()) {
                return Err(at.error(
                    env.name.span(),
                    format!(
                        "environment `{}` is defined twice; names must be unique",
                        env.name.get_ref()
                    ),
                ));
            }
            let interval = *env.probe_interval_secs.get_ref();
            if !(1..=86_400).contains(&interval) {
                return Err(at.error(
                    env.probe_interval_secs.span(),
                    format!("probe_interval_secs is {interval}; expected a whole number of seconds from 1 to 86400"),
                ));
            }
            let env_file = match env.env_file {
                None => None,
                Some(file) => Some(existing_file(at, base, file, "env file")?),
            };
            for (key, path) in [
                ("readiness_path", &env.readiness_path),
                ("dependencies_path", &env.dependencies_path),
                ("inngest_path", &env.inngest_path),
            ] {
                if !path.starts_with('/') {
                    return Err(at.error(
                        env.name.span(),
                        format!(
                            "{key} `{path}` of environment `{}` must start with `/`",
                            env.name.get_ref()
                        ),
                    ));
                }
            }
            let dependencies_auth = match env.dependencies_auth {
                None => None,
                Some(auth) => {
                    let span = auth.span();
                    let auth = auth.into_inner();
                    let source = match (auth.from_env, auth.from_env_file) {
                        (Some(var), None) => SecretSource::EnvVar(var),
                        (None, Some(key)) => SecretSource::EnvFileKey(key),
                        _ => {
                            return Err(at.error(
                                span,
                                "dependencies_auth needs exactly one of `from_env` (an environment variable) or `from_env_file` (a key of the env file); the token itself never goes in the config".into(),
                            ));
                        }
                    };
                    Some(AuthHeader {
                        header: auth.header,
                        source,
                    })
                }
            };
            let mut checks = Vec::with_capacity(env.checks.len());
            for check in env.checks {
                let span = check.span();
                let check = check.into_inner();
                let url = if check.path.starts_with('/') {
                    env.base_url.join(&check.path)
                } else if check.path.starts_with("http://") || check.path.starts_with("https://") {
                    check.path.clone()
                } else {
                    return Err(at.error(
                        span,
                        format!(
                            "check `{}`: path `{}` must start with `/` or http(s)://",
                            check.name, check.path
                        ),
                    ));
                };
                if check.name.trim().is_empty() || check.conditions.is_empty() {
                    return Err(at.error(
                        span,
                        "a check needs a name and at least one condition".into(),
                    ));
                }
                if checks.iter().any(|c: &CustomCheck| c.name == check.name) {
                    return Err(
                        at.error(span, format!("check name `{}` is used twice", check.name))
                    );
                }
                checks.push(CustomCheck {
                    name: check.name,
                    url,
                    conditions: check.conditions,
                    release: check.release,
                });
            }
            let slos = operations::slos(at, env.name.get_ref().as_str(), env.slos, &checks)?;
            environments.push(EnvironmentConfig {
                name: env.name.into_inner(),
                base_url: env.base_url,
                mode: env.mode,
                env_file,
                expected_inngest_functions: env.expected_inngest_functions,
                probe_interval: Duration::from_secs(interval),
                readiness_path: env.readiness_path,
                dependencies_path: env.dependencies_path,
                inngest_path: env.inngest_path,
                dependencies_auth,
                checks,
                flip_after_rounds: rounds(at, env.flip_after_rounds)?,
                recover_after_rounds: rounds(at, env.recover_after_rounds)?,
                slos,
            });
        }

        let mut suite_names = HashSet::new();
        let mut suites = Vec::with_capacity(self.suites.len());
        let default_concurrency = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        for suite in self.suites {
            let name = suite.name.get_ref().trim().to_string();
            if name.is_empty() || !suite_names.insert(name.clone()) {
                return Err(at.error(
                    suite.name.span(),
                    format!("suite name `{name}` is empty or defined twice"),
                ));
            }
            let rate = *suite.min_pass_rate.get_ref();
            if !(0.0..=1.0).contains(&rate) {
                return Err(at.error(
                    suite.min_pass_rate.span(),
                    format!("min_pass_rate is {rate}; expected a fraction from 0.0 to 1.0 (0.95 means 95 %)"),
                ));
            }
            let concurrency = match suite.concurrency {
                None => default_concurrency,
                Some(c) if (1..=256).contains(c.get_ref()) => *c.get_ref(),
                Some(c) => {
                    return Err(at.error(
                        c.span(),
                        format!("concurrency is {}; expected 1 to 256", c.get_ref()),
                    ));
                }
            };
            let timeout = *suite.case_timeout_secs.get_ref();
            if !(1..=3_600).contains(&timeout) {
                return Err(at.error(
                    suite.case_timeout_secs.span(),
                    format!("case_timeout_secs is {timeout}; expected 1 to 3600 seconds"),
                ));
            }
            let golden_set = existing_file(at, base, suite.golden_set, "golden set")?;
            let runner_span = suite.runner.span();
            let runner = match suite.runner.into_inner() {
                RawRunner::Command { command } => {
                    if command.is_empty() || command[0].trim().is_empty() {
                        return Err(at.error(
                            runner_span,
                            "a command runner needs `command`, the program and its arguments as a list, e.g. [\"python3\", \"runner.py\"]".into(),
                        ));
                    }
                    RunnerConfig::Command {
                        argv: command,
                        working_dir: base.to_path_buf(),
                    }
                }
                RawRunner::Http {
                    url,
                    headers,
                    secret_headers,
                } => {
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        return Err(at.error(
                            runner_span,
                            format!("runner url `{url}` must start with http:// or https://"),
                        ));
                    }
                    if url.split('/').nth(2).is_some_and(|a| a.contains('@')) {
                        return Err(at.error(
                            runner_span,
                            "the runner url must not hold credentials; use secret_headers with an environment variable".into(),
                        ));
                    }
                    RunnerConfig::Http {
                        url,
                        headers,
                        secret_headers,
                    }
                }
                RawRunner::Recorded { file } => {
                    let path = base.join(&file);
                    if !path.is_file() {
                        return Err(at.error(
                            runner_span,
                            format!("recorded runs file {} does not exist", path.display()),
                        ));
                    }
                    RunnerConfig::Recorded { file: path }
                }
            };
            let canary = match suite.canary {
                None => None,
                Some(raw) => {
                    let span = raw.span();
                    Some(
                        canary::parse(raw.into_inner())
                            .map_err(|m| at.error(span, format!("suite `{name}`: {m}")))?,
                    )
                }
            };
            suites.push(SuiteConfig {
                canary,
                name,
                golden_set,
                runner,
                min_pass_rate: rate,
                concurrency,
                case_timeout: Duration::from_secs(timeout),
            });
        }

        let mut golive = GoLiveConfig::default();
        if let Some(minutes) = self.golive.stability_minutes {
            if !(1..=43_200).contains(minutes.get_ref()) {
                return Err(at.error(
                    minutes.span(),
                    "key `stability_minutes` in [golive] must be between 1 and 43200".into(),
                ));
            }
            golive.stability = Duration::from_secs(minutes.into_inner() * 60);
        }
        if let Some(suite) = self.golive.suite {
            if !suites.iter().any(|s| &s.name == suite.get_ref()) {
                return Err(at.error(
                    suite.span(),
                    format!(
                        "key `suite` in [golive] names `{}`, which is not a configured [[suites]] name",
                        suite.get_ref()
                    ),
                ));
            }
            golive.suite = Some(suite.into_inner());
        }

        let maintenance = operations::maintenance(at, self.maintenance, &environments)?;
        let alerts = operations::alerts(at, self.alerts, base)?;
        Ok(Config {
            maintenance,
            alerts,
            golive,
            source,
            server: ServerConfig {
                addr,
                data_dir,
                redis,
                retention,
                access,
                roots,
            },
            environments,
            suites,
        })
    }
}

fn rounds(at: &Located<'_>, value: Spanned<usize>) -> Result<usize> {
    let n = *value.get_ref();
    if (1..=100).contains(&n) {
        Ok(n)
    } else {
        Err(at.error(
            value.span(),
            format!("{n} rounds; expected 1 to 100 consecutive probe rounds"),
        ))
    }
}

fn existing_file(
    at: &Located<'_>,
    base: &Path,
    file: Spanned<PathBuf>,
    what: &str,
) -> Result<PathBuf> {
    let path = base.join(file.get_ref());
    if path.is_file() {
        Ok(path)
    } else {
        Err(at.error(
            file.span(),
            format!("{what} {} does not exist", path.display()),
        ))
    }
}

mod canary;
mod operations;
pub use canary::{CanaryConfig, Schedule, Selection};
pub use operations::{
    AlertsConfig, ChannelConfig, ChannelKind, ChannelSecret, EmailConfig, SmtpSecurity,
};

#[cfg(test)]
mod tests;
