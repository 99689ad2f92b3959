//! `greenlight.toml`: parsed once at start, refused with file, line, key and what is expected.
//! This root loads and parses the text; each section has its own validator module.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

mod auth;
mod canary;
mod checks;
mod environments;
mod golive;
mod located;
mod model;
mod operations;
mod raw;
mod server;
mod suites;

pub use canary::{CanaryConfig, Schedule, Selection};
pub use model::{
    AccessConfig, AuthHeader, Config, ConfigSource, ConsoleRedis, CustomCheck, EnvironmentConfig,
    GoLiveConfig, Overrides, Retention, RunnerConfig, SecretSource, ServerConfig, SuiteConfig,
};
pub use operations::{
    AlertsConfig, ChannelConfig, ChannelKind, ChannelSecret, EmailConfig, SmtpSecurity,
};

use located::Located;
use raw::RawConfig;

/// The example workspace shipped in `examples/`, used when no configuration is given.
pub const EMBEDDED_EXAMPLE: &str = include_str!("../../../examples/greenlight.toml");
const EXAMPLE_DIR_AT_BUILD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = ".greenlight";

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

    /// The embedded example workspace with `extra` lines appended (practice mode's
    /// environments, suite and go-live window); the environments named in `practice` are
    /// marked as practice ones.
    pub fn embedded_with(extra: &str, practice: &[&str], overrides: &Overrides) -> Result<Self> {
        let dir = example_dir();
        let text = format!("{EMBEDDED_EXAMPLE}{extra}");
        let mut config = Self::parse(
            &text,
            ConfigSource::EmbeddedExample(dir.clone()),
            &dir,
            overrides,
        )?;
        for env in &mut config.environments {
            env.practice = practice.contains(&env.name.as_str());
        }
        Ok(config)
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
        validate(raw, &located, source, base_dir, overrides)
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

/// Every section through its validator, in the order their errors are reported.
fn validate(
    raw: RawConfig,
    at: &Located<'_>,
    source: ConfigSource,
    base: &Path,
    overrides: &Overrides,
) -> Result<Config> {
    let mut server = server::validate(at, raw.server, base, overrides)?;
    server.access = auth::validate(at, raw.auth)?;
    let environments = environments::validate(at, raw.environments, base)?;
    let suites = suites::validate(at, raw.suites, base)?;
    let golive = golive::validate(at, raw.golive, &suites)?;
    let maintenance = operations::maintenance(at, raw.maintenance, &environments)?;
    let alerts = operations::alerts(at, raw.alerts, base)?;
    Ok(Config {
        source,
        server,
        environments,
        suites,
        golive,
        maintenance,
        alerts,
    })
}

#[cfg(test)]
mod tests;
