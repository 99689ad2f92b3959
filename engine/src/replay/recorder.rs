//! Where a run's finished cases go, for the console's runs and `greenlight replay` alike: each
//! case stored as it finishes (when the run is stored), its summary row kept in golden-set order,
//! and the stored run closed with its summary.

use domain::replay_run::CaseRecord;
use domain::{RunSummary, SummaryRow};

use crate::store::{RunStatus, Store};

pub struct Recorder {
    /// The store and run id, when the run is stored.
    stored: Option<(Store, i64)>,
    /// One slot per case of the run, by its position in the golden set.
    rows: Vec<Option<SummaryRow>>,
}

impl Recorder {
    /// A recorder for a run of `total` cases.
    pub fn new(total: usize, stored: Option<(Store, i64)>) -> Self {
        let mut rows = Vec::new();
        rows.resize_with(total, || None);
        Self { stored, rows }
    }

    /// Stores the case (a failure to is logged: the run goes on) and keeps its row. False for
    /// a record outside the run (it is neither stored nor counted).
    pub async fn record(&mut self, record: &CaseRecord) -> bool {
        let Some(slot) = self.rows.get_mut(record.index) else {
            return false;
        };
        *slot = Some(record.summary_row());
        if let Some((store, run_id)) = &self.stored
            && let Err(e) = store.record_case(*run_id, record).await
        {
            tracing::error!(run = run_id, error = %e, "cannot store a replay case");
        }
        true
    }

    /// The row of the case at `index`, once recorded.
    pub fn row(&self, index: usize) -> Option<&SummaryRow> {
        self.rows.get(index).and_then(Option::as_ref)
    }

    /// The finished cases' rows in golden-set order, and the stored run if there is one.
    pub fn finish(self) -> (Vec<SummaryRow>, Option<(Store, i64)>) {
        // `filter_map` collects in the same allocation (a row and its `Option` have the same
        // size); `flatten` would copy every row into a new one, 6 MB at 100,000 cases.
        #[allow(clippy::filter_map_identity)]
        let rows = self.rows.into_iter().filter_map(|row| row).collect();
        (rows, self.stored)
    }
}

/// Closes a stored run with its summary and the summary file's text: completed, or cancelled.
pub async fn close_run(
    store: &Store,
    run_id: i64,
    cancelled: bool,
    summary: &RunSummary,
    summary_json: String,
) -> crate::Result<RunStatus> {
    let status = if cancelled {
        RunStatus::Cancelled
    } else {
        RunStatus::Completed
    };
    store
        .finish_run(run_id, status, summary, summary_json)
        .await?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use domain::replay_run::CaseStatus;

    use super::*;
    use crate::store::NewRun;

    fn record(index: usize, id: &str) -> CaseRecord {
        let case = domain::GoldenSet::parse(&format!(
            r#"[{{"id": "{id}", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}}]"#
        ))
        .unwrap()
        .into_cases()
        .remove(0);
        CaseRecord {
            index,
            case,
            status: CaseStatus::RunnerError,
            run: None,
            judge: None,
            error: Some("boom".into()),
            duration: Duration::from_millis(5),
        }
    }

    #[tokio::test]
    async fn cases_are_stored_as_they_come_and_rows_kept_in_golden_set_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let run_id = store
            .start_run(NewRun {
                suite: "s".into(),
                suite_version: "v".into(),
                golden_set_path: "g.json".into(),
                runner: "r".into(),
                min_pass_rate: 0.9,
                total_cases: 2,
                trigger: crate::store::RunTrigger::Manual,
                selection: None,
            })
            .await
            .unwrap();
        let mut recorder = Recorder::new(2, Some((store.clone(), run_id)));
        assert!(recorder.record(&record(1, "B")).await);
        assert!(recorder.record(&record(0, "A")).await);
        assert!(!recorder.record(&record(7, "X")).await, "outside the run");
        assert_eq!(recorder.row(1).unwrap().case_id, "B");
        let (rows, stored) = recorder.finish();
        let ids: Vec<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(store.run_cases(run_id).await.unwrap().len(), 2);
        let summary = domain::summarize_rows(rows, 0.9);
        let (store, run_id) = stored.unwrap();
        let status = close_run(&store, run_id, false, &summary, "{}".into())
            .await
            .unwrap();
        assert_eq!(status, RunStatus::Completed);
        assert_eq!(store.run(run_id).await.unwrap().unwrap().status, status);
    }
}
