use serde_json::Value;

use super::adversarial_cases::CASES;
use super::criteria::*;
use super::*;
use crate::golden_set::GoldenSet;

fn case_from(value: &Value) -> Case {
    let text = format!("[{value}]");
    GoldenSet::parse(&text).unwrap().into_cases().remove(0)
}

#[test]
fn judge_matches_the_reference_on_adversarial_cases() {
    for entry in CASES {
        let entry: Value = serde_json::from_str(entry).unwrap();
        let name = entry["name"].as_str().unwrap();
        let case = case_from(&entry["case"]);
        let run = RunOutput::from_runner_json(entry["run_text"].as_str().unwrap()).unwrap();
        let result = judge(&case, &run, entry["baseline"].as_str());
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            entry["expected"],
            "case: {name}"
        );
    }
}

#[test]
fn tool_matching_follows_rule_1() {
    assert_eq!(
        normalize_tool_name(" \u{1c}Search \tTool\u{1f} "),
        "searchtool"
    );
    assert_eq!(normalize_tool_name("ΑΣ Β"), "αςβ");
    assert_eq!(normalize_tool_name("İ"), "i\u{307}");
    let names = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let check = check_tools(&names(&["", "x.y"]), &names(&["a", "b"]));
    assert_eq!(
        (check.missing, check.unexpected, check.score),
        (names(&["x.y"]), vec![], 3)
    );
    let check = check_tools(&[], &names(&["a", "a"]));
    assert_eq!((check.unexpected, check.score), (names(&["a", "a"]), 3));
    let check = check_tools(&names(&["gateway"]), &names(&["Gateway.execute:x"]));
    assert_eq!(
        (check.missing.len(), check.unexpected.len(), check.score),
        (0, 0, 5)
    );
}

#[test]
fn tool_scores_are_checked_in_the_references_order() {
    // (expected, missing, unexpected) -> score
    assert_eq!(tool_score(0, 0, 3), 3);
    assert_eq!(tool_score(3, 0, 0), 5);
    assert_eq!(tool_score(3, 0, 1), 4);
    assert_eq!(tool_score(1, 1, 0), 3); // one missing wins over "all missing"
    assert_eq!(tool_score(3, 1, 2), 3);
    assert_eq!(tool_score(3, 2, 0), 2);
    assert_eq!(tool_score(3, 3, 0), 1);
}

#[test]
fn completeness_thresholds_are_inclusive() {
    let scores: Vec<u8> = (0..=10).map(|met| completeness_score(met, 10)).collect();
    assert_eq!(scores, [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(completeness_score(0, 0), 3);
    assert_eq!(completeness_score(2, 3), 3); // 0.666…
    assert_eq!(completeness_score(3, 4), 4); // 0.75
    assert_eq!(completeness_score(17, 19), 4); // 0.8947…
}

#[test]
fn reliability_thresholds_are_inclusive() {
    let below = |x: f64| f64::from_bits(x.to_bits() - 1);
    let table = [
        (1.0, 5),
        (0.90, 5),
        (below(0.90), 4),
        (0.75, 4),
        (below(0.75), 3),
        (0.60, 3),
        (below(0.60), 2),
        (0.40, 2),
        (below(0.40), 1),
        (0.0, 1),
    ];
    for (similarity, score) in table {
        assert_eq!(
            reliability_score(similarity),
            score,
            "similarity {similarity:?}"
        );
    }
    assert_eq!(
        reliability(None, "x"),
        (4, "No prior baseline output for this case.".to_string())
    );
    // 2 * 1 / 16 = 0.125 is an exact tie and Python's "{:.2f}" rounds it to even.
    assert_eq!(
        reliability(Some("abbbbbbb"), "accccccc"),
        (1, "Output similarity vs baseline: 0.12".to_string())
    );
}

#[test]
fn groundedness_follows_rule_3() {
    assert_eq!(groundedness_score(true, false, 0), 1);
    assert_eq!(groundedness_score(true, true, 0), 3);
    assert_eq!(groundedness_score(false, false, 0), 5);
    assert_eq!(groundedness_score(false, true, 1), 3);
    assert_eq!(groundedness_score(false, false, 2), 2);
}

#[test]
fn negative_fragments_follow_rule_4() {
    assert_eq!(
        negative_fragment("Do not claim success..."),
        "claim success"
    );
    assert_eq!(
        negative_fragment("  DO NOT leak SECRETS.  "),
        "leak secrets"
    );
    // No second strip after the prefix; a bare "do not" keeps the words themselves.
    assert_eq!(negative_fragment("Do not  double space"), " double space");
    assert_eq!(negative_fragment("do not "), "do not");
    assert_eq!(negative_fragment("Do not."), "do not");
    assert_eq!(negative_fragment("Do not ..."), "");
    assert_eq!(negative_fragment("...."), "");
    assert_eq!(
        negative_fragment("\u{1c}Never say ΟΔΟΣ.\u{1d}"),
        "never say οδος"
    );
}

#[test]
fn long_outputs_are_judged_against_a_long_baseline() {
    // Built the same way in python3, whose reference judge gave the expected JSON below.
    let x: String = (0..100_000_u32)
        .map(|i| char::from_u32(0x4e00 + (i * 7919) % 20_000).unwrap_or('?'))
        .collect();
    let y: String = x
        .chars()
        .enumerate()
        .map(|(i, c)| if i % 9973 == 0 { '#' } else { c })
        .collect();
    let case = case_from(&serde_json::json!({
        "id": "LONG", "input_query": "q", "expected_tools": ["t"],
        "positive_constraints": ["release ready", "οδος"], "negative_constraints": ["Do not say #."]
    }));
    let run = RunOutput {
        actual_output: format!("Release READY. {y} ΟΔΟΣ"),
        tool_trace_log: vec!["t".to_string()],
        rag_context_chunks: vec!["Release ready".to_string()],
        metadata: crate::python::PyValue::Dict(Vec::new()),
    };
    let result = judge(&case, &run, Some(&format!("Release ready. {x}")));
    let expected = r#"{"overall_score": 4.5, "pass": true, "rubric": {"tool_selection_accuracy": {"score": 5, "reason": "Exact match."}, "groundedness": {"score": 3, "reason": "Unsupported constraints: ['\u03bf\u03b4\u03bf\u03c2']"}, "completeness": {"score": 5, "reason": "Met 2/2 positive constraints."}, "reliability_consistency": {"score": 5, "reason": "Output similarity vs baseline: 1.00"}}, "expected_tools_evaluation": {"missing_tools": [], "unexpected_tools": [], "tool_match_summary": "1/1 expected tools matched."}, "constraints_evaluation": {"positive_constraints_met": ["release ready", "\u03bf\u03b4\u03bf\u03c2"], "positive_constraints_missed": [], "negative_constraints_violated": []}, "hallucination_check": {"unsupported_claims": ["\u03bf\u03b4\u03bf\u03c2"], "notes": "Deterministic check based on positive-constraint grounding."}, "final_verdict": "PASS"}"#;
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        serde_json::from_str::<Value>(expected).unwrap()
    );
}

#[test]
fn whole_overall_scores_serialize_as_integers() {
    let case = case_from(&serde_json::json!({
        "id": "W", "input_query": "q", "expected_tools": ["t"],
        "positive_constraints": [], "negative_constraints": []
    }));
    let run = RunOutput::from_runner_json(
        r#"{"actual_output": "x", "tool_trace_log": ["t", "u"], "rag_context_chunks": ["x"]}"#,
    )
    .unwrap();
    let result = judge(&case, &run, None);
    // Tool 4, groundedness 5, completeness 3, reliability 4: mean 4.
    assert_eq!(result.overall_score, 4.0);
    let text = serde_json::to_string(&result).unwrap();
    assert!(
        text.starts_with(r#"{"overall_score":4,"pass":true,"rubric":"#),
        "{text}"
    );
    let back: JudgeResult = serde_json::from_str(&text).unwrap();
    assert_eq!(back, result);
    assert!(!result.automatic_fail());
}
