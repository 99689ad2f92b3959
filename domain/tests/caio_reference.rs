//! Conformance with the reference replay harness, on its own recorded data
//! (`../shared/fixtures/caio`, see its README). Skipped when the fixtures are absent.

mod support;

use domain::python::PyValue;
use domain::{CaseOutcome, GoldenSet, JudgeResult, RunOutput, judge, summarize};
use serde_json::Value;
use support::json_keys::keys_in_order;
use support::json_schema::violations;

struct Fixtures {
    golden: GoldenSet,
    runs: Vec<(String, RunOutput)>,
    judgements_text: String,
    judgements: Value,
}

fn load(test: &str) -> Option<Fixtures> {
    let dir = support::fixtures_dir(test)?;
    let golden = GoldenSet::parse(&support::read(&dir, "golden_set_v1.json")).unwrap();
    // Parsed in document order, so any object-valued field would `str()` as Python's would.
    let recorded: PyValue =
        serde_json::from_str(&support::read(&dir, "recorded_runs.json")).unwrap();
    let PyValue::Dict(recorded) = recorded else {
        panic!("recorded_runs.json is an object of case id -> run");
    };
    let runs = recorded
        .into_iter()
        .map(|(id, run)| (id, RunOutput::from_py_value(run).unwrap()))
        .collect();
    let judgements_text = support::read(&dir, "reference_judgements.json");
    let judgements = serde_json::from_str(&judgements_text).unwrap();
    Some(Fixtures {
        golden,
        runs,
        judgements_text,
        judgements,
    })
}

impl Fixtures {
    fn run(&self, id: &str) -> &RunOutput {
        &self
            .runs
            .iter()
            .find(|(k, _)| k == id)
            .expect("a recorded run")
            .1
    }

    /// Every golden case judged against its recorded run, with no baseline.
    fn judged(&self) -> Vec<(String, JudgeResult)> {
        self.golden
            .cases()
            .iter()
            .map(|case| (case.id.clone(), judge(case, self.run(&case.id), None)))
            .collect()
    }
}

#[test]
fn judge_matches_the_reference_for_every_recorded_case() {
    let Some(fx) = load("judge_matches_the_reference_for_every_recorded_case") else {
        return;
    };
    let judged = fx.judged();
    assert_eq!(judged.len(), 50);
    assert_eq!(fx.judgements.as_object().unwrap().len(), 50);
    for (id, result) in &judged {
        assert_eq!(
            &serde_json::to_value(result).unwrap(),
            &fx.judgements[id],
            "case {id}"
        );
    }
}

#[test]
fn judge_results_keep_the_references_key_order() {
    let Some(fx) = load("judge_results_keep_the_references_key_order") else {
        return;
    };
    let judged = fx.judged();
    let reference_keys = keys_in_order(&fx.judgements_text);
    // Rebuild the whole file from our results, in the reference file's case order.
    let case_order: Vec<&str> = reference_keys
        .iter()
        .filter(|(depth, _)| *depth == 1)
        .map(|(_, id)| id.as_str())
        .collect();
    let mut ours = String::from("{");
    for (i, id) in case_order.iter().enumerate() {
        let result = &judged.iter().find(|(k, _)| k == id).unwrap().1;
        if i > 0 {
            ours.push(',');
        }
        ours.push_str(&serde_json::to_string(id).unwrap());
        ours.push(':');
        ours.push_str(&serde_json::to_string(result).unwrap());
    }
    ours.push('}');
    assert_eq!(keys_in_order(&ours), reference_keys);
}

#[test]
fn summary_matches_the_reference_summary() {
    let Some(fx) = load("summary_matches_the_reference_summary") else {
        return;
    };
    let dir = support::fixtures_dir("summary_matches_the_reference_summary").unwrap();
    let judged = fx.judged();
    let outcomes: Vec<CaseOutcome<'_>> = judged
        .iter()
        .map(|(id, result)| CaseOutcome::Judged {
            case_id: id,
            result,
        })
        .collect();
    let summary = summarize(&outcomes, 0.95);
    assert_eq!((summary.total_cases, summary.passed_cases), (50, 50));
    assert_eq!((summary.pass_rate, summary.average_score), (1.0, 4.54));
    assert!(!summary.block_build);

    let text = support::read(&dir, "reference_summary.json");
    let mut reference: Value = serde_json::from_str(&text).unwrap();
    let engine_fields = ["timestamp_utc", "golden_set_path", "runner_cmd"];
    for field in engine_fields {
        reference.as_object_mut().unwrap().remove(field);
    }
    assert_eq!(serde_json::to_value(&summary).unwrap(), reference);

    let reference_keys: Vec<(usize, String)> = keys_in_order(&text)
        .into_iter()
        .filter(|(_, key)| !engine_fields.contains(&key.as_str()))
        .collect();
    assert_eq!(
        keys_in_order(&serde_json::to_string(&summary).unwrap()),
        reference_keys
    );
}

#[test]
fn every_judge_result_satisfies_the_published_schema() {
    let Some(fx) = load("every_judge_result_satisfies_the_published_schema") else {
        return;
    };
    let dir = support::fixtures_dir("every_judge_result_satisfies_the_published_schema").unwrap();
    let schema: Value =
        serde_json::from_str(&support::read(&dir, "sme_judge_output_schema.json")).unwrap();
    let mut results: Vec<JudgeResult> = fx.judged().into_iter().map(|(_, r)| r).collect();
    // Also the other branches: each case against the next case's run and output as baseline,
    // and against an empty run.
    let cases = fx.golden.cases();
    for (i, case) in cases.iter().enumerate() {
        let other = fx.run(&cases[(i + 1) % cases.len()].id);
        let own = &fx.run(&case.id).actual_output;
        results.push(judge(case, other, Some(own)));
        let empty = RunOutput::from_runner_json("{}").unwrap();
        results.push(judge(case, &empty, Some("")));
    }
    assert!(results.iter().any(|r| !r.pass));
    for result in &results {
        let value = serde_json::to_value(result).unwrap();
        assert_eq!(violations(&schema, &value), Vec::<String>::new(), "{value}");
    }
}

#[test]
fn the_schema_checker_rejects_what_the_schema_forbids() {
    let Some(fx) = load("the_schema_checker_rejects_what_the_schema_forbids") else {
        return;
    };
    let dir = support::fixtures_dir("the_schema_checker_rejects_what_the_schema_forbids").unwrap();
    let schema: Value =
        serde_json::from_str(&support::read(&dir, "sme_judge_output_schema.json")).unwrap();
    let good = fx.judgements["CORE_001"].clone();
    assert!(violations(&schema, &good).is_empty());
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut value = good.clone();
        edit(&mut value);
        violations(&schema, &value)
    };
    assert_eq!(
        broken(&|v| v["rubric"]["groundedness"]["score"] = 6.into()).len(),
        1
    );
    assert_eq!(
        broken(&|v| v["rubric"]["completeness"]["score"] = 4.5.into()).len(),
        1
    );
    assert_eq!(broken(&|v| v["overall_score"] = 0.5.into()).len(), 1);
    assert_eq!(broken(&|v| v["pass"] = "yes".into()).len(), 1);
    assert_eq!(broken(&|v| v["extra"] = 1.into()).len(), 1);
    assert_eq!(
        broken(&|v| {
            v["hallucination_check"]
                .as_object_mut()
                .unwrap()
                .remove("notes");
        })
        .len(),
        1
    );
    assert_eq!(
        broken(&|v| v["expected_tools_evaluation"]["missing_tools"] = serde_json::json!([1])).len(),
        1
    );
}

#[test]
fn the_golden_set_parses_with_all_fifty_cases() {
    let Some(fx) = load("the_golden_set_parses_with_all_fifty_cases") else {
        return;
    };
    assert_eq!(fx.golden.len(), 50);
    assert_eq!(fx.golden.cases()[3].id, "CORE_004");
    let five_fields = |c: &domain::Case| matches!(&c.source, PyValue::Dict(f) if f.len() == 5);
    assert!(fx.golden.cases().iter().all(five_fields));
    assert!(fx.golden.duplicate_ids().is_empty());
    assert_eq!(fx.runs.len(), 50);
}
