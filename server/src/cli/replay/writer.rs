//! Where finished cases go. [`CaseFiles`] writes each case's file (and keeps its output for
//! `--update-baseline`) on the runtime thread that judged it, as it finishes; the
//! [`Collector`], on a thread of its own, stores the case with `--data-dir` and keeps only what
//! the summary and reports need (one row per case), so memory does not grow with the outputs.

use std::collections::HashMap;
use std::sync::Mutex;

use domain::SummaryRow;
use engine::replay::CaseRecord;
use engine::replay::output::{RunDir, junit_testcase, markdown_failed_row};
use engine::replay::recorder::Recorder;
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
    /// The stored run (`--data-dir`), its cases stored through the shared recorder.
    pub stored: Option<(engine::Store, i64)>,
    /// The runtime the recorder's store calls run on (this collector has a thread of its own).
    pub runtime: tokio::runtime::Handle,
    pub progress: Progress,
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
    /// Takes finished cases until the run is over. Per case it keeps one summary row; report
    /// lines only when a report is asked for, and only failures for the Markdown table.
    pub fn consume(mut self, mut rx: Receiver<CaseRecord>) -> Collected {
        let mut recorder = Recorder::new(self.total, self.stored.clone());
        let mut testcases: Vec<Option<String>> = Vec::new();
        if self.junit_suite.is_some() {
            testcases.resize_with(self.total, || None);
        }
        let mut critical: Vec<(usize, String)> = Vec::new();
        let mut failed_rows: Vec<(usize, String)> = Vec::new();
        while let Some(record) = rx.blocking_recv() {
            if !self.runtime.block_on(recorder.record(&record)) {
                continue;
            }
            let index = record.index;
            if record.judge.as_ref().is_some_and(domain::critical_failure) {
                critical.push((index, record.case.id.clone()));
            }
            if let Some(suite) = &self.junit_suite {
                testcases[index] = Some(junit_testcase(suite, &record));
            }
            if self.markdown
                && let Some(row) = markdown_failed_row(&record)
            {
                failed_rows.push((index, row));
            }
            self.progress
                .tick(record.judge.as_ref().is_some_and(|j| j.pass));
        }
        self.progress.finish();
        critical.sort_unstable_by_key(|(index, _)| *index);
        failed_rows.sort_unstable_by_key(|(index, _)| *index);
        let (rows, _) = recorder.finish();
        Collected {
            critical: critical.into_iter().map(|(_, id)| id).collect(),
            rows,
            testcases: testcases.into_iter().flatten().collect(),
            failed_rows: failed_rows.into_iter().map(|(_, row)| row).collect(),
        }
    }
}
