//! `greenlight diff RUN_A RUN_B`: what changed between two replay runs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use domain::run_diff::{CaseView, ChangeKind, RunDiff, WordOp, diff_runs};

use super::EXIT_USAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run: a stored run id or a run directory (with summary.json and cases/).
    pub run_a: String,
    /// The later run, compared against A.
    pub run_b: String,
    /// The console's data directory, for stored run ids (GREENLIGHT_DATA_DIR).
    #[arg(long, value_name = "DIR", env = "GREENLIGHT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: DiffArgs) -> ExitCode {
    let load = |spec: &str| load_run(spec, args.data_dir.as_deref());
    let (a, b) = match (load(&args.run_a), load(&args.run_b)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("greenlight diff: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let diff = diff_runs(&a, &b);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&diff).unwrap_or_default(),
        Format::Text => render_text(&args.run_a, &args.run_b, &diff),
    };
    print_out(&text);
    if diff.has_regressions() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[allow(clippy::print_stdout)] // the diff on stdout is this command's output
fn print_out(text: &str) {
    println!("{text}");
}

fn load_run(spec: &str, data_dir: Option<&Path>) -> Result<Vec<CaseView>, String> {
    let path = Path::new(spec);
    if path.join("summary.json").is_file() {
        return load_dir(path);
    }
    let Ok(id) = spec.parse::<i64>() else {
        return Err(format!(
            "`{spec}` is neither a run directory (with summary.json) nor a stored run id"
        ));
    };
    let data_dir = data_dir.ok_or_else(|| {
        format!("run {id} is a stored run id: give --data-dir (or GREENLIGHT_DATA_DIR)")
    })?;
    let store = engine::Store::open(data_dir).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        if store.run(id).await.map_err(|e| e.to_string())?.is_none() {
            return Err(format!(
                "there is no stored run {id} in {}",
                data_dir.display()
            ));
        }
        let cases = store.run_cases(id).await.map_err(|e| e.to_string())?;
        Ok(cases.iter().map(engine::store::StoredCase::view).collect())
    })
}

/// Reads `cases/*.json` in the order of the summary's `results`.
fn load_dir(dir: &Path) -> Result<Vec<CaseView>, String> {
    let read = |p: &Path| -> Result<serde_json::Value, String> {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", p.display()))
    };
    let summary = read(&dir.join("summary.json"))?;
    let results = summary["results"]
        .as_array()
        .ok_or_else(|| format!("{}/summary.json has no results", dir.display()))?;
    let mut views = Vec::with_capacity(results.len());
    for row in results {
        let id = row["case_id"]
            .as_str()
            .ok_or("a summary result has no case_id")?;
        let file = dir
            .join("cases")
            .join(engine::replay::output::case_file_name(id)?);
        let case = read(&file)?;
        let run = case.get("run_result");
        let judge = case.get("judge_result");
        views.push(CaseView::from_case_json(
            id,
            run,
            judge,
            case["error"].as_str(),
        ));
    }
    Ok(views)
}

fn render_text(a: &str, b: &str, diff: &RunDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Comparing {a} (A) with {b} (B)");
    let _ = writeln!(
        out,
        "{} regression(s), {} fix(es), {} new case(s), {} removed case(s)",
        diff.regressions.len(),
        diff.fixes.len(),
        diff.new_cases.len(),
        diff.removed_cases.len()
    );
    let list = |out: &mut String, title: &str, ids: &[String]| {
        if !ids.is_empty() {
            let _ = writeln!(out, "{title}: {}", ids.join(", "));
        }
    };
    list(&mut out, "Regressions (pass → fail)", &diff.regressions);
    list(&mut out, "Fixes (fail → pass)", &diff.fixes);
    list(&mut out, "New cases", &diff.new_cases);
    list(&mut out, "Removed cases", &diff.removed_cases);
    for change in &diff.changes {
        let changed = !change.criteria.is_empty()
            || !change.tools_added.is_empty()
            || !change.tools_removed.is_empty()
            || !change.output_diff.is_empty()
            || change.error_before != change.error_after;
        if !changed
            && matches!(
                change.kind,
                ChangeKind::StillPassing | ChangeKind::StillFailing
            )
        {
            continue;
        }
        let kind = match change.kind {
            ChangeKind::Regression => "REGRESSION",
            ChangeKind::Fix => "FIX",
            ChangeKind::StillFailing => "still failing",
            ChangeKind::StillPassing => "still passing",
        };
        let _ = writeln!(
            out,
            "\n{} [{kind}] overall {} → {}",
            change.id, change.score_before, change.score_after
        );
        for c in &change.criteria {
            let show = |s: Option<u8>| s.map_or_else(|| "-".to_string(), |v| v.to_string());
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                c.criterion,
                show(c.before),
                show(c.after)
            );
        }
        if !change.tools_added.is_empty() {
            let _ = writeln!(out, "  tools added: {}", change.tools_added.join(", "));
        }
        if !change.tools_removed.is_empty() {
            let _ = writeln!(out, "  tools removed: {}", change.tools_removed.join(", "));
        }
        if let Some(e) = &change.error_after {
            let _ = writeln!(out, "  runner error in B: {e}");
        }
        if !change.output_diff.is_empty() {
            let words: Vec<String> = change
                .output_diff
                .iter()
                .map(|op| match op {
                    WordOp::Same(t) => t.clone(),
                    WordOp::Added(t) => format!("{{+{t}+}}"),
                    WordOp::Removed(t) => format!("[-{t}-]"),
                })
                .collect();
            let _ = writeln!(out, "  output: {}", words.join(" "));
        }
    }
    out
}
