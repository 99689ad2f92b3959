//! Alerts: what went wrong, for whom it is urgent, and the message sent when it starts, while it
//! lasts, and when it clears. One incident per key, however many rounds it lasts.

use serde::{Deserialize, Serialize};

/// The rule an alert comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The environment's verdict (after hysteresis) is no longer Ready.
    ReadinessDown,
    /// An SLO's budget burns at page speed (1 h and 5 min over 14.4).
    SloFastBurn,
    /// An SLO's budget burns at ticket speed (6 h and 30 min over 6).
    SloSlowBurn,
    /// A canary run passed fewer cases than its suite's minimum.
    CanaryBelowMinimum,
    /// A canary run's pass rate dropped by more than the allowed points against the previous one.
    CanaryDropped,
    /// An open go-live's verdict turned from Go to No-Go.
    GoLiveNoGo,
    /// An administrator's test message.
    Test,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ReadinessDown => "readiness_down",
            Rule::SloFastBurn => "slo_fast_burn",
            Rule::SloSlowBurn => "slo_slow_burn",
            Rule::CanaryBelowMinimum => "canary_below_minimum",
            Rule::CanaryDropped => "canary_dropped",
            Rule::GoLiveNoGo => "golive_no_go",
            Rule::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Rule::ReadinessDown,
            Rule::SloFastBurn,
            Rule::SloSlowBurn,
            Rule::CanaryBelowMinimum,
            Rule::CanaryDropped,
            Rule::GoLiveNoGo,
            Rule::Test,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }

    /// Paging rules wake someone; the others open a ticket.
    pub fn severity(self) -> Severity {
        match self {
            Rule::ReadinessDown | Rule::SloFastBurn | Rule::GoLiveNoGo => Severity::Page,
            Rule::SloSlowBurn | Rule::CanaryBelowMinimum | Rule::CanaryDropped | Rule::Test => {
                Severity::Ticket
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Page,
    Ticket,
}

/// Something that is wrong now, as a rule sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The incident's identity: the same key while the same thing stays wrong.
    pub key: String,
    pub rule: Rule,
    pub environment: Option<String>,
    /// One line: "production is not ready".
    pub title: String,
    /// In plain words, with the value seen: "Redis did not answer PING within 5 s".
    pub reason: String,
    /// The console page that shows it, as a path (`/environments/production`).
    pub path: String,
}

/// Why a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The incident began.
    Firing,
    /// It is still going on (sent again after the re-notify interval).
    Reminder,
    /// It cleared.
    Resolved,
    /// An administrator's "Send test alert".
    Test,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Firing => "firing",
            Event::Reminder => "reminder",
            Event::Resolved => "resolved",
            Event::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Event::Firing, Event::Reminder, Event::Resolved, Event::Test]
            .into_iter()
            .find(|e| e.as_str() == text)
    }
}

/// One message to send: the alert, why, and when the incident opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub alert: Alert,
    pub event: Event,
    pub opened_unix: f64,
    pub sent_unix: f64,
    /// The page's full URL when the console's public address is configured.
    pub url: Option<String>,
}

impl Notification {
    /// The subject line every channel uses: "[FIRING] production is not ready".
    pub fn subject(&self) -> String {
        let tag = match self.event {
            Event::Firing => "FIRING",
            Event::Reminder => "STILL FIRING",
            Event::Resolved => "RESOLVED",
            Event::Test => "TEST",
        };
        format!("[{tag}] {}", self.alert.title)
    }
}

/// An alert as stored and shown on the Alerts page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub alert: Alert,
    pub opened_unix: f64,
    pub last_notified_unix: f64,
    pub resolved_unix: Option<f64>,
}

/// Whether one message reached one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not yet sent, or waiting for its next retry.
    Pending,
    Delivered,
    /// Every attempt failed.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One message to one channel, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub channel: String,
    pub notification: Notification,
    pub state: DeliveryState,
    pub attempts: u32,
    pub created_unix: f64,
    pub finished_unix: Option<f64>,
    /// Why the last attempt failed, in words without any secret.
    pub error: Option<String>,
}

/// The generic webhook's signature header value: `sha256=` and the hex HMAC-SHA256, keyed with
/// the channel's secret, of `{timestamp}.{body}` (the timestamp is sent in
/// `X-Greenlight-Timestamp`, so a receiver can refuse old messages replayed at it).
pub fn webhook_signature(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", crate::auth::hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for rule in [Rule::ReadinessDown, Rule::SloSlowBurn, Rule::GoLiveNoGo] {
            assert_eq!(Rule::parse(rule.as_str()), Some(rule));
        }
        for event in [Event::Firing, Event::Resolved, Event::Test] {
            assert_eq!(Event::parse(event.as_str()), Some(event));
        }
        assert_eq!(DeliveryState::parse("failed"), Some(DeliveryState::Failed));
        assert_eq!(Rule::parse("nope"), None);
    }

    #[test]
    fn the_webhook_signature_is_the_hmac_of_timestamp_dot_body() {
        // RFC 4231 test case 2 style: key "Jefe"; message "1700000000.{}".
        let sig = webhook_signature(b"Jefe", "1700000000", b"{}");
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64, "{sig}");
        assert_ne!(sig, webhook_signature(b"Jefe", "1700000001", b"{}"));
    }
}
