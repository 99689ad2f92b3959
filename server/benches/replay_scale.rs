//! `greenlight replay` end to end at scale (`cargo bench -p server --bench replay_scale`, or
//! `scripts/bench.sh`): the real binary re-judging recorded runs with a baseline for every case,
//! from process start to the last file written.
//!
//! 1. Throughput at 10,000 cases (median of 5 runs) against the reference's own judge called
//!    in-process without any I/O (scripts/bench/reference_judge.py) on the same cases in the
//!    same run, reported as a ratio.
//! 2. Peak memory (the child's `ru_maxrss`, read by a small python3 wrapper that runs it) at
//!    10,000 and at 100,000 cases.
//!
//! The sets are the fixture cases cycled under new ids (case k is fixture case k mod 50, its
//! baseline the next fixture case's output), so every case runs the similarity ratio.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = root.join("../shared/fixtures/caio");
    if !fixtures.is_dir() {
        println!("replay at scale: skipped because ../shared/fixtures is absent");
        return;
    }
    let golden: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("golden_set_v1.json")).unwrap(),
    )
    .unwrap();
    let runs: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("recorded_runs.json")).unwrap(),
    )
    .unwrap();
    let work = tempfile::tempdir().unwrap();

    // Throughput first, each run into a new directory: ext4 takes much longer to create files
    // just after many were deleted, so nothing is removed until the end.
    let cases = 10_000;
    let set = write_set(work.path(), &golden, &runs, cases);
    let mut timed: Vec<Run> = (0..5)
        .map(|i| replay(&set, &work.path().join(format!("t{i}"))))
        .collect();
    timed.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let median = &timed[timed.len() / 2];
    let ours = cases as f64 / median.seconds;
    let reference = Command::new("python3")
        .arg(root.join("scripts/bench/reference_judge.py"))
        .arg(fixtures.join("golden_set_v1.json"))
        .arg(fixtures.join("recorded_runs.json"))
        .arg(cases.to_string())
        .arg("5")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok());
    println!(
        "end to end, {cases} recorded cases with baselines (median of 5): {:.3} s = {ours:.0} cases/s, process start to last file written; {} passed",
        median.seconds, median.passed
    );
    match reference.and_then(|r| r["cases_per_second"].as_f64()) {
        Some(theirs) => println!(
            "  reference judge in-process, no I/O (same cases, same run, median of 5): {theirs:.0} cases/s; ratio {:.1}x",
            ours / theirs
        ),
        None => println!("  reference: python3 could not run scripts/bench/reference_judge.py"),
    }

    // Memory: the same shape at ten times the size.
    println!(
        "peak memory, {cases} cases: {:.1} MiB (ru_maxrss)",
        median.peak_kib as f64 / 1024.0
    );
    let cases = 100_000;
    let set = write_set(work.path(), &golden, &runs, cases);
    let run = replay(&set, &work.path().join("big"));
    assert_eq!(run.cases, cases);
    println!(
        "peak memory, {cases} cases: {:.1} MiB (ru_maxrss); {:.1} s = {:.0} cases/s, {} passed",
        run.peak_kib as f64 / 1024.0,
        run.seconds,
        cases as f64 / run.seconds,
        run.passed
    );
}

struct Set {
    dir: PathBuf,
    golden: PathBuf,
    runs: PathBuf,
    baseline: PathBuf,
}

/// `cases` cases cycling through the fixtures, their recorded runs and baselines, as files.
fn write_set(
    work: &Path,
    golden: &[Value],
    runs: &serde_json::Map<String, Value>,
    cases: usize,
) -> Set {
    let dir = work.join(format!("set-{cases}"));
    std::fs::create_dir_all(&dir).unwrap();
    let usable: Vec<&Value> = golden
        .iter()
        .filter(|c| runs.contains_key(c["id"].as_str().unwrap()))
        .collect();
    let (mut g, mut r, mut b) = (String::from("["), String::from("{"), String::from("{"));
    for k in 0..cases {
        let case = usable[k % usable.len()];
        let next = usable[(k + 1) % usable.len()];
        let original = case["id"].as_str().unwrap();
        let id = format!("{original}-{k}");
        let mut renamed = case.clone();
        renamed["id"] = Value::String(id.clone());
        let sep = if k == 0 { "" } else { ",\n" };
        let _ = write!(g, "{sep}{renamed}");
        let _ = write!(r, "{sep}{}: {}", Value::String(id.clone()), runs[original]);
        let baseline = &runs[next["id"].as_str().unwrap()]["actual_output"];
        let _ = write!(b, "{sep}{}: {baseline}", Value::String(id));
    }
    g.push(']');
    r.push('}');
    b.push('}');
    let set = Set {
        golden: dir.join("golden.json"),
        runs: dir.join("runs.json"),
        baseline: dir.join("baseline.json"),
        dir,
    };
    std::fs::write(&set.golden, g).unwrap();
    std::fs::write(&set.runs, r).unwrap();
    std::fs::write(&set.baseline, b).unwrap();
    set
}

struct Run {
    /// Wall time of the greenlight process alone (the wrapper's start-up excluded).
    seconds: f64,
    peak_kib: u64,
    cases: usize,
    passed: usize,
}

/// Runs the command after `--` and writes its wall time and peak memory (`ru_maxrss` of its
/// process, KiB) to the file named first; its stdout passes through.
const WRAPPER: &str = r#"
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"seconds": seconds, "peak_kib": peak}))
sys.exit(code)
"#;

/// One run writing under `out` (a new directory).
fn replay(set: &Set, out: &Path) -> Run {
    let measured = set.dir.join("measured.json");
    let output = Command::new("python3")
        .args(["-c", WRAPPER])
        .arg(&measured)
        .arg(BIN)
        .arg("replay")
        .arg("--golden-set")
        .arg(&set.golden)
        .arg("--recorded-runs")
        .arg(&set.runs)
        .arg("--baseline-file")
        .arg(&set.baseline)
        .arg("--output-dir")
        .arg(out)
        .args(["--min-pass-rate", "0", "--progress", "none"])
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(output.status.success(), "replay failed");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    let measured: Value =
        serde_json::from_str(&std::fs::read_to_string(&measured).unwrap()).unwrap();
    Run {
        seconds: measured["seconds"].as_f64().unwrap(),
        peak_kib: measured["peak_kib"].as_u64().unwrap(),
        cases: summary["total_cases"].as_u64().unwrap() as usize,
        passed: summary["passed_cases"].as_u64().unwrap() as usize,
    }
}
