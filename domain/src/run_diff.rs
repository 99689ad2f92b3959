//! What changed between two replay runs, case by case: regressions (pass → fail), fixes
//! (fail → pass), new and removed cases, per-criterion score deltas, tools added or removed
//! from the trace, and a word-level diff of the outputs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::judge::JudgeResult;
use crate::run_output::RunOutput;

pub const CRITERIA: [&str; 4] = [
    "tool_selection_accuracy",
    "groundedness",
    "completeness",
    "reliability_consistency",
];

/// One case of one run, as the diff needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: String,
    pub pass: bool,
    pub overall_score: f64,
    /// Scores in [`CRITERIA`] order; `None` for a runner error.
    pub scores: [Option<u8>; 4],
    pub tools: Vec<String>,
    pub output: String,
    pub error: Option<String>,
}

impl CaseView {
    /// From a judged (or failed) case as Greenlight holds it.
    pub fn of(
        id: &str,
        run: Option<&RunOutput>,
        judge: Option<&JudgeResult>,
        error: Option<&str>,
    ) -> Self {
        Self {
            id: id.to_string(),
            pass: judge.is_some_and(|j| j.pass),
            overall_score: judge.map_or(0.0, |j| j.overall_score),
            scores: match judge {
                Some(j) => j.rubric.scores().map(Some),
                None => [None; 4],
            },
            tools: run.map(|r| r.tool_trace_log.clone()).unwrap_or_default(),
            output: run.map(|r| r.actual_output.clone()).unwrap_or_default(),
            error: error.map(str::to_string),
        }
    }

    /// From a `cases/<id>.json` object another program wrote (the reference's output
    /// directory): read leniently, a missing field counting as absent.
    pub fn from_case_json(
        id: &str,
        run: Option<&Value>,
        judge: Option<&Value>,
        error: Option<&str>,
    ) -> Self {
        let score = |name: &str| {
            judge
                .and_then(|j| j["rubric"][name]["score"].as_u64())
                .and_then(|s| u8::try_from(s).ok())
        };
        Self {
            id: id.to_string(),
            pass: judge.and_then(|j| j["pass"].as_bool()).unwrap_or(false),
            overall_score: judge
                .and_then(|j| j["overall_score"].as_f64())
                .unwrap_or(0.0),
            scores: CRITERIA.map(score),
            tools: run
                .and_then(|r| r["tool_trace_log"].as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            output: run
                .and_then(|r| r["actual_output"].as_str())
                .unwrap_or_default()
                .to_string(),
            error: error.map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Regression,
    Fix,
    StillFailing,
    StillPassing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDelta {
    pub criterion: String,
    pub before: Option<u8>,
    pub after: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum WordOp {
    Same(String),
    Added(String),
    Removed(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseChange {
    pub id: String,
    pub kind: ChangeKind,
    pub score_before: f64,
    pub score_after: f64,
    /// Only the criteria whose score changed.
    pub criteria: Vec<CriterionDelta>,
    pub tools_added: Vec<String>,
    pub tools_removed: Vec<String>,
    /// Empty when the outputs are identical.
    pub output_diff: Vec<WordOp>,
    pub error_before: Option<String>,
    pub error_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiff {
    pub regressions: Vec<String>,
    pub fixes: Vec<String>,
    pub new_cases: Vec<String>,
    pub removed_cases: Vec<String>,
    /// Every case present in both runs, in B's order.
    pub changes: Vec<CaseChange>,
}

impl RunDiff {
    pub fn has_regressions(&self) -> bool {
        !self.regressions.is_empty()
    }
}

/// Compares run A (before) with run B (after).
pub fn diff_runs(a: &[CaseView], b: &[CaseView]) -> RunDiff {
    let find = |cases: &[CaseView], id: &str| cases.iter().position(|c| c.id == id);
    let mut diff = RunDiff {
        regressions: vec![],
        fixes: vec![],
        new_cases: vec![],
        removed_cases: vec![],
        changes: vec![],
    };
    for after in b {
        let Some(i) = find(a, &after.id) else {
            diff.new_cases.push(after.id.clone());
            continue;
        };
        let before = &a[i];
        let kind = match (before.pass, after.pass) {
            (true, false) => ChangeKind::Regression,
            (false, true) => ChangeKind::Fix,
            (false, false) => ChangeKind::StillFailing,
            (true, true) => ChangeKind::StillPassing,
        };
        match kind {
            ChangeKind::Regression => diff.regressions.push(after.id.clone()),
            ChangeKind::Fix => diff.fixes.push(after.id.clone()),
            _ => {}
        }
        let criteria = CRITERIA
            .iter()
            .enumerate()
            .filter(|(k, _)| before.scores[*k] != after.scores[*k])
            .map(|(k, name)| CriterionDelta {
                criterion: name.to_string(),
                before: before.scores[k],
                after: after.scores[k],
            })
            .collect();
        diff.changes.push(CaseChange {
            id: after.id.clone(),
            kind,
            score_before: before.overall_score,
            score_after: after.overall_score,
            criteria,
            tools_added: after
                .tools
                .iter()
                .filter(|t| !before.tools.contains(t))
                .cloned()
                .collect(),
            tools_removed: before
                .tools
                .iter()
                .filter(|t| !after.tools.contains(t))
                .cloned()
                .collect(),
            output_diff: if before.output == after.output {
                vec![]
            } else {
                word_diff(&before.output, &after.output)
            },
            error_before: before.error.clone(),
            error_after: after.error.clone(),
        });
    }
    diff.removed_cases = a
        .iter()
        .filter(|c| find(b, &c.id).is_none())
        .map(|c| c.id.clone())
        .collect();
    diff
}

/// How long one word diff may look for the shortest edit before settling for a longer one
/// (still correct, only less tidy), so a pathological pair cannot stall the console.
#[cfg(not(target_arch = "wasm32"))]
const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_millis(300);

/// Word-level diff of whitespace-separated words (`similar`'s Myers diff), with runs of the
/// same operation merged.
pub fn word_diff(a: &str, b: &str) -> Vec<WordOp> {
    use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    // The browser has no clock to give a deadline; it never diffs (the server does).
    #[cfg(not(target_arch = "wasm32"))]
    let deadline = Some(std::time::Instant::now() + DIFF_DEADLINE);
    #[cfg(target_arch = "wasm32")]
    let deadline = None;
    let mut ops: Vec<WordOp> = Vec::new();
    let mut push = |make: fn(String) -> WordOp, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text = words.join(" ");
        match (ops.last_mut(), make(String::new())) {
            (Some(WordOp::Same(t)), WordOp::Same(_))
            | (Some(WordOp::Added(t)), WordOp::Added(_))
            | (Some(WordOp::Removed(t)), WordOp::Removed(_)) => {
                t.push(' ');
                t.push_str(&text);
            }
            _ => ops.push(make(text)),
        }
    };
    for op in capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline) {
        let (tag, old, new) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(WordOp::Same, &a[old]),
            DiffTag::Delete => push(WordOp::Removed, &a[old]),
            DiffTag::Insert => push(WordOp::Added, &b[new]),
            DiffTag::Replace => {
                push(WordOp::Removed, &a[old]);
                push(WordOp::Added, &b[new]);
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: &str, pass: bool, scores: [u8; 4], tools: &[&str], output: &str) -> CaseView {
        CaseView {
            id: id.into(),
            pass,
            overall_score: f64::from(scores.iter().map(|&s| u32::from(s)).sum::<u32>()) / 4.0,
            scores: scores.map(Some),
            tools: tools.iter().map(|t| t.to_string()).collect(),
            output: output.into(),
            error: None,
        }
    }

    #[test]
    fn classifies_regressions_fixes_new_and_removed_cases() {
        let a = vec![
            view("A", true, [5, 5, 5, 4], &["x"], "same"),
            view("B", false, [2, 5, 5, 4], &["x"], "old"),
            view("GONE", true, [5, 5, 5, 4], &[], ""),
        ];
        let b = vec![
            view("A", false, [2, 5, 5, 4], &["y"], "same"),
            view("B", true, [5, 5, 5, 4], &["x"], "old"),
            view("NEW", true, [5, 5, 5, 4], &[], ""),
        ];
        let diff = diff_runs(&a, &b);
        assert_eq!(diff.regressions, ["A"]);
        assert_eq!(diff.fixes, ["B"]);
        assert_eq!(diff.new_cases, ["NEW"]);
        assert_eq!(diff.removed_cases, ["GONE"]);
        assert!(diff.has_regressions());
        let a_change = &diff.changes[0];
        assert_eq!(a_change.kind, ChangeKind::Regression);
        assert_eq!(
            a_change.criteria,
            vec![CriterionDelta {
                criterion: "tool_selection_accuracy".into(),
                before: Some(5),
                after: Some(2)
            }]
        );
        assert_eq!(a_change.tools_added, ["y"]);
        assert_eq!(a_change.tools_removed, ["x"]);
        assert!(
            a_change.output_diff.is_empty(),
            "identical outputs have no diff"
        );
    }

    #[test]
    fn word_diff_marks_added_and_removed_words_and_merges_runs() {
        assert_eq!(
            word_diff("the quick brown fox", "the slow brown dog jumps"),
            vec![
                WordOp::Same("the".into()),
                WordOp::Removed("quick".into()),
                WordOp::Added("slow".into()),
                WordOp::Same("brown".into()),
                WordOp::Removed("fox".into()),
                WordOp::Added("dog jumps".into()),
            ]
        );
        assert_eq!(word_diff("", "a b"), vec![WordOp::Added("a b".into())]);
        assert_eq!(word_diff("a b", ""), vec![WordOp::Removed("a b".into())]);
    }

    #[test]
    fn outputs_with_nothing_in_common_are_one_removal_and_one_addition() {
        let a = "a ".repeat(3000);
        let b = "b ".repeat(3000);
        let ops = word_diff(&a, &b);
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn long_outputs_are_still_diffed_word_by_word() {
        // 20,000 words each: the old table-based diff gave up on these and replaced all.
        let a: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let mut b = a.clone();
        b[10_000] = "changed".into();
        let ops = word_diff(&a.join(" "), &b.join(" "));
        assert_eq!(ops.len(), 4, "{:?}", &ops[1..3]);
        assert_eq!(ops[1], WordOp::Removed("w10000".into()));
        assert_eq!(ops[2], WordOp::Added("changed".into()));
    }

    #[test]
    fn case_views_read_the_case_file_shape() {
        let run = serde_json::json!({"actual_output": "hi", "tool_trace_log": ["T1", "T2"]});
        let judge = serde_json::json!({"pass": true, "overall_score": 4.5, "rubric": {
            "tool_selection_accuracy": {"score": 4}, "groundedness": {"score": 5},
            "completeness": {"score": 5}, "reliability_consistency": {"score": 4}}});
        let v = CaseView::from_case_json("C", Some(&run), Some(&judge), None);
        assert!(v.pass);
        assert_eq!(v.scores, [Some(4), Some(5), Some(5), Some(4)]);
        assert_eq!(v.tools, ["T1", "T2"]);
        let err = CaseView::from_case_json("E", None, None, Some("boom"));
        assert!(!err.pass);
        assert_eq!(err.scores, [None; 4]);
        assert_eq!(err.error.as_deref(), Some("boom"));
    }
}
