//! Verdicts measured a moment ago. Measuring one probes staging and production (Redis AUTH
//! and signed Inngest checks included), and any viewer may open the verdict: so viewers are
//! answered from a measurement at most [`MAX_AGE`] old, one measurement at a time. A step
//! recorded on the go-live forgets its verdict, so the operator sees the effect at once.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use domain::golive::VerdictReport;

/// How old a verdict shown to a viewer may be.
pub const MAX_AGE: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct RecentVerdicts {
    /// Held while measuring: concurrent requests wait for the one measurement.
    kept: tokio::sync::Mutex<HashMap<i64, (Instant, VerdictReport)>>,
}

impl RecentVerdicts {
    /// The verdict of go-live `id` measured at most [`MAX_AGE`] ago, measured with `measure`
    /// when there is none.
    pub async fn get_or_measure<F, E>(&self, id: i64, measure: F) -> Result<VerdictReport, E>
    where
        F: AsyncFnOnce() -> Result<VerdictReport, E>,
    {
        let mut kept = self.kept.lock().await;
        if let Some((at, report)) = kept.get(&id)
            && at.elapsed() < MAX_AGE
        {
            return Ok(report.clone());
        }
        let report = measure().await?;
        kept.retain(|_, (at, _)| at.elapsed() < MAX_AGE);
        kept.insert(id, (Instant::now(), report.clone()));
        Ok(report)
    }

    /// Forgets go-live `id`'s verdict (a step changed what it depends on).
    pub async fn forget(&self, id: i64) {
        self.kept.lock().await.remove(&id);
    }

    /// Forgets every verdict (practice mode changed the services they measure).
    pub async fn forget_all(&self) {
        self.kept.lock().await.clear();
    }
}
