//! Incidents against a real SQLite store: one per key, a reminder only after the re-notify
//! interval, resolved once, and kept across a restart (a new Alerter reads the open ones).

use std::sync::Arc;

use domain::alert::{Alert, Rule};

use super::Alerter;
use crate::config::AlertsConfig;
use crate::store::Store;
use crate::tls::TrustedRoots;

fn alert(reason: &str) -> Alert {
    Alert {
        key: "readiness:production".into(),
        rule: Rule::ReadinessDown,
        environment: Some("production".into()),
        title: "production is not ready".into(),
        reason: reason.into(),
        path: "/environments/production".into(),
    }
}

fn everything(_: &Alert) -> bool {
    true
}

#[tokio::test]
async fn an_incident_opens_once_reminds_after_the_interval_and_resolves_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let config = AlertsConfig::default(); // re-notify after 60 min
    let alerter = Alerter::new(&config, &TrustedRoots::default(), Arc::default());
    let t0 = 1_800_000_000.0;

    alerter
        .reconcile(&store, everything, vec![alert("503")], t0)
        .await
        .unwrap();
    alerter
        .reconcile(&store, everything, vec![alert("503")], t0 + 15.0)
        .await
        .unwrap();
    let open = store.open_incidents().await.unwrap();
    assert_eq!(open.len(), 1, "one incident, not one per round");
    assert_eq!(open[0].last_notified_unix, t0);

    // An hour later it still lasts: a reminder, with the reason of now.
    alerter
        .reconcile(&store, everything, vec![alert("timeout")], t0 + 3_600.0)
        .await
        .unwrap();
    let open = store.open_incidents().await.unwrap();
    assert_eq!(open[0].last_notified_unix, t0 + 3_600.0);
    assert_eq!(open[0].alert.reason, "timeout");

    // A restart: the new Alerter knows the incident is open and does not open another.
    let restarted = Alerter::new(&config, &TrustedRoots::default(), Arc::default());
    restarted
        .reconcile(&store, everything, vec![alert("timeout")], t0 + 3_700.0)
        .await
        .unwrap();
    assert_eq!(store.open_incidents().await.unwrap().len(), 1);

    // Out of scope: left alone. In scope and no longer firing: resolved.
    restarted
        .reconcile(
            &store,
            |a| a.rule == Rule::CanaryDropped,
            vec![],
            t0 + 3_800.0,
        )
        .await
        .unwrap();
    assert_eq!(store.open_incidents().await.unwrap().len(), 1);
    restarted
        .reconcile(&store, everything, vec![], t0 + 3_900.0)
        .await
        .unwrap();
    assert!(store.open_incidents().await.unwrap().is_empty());
    let all = store.recent_incidents(10).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].resolved_unix, Some(t0 + 3_900.0));
    // Firing again later is a new incident.
    restarted
        .reconcile(&store, everything, vec![alert("503")], t0 + 9_000.0)
        .await
        .unwrap();
    assert_eq!(store.recent_incidents(10).await.unwrap().len(), 2);
}
