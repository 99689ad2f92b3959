//! The flags of `greenlight replay`: the reference script's names and defaults, then
//! Greenlight's own.

use std::path::PathBuf;

use clap::Args;

use super::{progress, pyargs};

const DEFAULT_GOLDEN_SET: &str = "tests/golden/caio_alpha_golden_set_v1.json";

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
