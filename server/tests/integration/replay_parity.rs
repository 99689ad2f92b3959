//! `greenlight replay` as a drop-in for the reference harness: every input class the reference
//! accepts (issue 12's list) gives its exit code, stdout and files; where Python semantics are
//! involved (json.dumps, float(), json's errors) the files are checked against CPython itself
//! at test time. Real binary, real python3 runners, real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

/// `greenlight replay ARGS` run in `dir`, with progress lines (stderr is not a terminal).
fn replay(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("replay")
        .args(args)
        .current_dir(dir)
        .env_remove("GREENLIGHT_DATA_DIR")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

use crate::support::newest_entry as run_dir;

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn python(script: &str, stdin: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 failed");
    output.stdout
}

/// CPython's `json.dumps(json.loads(text), indent=2)`: a file Greenlight wrote equals it
/// exactly when its key order, escapes and numbers are what Python's json writes.
fn python_redump(text: &[u8]) -> Vec<u8> {
    python(
        "import json, sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), indent=2))",
        text,
    )
}

fn assert_python_writes_it(path: &Path) {
    let ours = std::fs::read(path).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&python_redump(&ours)),
        String::from_utf8_lossy(&ours),
        "{} is not what json.dumps(obj, indent=2) writes",
        path.display()
    );
}

/// A runner that answers from a table keyed by str(case id), and records the stdin it got.
const RUNNER: &str = r#"
import json, sys
raw = sys.stdin.read()
case = json.loads(raw)
cid = str(case["id"])
with open("stdin-" + cid.replace("/", "_") + ".txt", "w", encoding="utf-8") as f:
    f.write(raw)
answers = json.load(open("answers.json", encoding="utf-8"))
answer = answers.get(cid, {"actual_output": "the answer", "tool_trace_log": ["Search.lookup"], "rag_context_chunks": ["the answer"], "metadata": {}})
sys.stdout.write(answer if isinstance(answer, str) else json.dumps(answer))
"#;

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(golden: &str, answers: Value) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("golden.json"), golden).unwrap();
        std::fs::write(dir.path().join("runner.py"), RUNNER).unwrap();
        std::fs::write(dir.path().join("answers.json"), answers.to_string()).unwrap();
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "--golden-set",
            "golden.json",
            "--runner-cmd",
            "python3 runner.py",
            "--output-dir",
            "out",
            "--baseline-file",
            "baseline.json",
        ];
        args.extend_from_slice(extra);
        replay(self.path(), &args)
    }

    fn case_file(&self, name: &str) -> PathBuf {
        run_dir(&self.path().join("out")).join("cases").join(name)
    }

    fn summary(&self) -> Value {
        read_json(&run_dir(&self.path().join("out")).join("summary.json"))
    }
}

fn case(id: Value) -> Value {
    json!({"id": id, "input_query": "question", "expected_tools": ["Search.lookup"],
           "positive_constraints": ["answer"], "negative_constraints": []})
}

fn golden(cases: &[Value]) -> String {
    serde_json::to_string(cases).unwrap()
}

#[test]
fn baseline_files_are_read_as_the_reference_reads_them() {
    let repo = Repo::new(
        &golden(&[case(json!("A")), case(json!("B"))]),
        json!({"A": {"actual_output": "None"}, "B": {"actual_output": "{'x': [1, 2.5]}"}}),
    );
    let reliability = |repo: &Repo, id: &str| {
        let record = read_json(&repo.case_file(&format!("{id}.json")));
        record["judge_result"]["rubric"]["reliability_consistency"]["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A missing file is no baseline, silently.
    let missing = repo.run(&["--min-pass-rate", "0"]);
    assert_eq!(missing.status.code(), Some(0), "{}", stderr(&missing));
    assert!(
        !stderr(&missing).contains("warning"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(
        reliability(&repo, "A"),
        "No prior baseline output for this case."
    );

    // Empty, not JSON, not an object: ignored with a warning, judged without baselines.
    for text in ["", "not json", "[1, 2]", "\"text\""] {
        std::fs::remove_dir_all(repo.path().join("out")).unwrap();
        std::fs::write(repo.path().join("baseline.json"), text).unwrap();
        let ignored = repo.run(&["--min-pass-rate", "0"]);
        assert_eq!(
            ignored.status.code(),
            Some(0),
            "{text:?}: {}",
            stderr(&ignored)
        );
        assert!(
            stderr(&ignored).contains("warning: baseline file"),
            "{}",
            stderr(&ignored)
        );
        assert_eq!(
            reliability(&repo, "A"),
            "No prior baseline output for this case."
        );
        // --strict refuses it before anything runs.
        std::fs::remove_dir_all(repo.path().join("out")).unwrap();
        let strict = repo.run(&["--min-pass-rate", "0", "--strict"]);
        assert_eq!(strict.status.code(), Some(2), "{text:?}");
        assert!(strict.stdout.is_empty());
        assert!(
            !repo.path().join("out").exists(),
            "nothing written under --strict"
        );
        std::fs::create_dir(repo.path().join("out")).unwrap();
    }

    // Values that are not strings are compared as str() of them: null is "None", an object
    // prints as Python prints a dict (its keys in the file's order).
    std::fs::remove_dir_all(repo.path().join("out")).unwrap();
    std::fs::write(
        repo.path().join("baseline.json"),
        r#"{"A": null, "B": {"x": [1, 2.5]}}"#,
    )
    .unwrap();
    let converted = repo.run(&["--min-pass-rate", "0"]);
    assert_eq!(converted.status.code(), Some(0), "{}", stderr(&converted));
    assert_eq!(
        reliability(&repo, "A"),
        "Output similarity vs baseline: 1.00"
    );
    assert_eq!(
        reliability(&repo, "B"),
        "Output similarity vs baseline: 1.00"
    );
}

#[test]
fn min_pass_rate_and_max_cases_are_read_with_pythons_float_and_int() {
    let ids = ["A", "B", "C", "D"];
    let repo = Repo::new(
        &golden(&ids.map(|id| case(json!(id)))),
        json!({"B": "not json"}),
    );
    // 3 of 4 pass: 0.75.
    let exit = |rate: &str| {
        let out = repo.run(&["--min-pass-rate", rate]);
        (out.status.code(), out)
    };
    assert_eq!(exit(" 0.75 ").0, Some(0));
    assert_eq!(exit("0.7_5").0, Some(0));
    assert_eq!(exit("0.76").0, Some(1));
    assert_eq!(exit("-1").0, Some(0), "a negative minimum never blocks");
    assert_eq!(exit("1.5").0, Some(1), "a minimum above 1 always blocks");
    assert_eq!(exit("inf").0, Some(1));
    let (code, nan) = exit("nan");
    assert_eq!(code, Some(0), "nothing is below NaN");
    let text = String::from_utf8(nan.stdout).unwrap();
    assert!(text.contains("\"min_pass_rate_required\": NaN,"), "{text}");
    assert_eq!(exit("half").0, Some(2));
    // argparse takes an unambiguous prefix of a long flag; so does Greenlight.
    let abbreviated = repo.run(&["--min-pass", "0.76"]);
    assert_eq!(
        abbreviated.status.code(),
        Some(1),
        "{}",
        stderr(&abbreviated)
    );

    for (max, total) in [("0", 4), ("-3", 4), (" 2 ", 2), ("99", 4)] {
        let out = repo.run(&["--min-pass-rate", "0", "--max-cases", max]);
        assert_eq!(out.status.code(), Some(0), "{max}: {}", stderr(&out));
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["total_cases"], total, "--max-cases {max:?}");
    }
    assert_eq!(repo.run(&["--max-cases", "2.0"]).status.code(), Some(2));
}

#[test]
fn golden_set_values_the_reference_accepts_run_as_it_runs_them() {
    let cases = r#"[
      {"id": 1.5, "input_query": {"q": ["é", 2]}, "expected_tools": [7, "Search.lookup"],
       "positive_constraints": ["answer"], "negative_constraints": [], "extra": 1e16},
      {"id": "DUP", "input_query": "first", "expected_tools": [], "positive_constraints": [], "negative_constraints": []},
      {"id": "DUP", "input_query": "second", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}
    ]"#;
    let repo = Repo::new(
        cases,
        json!({"1.5": {"actual_output": "the answer", "tool_trace_log": [7, "Search.lookup"],
                        "rag_context_chunks": ["the answer"], "metadata": {}}}),
    );
    let out = repo.run(&["--min-pass-rate", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(r#"warning: golden.json: cases #1 and #2 both have the id "DUP""#),
        "{}",
        stderr(&out)
    );
    // str(1.5) names the case and its file; the query and tools are echoed as written.
    let record_path = repo.case_file("1.5.json");
    let record = read_json(&record_path);
    assert_eq!(record["case_id"], "1.5");
    assert_eq!(record["input_query"], json!({"q": ["é", 2]}));
    assert_eq!(record["expected_tools"], json!([7, "Search.lookup"]));
    // Tool 7 matches the runner's "7" (str() of each).
    assert_eq!(
        record["judge_result"]["rubric"]["tool_selection_accuracy"]["reason"],
        "Exact match."
    );
    assert_python_writes_it(&record_path);
    // The runner got json.dumps(case) of the case as the golden set wrote it.
    let sent = std::fs::read(repo.path().join("stdin-1.5.txt")).unwrap();
    let expected = python(
        "import json, sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read())[0]))",
        cases.as_bytes(),
    );
    assert_eq!(
        String::from_utf8_lossy(&sent),
        String::from_utf8_lossy(&expected)
    );
    // Both DUP cases ran and are in the summary; the later one's file is the one left.
    let summary = repo.summary();
    let ids: Vec<&str> = summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1.5", "DUP", "DUP"]);
    assert_eq!(
        read_json(&repo.case_file("DUP.json"))["input_query"],
        "second"
    );

    // --strict refuses the repeated id before anything runs.
    std::fs::remove_dir_all(repo.path().join("out")).unwrap();
    let strict = repo.run(&["--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(!repo.path().join("out").exists());
}

#[test]
fn runner_output_is_read_with_pythons_json_and_its_errors_are_pythons() {
    let ids = ["BAD", "LIST", "NUM", "EXTRA", "PY"];
    let repo = Repo::new(
        &golden(&ids.map(|id| case(json!(id)))),
        json!({
            "BAD": "  not json",
            "LIST": "[1, 2]",
            "NUM": "3",
            "EXTRA": "{\"actual_output\": \"x\"} {",
            "PY": r#"{"actual_output": NaN, "tool_trace_log": [Infinity, 123456789012345678901234567890], "rag_context_chunks": [], "metadata": {"z": -Infinity, "big": 123456789012345678901234567890, "f": 1e-05, "t": "\u00e9\ud83d\ude00"}}"#,
        }),
    );
    let out = repo.run(&["--min-pass-rate", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let error = |id: &str| read_json(&repo.case_file(&format!("{id}.json")))["error"].clone();
    assert_eq!(error("BAD"), "Expecting value: line 1 column 1 (char 0)");
    assert_eq!(error("LIST"), "'list' object has no attribute 'get'");
    assert_eq!(error("NUM"), "'int' object has no attribute 'get'");
    assert_eq!(error("EXTRA"), "Extra data: line 1 column 24 (char 23)");
    // What Python's json reads: NaN, infinities and big integers, kept exactly.
    let path = repo.case_file("PY.json");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"actual_output\": \"nan\""), "{text}");
    assert!(
        text.contains("\"inf\",\n      \"123456789012345678901234567890\""),
        "{text}"
    );
    assert!(text.contains("\"z\": -Infinity"), "{text}");
    assert!(
        text.contains("\"big\": 123456789012345678901234567890"),
        "{text}"
    );
    assert!(text.contains("\"f\": 1e-05"), "{text}");
    assert!(text.contains("\"t\": \"\\u00e9\\ud83d\\ude00\""), "{text}");
    assert_python_writes_it(&path);
}

#[test]
fn case_files_and_the_summary_are_written_as_pythons_json_dumps_writes_them() {
    let repo = Repo::new(
        &golden(&[case(json!("Ünïcode 😀")), case(json!("B"))]),
        json!({"B": r#"{"actual_output": "the answer é", "tool_trace_log": ["Other.tool"],
                     "rag_context_chunks": [], "metadata": {"zeta": 1, "alpha": [true, null]}}"#}),
    );
    let out = repo.run(&["--min-pass-rate", "0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = run_dir(&repo.path().join("out"));
    for name in ["Ünïcode 😀.json", "B.json"] {
        assert_python_writes_it(&dir.join("cases").join(name));
    }
    assert_python_writes_it(&dir.join("summary.json"));
    let text = std::fs::read_to_string(dir.join("cases/B.json")).unwrap();
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "case_id",
            "input_query",
            "expected_tools",
            "status",
            "run_result",
            "judge_result"
        ]
    );
    assert!(
        text.contains("\"zeta\": 1,\n      \"alpha\""),
        "metadata keeps its order: {text}"
    );
    // stdout is exactly the summary file and a newline.
    let summary = std::fs::read(dir.join("summary.json")).unwrap();
    assert_eq!([summary, b"\n".to_vec()].concat(), out.stdout);
}

#[test]
fn update_baseline_rewrites_the_file_as_the_reference_does() {
    let repo = Repo::new(
        &golden(&[case(json!("A")), case(json!("NEW")), case(json!("ERR"))]),
        json!({"A": {"actual_output": "answer é A"}, "NEW": {"actual_output": "answer NEW"},
               "ERR": "not json"}),
    );
    std::fs::write(
        repo.path().join("baseline.json"),
        r#"{"Z": "old z", "A": "old a", "ERR": 5}"#,
    )
    .unwrap();
    let out = repo.run(&["--min-pass-rate", "0", "--update-baseline"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Old keys keep their places (values as str()), this run's outputs replace theirs, new
    // ids follow; a case whose runner failed keeps its old value.
    assert_eq!(
        std::fs::read_to_string(repo.path().join("baseline.json")).unwrap(),
        "{\n  \"Z\": \"old z\",\n  \"A\": \"answer \\u00e9 A\",\n  \"ERR\": \"5\",\n  \"NEW\": \"answer NEW\"\n}"
    );
}

#[test]
fn with_no_flags_it_does_what_the_reference_does_in_the_teams_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("tests/golden")).unwrap();
    std::fs::create_dir_all(root.join("scripts")).unwrap();
    std::fs::write(
        root.join("tests/golden/caio_alpha_golden_set_v1.json"),
        golden(&[case(json!("A"))]),
    )
    .unwrap();
    std::fs::write(
        root.join("tests/golden/replay_baseline_outputs.json"),
        r#"{"A": "the answer"}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("scripts/swarm_replay_runner.py"),
        "import json, sys\njson.load(sys.stdin)\nprint(json.dumps({\"actual_output\": \"the answer\", \"tool_trace_log\": [\"Search.lookup\"], \"rag_context_chunks\": [\"the answer\"]}))\n",
    )
    .unwrap();
    let out = replay(root, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["golden_set_path"],
        "tests/golden/caio_alpha_golden_set_v1.json"
    );
    let python3 = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v python3"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        summary["runner_cmd"],
        format!("{} scripts/swarm_replay_runner.py", python3.trim())
    );
    let run = run_dir(&root.join(".hive-mind/replay_harness"));
    let record = read_json(&run.join("cases/A.json"));
    // The default baseline file was read.
    assert_eq!(
        record["judge_result"]["rubric"]["reliability_consistency"]["reason"],
        "Output similarity vs baseline: 1.00"
    );
    // Plain progress lines on stderr (not a terminal), nothing but the summary on stdout.
    assert!(
        stderr(&out).contains("1/1 cases (100 %)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn what_the_reference_cannot_run_is_refused_before_anything_is_written() {
    for (text, named) in [
        (r#"[{"id": "X", "input_query": "q"}]"#, "expected_tools"),
        (
            r#"[{"id": "a/b", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}]"#,
            "cannot be a file name",
        ),
        ("[1,", "Expecting value: line 1 column 4 (char 3)"),
        (r#"{"cases": []}"#, "must be a JSON array"),
    ] {
        let repo = Repo::new(text, json!({}));
        let out = repo.run(&[]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(named), "{text}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert!(!repo.path().join("out").exists(), "{text}: nothing written");
    }
}
