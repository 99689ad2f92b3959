//! The generic webhook: the notification as JSON (schema `greenlight.alert/v1`, in the README),
//! signed with HMAC-SHA256 so the receiver can check it came from this console.

use domain::alert::Notification;
use serde::Serialize;

use super::{Channel, Sending, post_json};
use crate::config::ChannelSecret;

pub(super) struct Webhook {
    pub name: String,
    pub url: ChannelSecret,
    pub secret: ChannelSecret,
    pub http: reqwest::Client,
}

/// The documented body.
#[derive(Serialize)]
pub struct WebhookBody<'a> {
    pub schema: &'static str,
    pub event: &'static str,
    pub key: &'a str,
    pub rule: &'static str,
    pub severity: domain::alert::Severity,
    pub environment: Option<&'a str>,
    pub title: &'a str,
    pub reason: &'a str,
    pub url: Option<&'a str>,
    pub opened_at: String,
    pub sent_at: String,
}

pub fn body(n: &Notification) -> Vec<u8> {
    let time = |unix: f64| domain::time::rfc3339_utc(unix.floor() as i64, 0);
    let body = WebhookBody {
        schema: "greenlight.alert/v1",
        event: n.event.as_str(),
        key: &n.alert.key,
        rule: n.alert.rule.as_str(),
        severity: n.alert.rule.severity(),
        environment: n.alert.environment.as_deref(),
        title: &n.alert.title,
        reason: &n.alert.reason,
        url: n.url.as_deref(),
        opened_at: time(n.opened_unix),
        sent_at: time(n.sent_unix),
    };
    serde_json::to_vec(&body).expect("the body serialises")
}

impl Channel for Webhook {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &'static str {
        "webhook"
    }

    fn send<'a>(&'a self, n: &'a Notification) -> Sending<'a> {
        Box::pin(async move {
            let url = self.url.resolve()?;
            let secret = self.secret.resolve()?;
            let body = body(n);
            let timestamp = format!("{}", n.sent_unix.floor() as i64);
            let signature = domain::alert::webhook_signature(secret.as_bytes(), &timestamp, &body);
            post_json(
                &self.http,
                &url,
                &[
                    ("X-Greenlight-Timestamp", timestamp),
                    ("X-Greenlight-Signature", signature),
                ],
                body,
            )
            .await
        })
    }
}
