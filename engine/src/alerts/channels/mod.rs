//! Where alerts go. Each channel is one small module behind [`Channel`]; every one of them is
//! held to the same contract by `server/tests/integration/operations/channels.rs`: a message reaches a real
//! receiver in the channel's own format, a receiver's refusal or silence is a failure in words
//! without any secret, and redirects are never followed.

mod email;
mod pagerduty;
mod slack;
mod webhook;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use domain::alert::Notification;

use crate::config::{ChannelConfig, ChannelKind};
use crate::tls::TrustedRoots;

/// No delivery attempt takes longer than this.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// What is read of a receiver's answer (for the error message).
const MAX_ANSWER: usize = 4 * 1024;

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

pub trait Channel: Send + Sync {
    fn name(&self) -> &str;
    fn kind(&self) -> &'static str;
    /// Sends one message; the error is in words and holds no secret (no URL, key or password).
    fn send<'a>(&'a self, notification: &'a Notification) -> Sending<'a>;
}

/// The configured channels.
pub fn build(configs: &[ChannelConfig], roots: &TrustedRoots) -> Vec<Arc<dyn Channel>> {
    let http = roots
        .http_client()
        .timeout(SEND_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .user_agent(concat!("greenlight/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the HTTP client configuration is static and valid");
    configs
        .iter()
        .map(|c| -> Arc<dyn Channel> {
            let name = c.name.clone();
            match &c.kind {
                ChannelKind::Webhook { url, secret } => Arc::new(webhook::Webhook {
                    name,
                    url: url.clone(),
                    secret: secret.clone(),
                    http: http.clone(),
                }),
                ChannelKind::Slack { url } => Arc::new(slack::Slack {
                    name,
                    url: url.clone(),
                    http: http.clone(),
                }),
                ChannelKind::PagerDuty {
                    routing_key,
                    events_url,
                } => Arc::new(pagerduty::PagerDuty {
                    name,
                    routing_key: routing_key.clone(),
                    events_url: events_url.clone(),
                    http: http.clone(),
                }),
                ChannelKind::Email(config) => Arc::new(email::Email {
                    name,
                    config: config.clone(),
                    roots: roots.clone(),
                }),
            }
        })
        .collect()
}

/// POSTs a JSON body and reads the answer: 2xx is delivered; anything else is an error that
/// names the status and a short, masked part of the answer, never the URL.
async fn post_json(
    http: &reqwest::Client,
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
) -> Result<(), String> {
    let mut request = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|e| describe(&e.without_url()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        return Err(format!(
            "the receiver answered {status} (a redirect, which is not followed)"
        ));
    }
    let answer = first_bytes(response, MAX_ANSWER).await;
    let answer = String::from_utf8_lossy(&answer);
    let answer = domain::secret::mask_urls(answer.trim());
    let short: String = answer.chars().take(200).collect();
    Err(if short.is_empty() {
        format!("the receiver answered {status}")
    } else {
        format!("the receiver answered {status}: {short}")
    })
}

/// At most `limit` bytes of an answer's body (the rest is not read).
async fn first_bytes(mut response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk[..chunk.len().min(limit - body.len())])
            }
            _ => break,
        }
    }
    body
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("no answer within {} s", SEND_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "cannot connect to the receiver".into()
    } else {
        format!("sending failed: {e}")
    }
}
