//! Replay benchmarks (`cargo bench -p server --bench replay`, or `scripts/bench.sh`).
//!
//! 1. Judge throughput: 10,000 recorded reference cases, each with another case's output as
//!    its baseline (so every case runs the similarity ratio), against the Python reference
//!    judge (scripts/bench/reference_judge.py) on the same inputs in the same run.
//! 2. Peak memory of the process after that (VmHWM).
//! 3. Wall time of 50 cases through a command runner that takes 100 ms per case, against the
//!    ideal (cases × 100 ms ÷ concurrency).
//!
//! Figures are printed as ratios against the reference measured in the same run: machines
//! here are noisy, ratios less so.
#![allow(clippy::print_stdout)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use domain::python::PyValue;
use domain::python::json::loads;
use domain::{GoldenSet, RunOutput};
use engine::replay::{ReplaySpec, Runner, run_replay};

const JUDGED: usize = 10_000;
const REPEATS: usize = 5;

/// The median wall time of `repeats` calls of `work`, in seconds.
fn median(repeats: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[repeats / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = root.join("../shared/fixtures/caio");
    if fixtures.is_dir() {
        judge_throughput(&root, &fixtures);
    } else {
        println!("judge throughput: skipped because ../shared/fixtures is absent");
    }
    runner_wall_time();
}

fn judge_throughput(root: &Path, fixtures: &Path) {
    let golden_path = fixtures.join("golden_set_v1.json");
    let runs_path = fixtures.join("recorded_runs.json");
    let golden = GoldenSet::parse(&std::fs::read_to_string(&golden_path).unwrap()).unwrap();
    let PyValue::Dict(runs) = loads(&std::fs::read_to_string(&runs_path).unwrap()).unwrap() else {
        panic!("recorded runs are an object");
    };
    let runs: std::collections::HashMap<String, PyValue> = runs.into_iter().collect();
    let cases: Vec<_> = golden
        .cases()
        .iter()
        .filter(|c| runs.contains_key(&c.id))
        .collect();
    let outputs: Vec<RunOutput> = cases
        .iter()
        .map(|c| RunOutput::from_py_value(runs[&c.id].clone()).unwrap())
        .collect();
    // The same work list as the Python reference: case k cycles through the set, and its
    // baseline is the next case's output.
    let work: Vec<(usize, usize)> = (0..JUDGED)
        .map(|k| (k % cases.len(), (k + 1) % cases.len()))
        .collect();

    // One untimed pass warms caches and the CPU clock; then each side is timed REPEATS times
    // and its median reported.
    for &(i, next) in &work {
        std::hint::black_box(domain::judge(
            cases[i],
            &outputs[i],
            Some(&outputs[next].actual_output),
        ));
    }

    let mut passed = 0usize;
    let elapsed = median(REPEATS, || {
        passed = 0;
        for &(i, next) in &work {
            let result = domain::judge(cases[i], &outputs[i], Some(&outputs[next].actual_output));
            passed += usize::from(result.pass);
        }
    });
    let ours = JUDGED as f64 / elapsed;
    // The same work on every core (std threads, one chunk each): what a replay of recorded
    // runs can use, since cases are judged independently.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = work.len().div_ceil(threads);
    let mut passed_parallel = 0;
    let parallel_elapsed = median(REPEATS, || {
        passed_parallel = std::thread::scope(|scope| {
            let handles: Vec<_> = work
                .chunks(chunk)
                .map(|part| {
                    let (cases, outputs) = (&cases, &outputs);
                    scope.spawn(move || {
                        part.iter()
                            .filter(|&&(i, next)| {
                                domain::judge(
                                    cases[i],
                                    &outputs[i],
                                    Some(&outputs[next].actual_output),
                                )
                                .pass
                            })
                            .count()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
    });
    let parallel = JUDGED as f64 / parallel_elapsed;
    assert_eq!(passed, passed_parallel);
    let peak_kib = support::peak_rss_kib();

    let reference = Command::new("python3")
        .arg(root.join("scripts/bench/reference_judge.py"))
        .arg(&golden_path)
        .arg(&runs_path)
        .arg(JUDGED.to_string())
        .arg(REPEATS.to_string())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    println!(
        "judge throughput: {JUDGED} cases in {elapsed:.3} s (median of {REPEATS}) = {ours:.0} cases/s on one thread ({passed} passed)"
    );
    println!("judge throughput on {threads} threads: {parallel:.0} cases/s");
    match reference {
        Some(r) => {
            let theirs = r["cases_per_second"].as_f64().unwrap_or(f64::NAN);
            println!(
                "  reference (Python, same inputs, same run): {theirs:.0} cases/s ({} passed); ratio {:.1}x on one thread, {:.1}x on {threads}",
                r["passed"],
                ours / theirs,
                parallel / theirs
            );
            if r["passed"].as_u64() != Some(passed as u64) {
                println!("  WARNING: pass counts differ from the reference");
            }
        }
        None => println!("  reference: python3 could not run scripts/bench/reference_judge.py"),
    }
    if let Some(kib) = peak_kib {
        println!(
            "peak memory (VmHWM) after judging: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}

fn runner_wall_time() {
    let dir = tempfile::tempdir().unwrap();
    let golden: Vec<serde_json::Value> = (0..50)
        .map(|i| {
            serde_json::json!({"id": format!("C{i:02}"), "input_query": "q", "expected_tools": [],
                "positive_constraints": [], "negative_constraints": []})
        })
        .collect();
    let cases = GoldenSet::parse(&serde_json::to_string(&golden).unwrap())
        .unwrap()
        .into_cases();
    // A runner that takes 100 ms: read the case, sleep, answer.
    let argv = vec![
        "sh".to_string(),
        "-c".to_string(),
        "cat >/dev/null; sleep 0.1; printf '{\"actual_output\": \"ok\"}'".to_string(),
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for concurrency in [1usize, 4, 8] {
        let spec = ReplaySpec {
            cases: Box::new(cases.clone().into_iter()),
            runner: Runner::from_argv(argv.clone(), dir.path()),
            concurrency,
            case_timeout: Duration::from_secs(30),
            baselines: Default::default(),
            on_finish: None,
        };
        let (_cancel, cancel_rx) = tokio::sync::watch::channel(false);
        let started = Instant::now();
        let ok = runtime.block_on(async {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<engine::replay::CaseRecord>(64);
            let counter = tokio::spawn(async move {
                let mut ok = 0;
                while let Some(record) = rx.recv().await {
                    ok += usize::from(record.error.is_none());
                }
                ok
            });
            run_replay(spec, tx, cancel_rx).await;
            counter.await.unwrap()
        });
        let wall = started.elapsed().as_secs_f64();
        let ideal = 50.0 * 0.1 / concurrency as f64;
        println!(
            "runner wall time, 50 cases x 100 ms, concurrency {concurrency}: {wall:.2} s vs ideal {ideal:.2} s = {:.2}x ideal ({ok}/50 ok)",
            wall / ideal
        );
    }
}
