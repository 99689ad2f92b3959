//! PagerDuty Events API v2: `trigger` when an incident opens (and on reminders, which PagerDuty
//! folds into the same alert by its dedup key), `resolve` when it clears.

use domain::alert::{Event, Notification, Severity};
use serde_json::json;

use super::{Channel, Sending, post_json};
use crate::config::ChannelSecret;

pub(super) struct PagerDuty {
    pub name: String,
    pub routing_key: ChannelSecret,
    pub events_url: String,
    pub http: reqwest::Client,
}

pub fn body(routing_key: &str, n: &Notification) -> serde_json::Value {
    let dedup_key = format!("greenlight:{}", n.alert.key);
    if n.event == Event::Resolved {
        return json!({"routing_key": routing_key, "event_action": "resolve", "dedup_key": dedup_key});
    }
    let severity = match (n.event, n.alert.rule.severity()) {
        (Event::Test, _) => "info",
        (_, Severity::Page) => "critical",
        (_, Severity::Ticket) => "warning",
    };
    let mut event = json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "payload": {
            "summary": format!("{}: {}", n.alert.title, n.alert.reason).chars().take(1024).collect::<String>(),
            "source": "greenlight",
            "severity": severity,
            "component": n.alert.environment,
            "class": n.alert.rule.as_str(),
            "timestamp": domain::time::rfc3339_utc(n.opened_unix.floor() as i64, 0),
            "custom_details": {"reason": n.alert.reason, "event": n.event.as_str()},
        },
        "client": "Greenlight",
    });
    if let Some(url) = &n.url {
        event["links"] = json!([{"href": url, "text": "Open in Greenlight"}]);
        event["client_url"] = json!(url);
    }
    event
}

impl Channel for PagerDuty {
    fn name(&self) -> &str {
        &self.name
    }

    fn kind(&self) -> &'static str {
        "pagerduty"
    }

    fn send<'a>(&'a self, n: &'a Notification) -> Sending<'a> {
        Box::pin(async move {
            let key = self.routing_key.resolve()?;
            let body = serde_json::to_vec(&body(&key, n)).expect("the body serialises");
            post_json(&self.http, &self.events_url, &[], body)
                .await
                .map_err(|e| e.replace(&key, domain::secret::MASK))
        })
    }
}
