//! The configuration of operations: `[[environments.slos]]`, `[[maintenance]]` and `[alerts]`
//! with its channels. Channel secrets (webhook URLs, signing secrets, routing keys, SMTP
//! passwords) come from environment variables or env files, never from the config text.

use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::maintenance::MaintenanceWindow;
use domain::slo::{Indicator, Objective};
use serde::Deserialize;
use toml::Spanned;

use super::CustomCheck;
use super::located::{Located, http_url};
use crate::error::Result;

/// `[alerts]`: where alerts go and how often a lasting one is repeated.
#[derive(Debug, Clone)]
pub struct AlertsConfig {
    /// The console's address as people reach it, for links in messages.
    pub console_url: Option<String>,
    /// A lasting incident is sent again after this long.
    pub renotify: Duration,
    /// Attempts per message before it is marked failed.
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub retry_base: Duration,
    pub channels: Vec<ChannelConfig>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            console_url: None,
            renotify: Duration::from_secs(3_600),
            attempts: 5,
            retry_base: Duration::from_secs(10),
            channels: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ChannelConfig {
    pub name: String,
    pub kind: ChannelKind,
}

#[derive(Debug, Clone)]
pub enum ChannelKind {
    /// JSON POST signed with HMAC-SHA256 (`X-Greenlight-Signature`).
    Webhook {
        url: ChannelSecret,
        secret: ChannelSecret,
    },
    /// A Slack incoming webhook (Block Kit message).
    Slack {
        url: ChannelSecret,
    },
    /// PagerDuty Events API v2: trigger and resolve with a dedup key.
    PagerDuty {
        routing_key: ChannelSecret,
        events_url: String,
    },
    Email(EmailConfig),
}

impl ChannelKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ChannelKind::Webhook { .. } => "webhook",
            ChannelKind::Slack { .. } => "slack",
            ChannelKind::PagerDuty { .. } => "pagerduty",
            ChannelKind::Email(_) => "email",
        }
    }
}

#[derive(Debug, Clone)]
pub struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub from: String,
    pub to: Vec<String>,
    pub username: Option<ChannelSecret>,
    pub password: Option<ChannelSecret>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS; refused when the server does not offer it.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS: only for a relay on the same machine.
    None,
}

/// Where a channel's secret is read, at send time (so a rotated value is picked up).
#[derive(Debug, Clone, PartialEq)]
pub enum ChannelSecret {
    Env(String),
    EnvFile { path: PathBuf, key: String },
}

impl ChannelSecret {
    /// The value now; the error names where it was looked for, never a value.
    pub fn resolve(&self) -> std::result::Result<String, String> {
        match self {
            ChannelSecret::Env(var) => std::env::var(var)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("environment variable {var} is not set")),
            ChannelSecret::EnvFile { path, key } => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {}", path.display(), e.kind()))?;
                domain::env_file::EnvFile::parse(&text)
                    .get(key)
                    .filter(|v| !v.trim().is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| format!("{} has no value for {key}", path.display()))
            }
        }
    }
}

fn default_window_days() -> u64 {
    30
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlo {
    name: String,
    kind: String,
    target_percent: f64,
    #[serde(default = "default_window_days")]
    window_days: u64,
    probe: Option<String>,
    below_ms: Option<f64>,
    check: Option<String>,
}

/// Validates one environment's objectives against its checks.
pub(super) fn slos(
    at: &Located<'_>,
    env: &str,
    raw: Vec<Spanned<RawSlo>>,
    checks: &[CustomCheck],
) -> Result<Vec<Objective>> {
    let mut out: Vec<Objective> = Vec::with_capacity(raw.len());
    for slo in raw {
        let span = slo.span();
        let slo = slo.into_inner();
        let fail = |message: String| {
            at.error(
                span.clone(),
                format!("SLO `{}` of environment `{env}`: {message}", slo.name),
            )
        };
        if slo.name.trim().is_empty() || out.iter().any(|o| o.name == slo.name) {
            return Err(fail("the name is empty or used twice".into()));
        }
        if !(slo.target_percent > 0.0 && slo.target_percent < 100.0) {
            return Err(fail(format!(
                "target_percent is {}; expected more than 0 and less than 100 (99.9 means 99.9 %)",
                slo.target_percent
            )));
        }
        if !(1..=366).contains(&slo.window_days) {
            return Err(fail("window_days must be from 1 to 366".into()));
        }
        let indicator = match (slo.kind.as_str(), slo.probe, slo.below_ms, slo.check) {
            ("readiness", None, None, None) => Indicator::Readiness,
            ("latency", Some(probe), Some(below_ms), None) if below_ms > 0.0 => {
                Indicator::Latency {
                    probe: domain::probe::ProbeKind::parse(&probe),
                    below_ms,
                }
            }
            ("check", None, None, Some(check)) => {
                if !checks.iter().any(|c| c.name == check) {
                    return Err(fail(format!(
                        "check `{check}` is not one of this environment's [[environments.checks]]"
                    )));
                }
                Indicator::Check { check }
            }
            _ => {
                return Err(fail(
                    "use kind = \"readiness\"; or kind = \"latency\" with probe and below_ms (> 0); or kind = \"check\" with check".into(),
                ));
            }
        };
        out.push(Objective {
            name: slo.name,
            indicator,
            target: slo.target_percent / 100.0,
            window_secs: slo.window_days as f64 * 86_400.0,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMaintenance {
    environment: String,
    start: String,
    end: String,
    reason: String,
}

pub(super) fn maintenance(
    at: &Located<'_>,
    raw: Vec<Spanned<RawMaintenance>>,
    environments: &[super::EnvironmentConfig],
) -> Result<Vec<MaintenanceWindow>> {
    let mut out = Vec::with_capacity(raw.len());
    for window in raw {
        let span = window.span();
        let w = window.into_inner();
        let fail = |message: String| at.error(span.clone(), format!("[[maintenance]]: {message}"));
        if !environments
            .iter()
            .any(|e| e.name.as_str() == w.environment)
        {
            return Err(fail(format!(
                "environment `{}` is not configured",
                w.environment
            )));
        }
        let time = |text: &str| {
            domain::time::parse_rfc3339_utc(text).ok_or_else(|| {
                fail(format!(
                    "`{text}` is not a UTC time such as 2026-12-24T22:00:00Z"
                ))
            })
        };
        let (start, end) = (time(&w.start)?, time(&w.end)?);
        if end <= start {
            return Err(fail("end must be after start".into()));
        }
        if w.reason.trim().is_empty() {
            return Err(fail("a window needs a reason people can read".into()));
        }
        out.push(MaintenanceWindow {
            id: None,
            environment: w.environment,
            start_unix: start,
            end_unix: Some(end),
            reason: w.reason,
            started_by: "configuration".into(),
        });
    }
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlerts {
    console_url: Option<String>,
    renotify_minutes: Option<u64>,
    attempts: Option<u32>,
    retry_base_secs: Option<u64>,
    #[serde(default)]
    channels: Vec<Spanned<RawChannel>>,
}

/// A secret's place: `{ from_env = "VAR" }` or `{ from_env_file = "alerts.env", key = "KEY" }`.
/// A plain string is refused with a message saying so.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawSecret {
    Plain(String),
    Env { from_env: String },
    File { from_env_file: PathBuf, key: String },
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub(super) enum RawChannel {
    Webhook {
        name: String,
        url: RawSecret,
        secret: RawSecret,
    },
    Slack {
        name: String,
        webhook_url: RawSecret,
    },
    Pagerduty {
        name: String,
        routing_key: RawSecret,
        events_url: Option<String>,
    },
    Email {
        name: String,
        smtp_host: String,
        smtp_port: Option<u16>,
        security: Option<SmtpSecurity>,
        from: String,
        to: Vec<String>,
        username: Option<RawSecret>,
        password: Option<RawSecret>,
    },
}

const PAGERDUTY_EVENTS: &str = "https://events.pagerduty.com/v2/enqueue";

pub(super) fn alerts(at: &Located<'_>, raw: RawAlerts, base: &Path) -> Result<AlertsConfig> {
    let mut config = AlertsConfig::default();
    if let Some(url) = raw.console_url {
        let url = url.trim_end_matches('/').to_string();
        if let Err(reason) = http_url(&url) {
            return Err(at.url_error(0..0, &url, |shown| {
                format!("[alerts] console_url `{shown}` is not an http(s) URL ({reason})")
            }));
        }
        config.console_url = Some(url);
    }
    if let Some(minutes) = raw.renotify_minutes {
        if !(1..=10_080).contains(&minutes) {
            return Err(at.error(
                0..0,
                "[alerts] renotify_minutes must be from 1 to 10080".into(),
            ));
        }
        config.renotify = Duration::from_secs(minutes * 60);
    }
    if let Some(n) = raw.attempts {
        if !(1..=20).contains(&n) {
            return Err(at.error(0..0, "[alerts] attempts must be from 1 to 20".into()));
        }
        config.attempts = n;
    }
    if let Some(secs) = raw.retry_base_secs {
        if !(1..=3_600).contains(&secs) {
            return Err(at.error(
                0..0,
                "[alerts] retry_base_secs must be from 1 to 3600".into(),
            ));
        }
        config.retry_base = Duration::from_secs(secs);
    }
    for channel in raw.channels {
        let span = channel.span();
        let fail =
            |message: String| at.error(span.clone(), format!("[[alerts.channels]]: {message}"));
        let secret = |raw: RawSecret, what: &str| {
            match raw {
            RawSecret::Plain(value) => Err(at.error_hiding(
                span.clone(),
                format!(
                    "[[alerts.channels]]: {what} is a secret and never goes in the config: write {what} = {{ from_env = \"VAR\" }} or {{ from_env_file = \"alerts.env\", key = \"KEY\" }}"
                ),
                &value,
            )),
            RawSecret::Env { from_env } => Ok(ChannelSecret::Env(from_env)),
            RawSecret::File { from_env_file, key } => Ok(ChannelSecret::EnvFile {
                path: base.join(from_env_file),
                key,
            }),
        }
        };
        let (name, kind) = match channel.into_inner() {
            RawChannel::Webhook {
                name,
                url,
                secret: s,
            } => (
                name,
                ChannelKind::Webhook {
                    url: secret(url, "url")?,
                    secret: secret(s, "secret")?,
                },
            ),
            RawChannel::Slack { name, webhook_url } => (
                name,
                ChannelKind::Slack {
                    url: secret(webhook_url, "webhook_url")?,
                },
            ),
            RawChannel::Pagerduty {
                name,
                routing_key,
                events_url,
            } => {
                let events_url = events_url.unwrap_or_else(|| PAGERDUTY_EVENTS.into());
                if let Err(reason) = http_url(&events_url) {
                    return Err(at.url_error(span.clone(), &events_url, |shown| {
                        format!("[[alerts.channels]]: events_url `{shown}` is not a URL ({reason})")
                    }));
                }
                (
                    name,
                    ChannelKind::PagerDuty {
                        routing_key: secret(routing_key, "routing_key")?,
                        events_url,
                    },
                )
            }
            RawChannel::Email {
                name,
                smtp_host,
                smtp_port,
                security,
                from,
                to,
                username,
                password,
            } => {
                if to.is_empty() || !from.contains('@') || to.iter().any(|t| !t.contains('@')) {
                    return Err(fail(
                        "an email channel needs a `from` address and at least one `to` address"
                            .into(),
                    ));
                }
                let security = security.unwrap_or(SmtpSecurity::Starttls);
                let port = smtp_port.unwrap_or(match security {
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::Starttls => 587,
                    SmtpSecurity::None => 25,
                });
                (
                    name,
                    ChannelKind::Email(EmailConfig {
                        host: smtp_host,
                        port,
                        security,
                        from,
                        to,
                        username: username.map(|u| secret(u, "username")).transpose()?,
                        password: password.map(|p| secret(p, "password")).transpose()?,
                    }),
                )
            }
        };
        if name.trim().is_empty() || config.channels.iter().any(|c| c.name == name) {
            return Err(fail(format!(
                "channel name `{name}` is empty or used twice"
            )));
        }
        config.channels.push(ChannelConfig { name, kind });
    }
    Ok(config)
}

#[cfg(test)]
mod tests;
