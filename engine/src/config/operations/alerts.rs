//! `[alerts]` as written: its channels validated, their secrets located, never read here.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::super::located::{Located, http_url};
use super::channels::*;
use crate::error::Result;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
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
pub(in crate::config) enum RawSecret {
    Plain(String),
    Env { from_env: String },
    File { from_env_file: PathBuf, key: String },
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub(in crate::config) enum RawChannel {
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

pub fn alerts(at: &Located<'_>, raw: RawAlerts, base: &Path) -> Result<AlertsConfig> {
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
