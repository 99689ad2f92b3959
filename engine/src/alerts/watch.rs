//! Watching open go-lives: their verdict is measured every half minute (shared with viewers'
//! pages through the recent-verdict cache), and one that turns from Go to No-Go alerts until
//! it is Go again or the go-live ends. Muted while production is in a maintenance window.

use std::collections::HashMap;
use std::time::Duration;

use domain::alert::{Alert, Rule};
use domain::golive::{Finding, Verdict};
use tokio::task::JoinHandle;

use super::rules;
use crate::clock::now_unix;
use crate::state::AppState;

const EVERY: Duration = Duration::from_secs(30);

pub fn spawn_golive_watch(state: &AppState) -> JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut watch = GoLiveWatch::default();
        loop {
            if let Err(e) = watch.check(&state).await {
                tracing::error!(error = %e, "cannot watch the open go-lives");
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// What the watch remembers between checks: per open go-live, whether its last verdict was Go.
#[derive(Default)]
pub struct GoLiveWatch {
    was_go: HashMap<i64, bool>,
}

impl GoLiveWatch {
    /// Measures every open go-live's verdict (or takes the recent one) and brings the go-live
    /// alerts in line with them.
    pub async fn check(&mut self, state: &AppState) -> crate::Result<()> {
        let was_go = &mut self.was_go;
        let open = state.store.open_golives().await?;
        was_go.retain(|id, _| open.iter().any(|g| g.id == *id));
        let already = state.alerts.open_keys(&state.store).await?;
        let now = now_unix();
        let mut firing = Vec::new();
        let mut muted = Vec::new();
        for golive in &open {
            let key = format!("golive:{}", golive.id);
            if state.maintenance.active(&golive.production, now).is_some() {
                muted.push(key);
                continue;
            }
            let Ok(report) = crate::golive::verdict_recent(state, golive.id).await else {
                continue;
            };
            let go = report.verdict == Verdict::Go;
            let previous = was_go.insert(golive.id, go);
            if let Verdict::NoGo { failing } = &report.verdict
                && (previous == Some(true) || already.contains(&key))
            {
                let words: Vec<String> = failing
                    .iter()
                    .map(|f| match &f.finding {
                        Finding::Failed { problem, .. } => {
                            format!("{}: {problem}", f.criterion.label())
                        }
                        _ => f.criterion.label().to_string(),
                    })
                    .collect();
                firing.push(rules::golive_no_go(golive.id, &golive.production, &words));
            }
        }
        // Go-lives that ended, went back to Go or to Hold clear; muted ones stay as they are.
        let in_scope = move |a: &Alert| a.rule == Rule::GoLiveNoGo && !muted.contains(&a.key);
        state
            .alerts
            .reconcile(&state.store, in_scope, firing, now)
            .await
    }
}
