//! `[alerts]` as the console uses it: the channels, their kinds and where their secrets are read.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

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
