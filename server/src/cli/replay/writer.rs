//! Where finished cases go. [`CaseFiles`] writes each case's file (and keeps its output for
//! `--update-baseline`) on the runtime thread that judged it, as it finishes; the
//! [`Collector`], on a thread of its own, stores the case with `--data-dir` and keeps only what
//! the summary and reports need (one row per case), so memory does not grow with the outputs.

use std::collections::HashMap;
use std::sync::Mutex;

use domain::SummaryRow;
use engine::replay::CaseRecord;
use engine::replay::output::{RunDir, junit_testcase, markdown_failed_row};
use tokio::sync::mpsc::Receiver;

use super::baseline_out::NewOutputs;
use super::progress::Progress;

/// At most this many write failures are reported one by one; the rest are counted.
const FAILURES_SHOWN: usize = 5;

pub struct CaseFiles {
    pub run_dir: RunDir,
    /// For each id that several cases share, the last such case: only its file is written,
    /// as the reference's later write replaces the earlier.
    pub last_of_duplicate: HashMap<String, usize>,
    /// This run's outputs, kept for `--update-baseline`.
    pub outputs: Option<Mutex<NewOutputs>>,
    failures: Mutex<(Vec<String>, usize)>,
}

impl CaseFiles {
    pub fn new(
        run_dir: RunDir,
        last_of_duplicate: HashMap<String, usize>,
        keep_outputs: bool,
    ) -> Self {
        let files = Self {
            run_dir,
            last_of_duplicate,
            outputs: None,
            failures: Mutex::default(),
        };
        if !keep_outputs {
            return files;
        }
        match NewOutputs::new() {
            Ok(outputs) => Self {
                outputs: Some(Mutex::new(outputs)),
                ..files
            },
            Err(e) => {
                files.fail(format!("cannot keep outputs for the baseline: {e}"));
                files
            }
        }
    }

    fn fail(&self, message: String) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.1 += 1;
        if failures.1 <= FAILURES_SHOWN {
            failures.0.push(message);
        }
    }

    /// Writes the case's file and keeps its output.
    pub fn finish(&self, record: &CaseRecord) {
        let replaced_later = self
            .last_of_duplicate
            .get(&record.case.id)
            .is_some_and(|&last| last != record.index);
        if !replaced_later && let Err(e) = self.run_dir.write_case(record) {
            self.fail(e.to_string());
        }
        if let (Some(outputs), Some(run)) = (&self.outputs, &record.run) {
            let added = outputs.lock().unwrap_or_else(|e| e.into_inner()).add(
                record.index,
                &record.case.id,
                &run.actual_output,
            );
            if let Err(e) = added {
                self.fail(format!("cannot keep outputs for the baseline: {e}"));
            }
        }
    }

    /// The write failures, the first few by name, the rest counted.
    pub fn failures(&self) -> Vec<String> {
        let (mut shown, count) =
            std::mem::take(&mut *self.failures.lock().unwrap_or_else(|e| e.into_inner()));
        if count > FAILURES_SHOWN {
            shown.push(format!(
                "... and {} more write failures",
                count - FAILURES_SHOWN
            ));
        }
        shown
    }

    pub fn take_outputs(&mut self) -> Option<NewOutputs> {
        self.outputs
            .take()
            .map(|o| o.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

pub struct Collector {
    pub total: usize,
    /// The suite name, when a JUnit report is wanted.
    pub junit_suite: Option<String>,
    pub markdown: bool,
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
    /// Finished cases' rows, in golden-set order.
    pub rows: Vec<SummaryRow>,
    /// Ids of the cases that failed a critical criterion, in order.
    pub critical: Vec<String>,
    pub testcases: Vec<String>,
    pub failed_rows: Vec<String>,
}

impl Collector {
    pub fn consume(mut self, mut rx: Receiver<CaseRecord>) -> Collected {
        let mut slots: Vec<Option<Slot>> = Vec::new();
        slots.resize_with(self.total, || None);
        while let Some(record) = rx.blocking_recv() {
            if let Some((store, run_id, handle)) = &self.store
                && let Err(e) = handle.block_on(store.record_case(*run_id, &record))
            {
                tracing::error!(error = %e, "cannot store a replay case");
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
        let mut collected = Collected {
            rows: Vec::new(),
            critical: Vec::new(),
            testcases: Vec::new(),
            failed_rows: Vec::new(),
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
