//! Runs every case of a golden set through a runner, concurrently, and judges each output.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::{Case, JudgeResult, RunOutput};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::runner::Runner;

#[derive(Debug, Clone)]
pub struct ReplaySpec {
    pub cases: Vec<Case>,
    pub runner: Runner,
    pub concurrency: usize,
    pub case_timeout: Duration,
    /// Prior outputs by case id, for the reliability criterion.
    pub baselines: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// The runner answered and the answer was judged.
    Ok,
    /// The runner failed; `error` says how.
    RunnerError,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Ok => "ok",
            CaseStatus::RunnerError => "runner_error",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseRecord {
    /// Position in the golden set.
    pub index: usize,
    pub case: Case,
    pub status: CaseStatus,
    pub run: Option<RunOutput>,
    pub judge: Option<JudgeResult>,
    pub error: Option<String>,
    pub duration: Duration,
}

impl CaseRecord {
    pub fn outcome(&self) -> domain::CaseOutcome<'_> {
        match (&self.judge, &self.error) {
            (Some(result), _) => domain::CaseOutcome::Judged {
                case_id: &self.case.id,
                result,
            },
            (None, error) => domain::CaseOutcome::RunnerError {
                case_id: &self.case.id,
                error: error.as_deref().unwrap_or("runner failed"),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReplayOutcome {
    /// Finished cases in golden-set order (all of them unless cancelled).
    pub records: Vec<CaseRecord>,
    pub cancelled: bool,
    pub duration: Duration,
}

/// Runs the spec. Each finished case is also sent on `progress` (when given) as it completes.
/// When `cancel` turns true, running cases are stopped (their processes killed), finished ones
/// are kept, and the outcome says `cancelled`.
pub async fn run_replay(
    spec: ReplaySpec,
    progress: Option<mpsc::UnboundedSender<CaseRecord>>,
    mut cancel: watch::Receiver<bool>,
) -> ReplayOutcome {
    let started = Instant::now();
    let runner = Arc::new(spec.runner);
    let baselines = Arc::new(spec.baselines);
    let permits = Arc::new(Semaphore::new(spec.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for (index, case) in spec.cases.into_iter().enumerate() {
        let runner = Arc::clone(&runner);
        let baselines = Arc::clone(&baselines);
        let permits = Arc::clone(&permits);
        let timeout = spec.case_timeout;
        tasks.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            let case_started = Instant::now();
            let result = runner.run(&case, timeout).await;
            let duration = case_started.elapsed();
            // Judging is pure CPU work of microseconds; it stays on this task.
            match result {
                Ok(run) => {
                    let judge =
                        domain::judge(&case, &run, baselines.get(&case.id).map(String::as_str));
                    CaseRecord {
                        index,
                        case,
                        status: CaseStatus::Ok,
                        run: Some(run),
                        judge: Some(judge),
                        error: None,
                        duration,
                    }
                }
                Err(error) => CaseRecord {
                    index,
                    case,
                    status: CaseStatus::RunnerError,
                    run: None,
                    judge: None,
                    error: Some(error),
                    duration,
                },
            }
        });
    }

    let mut records = Vec::new();
    let mut cancelled = *cancel.borrow();
    while !cancelled {
        tokio::select! {
            joined = tasks.join_next() => match joined {
                None => break,
                Some(Ok(record)) => {
                    if let Some(progress) = &progress {
                        let _ = progress.send(record.clone());
                    }
                    records.push(record);
                }
                Some(Err(e)) => tracing::error!(error = %e, "a replay case task failed"),
            },
            changed = cancel.changed() => {
                if changed.is_err() || *cancel.borrow() {
                    cancelled = changed.is_ok();
                    if changed.is_err() {
                        // The canceller went away without cancelling: keep going without it.
                        while let Some(joined) = tasks.join_next().await {
                            if let Ok(record) = joined {
                                if let Some(progress) = &progress {
                                    let _ = progress.send(record.clone());
                                }
                                records.push(record);
                            }
                        }
                        break;
                    }
                }
            }
        }
    }
    if cancelled {
        // Dropping the tasks drops their child processes, which kills them (and their groups).
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    records.sort_by_key(|r| r.index);
    ReplayOutcome {
        records,
        cancelled,
        duration: started.elapsed(),
    }
}
