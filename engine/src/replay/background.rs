//! Replays the console runs in the background: one task per run, at most one per suite,
//! cancellable, every case stored as it finishes (through the `recorder` the CLI uses too). The
//! browser names a configured suite; commands and URLs come from configuration.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::GoldenSet;
use tokio::sync::{mpsc, watch};

use super::baselines::Baselines;
use super::harness::{CaseRecord, ReplaySpec, run_replay};
use super::output::SummaryFile;
use super::recorder::{Recorder, close_run};
use super::runner::Runner;
use crate::config::{RunnerConfig, SuiteConfig};
use crate::store::{NewRun, RunStatus, RunTrigger, Store};
use crate::tls::TrustedRoots;

/// A suite's place among the replays being started; given back when dropped (the run is in
/// `active` by then, or the start failed).
struct Reservation<'a> {
    starting: &'a Mutex<HashSet<String>>,
    suite: &'a str,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.starting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(self.suite);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("there is no replay suite named `{0}` in the configuration")]
    UnknownSuite(String),
    #[error("the golden set of suite `{suite}` cannot be used: {message}")]
    GoldenSet { suite: String, message: String },
    #[error("the runner of suite `{suite}` cannot be used: {message}")]
    Runner { suite: String, message: String },
    #[error("suite `{0}` already has a replay running")]
    AlreadyRunning(String),
    #[error(transparent)]
    Store(#[from] crate::Error),
}

/// The console's replays in the background: which are running, and how to start or stop one.
pub struct BackgroundReplays {
    active: Mutex<HashMap<i64, (String, watch::Sender<bool>)>>,
    /// Suites between "not running" and their run being in `active`: reading the golden set
    /// and storing the run are awaited, and a second start must not slip in meanwhile.
    starting: Mutex<HashSet<String>>,
    /// What HTTP runners' TLS trusts (`[server] ca_file`).
    roots: TrustedRoots,
    /// Finished runs are counted here.
    metrics: Arc<crate::metrics::Metrics>,
}

impl BackgroundReplays {
    pub fn new(roots: TrustedRoots, metrics: Arc<crate::metrics::Metrics>) -> Self {
        Self {
            active: Mutex::default(),
            starting: Mutex::default(),
            roots,
            metrics,
        }
    }

    /// The suite's replay that is running now, if any.
    pub fn running(&self, suite: &str) -> Option<i64> {
        self.lock()
            .iter()
            .find(|(_, (name, _))| name == suite)
            .map(|(id, _)| *id)
    }

    pub fn is_active(&self, run_id: i64) -> bool {
        self.lock().contains_key(&run_id)
    }

    /// Asks a running replay to stop; finished cases are kept. False when it is not running.
    pub fn cancel(&self, run_id: i64) -> bool {
        match self.lock().get(&run_id) {
            Some((_, cancel)) => cancel.send(true).is_ok(),
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (String, watch::Sender<bool>)>> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a replay of the whole `suite` in the background and returns its run id.
    pub async fn start(
        self: &Arc<Self>,
        store: &Store,
        suites: &[SuiteConfig],
        suite: &str,
    ) -> Result<i64, StartError> {
        self.start_with(store, suites, suite, RunTrigger::Manual, |cases| {
            (cases, None)
        })
        .await
    }

    /// Starts a replay of the cases `pick` keeps (with their description when not all of
    /// them), recorded as started by `trigger`.
    pub async fn start_with(
        self: &Arc<Self>,
        store: &Store,
        suites: &[SuiteConfig],
        suite: &str,
        trigger: RunTrigger,
        pick: impl FnOnce(Vec<domain::Case>) -> (Vec<domain::Case>, Option<String>),
    ) -> Result<i64, StartError> {
        let config = suites
            .iter()
            .find(|s| s.name == suite)
            .ok_or_else(|| StartError::UnknownSuite(suite.to_string()))?;
        // Checked and reserved in one step (`active` is locked first, everywhere).
        let _reservation = {
            let active = self.lock();
            let mut starting = self.starting.lock().unwrap_or_else(|p| p.into_inner());
            if active.values().any(|(name, _)| name == suite) || !starting.insert(suite.to_string())
            {
                return Err(StartError::AlreadyRunning(suite.to_string()));
            }
            Reservation {
                starting: &self.starting,
                suite,
            }
        };
        let text = tokio::fs::read_to_string(&config.golden_set)
            .await
            .map_err(|e| StartError::GoldenSet {
                suite: suite.to_string(),
                message: format!("cannot read {}: {e}", config.golden_set.display()),
            })?;
        let golden = GoldenSet::parse(&text).map_err(|e| StartError::GoldenSet {
            suite: suite.to_string(),
            message: e.to_string(),
        })?;
        let runner =
            build_runner(&config.runner, &self.roots).map_err(|message| StartError::Runner {
                suite: suite.to_string(),
                message,
            })?;
        let baselines = baseline_outputs(store, suite).await?;
        let suite_version = golden.version().to_string();
        let (cases, selection) = pick(golden.into_cases());
        let total = cases.len();
        if cases.is_empty() {
            return Err(StartError::GoldenSet {
                suite: suite.to_string(),
                message: selection.unwrap_or_else(|| "it holds no case".into())
                    + ": no case to run",
            });
        }
        let run_id = store
            .start_run(NewRun {
                suite: suite.to_string(),
                suite_version,
                golden_set_path: config.golden_set.display().to_string(),
                runner: runner.describe(),
                min_pass_rate: config.min_pass_rate,
                total_cases: cases.len(),
                trigger,
                selection,
            })
            .await?;
        let (cancel_tx, cancel_rx) = watch::channel(false);
        self.lock().insert(run_id, (suite.to_string(), cancel_tx));
        let spec = ReplaySpec {
            cases: Box::new(cases.into_iter()),
            runner,
            concurrency: config.concurrency,
            case_timeout: config.case_timeout,
            baselines: Baselines::from_outputs(baselines),
            on_finish: None,
        };
        let replays = Arc::clone(self);
        let store = store.clone();
        let min_pass_rate = config.min_pass_rate;
        let golden_set_path = config.golden_set.display().to_string();
        let suite_name = suite.to_string();
        tokio::spawn(async move {
            let runner_cmd = spec.runner.describe();
            let (tx, mut rx) = mpsc::channel::<CaseRecord>(64);
            let mut recorder = Recorder::new(total, Some((store.clone(), run_id)));
            let recording = tokio::spawn(async move {
                while let Some(record) = rx.recv().await {
                    recorder.record(&record).await;
                }
                recorder.finish().0
            });
            let started = crate::clock::since_epoch();
            let outcome = run_replay(spec, tx, cancel_rx).await;
            let rows = recording.await.unwrap_or_default();
            let summary = domain::summarize_rows(rows, min_pass_rate);
            let timestamp = domain::time::compact_utc(started.as_secs() as i64);
            let header = SummaryFile {
                timestamp_utc: &timestamp,
                golden_set_path: &golden_set_path,
                runner_cmd: &runner_cmd,
                summary: &summary,
            };
            let status =
                match close_run(&store, run_id, outcome.cancelled, &summary, header.text()).await {
                    Ok(status) => status,
                    Err(e) => {
                        tracing::error!(run = run_id, error = %e, "cannot finish the replay run");
                        RunStatus::Interrupted
                    }
                };
            let counted = match (outcome.cancelled, summary.block_build) {
                (true, _) => crate::metrics::ReplayOutcome::Cancelled,
                (false, true) => crate::metrics::ReplayOutcome::Blocked,
                (false, false) => crate::metrics::ReplayOutcome::Passed,
            };
            replays.metrics.observe_replay(&suite_name, counted);
            tracing::info!(
                run = run_id,
                status = status.as_str(),
                passed = summary.passed_cases,
                total = summary.total_cases,
                seconds = outcome.duration.as_secs_f64(),
                "replay finished"
            );
            replays.lock().remove(&run_id);
        });
        Ok(run_id)
    }
}

/// Builds a runner from configuration. Secret header values are read from the console's
/// environment at start, never from the config file or the browser.
pub fn build_runner(config: &RunnerConfig, roots: &TrustedRoots) -> Result<Runner, String> {
    match config {
        RunnerConfig::Command { argv, working_dir } => {
            Ok(Runner::from_argv(argv.clone(), working_dir))
        }
        RunnerConfig::Http {
            url,
            headers,
            secret_headers,
        } => Runner::http_with_secrets(
            url,
            headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            secret_headers
                .iter()
                .map(|(header, var)| (header.as_str(), var.as_str())),
            roots,
        )
        .map_err(|e| e.to_string()),
        RunnerConfig::Recorded { file } => Runner::recorded(file).map_err(|e| e.to_string()),
    }
}

/// The outputs of the suite's baseline run, by case id, for the reliability criterion.
async fn baseline_outputs(
    store: &Store,
    suite: &str,
) -> Result<HashMap<String, String>, crate::Error> {
    let Some(baseline) = store.baseline_run(suite).await? else {
        return Ok(HashMap::new());
    };
    Ok(store
        .run_cases(baseline.id)
        .await?
        .into_iter()
        .filter_map(|c| {
            let output = c.run?.actual_output;
            Some((c.case_id, output))
        })
        .collect())
}

/// How long to wait between progress polls from the browser; exported for the UI's timer.
pub const PROGRESS_POLL: Duration = Duration::from_millis(700);
