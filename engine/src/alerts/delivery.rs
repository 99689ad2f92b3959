//! One message to one channel: attempted until delivered or out of attempts, waiting
//! `retry_base`, then twice that, and so on, between attempts. Every attempt is recorded, so a
//! console restarted mid-way resumes where it stopped and the Alerts page shows the last error.

use std::sync::Arc;
use std::time::Duration;

use domain::alert::{Delivery, DeliveryState, Notification};

use super::channels::{Channel, SEND_TIMEOUT};
use crate::clock::now_unix;
use crate::metrics::Metrics;
use crate::store::Store;

pub(super) struct Job {
    pub store: Store,
    pub channel: Arc<dyn Channel>,
    pub metrics: Arc<Metrics>,
    pub id: i64,
    pub notification: Notification,
    pub attempts_done: u32,
    pub attempts: u32,
    pub retry_base: Duration,
}

impl Job {
    pub async fn run(self) {
        self.run_returning().await;
    }

    /// Runs every remaining attempt and returns the delivery as stored at the end.
    pub async fn run_returning(self) -> Delivery {
        let mut attempt = self.attempts_done;
        let mut error = None;
        let state = loop {
            if attempt >= self.attempts {
                break DeliveryState::Failed;
            }
            if attempt > 0 && error.is_some() {
                let wait = self.retry_base.saturating_mul(1 << (attempt - 1).min(16));
                tokio::time::sleep(wait).await;
            }
            attempt += 1;
            let sent = tokio::time::timeout(
                SEND_TIMEOUT + Duration::from_secs(5),
                self.channel.send(&self.notification),
            )
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {} s", SEND_TIMEOUT.as_secs())));
            match sent {
                Ok(()) => {
                    error = None;
                    break DeliveryState::Delivered;
                }
                Err(e) => {
                    tracing::warn!(
                        channel = self.channel.name(),
                        kind = self.channel.kind(),
                        attempt,
                        of = self.attempts,
                        error = %e,
                        "alert delivery attempt failed"
                    );
                    error = Some(e);
                    if attempt < self.attempts
                        && let Err(e) = self
                            .store
                            .record_attempt(
                                self.id,
                                DeliveryState::Pending,
                                attempt,
                                error.clone(),
                                now_unix(),
                            )
                            .await
                    {
                        tracing::error!(error = %e, "cannot record an alert delivery attempt");
                    }
                }
            }
        };
        let now = now_unix();
        if let Err(e) = self
            .store
            .record_attempt(self.id, state, attempt, error.clone(), now)
            .await
        {
            tracing::error!(error = %e, "cannot record an alert delivery");
        }
        self.metrics
            .observe_alert_delivery(self.channel.name(), state == DeliveryState::Delivered);
        if state == DeliveryState::Failed {
            tracing::error!(
                channel = self.channel.name(),
                attempts = attempt,
                error = error.as_deref().unwrap_or(""),
                "alert delivery failed for good"
            );
        }
        let created_unix = self.notification.sent_unix;
        Delivery {
            id: self.id,
            channel: self.channel.name().to_string(),
            notification: self.notification,
            state,
            attempts: attempt,
            created_unix,
            finished_unix: Some(now),
            error,
        }
    }
}
