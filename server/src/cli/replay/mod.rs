//! `greenlight replay`: the reference replay harness's command line, flag for flag, default for
//! default, file for file; plus Greenlight's own runners, reports and stored runs.
//!
//! The golden set is read twice, case by case: once to check every case before anything runs
//! (as the reference refuses a bad set before its first case), once to run them. Finished
//! cases are written out as they come, so memory stays bounded whatever the set's size.

mod args;
mod baseline_out;
mod golden;
mod progress;
mod pyargs;
mod runner;
mod writer;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use engine::replay::output::{RunDir, SummaryFile};
use engine::replay::{BaselineFile, Baselines, ReplaySpec, run_replay};

use super::EXIT_USAGE;
pub use args::ReplayArgs;
use golden::{check_golden_set, stream_cases};
use runner::build_runner;
use writer::{CaseFiles, Collected, Collector};

const EXIT_BLOCKED: u8 = 1;
/// Exit code after Ctrl-C, as shells report a SIGINT'd program.
const EXIT_CANCELLED: u8 = 130;

fn usage(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("greenlight replay: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn warn(message: impl std::fmt::Display) {
    eprintln!("greenlight replay: warning: {message}");
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
    let started_at = engine::clock::since_epoch();
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
            trigger: engine::store::RunTrigger::Manual,
            selection: None,
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
        stored: stored_run.clone(),
        runtime: runtime.handle().clone(),
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
        ..
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
        timestamp_utc: &done.timestamp,
        golden_set_path: &done.golden_set_path,
        runner_cmd: &done.runner_cmd,
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
    if let Some((store, run_id)) = &done.stored_run {
        let json = std::fs::read_to_string(&summary_path).unwrap_or_else(|_| header.text());
        let closed =
            engine::replay::recorder::close_run(store, *run_id, outcome.cancelled, &summary, json);
        match runtime.block_on(closed) {
            Ok(_) => eprintln!(
                "greenlight replay: stored as run {run_id} in {}",
                store.path().display()
            ),
            Err(e) => write_failures.push(format!("cannot store the run: {e}")),
        }
    }
    if let Some(path) = &args.junit {
        let xml = engine::replay::output::junit_xml(
            &done.suite_name,
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
            &done.suite_name,
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
        && let Err(e) = baseline_out::write(&args.baseline_file, done.baselines.file(), &outputs)
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
