//! Runs every case of a golden set through a runner, concurrently, and judges each output.

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::Case;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::baselines::Baselines;
use super::runner::Runner;

/// Cases per task for a runner that answers at once.
const IMMEDIATE_BATCH: usize = 64;

pub struct ReplaySpec {
    /// The cases in golden-set order, taken one at a time as capacity frees up, so a set of
    /// any size is never all in memory.
    pub cases: Box<dyn Iterator<Item = Case> + Send>,
    pub runner: Runner,
    pub concurrency: usize,
    pub case_timeout: Duration,
    /// Prior outputs by case id, for the reliability criterion.
    pub baselines: Baselines,
    /// Called with each finished case on the task that ran it, before the case goes to the
    /// sink: where per-case output that needs no ordering (a case file) is written, spread over
    /// the runtime's threads instead of queued on one.
    pub on_finish: Option<OnFinish>,
}

/// See [`ReplaySpec::on_finish`].
pub type OnFinish = Arc<dyn Fn(&CaseRecord) + Send + Sync>;

pub use domain::replay_run::{CaseRecord, CaseStatus};

#[derive(Debug, Clone, Copy)]
pub struct ReplayOutcome {
    /// Cases finished (all of them unless cancelled).
    pub finished: usize,
    pub cancelled: bool,
    pub duration: Duration,
}

/// Runs the spec, sending each finished case to `sink` as it completes (in completion order;
/// `CaseRecord::index` gives its place). At most `concurrency` cases are in flight, and a slow
/// sink holds the run back rather than letting records pile up. When `cancel` turns true,
/// running cases are stopped (their processes killed), finished ones are kept, and the outcome
/// says `cancelled`.
pub async fn run_replay(
    spec: ReplaySpec,
    sink: mpsc::Sender<CaseRecord>,
    mut cancel: watch::Receiver<bool>,
) -> ReplayOutcome {
    let started = Instant::now();
    let runner = Arc::new(spec.runner);
    let baselines = spec.baselines;
    let concurrency = spec.concurrency.max(1);
    let timeout = spec.case_timeout;
    // A runner that answers at once (recorded runs) is pure CPU work of microseconds per
    // case: cases go to the runtime's threads in batches, so the handing over between threads
    // (a wake-up per spawn, per join and per send) does not cost more than the judging itself.
    let batch = if runner.is_immediate() {
        IMMEDIATE_BATCH
    } else {
        1
    };
    let mut cases = spec.cases.enumerate();
    let mut tasks = JoinSet::new();
    let mut finished = 0;
    let mut cancelled = *cancel.borrow();
    let mut watching = true;
    let mut exhausted = false;
    loop {
        while !cancelled && !exhausted && tasks.len() < concurrency {
            let mut taken = Vec::with_capacity(batch);
            for (index, case) in cases.by_ref().take(batch) {
                let baseline = baselines.get(&case.id);
                taken.push((index, case, baseline));
            }
            // Not asked again once short: the cases' iterator need not be fused.
            exhausted = taken.len() < batch;
            if taken.is_empty() {
                break;
            }
            let runner = Arc::clone(&runner);
            let on_finish = spec.on_finish.clone();
            tasks.spawn(async move {
                let mut records = Vec::with_capacity(taken.len());
                for (index, case, baseline) in taken {
                    let record = run_case(&runner, index, case, baseline, timeout).await;
                    if let Some(on_finish) = &on_finish {
                        on_finish(&record);
                    }
                    records.push(record);
                }
                records
            });
        }
        if tasks.is_empty() {
            break;
        }
        tokio::select! {
            joined = tasks.join_next() => match joined {
                Some(Ok(records)) => {
                    if !deliver(&sink, records, &mut finished).await {
                        tracing::warn!("nobody takes replay results any more; stopping");
                        cancelled = true;
                    }
                }
                Some(Err(e)) => tracing::error!(error = %e, "a replay case task failed"),
                None => break,
            },
            changed = cancel.changed(), if watching => match changed {
                Ok(()) if *cancel.borrow() => cancelled = true,
                Ok(()) => {}
                // The canceller went away without cancelling: keep going without it.
                Err(_) => watching = false,
            },
        }
        if cancelled {
            // Dropping the tasks drops their child processes, which kills them (and their
            // groups). A task that had already finished still counts: its case files are
            // written.
            tasks.abort_all();
            while let Some(joined) = tasks.join_next().await {
                if let Ok(records) = joined {
                    deliver(&sink, records, &mut finished).await;
                }
            }
            break;
        }
    }
    ReplayOutcome {
        finished,
        cancelled,
        duration: started.elapsed(),
    }
}

/// Sends `records` to `sink` in order, counting each as finished; false once nobody takes
/// them any more.
async fn deliver(
    sink: &mpsc::Sender<CaseRecord>,
    records: Vec<CaseRecord>,
    finished: &mut usize,
) -> bool {
    for record in records {
        *finished += 1;
        if sink.send(record).await.is_err() {
            return false;
        }
    }
    true
}

async fn run_case(
    runner: &Runner,
    index: usize,
    case: Case,
    baseline: Option<String>,
    timeout: Duration,
) -> CaseRecord {
    let case_started = Instant::now();
    let result = runner.run(&case, timeout).await;
    let duration = case_started.elapsed();
    // Judging is pure CPU work of microseconds; it stays on this task.
    match result {
        Ok(run) => {
            let judge = domain::judge(&case, &run, baseline.as_deref());
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
}
