//! `greenlight replay`: the reference replay harness's command line, flag for flag.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{ArgGroup, Args};
use domain::{GoldenSet, critical_failure};
use engine::replay::output::{self, SummaryFile};
use engine::replay::{CaseRecord, ReplaySpec, Runner, run_replay};

use super::EXIT_USAGE;

const EXIT_BLOCKED: u8 = 1;
/// Exit code after Ctrl-C, as shells report a SIGINT'd program.
const EXIT_CANCELLED: u8 = 130;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("runner").required(true).args(["runner_cmd", "runner_url", "recorded_runs"])))]
pub struct ReplayArgs {
    /// The golden set: a JSON array of cases (id, input_query, expected_tools,
    /// positive_constraints, negative_constraints).
    #[arg(long, value_name = "FILE")]
    pub golden_set: PathBuf,

    /// Runner command, split like a shell command line (no shell is run). It gets one case as
    /// JSON on stdin and prints the run JSON on stdout.
    #[arg(long, value_name = "CMD")]
    pub runner_cmd: Option<String>,

    /// Runner URL: each case is POSTed to it as JSON and the answer is the run JSON.
    #[arg(long, value_name = "URL")]
    pub runner_url: Option<String>,

    /// Recorded runs: a JSON object mapping case id to run object. Re-judges without running.
    #[arg(long, value_name = "FILE")]
    pub recorded_runs: Option<PathBuf>,

    /// Header for --runner-url, as NAME=ENV_VAR: the value is read from that environment
    /// variable so secrets stay off the command line. Repeatable.
    #[arg(long, value_name = "NAME=ENV_VAR", requires = "runner_url")]
    pub runner_header: Vec<String>,

    /// Prior outputs for the reliability criterion: a JSON object mapping case id to the
    /// baseline output (a string, or a run object with actual_output).
    #[arg(long, value_name = "F")]
    pub baseline_file: Option<PathBuf>,

    /// After the run, write this run's outputs to --baseline-file.
    #[arg(long, requires = "baseline_file")]
    pub update_baseline: bool,

    /// Block the release below this pass rate (0.0 to 1.0).
    #[arg(long, default_value_t = 0.95, value_parser = parse_rate)]
    pub min_pass_rate: f64,

    /// Also block when any case fails a critical criterion: tool selection ≤ 2,
    /// groundedness ≤ 2, or a violated negative constraint.
    #[arg(long)]
    pub fail_on_critical: bool,

    /// Run only the first N cases of the golden set.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_cases: Option<u32>,

    /// Cases run at the same time (default: twice the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: Option<u32>,

    /// Seconds one case may take before its runner is stopped and the case counts as a
    /// runner error.
    #[arg(long, value_name = "SECS", default_value_t = 120.0, value_parser = parse_secs)]
    pub timeout: f64,

    /// Where the run directory (<UTC timestamp>/summary.json, cases/<id>.json) is written.
    #[arg(long, value_name = "DIR", default_value = "artifacts/replay")]
    pub output_dir: PathBuf,

    /// Also write a JUnit XML report (one testcase per case) to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Also write a Markdown summary (for a CI job page) to this file.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Also store the run in the console's database in DIR (GREENLIGHT_DATA_DIR), so it shows
    /// on the Replays page and can be diffed.
    #[arg(long, value_name = "DIR", env = "GREENLIGHT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// CA certificates (PEM) an https --runner-url may be signed by, beside the public web
    /// roots: a team's internal CA.
    #[arg(
        long,
        value_name = "FILE",
        env = "GREENLIGHT_CA_FILE",
        requires = "runner_url"
    )]
    pub ca_file: Option<PathBuf>,
}

fn parse_rate(raw: &str) -> Result<f64, String> {
    let rate: f64 = raw
        .parse()
        .map_err(|_| format!("`{raw}` is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0.0 and 1.0"))
    }
}

fn parse_secs(raw: &str) -> Result<f64, String> {
    let secs: f64 = raw
        .parse()
        .map_err(|_| format!("`{raw}` is not a number of seconds"))?;
    if secs > 0.0 && secs <= 86_400.0 {
        Ok(secs)
    } else {
        Err(format!("{secs} is not between 0 and 86400 seconds"))
    }
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("greenlight replay: {message}");
    ExitCode::from(EXIT_USAGE)
}

pub fn run(args: ReplayArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.golden_set) {
        Ok(text) => text,
        Err(e) => {
            return usage(format!(
                "cannot read the golden set {}: {e}",
                args.golden_set.display()
            ));
        }
    };
    let golden = match GoldenSet::parse(&text) {
        Ok(golden) => golden,
        Err(e) => return usage(format!("{}: {e}", args.golden_set.display())),
    };
    let suite_version = golden.version().to_string();
    let mut cases = golden.into_cases();
    if let Some(max) = args.max_cases {
        cases.truncate(max as usize);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let runner = match build_runner(&args, &cwd) {
        Ok(runner) => runner,
        Err(message) => return usage(message),
    };
    let baselines = match args
        .baseline_file
        .as_deref()
        .map(|p| read_baselines(p, args.update_baseline))
    {
        None => HashMap::new(),
        Some(Ok(map)) => map,
        Some(Err(message)) => return usage(message),
    };
    let concurrency = args
        .concurrency
        .map(|n| n as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() * 2));
    let spec = ReplaySpec {
        cases,
        runner: runner.clone(),
        concurrency,
        case_timeout: Duration::from_secs_f64(args.timeout),
        baselines,
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("greenlight replay: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let suite_name = args
        .golden_set
        .file_stem()
        .map_or_else(|| "replay".into(), |s| s.to_string_lossy().into_owned());
    let store = match args.data_dir.as_deref().map(engine::Store::open) {
        None => None,
        Some(Ok(store)) => Some(store),
        Some(Err(e)) => return usage(format!("cannot open the data directory: {e}")),
    };
    let new_run = engine::store::NewRun {
        suite: suite_name.clone(),
        suite_version,
        golden_set_path: args.golden_set.display().to_string(),
        runner: runner.describe(),
        min_pass_rate: args.min_pass_rate,
        total_cases: spec.cases.len(),
    };
    let started_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let run_store = store.clone();
    let (outcome, stored_run) = runtime.block_on(async move {
        let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("greenlight replay: cancelling (Ctrl-C); finished cases are kept");
                let _ = cancel_tx.send(true);
            }
        });
        // With --data-dir every finished case is stored as it completes, so a killed run
        // keeps what it finished (and is marked interrupted at the next start).
        let mut recorder = None;
        let mut progress = None;
        if let Some(store) = run_store {
            match store.start_run(new_run).await {
                Ok(run_id) => {
                    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<CaseRecord>();
                    progress = Some(tx);
                    recorder = Some((
                        run_id,
                        tokio::spawn(async move {
                            while let Some(record) = rx.recv().await {
                                if let Err(e) = store.record_case(run_id, &record).await {
                                    tracing::error!(error = %e, "cannot store a replay case");
                                }
                            }
                        }),
                    ));
                }
                Err(e) => tracing::error!(error = %e, "cannot store the replay run"),
            }
        }
        let outcome = run_replay(spec, progress, cancel_rx).await;
        let stored = match recorder {
            Some((run_id, task)) => {
                let _ = task.await;
                Some(run_id)
            }
            None => None,
        };
        (outcome, stored)
    });

    let outcomes: Vec<_> = outcome.records.iter().map(CaseRecord::outcome).collect();
    let summary = domain::summarize(&outcomes, args.min_pass_rate);
    let critical: Vec<&str> = outcome
        .records
        .iter()
        .filter(|r| r.judge.as_ref().is_some_and(critical_failure))
        .map(|r| r.case.id.as_str())
        .collect();
    let mut blocked_reasons = Vec::new();
    if summary.block_build {
        blocked_reasons.push(format!(
            "Pass rate {:.2} % is below the minimum {:.2} %.",
            summary.pass_rate * 100.0,
            args.min_pass_rate * 100.0
        ));
    }
    if args.fail_on_critical && !critical.is_empty() {
        blocked_reasons.push(format!(
            "Critical criteria failed in: {}.",
            critical.join(", ")
        ));
    }
    if outcome.cancelled {
        blocked_reasons.push("The run was cancelled before every case finished.".into());
    }

    let timestamp = domain::time::compact_utc(started_at.as_secs() as i64);
    let golden_set_path = args.golden_set.display().to_string();
    let runner_cmd = runner.describe();
    let header = SummaryFile {
        timestamp_utc: &timestamp,
        golden_set_path: &golden_set_path,
        runner_cmd: &runner_cmd,
        summary: &summary,
    };
    let run_dir = match output::write_run_dir(&args.output_dir, &header, &outcome.records) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("greenlight replay: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut write_failures = Vec::new();
    if let (Some(store), Some(run_id)) = (&store, stored_run) {
        let status = if outcome.cancelled {
            engine::store::RunStatus::Cancelled
        } else {
            engine::store::RunStatus::Completed
        };
        let json = engine::replay::pyjson::to_string_pretty(&header).unwrap_or_default();
        match runtime.block_on(store.finish_run(run_id, status, &summary, json)) {
            Ok(()) => eprintln!(
                "greenlight replay: stored as run {run_id} in {}",
                store.path().display()
            ),
            Err(e) => write_failures.push(format!("cannot store the run: {e}")),
        }
    }
    if let Some(path) = &args.junit {
        let xml = output::junit_xml(
            &suite_name,
            &summary,
            &outcome.records,
            outcome.duration.as_secs_f64(),
        );
        if let Err(e) = std::fs::write(path, xml) {
            write_failures.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(path) = &args.markdown {
        let md = output::markdown(&suite_name, &summary, &outcome.records, &blocked_reasons);
        if let Err(e) = std::fs::write(path, md) {
            write_failures.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if args.update_baseline
        && let Some(path) = &args.baseline_file
        && let Err(e) = write_baselines(path, &outcome.records)
    {
        write_failures.push(e);
    }

    match engine::replay::pyjson::to_string_pretty(&header) {
        Ok(text) => println_out(&text),
        Err(e) => write_failures.push(format!("cannot print the summary: {e}")),
    }
    eprintln!(
        "greenlight replay: results written to {}",
        run_dir.display()
    );
    for reason in &blocked_reasons {
        eprintln!("greenlight replay: BLOCKED: {reason}");
    }
    for failure in &write_failures {
        eprintln!("greenlight replay: {failure}");
    }
    if !write_failures.is_empty() {
        return ExitCode::FAILURE;
    }
    if outcome.cancelled {
        ExitCode::from(EXIT_CANCELLED)
    } else if blocked_reasons.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_BLOCKED)
    }
}

#[allow(clippy::print_stdout)] // the summary on stdout is this command's output
fn println_out(text: &str) {
    println!("{text}");
}

fn build_runner(args: &ReplayArgs, cwd: &Path) -> Result<Runner, String> {
    if let Some(line) = &args.runner_cmd {
        return Runner::from_command_line(line, cwd).map_err(|e| e.to_string());
    }
    if let Some(url) = &args.runner_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--runner-url `{}` must start with http:// or https://",
                domain::secret::mask_url_credentials(url)
            ));
        }
        let mut headers = Vec::new();
        for spec in &args.runner_header {
            let Some((name, var)) = spec.split_once('=') else {
                return Err(format!("--runner-header `{spec}` must be NAME=ENV_VAR"));
            };
            let value = std::env::var(var).map_err(|_| {
                format!("--runner-header {name}: environment variable {var} is not set")
            })?;
            headers.push((name.to_string(), value));
        }
        let roots =
            super::trusted_roots(args.ca_file.as_deref()).map_err(|e| format!("--ca-file: {e}"))?;
        return Runner::http(url, headers, &roots).map_err(|e| e.to_string());
    }
    match &args.recorded_runs {
        Some(path) => Runner::recorded(path).map_err(|e| e.to_string()),
        None => Err("one of --runner-cmd, --runner-url or --recorded-runs is required".into()),
    }
}

/// Baselines: case id → prior output. Values may be strings or run objects.
fn read_baselines(path: &Path, may_be_missing: bool) -> Result<HashMap<String, String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_be_missing => {
            return Ok(HashMap::new());
        }
        Err(e) => {
            return Err(format!(
                "cannot read the baseline file {}: {e}",
                path.display()
            ));
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("baseline file {} is not valid JSON: {e}", path.display()))?;
    let serde_json::Value::Object(map) = value else {
        return Err(format!(
            "baseline file {} must be a JSON object mapping case id to output",
            path.display()
        ));
    };
    let mut baselines = HashMap::new();
    for (id, value) in map {
        let output = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Object(run) => match run.get("actual_output") {
                Some(serde_json::Value::String(s)) => s.clone(),
                _ => {
                    return Err(format!(
                        "baseline for case {id} has no actual_output string"
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "baseline for case {id} must be a string or a run object"
                ));
            }
        };
        baselines.insert(id, output);
    }
    Ok(baselines)
}

fn write_baselines(path: &Path, records: &[CaseRecord]) -> Result<(), String> {
    let map: serde_json::Map<String, serde_json::Value> = records
        .iter()
        .filter_map(|r| {
            r.run.as_ref().map(|run| {
                (
                    r.case.id.clone(),
                    serde_json::Value::String(run.actual_output.clone()),
                )
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&map).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write the baseline file {}: {e}", path.display()))
}
