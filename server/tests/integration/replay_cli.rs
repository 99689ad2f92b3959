//! `greenlight replay` end to end: the real binary, real child-process runners, a real HTTP
//! runner, and the reference team's fixtures (read from ../shared at test time).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

use crate::support;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

#[allow(clippy::print_stdout)] // a skip must be said, and cargo test shows it with --nocapture
fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/caio");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: ../shared/fixtures is absent (the reference team's data is not in this clone)"
        );
        None
    }
}

fn replay(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("replay")
        .args(args)
        .arg("--output-dir")
        .arg(dir.join("out"))
        .current_dir(dir)
        .env_remove("GREENLIGHT_DATA_DIR")
        .output()
        .expect("greenlight runs")
}

fn run_dir(dir: &Path) -> PathBuf {
    support::newest_entry(&dir.join("out"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write_golden(dir: &Path, ids: &[&str]) -> PathBuf {
    let cases: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "id": id, "input_query": format!("question {id}"),
                "expected_tools": ["Search.lookup"],
                "positive_constraints": ["answer"],
                "negative_constraints": ["Do not guess."]
            })
        })
        .collect();
    let path = dir.join("golden.json");
    std::fs::write(&path, serde_json::to_string(&cases).unwrap()).unwrap();
    path
}

/// A runner that misbehaves on purpose, chosen by case id.
const FAULTY_RUNNER: &str = r#"
import json, sys, time
case = json.load(sys.stdin)
cid = case["id"]
good = {"actual_output": "the answer", "tool_trace_log": ["Search.lookup"], "rag_context_chunks": ["the answer"], "metadata": {}}
if cid == "CRASH":
    sys.stderr.write("boom: the agent crashed\n"); sys.exit(3)
elif cid == "HANG":
    time.sleep(600)
elif cid == "GARBAGE":
    print("this is not json")
elif cid == "FLOOD":
    sys.stdout.write("x" * (10 * 1024 * 1024))
elif cid == "EMPTY":
    pass
elif cid == "SCALAR":
    print(json.dumps({"actual_output": 42, "tool_trace_log": "Search.lookup", "rag_context_chunks": None, "metadata": [1]}))
else:
    print(json.dumps(good))
"#;

#[test]
fn recorded_reference_runs_reproduce_the_reference_summary_and_judgements() {
    let Some(fixtures) = fixtures() else { return };
    let dir = tempfile::tempdir().unwrap();
    let golden = fixtures.join("golden_set_v1.json");
    let recorded = fixtures.join("recorded_runs.json");
    let out = replay(
        dir.path(),
        &[
            "--golden-set",
            golden.to_str().unwrap(),
            "--recorded-runs",
            recorded.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let run = run_dir(dir.path());
    let mut summary = read_json(&run.join("summary.json"));
    let mut reference = read_json(&fixtures.join("reference_summary.json"));
    for key in ["timestamp_utc", "golden_set_path", "runner_cmd"] {
        assert!(summary[key].is_string(), "{key}");
        summary.as_object_mut().unwrap().remove(key);
        reference.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(summary, reference);

    let judgements = read_json(&fixtures.join("reference_judgements.json"));
    for (id, expected) in judgements.as_object().unwrap() {
        let case = read_json(&run.join("cases").join(format!("{id}.json")));
        assert_eq!(case["status"], "ok");
        assert_eq!(&case["judge_result"], expected, "case {id}");
        assert_eq!(case["case_id"], id.as_str());
    }
    let printed: Value =
        serde_json::from_slice(&out.stdout).expect("the summary is printed as JSON");
    assert_eq!(printed["passed_cases"], 50);
}

#[test]
fn every_runner_fault_becomes_that_cases_runner_error_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let ids = [
        "OK1", "CRASH", "HANG", "GARBAGE", "FLOOD", "EMPTY", "SCALAR", "OK2",
    ];
    let golden = write_golden(dir.path(), &ids);
    std::fs::write(dir.path().join("runner.py"), FAULTY_RUNNER).unwrap();
    let started = std::time::Instant::now();
    let out = replay(
        dir.path(),
        &[
            "--golden-set",
            golden.to_str().unwrap(),
            "--runner-cmd",
            "python3 runner.py --marker greenlight-fault-test",
            "--timeout",
            "2",
            "--concurrency",
            "8",
            "--junit",
            "junit.xml",
            "--markdown",
            "summary.md",
        ],
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "a hung runner must not hang the run"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "5 of 8 failing blocks the gate: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let run = run_dir(dir.path());
    let case = |id: &str| read_json(&run.join("cases").join(format!("{id}.json")));
    let error = |id: &str| case(id)["error"].as_str().unwrap_or_default().to_string();
    assert_eq!(case("OK1")["status"], "ok");
    assert_eq!(case("OK2")["judge_result"]["pass"], true);
    assert_eq!(case("CRASH")["status"], "runner_error");
    assert_eq!(
        error("CRASH"),
        "Runner command failed (exit=3): boom: the agent crashed"
    );
    assert!(
        error("HANG").contains("timed out after 2 s"),
        "{}",
        error("HANG")
    );
    // Python's own json message, as the reference records it.
    assert_eq!(
        error("GARBAGE"),
        "Expecting value: line 1 column 1 (char 0)"
    );
    assert!(
        error("FLOOD").contains("more than 8 MiB"),
        "{}",
        error("FLOOD")
    );
    assert_eq!(error("EMPTY"), "Runner produced empty stdout.");
    // Non-string values are coerced as the reference does (str() of each).
    let scalar = case("SCALAR");
    assert_eq!(scalar["run_result"]["actual_output"], "42");
    assert_eq!(
        scalar["run_result"]["tool_trace_log"],
        json!(["Search.lookup"])
    );
    assert_eq!(scalar["run_result"]["rag_context_chunks"], json!(["None"]));
    assert_eq!(
        scalar["run_result"]["metadata"],
        json!({"raw_metadata": "[1]"})
    );

    let summary = read_json(&run.join("summary.json"));
    assert_eq!(summary["total_cases"], 8);
    assert_eq!(summary["block_build"], true);
    let rows = summary["results"].as_array().unwrap();
    let crash = rows.iter().find(|r| r["case_id"] == "CRASH").unwrap();
    assert_eq!(crash["overall_score"], json!(0.0));
    assert!(crash["error"].is_string());

    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<testcase ").count(), 8);
    assert!(junit.contains("type=\"runner_error\""));
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(md.contains("Release gate blocked"), "{md}");

    // The hung runner (and anything it started) was killed, not left behind.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let leftovers = Command::new("pgrep")
        .args(["-f", "greenlight-fault-test"])
        .output()
        .unwrap();
    assert!(
        leftovers.stdout.is_empty(),
        "runner processes left: {}",
        String::from_utf8_lossy(&leftovers.stdout)
    );
}

#[test]
fn the_exit_code_says_pass_blocked_or_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let golden = write_golden(dir.path(), &["A", "B"]);
    std::fs::write(dir.path().join("runner.py"), FAULTY_RUNNER).unwrap();
    let g = golden.to_str().unwrap();

    let pass = replay(
        dir.path(),
        &["--golden-set", g, "--runner-cmd", "python3 runner.py"],
    );
    assert_eq!(
        pass.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pass.stderr)
    );

    // No runner flag: the reference's default runner, which this directory does not have,
    // so every case is a runner error and the run is blocked.
    let no_runner = replay(dir.path(), &["--golden-set", g]);
    assert_eq!(no_runner.status.code(), Some(1));
    let summary: Value = serde_json::from_slice(&no_runner.stdout).unwrap();
    let runner_cmd = summary["runner_cmd"].as_str().unwrap();
    assert!(
        runner_cmd.starts_with('/')
            && runner_cmd.ends_with("python3 scripts/swarm_replay_runner.py"),
        "{runner_cmd}"
    );

    std::fs::write(
        dir.path().join("bad.json"),
        r#"[{"id": "X", "input_query": "q"}]"#,
    )
    .unwrap();
    let bad = replay(
        dir.path(),
        &[
            "--golden-set",
            "bad.json",
            "--runner-cmd",
            "python3 runner.py",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("expected_tools"),
        "the missing field is named: {err}"
    );

    let unclosed = replay(
        dir.path(),
        &["--golden-set", g, "--runner-cmd", "python3 'runner.py"],
    );
    assert_eq!(unclosed.status.code(), Some(2));

    let bad_rate = replay(
        dir.path(),
        &[
            "--golden-set",
            g,
            "--runner-cmd",
            "python3 runner.py",
            "--min-pass-rate",
            "half",
        ],
    );
    assert_eq!(bad_rate.status.code(), Some(2));

    let golden_blocked = write_golden(dir.path(), &["A", "CRASH"]);
    let blocked = replay(
        dir.path(),
        &[
            "--golden-set",
            golden_blocked.to_str().unwrap(),
            "--runner-cmd",
            "python3 runner.py",
        ],
    );
    assert_eq!(blocked.status.code(), Some(1));
    let relaxed = replay(
        dir.path(),
        &[
            "--golden-set",
            golden_blocked.to_str().unwrap(),
            "--runner-cmd",
            "python3 runner.py",
            "--min-pass-rate",
            "0.5",
        ],
    );
    assert_eq!(relaxed.status.code(), Some(0));
}

#[test]
fn fail_on_critical_blocks_a_run_whose_pass_rate_is_high_enough() {
    let dir = tempfile::tempdir().unwrap();
    // The answer says "guess", violating the negative constraint "Do not guess."
    let runner = r#"
import json, sys
case = json.load(sys.stdin)
out = "the answer" if case["id"] != "BAD" else "the answer, but I guess"
print(json.dumps({"actual_output": out, "tool_trace_log": ["Search.lookup"], "rag_context_chunks": ["the answer"], "metadata": {}}))
"#;
    std::fs::write(dir.path().join("runner.py"), runner).unwrap();
    let golden = write_golden(dir.path(), &["A", "B", "C", "D", "BAD"]);
    let g = golden.to_str().unwrap();
    let args = [
        "--golden-set",
        g,
        "--runner-cmd",
        "python3 runner.py",
        "--min-pass-rate",
        "0.8",
    ];
    assert_eq!(replay(dir.path(), &args).status.code(), Some(0));
    let mut critical = args.to_vec();
    critical.push("--fail-on-critical");
    let out = replay(dir.path(), &critical);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Critical criteria failed in: BAD."));
}

#[test]
fn update_baseline_records_outputs_that_the_next_run_is_compared_with() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("runner.py"), FAULTY_RUNNER).unwrap();
    let golden = write_golden(dir.path(), &["A"]);
    let g = golden.to_str().unwrap();
    let first = replay(
        dir.path(),
        &[
            "--golden-set",
            g,
            "--runner-cmd",
            "python3 runner.py",
            "--baseline-file",
            "baseline.json",
            "--update-baseline",
        ],
    );
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        read_json(&dir.path().join("baseline.json")),
        json!({"A": "the answer"})
    );
    std::thread::sleep(std::time::Duration::from_millis(1100)); // a new timestamped run directory
    let second = replay(
        dir.path(),
        &[
            "--golden-set",
            g,
            "--runner-cmd",
            "python3 runner.py",
            "--baseline-file",
            "baseline.json",
        ],
    );
    assert_eq!(second.status.code(), Some(0));
    let case = read_json(&run_dir(dir.path()).join("cases/A.json"));
    assert_eq!(
        case["judge_result"]["rubric"]["reliability_consistency"]["reason"],
        "Output similarity vs baseline: 1.00"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_runner_is_posted_each_case_and_its_failures_are_runner_errors() {
    use axum::routing::post;
    use axum::{Json, Router};

    async fn answer(
        headers: axum::http::HeaderMap,
        Json(case): Json<Value>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        if headers.get("x-runner-token").and_then(|v| v.to_str().ok()) != Some("t0ken-value") {
            return (axum::http::StatusCode::UNAUTHORIZED, "missing token").into_response();
        }
        if case["id"] == "DOWN" {
            return (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "agent exploded",
            )
                .into_response();
        }
        Json(json!({"actual_output": "the answer", "tool_trace_log": ["Search.lookup"], "rag_context_chunks": ["the answer"], "metadata": {"via": "http"}}))
            .into_response()
    }
    let runner = support::serve_stub(Router::new().route("/run", post(answer))).await;
    let url = format!("{}/run", runner.url());

    let dir = tempfile::tempdir().unwrap();
    let golden = write_golden(dir.path(), &["A", "DOWN"]);
    let dir_path = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args([
                "replay",
                "--golden-set",
                golden.to_str().unwrap(),
                "--runner-url",
                &url,
            ])
            .args([
                "--runner-header",
                "X-Runner-Token=GL_TEST_RUNNER_TOKEN",
                "--min-pass-rate",
                "0.5",
            ])
            .arg("--output-dir")
            .arg(dir_path.join("out"))
            .env("GL_TEST_RUNNER_TOKEN", "t0ken-value")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = run_dir(dir.path());
    let ok = read_json(&run.join("cases/A.json"));
    assert_eq!(ok["run_result"]["metadata"]["via"], "http");
    let down = read_json(&run.join("cases/DOWN.json"));
    assert!(
        down["error"]
            .as_str()
            .unwrap()
            .contains("answered HTTP 500: agent exploded"),
        "{down}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("t0ken-value"),
        "the header value is never printed"
    );
}

#[test]
fn stored_runs_can_be_diffed_and_a_regression_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let golden = write_golden(dir.path(), &["A", "B"]);
    let runner = |broken: &str| {
        format!(
            r#"
import json, sys
case = json.load(sys.stdin)
broken = case["id"] == "{broken}"
print(json.dumps({{"actual_output": "a wrong reply" if broken else "the answer here", "tool_trace_log": ["Other.tool"] if broken else ["Search.lookup"], "rag_context_chunks": ["the answer"], "metadata": {{}}}}))
"#
        )
    };
    let run = |broken: &str| {
        std::fs::write(dir.path().join("runner.py"), runner(broken)).unwrap();
        Command::new(BIN)
            .args([
                "replay",
                "--golden-set",
                golden.to_str().unwrap(),
                "--runner-cmd",
                "python3 runner.py",
                "--min-pass-rate",
                "0.5",
            ])
            .arg("--output-dir")
            .arg(dir.path().join("out"))
            .arg("--data-dir")
            .arg(&data)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert_eq!(run("none").status.code(), Some(0));
    let second = run("B");
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("stored as run 2"));

    let diff = Command::new(BIN)
        .args(["diff", "1", "2", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        diff.status.code(),
        Some(1),
        "B regressed: {}",
        String::from_utf8_lossy(&diff.stderr)
    );
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.contains("1 regression(s)"), "{text}");
    assert!(text.contains("B [REGRESSION]"), "{text}");
    assert!(text.contains("tools added: Other.tool"), "{text}");
    assert!(text.contains("tools removed: Search.lookup"), "{text}");
    assert!(
        text.contains("[-the answer here-]") || text.contains("[-the"),
        "{text}"
    );

    let back = Command::new(BIN)
        .args(["diff", "2", "1", "--format", "json", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(back.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&back.stdout).unwrap();
    assert_eq!(json["fixes"], json!(["B"]));

    // Run directories diff the same way, without a database.
    let mut dirs: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    if dirs.len() == 2 {
        let by_dir = Command::new(BIN).arg("diff").args(&dirs).output().unwrap();
        assert_eq!(by_dir.status.code(), Some(1));
    }

    let missing = Command::new(BIN)
        .args(["diff", "1", "99", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no stored run 99"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_killed_mid_run_is_marked_interrupted_with_its_finished_cases_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("runner.py"), FAULTY_RUNNER).unwrap();
    let golden = write_golden(dir.path(), &["A", "B", "HANG"]);
    let mut child = std::process::Command::new(BIN)
        .args([
            "replay",
            "--golden-set",
            golden.to_str().unwrap(),
            "--runner-cmd",
            "python3 runner.py --marker gl-interrupt-test",
        ])
        .args(["--timeout", "300", "--concurrency", "3"])
        .arg("--output-dir")
        .arg(dir.path().join("out"))
        .arg("--data-dir")
        .arg(&data)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("replay.log")).unwrap())
        .spawn()
        .unwrap();

    // Wait until the two quick cases are stored, then kill the console without warning.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Ok(store) = engine::Store::open(&data)
            && let Ok(Some(run)) = store.run(1).await
            && run.finished_cases == 2
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "cases were not stored in time; the replay said: {}",
            std::fs::read_to_string(dir.path().join("replay.log")).unwrap_or_default()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = Command::new("pkill")
        .args(["-f", "gl-interrupt-test"])
        .status();

    let store = engine::Store::open(&data).unwrap();
    let run = store.run(1).await.unwrap().unwrap();
    assert_eq!(run.status, engine::store::RunStatus::Interrupted);
    assert_eq!(run.finished_cases, 2);
    let cases = store.run_cases(1).await.unwrap();
    let ids: Vec<&str> = cases.iter().map(|c| c.case_id.as_str()).collect();
    assert_eq!(ids, ["A", "B"]);
}

#[test]
fn ctrl_c_cancels_a_replay_keeps_finished_cases_and_kills_the_runners() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("runner.py"), FAULTY_RUNNER).unwrap();
    let golden = write_golden(dir.path(), &["A", "B", "HANG"]);
    let child = Command::new(BIN)
        .args(["replay", "--golden-set", golden.to_str().unwrap()])
        .args([
            "--runner-cmd",
            "python3 runner.py --marker gl-sigint-test",
            "--timeout",
            "300",
        ])
        .arg("--output-dir")
        .arg(dir.path().join("out"))
        .current_dir(dir.path())
        .env_remove("GREENLIGHT_DATA_DIR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Give the quick cases time to finish while HANG hangs, then press Ctrl-C.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = run_dir(dir.path());
    assert!(run.join("cases/A.json").is_file() && run.join("cases/B.json").is_file());
    assert!(
        !run.join("cases/HANG.json").exists(),
        "the unfinished case is not reported as finished"
    );
    let summary = read_json(&run.join("summary.json"));
    assert_eq!(summary["total_cases"], 2);
    let leftovers = Command::new("pgrep")
        .args(["-f", "gl-sigint-test"])
        .output()
        .unwrap();
    assert!(
        leftovers.stdout.is_empty(),
        "runner left behind: {}",
        String::from_utf8_lossy(&leftovers.stdout)
    );
}
