//! `greenlight replay`: the reference replay harness's command line, flag for flag, default for
//! default, file for file; plus Greenlight's own runners, reports and stored runs.
//!
//! The golden set is read twice, case by case: once to check every case before anything runs
//! (as the reference refuses a bad set before its first case), once to run them. Finished
//! cases are written out as they come, so memory stays bounded whatever the set's size.

mod baseline_out;
mod progress;
mod pyargs;
mod writer;

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Args;
use domain::golden_set::{Fingerprinted, read_cases};
use domain::{Case, DuplicateId};
use engine::replay::output::{RunDir, SummaryFile, case_file_name};
use engine::replay::{BaselineFile, Baselines, ReplaySpec, Runner, run_replay};

use super::EXIT_USAGE;
use writer::{CaseFiles, Collected, Collector};

const EXIT_BLOCKED: u8 = 1;
/// Exit code after Ctrl-C, as shells report a SIGINT'd program.
const EXIT_CANCELLED: u8 = 130;

const DEFAULT_GOLDEN_SET: &str = "tests/golden/caio_alpha_golden_set_v1.json";
const DEFAULT_RUNNER_SCRIPT: &str = "scripts/swarm_replay_runner.py";

#[derive(Debug, Args)]
#[command(infer_long_args = true)]
pub struct ReplayArgs {
    /// The golden set: a JSON array of cases (id, input_query, expected_tools,
    /// positive_constraints, negative_constraints).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_GOLDEN_SET)]
    pub golden_set: PathBuf,

    /// Runner command, split like a shell command line (no shell is run). It gets one case as
    /// JSON on stdin and prints the run JSON on stdout. Default, as the reference's: the
    /// `python3` found on PATH running scripts/swarm_replay_runner.py (used when neither
    /// --runner-url nor --recorded-runs is given).
    #[arg(long, value_name = "CMD", conflicts_with_all = ["runner_url", "recorded_runs"])]
    pub runner_cmd: Option<String>,

    /// Runner URL: each case is POSTed to it as JSON and the answer is the run JSON.
    #[arg(long, value_name = "URL", conflicts_with = "recorded_runs")]
    pub runner_url: Option<String>,

    /// Recorded runs: a JSON object mapping case id to run object. Re-judges without running.
    #[arg(long, value_name = "FILE")]
    pub recorded_runs: Option<PathBuf>,

    /// Header for --runner-url, as NAME=ENV_VAR: the value is read from that environment
    /// variable so secrets stay off the command line. Repeatable.
    #[arg(long, value_name = "NAME=ENV_VAR", requires = "runner_url")]
    pub runner_header: Vec<String>,

    /// Prior outputs for the reliability criterion: a JSON object mapping case id to the
    /// baseline output (any other value is used as Python's str() of it). A missing file
    /// means no baselines; one that is not a JSON object is ignored with a warning (refused
    /// with --strict).
    #[arg(
        long,
        value_name = "F",
        default_value = "tests/golden/replay_baseline_outputs.json"
    )]
    pub baseline_file: PathBuf,

    /// After the run, write the baseline file: its outputs, updated with this run's.
    #[arg(long)]
    pub update_baseline: bool,

    /// Block the release below this pass rate. Read as Python's float(): a negative value
    /// never blocks, one above 1 always does.
    #[arg(
        long,
        default_value = "0.95",
        value_parser = pyargs::py_float,
        allow_negative_numbers = true
    )]
    pub min_pass_rate: f64,

    /// Also block when any case fails a critical criterion: tool selection ≤ 2,
    /// groundedness ≤ 2, or a violated negative constraint.
    #[arg(long)]
    pub fail_on_critical: bool,

    /// Run only the first N cases of the golden set; 0 or less means all of them.
    #[arg(
        long,
        value_name = "N",
        default_value = "0",
        value_parser = pyargs::py_int,
        allow_negative_numbers = true
    )]
    pub max_cases: i64,

    /// Refuse what the reference silently accepts: repeated case ids (the later case file
    /// replaces the earlier) and a baseline file that exists but cannot be used.
    #[arg(long)]
    pub strict: bool,

    /// Cases run at the same time (default: twice the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: Option<u32>,

    /// Seconds one case may take before its runner is stopped and the case counts as a
    /// runner error.
    #[arg(long, value_name = "SECS", default_value_t = 120.0, value_parser = parse_secs)]
    pub timeout: f64,

    /// Where the run directory (<UTC timestamp>/summary.json, cases/<id>.json) is written.
    #[arg(long, value_name = "DIR", default_value = ".hive-mind/replay_harness")]
    pub output_dir: PathBuf,

    /// Also write a JUnit XML report (one testcase per case) to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Also write a Markdown summary (for a CI job page) to this file.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Progress on stderr: a bar on a terminal, a line every 10 % or 10 s otherwise.
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: progress::Mode,

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

fn warn(message: impl std::fmt::Display) {
    eprintln!("greenlight replay: warning: {message}");
}

/// What the first pass over the golden set found.
struct Checked {
    total: usize,
    version: String,
    duplicates: Vec<DuplicateId>,
}

/// Reads every case once: each must parse and name a file; counts them (up to `limit`).
fn check_golden_set(path: &Path, limit: Option<usize>) -> Result<Checked, String> {
    let cannot_read =
        |e: std::io::Error| format!("cannot read the golden set {}: {e}", path.display());
    let mut file = BufReader::new(File::open(path).map_err(cannot_read)?);
    let mut reader = Fingerprinted::new(&mut file);
    let mut seen: HashMap<Box<str>, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    let mut total = 0;
    // As the reference, which parses the whole file before it looks at a case: a JSON error
    // anywhere wins over a case that is wrong.
    let mut first_problem = None;
    for (index, case) in read_cases(&mut reader)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .enumerate()
    {
        let case = match case {
            Ok(case) => case,
            Err(e @ domain::GoldenSetError::Json(_)) => {
                return Err(format!("{}: {e}", path.display()));
            }
            Err(e) => {
                first_problem.get_or_insert_with(|| format!("{}: {e}", path.display()));
                continue;
            }
        };
        if first_problem.is_some() || limit.is_some_and(|limit| total >= limit) {
            continue; // still read, as the reference parses the whole file
        }
        if let Err(e) = case_file_name(&case.id) {
            first_problem = Some(format!("{}: case #{index}: {e}", path.display()));
            continue;
        }
        if let Some(first) = seen.insert(case.id.as_str().into(), total) {
            duplicates.push(DuplicateId {
                id: case.id.clone(),
                first,
                second: total,
            });
        }
        total += 1;
    }
    if let Some(problem) = first_problem {
        return Err(problem);
    }
    reader.drain().map_err(cannot_read)?;
    Ok(Checked {
        total,
        version: reader.version(),
        duplicates,
    })
}

/// The cases again, for the run; a read error (the file changed since it was checked) is kept
/// in `failure` and ends the cases early.
fn stream_cases(
    path: &Path,
    limit: usize,
    failure: Arc<Mutex<Option<String>>>,
) -> Result<Box<dyn Iterator<Item = Case> + Send>, String> {
    let file = File::open(path)
        .map_err(|e| format!("cannot read the golden set {}: {e}", path.display()))?;
    let cases = read_cases(BufReader::new(file)).map_err(|e| e.to_string())?;
    let shown = path.display().to_string();
    Ok(Box::new(cases.take(limit).map_while(
        move |case| match case {
            Ok(case) => Some(case),
            Err(e) => {
                *failure.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(format!("{shown} changed during the run: {e}"));
                None
            }
        },
    )))
}

pub fn run(args: ReplayArgs) -> ExitCode {
    let limit = usize::try_from(args.max_cases).ok().filter(|&n| n > 0);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    // The three files are read through at once, each on its own core; their errors are then
    // reported in the reference's order (golden set, runner, baselines).
    let (checked, runner, baseline_file) = std::thread::scope(|scope| {
        let checked = scope.spawn(|| check_golden_set(&args.golden_set, limit));
        let baselines = scope.spawn(|| Baselines::read_file(&args.baseline_file));
        let runner = build_runner(&args, &cwd);
        (
            checked
                .join()
                .unwrap_or_else(|_| Err("cannot read the golden set".into())),
            runner,
            baselines.join(),
        )
    });
    let checked = match checked {
        Ok(checked) => checked,
        Err(message) => return usage(message),
    };
    for duplicate in &checked.duplicates {
        if args.strict {
            return usage(format!(
                "{}: {duplicate} (--strict refuses repeated ids)",
                args.golden_set.display()
            ));
        }
        warn(format!(
            "{}: {duplicate}; both run, and the later case's file replaces the earlier's",
            args.golden_set.display()
        ));
    }
    let runner = match runner {
        Ok(runner) => runner,
        Err(message) => return usage(message),
    };
    let baselines = match baseline_file {
        Ok(BaselineFile::Read(baselines)) => baselines,
        Ok(BaselineFile::Missing) => Baselines::None,
        Ok(BaselineFile::Unusable(e)) if args.strict => {
            return usage(format!(
                "baseline file {}: {e} (--strict refuses it)",
                args.baseline_file.display()
            ));
        }
        Ok(BaselineFile::Unusable(e)) => {
            warn(format!(
                "baseline file {} is not used: {e}; judged without baselines, as the reference does",
                args.baseline_file.display()
            ));
            Baselines::None
        }
        Err(_) => return usage("cannot read the baseline file"),
    };
    let concurrency = args
        .concurrency
        .map(|n| n as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() * 2));
    let stream_failure = Arc::new(Mutex::new(None));
    let cases = match stream_cases(&args.golden_set, checked.total, Arc::clone(&stream_failure)) {
        Ok(cases) => cases,
        Err(message) => return usage(message),
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
    let golden_set_path = args.golden_set.display().to_string();
    let runner_cmd = runner.describe();
    let started_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let timestamp = domain::time::compact_utc(started_at.as_secs() as i64);
    let run_dir = match RunDir::create(&args.output_dir, &timestamp) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("greenlight replay: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stored_run = store.as_ref().and_then(|store| {
        let new_run = engine::store::NewRun {
            suite: suite_name.clone(),
            suite_version: checked.version.clone(),
            golden_set_path: golden_set_path.clone(),
            runner: runner_cmd.clone(),
            min_pass_rate: args.min_pass_rate,
            total_cases: checked.total,
        };
        match runtime.block_on(store.start_run(new_run)) {
            Ok(run_id) => Some((store.clone(), run_id)),
            Err(e) => {
                tracing::error!(error = %e, "cannot store the replay run");
                None
            }
        }
    });

    let files = Arc::new(CaseFiles::new(
        run_dir,
        checked
            .duplicates
            .iter()
            .map(|d| (d.id.clone(), d.second))
            .collect(),
        args.update_baseline,
    ));
    let on_finish = Arc::clone(&files);
    let spec = ReplaySpec {
        cases,
        runner,
        concurrency,
        case_timeout: Duration::from_secs_f64(args.timeout),
        baselines: baselines.clone(),
        on_finish: Some(Arc::new(move |record| on_finish.finish(record))),
    };
    let collector = Collector {
        total: checked.total,
        junit_suite: args.junit.as_ref().map(|_| suite_name.clone()),
        markdown: args.markdown.is_some(),
        store: stored_run
            .clone()
            .map(|(store, run_id)| (store, run_id, runtime.handle().clone())),
        progress: progress::Progress::new(args.progress, checked.total),
    };
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let consumer = match std::thread::Builder::new()
        .name("replay-results".into())
        .spawn(move || collector.consume(rx))
    {
        Ok(handle) => handle,
        Err(e) => {
            eprintln!("greenlight replay: cannot start the writer: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("greenlight replay: cancelling (Ctrl-C); finished cases are kept");
                let _ = cancel_tx.send(true);
            }
        });
        run_replay(spec, tx, cancel_rx).await
    });
    let collected: Collected = match consumer.join() {
        Ok(collected) => collected,
        Err(_) => {
            eprintln!("greenlight replay: the writer stopped unexpectedly");
            return ExitCode::FAILURE;
        }
    };
    if let Some(message) = stream_failure
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        eprintln!("greenlight replay: {message}; no summary written");
        return ExitCode::FAILURE;
    }
    // Every task is done, so this is the last reference to the case files.
    let Ok(files) = Arc::try_unwrap(files) else {
        eprintln!("greenlight replay: a case was still being written");
        return ExitCode::FAILURE;
    };
    finish(
        &args,
        &runtime,
        Finished {
            collected,
            files,
            outcome,
            baselines,
            stored_run,
            suite_name,
            golden_set_path,
            runner_cmd,
            timestamp,
        },
    )
}

/// Everything the run left for the summary and the reports.
struct Finished {
    collected: Collected,
    files: CaseFiles,
    outcome: engine::replay::ReplayOutcome,
    baselines: Baselines,
    stored_run: Option<(engine::Store, i64)>,
    suite_name: String,
    golden_set_path: String,
    runner_cmd: String,
    timestamp: String,
}

fn finish(args: &ReplayArgs, runtime: &tokio::runtime::Runtime, done: Finished) -> ExitCode {
    let Finished {
        collected,
        mut files,
        outcome,
        baselines,
        stored_run,
        suite_name,
        golden_set_path,
        runner_cmd,
        timestamp,
    } = done;
    let summary = domain::summarize_rows(collected.rows, args.min_pass_rate);
    let mut blocked_reasons = Vec::new();
    if summary.block_build {
        blocked_reasons.push(format!(
            "Pass rate {:.2} % is below the minimum {:.2} %.",
            summary.pass_rate * 100.0,
            args.min_pass_rate * 100.0
        ));
    }
    if args.fail_on_critical && !collected.critical.is_empty() {
        blocked_reasons.push(format!(
            "Critical criteria failed in: {}.",
            collected.critical.join(", ")
        ));
    }
    if outcome.cancelled {
        blocked_reasons.push("The run was cancelled before every case finished.".into());
    }
    let header = SummaryFile {
        timestamp_utc: &timestamp,
        golden_set_path: &golden_set_path,
        runner_cmd: &runner_cmd,
        summary: &summary,
    };
    let mut write_failures = files.failures();
    let summary_path = match files.run_dir.write_summary(&header) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("greenlight replay: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some((store, run_id)) = &stored_run {
        let status = if outcome.cancelled {
            engine::store::RunStatus::Cancelled
        } else {
            engine::store::RunStatus::Completed
        };
        let json = std::fs::read_to_string(&summary_path).unwrap_or_else(|_| header.text());
        match runtime.block_on(store.finish_run(*run_id, status, &summary, json)) {
            Ok(()) => eprintln!(
                "greenlight replay: stored as run {run_id} in {}",
                store.path().display()
            ),
            Err(e) => write_failures.push(format!("cannot store the run: {e}")),
        }
    }
    if let Some(path) = &args.junit {
        let xml = engine::replay::output::junit_xml(
            &suite_name,
            &summary,
            &collected.testcases,
            outcome.duration.as_secs_f64(),
        );
        if let Err(e) = std::fs::write(path, xml) {
            write_failures.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(path) = &args.markdown {
        let md = engine::replay::output::markdown(
            &suite_name,
            &summary,
            &collected.failed_rows,
            &blocked_reasons,
        );
        if let Err(e) = std::fs::write(path, md) {
            write_failures.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if args.update_baseline
        && let Some(outputs) = files.take_outputs()
        && let Err(e) = baseline_out::write(&args.baseline_file, baselines.file(), &outputs)
    {
        write_failures.push(e);
    }
    // stdout: the summary, as the reference prints it (the file's text and a newline).
    if let Err(e) = print_file(&summary_path) {
        write_failures.push(format!("cannot print the summary: {e}"));
    }
    eprintln!(
        "greenlight replay: results written to {}",
        files.run_dir.path().display()
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

fn print_file(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    std::io::copy(&mut File::open(path)?, &mut stdout)?;
    stdout.write_all(b"\n")?;
    stdout.flush()
}

/// The reference's default runner: its own interpreter running the team's runner script. Here
/// the `python3` on PATH, written as its full path as the reference's `sys.executable` is.
fn default_runner_command() -> String {
    let python = std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("python3"))
                .find(|candidate| is_executable(candidate))
        })
        .map_or_else(|| "python3".to_string(), |p| p.display().to_string());
    let quoted = if python.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
        format!("'{}'", python.replace('\'', r"'\''"))
    } else {
        python
    };
    format!("{quoted} {DEFAULT_RUNNER_SCRIPT}")
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

fn build_runner(args: &ReplayArgs, cwd: &Path) -> Result<Runner, String> {
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
    if let Some(path) = &args.recorded_runs {
        return Runner::recorded(path).map_err(|e| e.to_string());
    }
    let line = args
        .runner_cmd
        .clone()
        .unwrap_or_else(default_runner_command);
    Runner::from_command_line(&line, cwd).map_err(|e| e.to_string())
}
