//! The replay's one consumer of finished cases, on its own thread: writes each case file as it
//! arrives, stores the case with `--data-dir`, and keeps only what the summary and reports
//! need (one row per case), so memory does not grow with the size of the outputs.

use std::collections::HashMap;

use domain::SummaryRow;
use engine::replay::CaseRecord;
use engine::replay::output::{RunDir, junit_testcase, markdown_failed_row};
use tokio::sync::mpsc::Receiver;

use super::baseline_out::NewOutputs;
use super::progress::Progress;

/// At most this many write failures are reported one by one; the rest are counted.
const FAILURES_SHOWN: usize = 5;

pub struct CaseWriter {
    pub run_dir: RunDir,
    pub total: usize,
    /// For each id that several cases share, the last such case: only its file is written,
    /// as the reference's later write replaces the earlier.
    pub last_of_duplicate: HashMap<String, usize>,
    /// The suite name, when a JUnit report is wanted.
    pub junit_suite: Option<String>,
    pub markdown: bool,
    /// Keep this run's outputs for `--update-baseline`.
    pub spool_outputs: bool,
    pub store: Option<(engine::Store, i64, tokio::runtime::Handle)>,
    pub progress: Progress,
}

/// What one finished case leaves for the end of the run.
struct Slot {
    row: SummaryRow,
    critical: bool,
    testcase: Option<String>,
    failed_row: Option<String>,
}

pub struct Collected {
    pub run_dir: RunDir,
    /// Finished cases' rows, in golden-set order.
    pub rows: Vec<SummaryRow>,
    /// Ids of the cases that failed a critical criterion, in order.
    pub critical: Vec<String>,
    pub testcases: Vec<String>,
    pub failed_rows: Vec<String>,
    pub outputs: Option<NewOutputs>,
    pub failures: Vec<String>,
}

impl CaseWriter {
    pub fn consume(mut self, mut rx: Receiver<CaseRecord>) -> Collected {
        let mut slots: Vec<Option<Slot>> = Vec::new();
        slots.resize_with(self.total, || None);
        let mut failures = Vec::new();
        let mut failure_count = 0usize;
        let mut fail = |message: String| {
            failure_count += 1;
            if failure_count <= FAILURES_SHOWN {
                failures.push(message);
            }
        };
        let mut outputs = if self.spool_outputs {
            match NewOutputs::new() {
                Ok(outputs) => Some(outputs),
                Err(e) => {
                    fail(format!("cannot keep outputs for the baseline: {e}"));
                    None
                }
            }
        } else {
            None
        };
        while let Some(record) = rx.blocking_recv() {
            let replaced_later = self
                .last_of_duplicate
                .get(&record.case.id)
                .is_some_and(|&last| last != record.index);
            if !replaced_later && let Err(e) = self.run_dir.write_case(&record) {
                fail(e.to_string());
            }
            if let Some((store, run_id, handle)) = &self.store
                && let Err(e) = handle.block_on(store.record_case(*run_id, &record))
            {
                tracing::error!(error = %e, "cannot store a replay case");
            }
            if let (Some(outputs), Some(run)) = (&mut outputs, &record.run)
                && let Err(e) = outputs.add(record.index, &record.case.id, &run.actual_output)
            {
                fail(format!("cannot keep outputs for the baseline: {e}"));
            }
            let slot = Slot {
                row: record.summary_row(),
                critical: record.judge.as_ref().is_some_and(domain::critical_failure),
                testcase: self
                    .junit_suite
                    .as_deref()
                    .map(|suite| junit_testcase(suite, &record)),
                failed_row: if self.markdown {
                    markdown_failed_row(&record)
                } else {
                    None
                },
            };
            if let Some(place) = slots.get_mut(record.index) {
                *place = Some(slot);
            }
            self.progress
                .tick(record.judge.as_ref().is_some_and(|j| j.pass));
        }
        self.progress.finish();
        if failure_count > FAILURES_SHOWN {
            failures.push(format!(
                "... and {} more write failures",
                failure_count - FAILURES_SHOWN
            ));
        }
        let mut collected = Collected {
            run_dir: self.run_dir,
            rows: Vec::new(),
            critical: Vec::new(),
            testcases: Vec::new(),
            failed_rows: Vec::new(),
            outputs,
            failures,
        };
        for slot in slots.into_iter().flatten() {
            if slot.critical {
                collected.critical.push(slot.row.case_id.clone());
            }
            collected.testcases.extend(slot.testcase);
            collected.failed_rows.extend(slot.failed_row);
            collected.rows.push(slot.row);
        }
        collected
    }
}
