//! Slack incoming webhook: a Block Kit message with the verdict, the reason in plain words and a
//! link to the page.

use domain::alert::{Event, Notification};
use serde_json::json;

use super::{Channel, Sending, post_json};
use crate::config::ChannelSecret;

pub(super) struct Slack {
    pub name: String,
    pub url: ChannelSecret,
    pub http: reqwest::Client,
}

/// Slack's mrkdwn needs `&`, `<` and `>` escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn body(n: &Notification) -> serde_json::Value {
    let emoji = match n.event {
        Event::Firing | Event::Reminder => ":red_circle:",
        Event::Resolved => ":large_green_circle:",
        Event::Test => ":white_circle:",
    };
    let subject = n.subject();
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": subject, "emoji": true}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": format!("{emoji} {}", escape(&n.alert.reason))}}),
    ];
    let mut context =
        vec![json!({"type": "mrkdwn", "text": format!("Rule: `{}`", n.alert.rule.as_str())})];
    if let Some(env) = &n.alert.environment {
        context.push(json!({"type": "mrkdwn", "text": format!("Environment: *{}*", escape(env))}));
    }
    blocks.push(json!({"type": "context", "elements": context}));
    if let Some(url) = &n.url {
        blocks.push(json!({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Open in Greenlight"}, "url": url}
        ]}));
    }
    json!({"text": format!("{subject}: {}", n.alert.reason), "blocks": blocks})
}

impl Channel for Slack {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &'static str {
        "slack"
    }

    fn send<'a>(&'a self, n: &'a Notification) -> Sending<'a> {
        Box::pin(async move {
            let url = self.url.resolve()?;
            let body = serde_json::to_vec(&body(n)).expect("the body serialises");
            post_json(&self.http, &url, &[], body).await
        })
    }
}
