//! A stored run against its suite's baseline: which cases passed there and fail here.

use std::collections::HashSet;

use crate::error::Result;
use crate::store::{RunRow, Store, StoredCase};

/// The run's baseline (none when the suite has none, or the run is it) and its regressions.
#[derive(Debug, Clone, PartialEq)]
pub struct AgainstBaseline {
    pub baseline: Option<RunRow>,
    /// Case ids that pass in the baseline and fail in the run, in the run's order.
    pub regressed: Vec<String>,
}

pub async fn against_baseline(
    store: &Store,
    run: &RunRow,
    cases: &[StoredCase],
) -> Result<AgainstBaseline> {
    let Some(baseline) = store
        .baseline_run(&run.suite)
        .await?
        .filter(|b| b.id != run.id)
    else {
        return Ok(AgainstBaseline {
            baseline: None,
            regressed: Vec::new(),
        });
    };
    let passed_before: HashSet<String> = store
        .run_cases(baseline.id)
        .await?
        .into_iter()
        .filter(|c| c.pass)
        .map(|c| c.case_id)
        .collect();
    let regressed = cases
        .iter()
        .filter(|c| !c.pass && passed_before.contains(&c.case_id))
        .map(|c| c.case_id.clone())
        .collect();
    Ok(AgainstBaseline {
        baseline: Some(baseline),
        regressed,
    })
}
