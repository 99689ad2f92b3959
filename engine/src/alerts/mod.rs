//! Alerting: rules turn what the console measured into alerts ([`rules`]); each alert key is
//! one incident, notified when it opens, again after the re-notify interval while it lasts, and
//! once more when it clears; every message to every channel is stored and retried with backoff
//! ([`delivery`]). Nothing is evaluated for an environment inside a maintenance window.

pub mod channels;
mod delivery;
pub mod rules;
pub mod watch;

use std::collections::HashMap;
use std::sync::Arc;

use domain::alert::{Alert, Delivery, Event, Incident, Notification, Rule};
use tokio::sync::Mutex;

use crate::config::AlertsConfig;
use crate::error::Result;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::tls::TrustedRoots;
use channels::Channel;

pub struct Alerter {
    config: AlertsConfig,
    channels: Vec<Arc<dyn Channel>>,
    metrics: Arc<Metrics>,
    /// Open incidents by key, read from the store on first use; one reconciliation at a time.
    open: Mutex<Option<HashMap<String, Incident>>>,
}

impl Alerter {
    pub fn new(config: &AlertsConfig, roots: &TrustedRoots, metrics: Arc<Metrics>) -> Self {
        Self {
            channels: channels::build(&config.channels, roots),
            config: config.clone(),
            metrics,
            open: Mutex::new(None),
        }
    }

    pub fn channels(&self) -> impl Iterator<Item = &Arc<dyn Channel>> {
        self.channels.iter()
    }

    /// Brings the incidents `in_scope` in line with `firing` (the alerts of that scope that hold
    /// now): new keys open and notify, cleared ones resolve and notify, lasting ones notify
    /// again once the re-notify interval has passed.
    pub async fn reconcile(
        &self,
        store: &Store,
        in_scope: impl Fn(&Alert) -> bool,
        firing: Vec<Alert>,
        now: f64,
    ) -> Result<()> {
        let mut guard = self.open.lock().await;
        let open = Self::loaded(&mut guard, store).await?;
        let cleared: Vec<String> = open
            .values()
            .filter(|i| in_scope(&i.alert) && !firing.iter().any(|a| a.key == i.alert.key))
            .map(|i| i.alert.key.clone())
            .collect();
        for key in cleared {
            let incident = open.remove(&key).expect("listed above");
            store.resolve_incident(incident.id, now).await?;
            self.notify(
                store,
                Some(incident.id),
                &incident.alert,
                Event::Resolved,
                incident.opened_unix,
                now,
            )
            .await?;
        }
        let renotify = self.config.renotify.as_secs_f64();
        for alert in firing {
            match open.get_mut(&alert.key) {
                Some(incident) => {
                    if now - incident.last_notified_unix >= renotify {
                        store.renotified_incident(incident.id, &alert, now).await?;
                        incident.last_notified_unix = now;
                        incident.alert = alert.clone();
                        self.notify(
                            store,
                            Some(incident.id),
                            &alert,
                            Event::Reminder,
                            incident.opened_unix,
                            now,
                        )
                        .await?;
                    }
                }
                None => {
                    let incident = store.open_incident(&alert, now).await?;
                    self.notify(store, Some(incident.id), &alert, Event::Firing, now, now)
                        .await?;
                    open.insert(alert.key.clone(), incident);
                }
            }
        }
        Ok(())
    }

    /// The keys of the open incidents.
    pub async fn open_keys(&self, store: &Store) -> Result<std::collections::HashSet<String>> {
        let mut guard = self.open.lock().await;
        Ok(Self::loaded(&mut guard, store)
            .await?
            .keys()
            .cloned()
            .collect())
    }

    /// The open incidents by key, read from the store the first time.
    async fn loaded<'a>(
        open: &'a mut Option<HashMap<String, Incident>>,
        store: &Store,
    ) -> Result<&'a mut HashMap<String, Incident>> {
        if open.is_none() {
            let incidents = store.open_incidents().await?;
            *open = Some(
                incidents
                    .into_iter()
                    .map(|i| (i.alert.key.clone(), i))
                    .collect(),
            );
        }
        Ok(open.as_mut().expect("loaded above"))
    }

    /// The message's full link, when the console's address is configured.
    fn url(&self, alert: &Alert) -> Option<String> {
        self.config
            .console_url
            .as_ref()
            .map(|base| format!("{base}{}", alert.path))
    }

    async fn notify(
        &self,
        store: &Store,
        incident: Option<i64>,
        alert: &Alert,
        event: Event,
        opened_unix: f64,
        now: f64,
    ) -> Result<()> {
        tracing::info!(key = %alert.key, event = event.as_str(), title = %alert.title, "alert");
        let notification = Notification {
            alert: alert.clone(),
            event,
            opened_unix,
            sent_unix: now,
            url: self.url(alert),
        };
        for channel in &self.channels {
            let id = store
                .queue_delivery(incident, channel.name(), &notification)
                .await?;
            self.spawn_delivery(store, channel, id, notification.clone(), 0);
        }
        Ok(())
    }

    fn spawn_delivery(
        &self,
        store: &Store,
        channel: &Arc<dyn Channel>,
        id: i64,
        n: Notification,
        done: u32,
    ) {
        let job = delivery::Job {
            store: store.clone(),
            channel: Arc::clone(channel),
            metrics: Arc::clone(&self.metrics),
            id,
            notification: n,
            attempts_done: done,
            attempts: self.config.attempts,
            retry_base: self.config.retry_base,
        };
        tokio::spawn(job.run());
    }

    /// Sends a test message to channel `name` now, once, and says how it went (stored like
    /// every other delivery).
    pub async fn send_test(
        &self,
        store: &Store,
        name: &str,
        by: &str,
        now: f64,
    ) -> Result<Option<Delivery>> {
        let Some(channel) = self.channels.iter().find(|c| c.name() == name) else {
            return Ok(None);
        };
        let alert = Alert {
            key: format!("test:{name}"),
            rule: Rule::Test,
            environment: None,
            title: format!("Test alert for channel {name}"),
            reason: format!(
                "{by} sent this test from Greenlight's Settings page. No action is needed."
            ),
            path: "/alerts".into(),
        };
        let notification = Notification {
            url: self.url(&alert),
            alert,
            event: Event::Test,
            opened_unix: now,
            sent_unix: now,
        };
        let id = store.queue_delivery(None, name, &notification).await?;
        let job = delivery::Job {
            store: store.clone(),
            channel: Arc::clone(channel),
            metrics: Arc::clone(&self.metrics),
            id,
            notification,
            attempts_done: 0,
            attempts: 1,
            retry_base: self.config.retry_base,
        };
        Ok(Some(job.run_returning().await))
    }

    /// Resumes deliveries a previous run left pending (their attempts so far count).
    pub async fn resume_pending(&self, store: &Store) -> Result<usize> {
        let pending = store.pending_deliveries().await?;
        let count = pending.len();
        for d in pending {
            match self.channels.iter().find(|c| c.name() == d.channel) {
                Some(channel) => {
                    self.spawn_delivery(store, channel, d.id, d.notification, d.attempts)
                }
                None => {
                    store
                        .record_attempt(
                            d.id,
                            domain::alert::DeliveryState::Failed,
                            d.attempts,
                            Some("the channel is no longer configured".into()),
                            crate::clock::now_unix(),
                        )
                        .await?
                }
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests;
