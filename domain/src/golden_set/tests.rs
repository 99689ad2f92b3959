use super::*;

const TWO_CASES: &str = r#"[
    {"id": "A", "input_query": "q1", "expected_tools": ["t"], "positive_constraints": [],
     "negative_constraints": ["Do not x."], "zeta": 1, "alpha": {"b": 2, "a": 1}},
    {"id": "B", "input_query": "q2", "expected_tools": [], "positive_constraints": ["p"],
     "negative_constraints": []}
]"#;

fn error_of(text: &str) -> String {
    GoldenSet::parse(text).unwrap_err().to_string()
}

#[test]
fn parses_cases_and_keeps_extra_fields_in_document_order() {
    let set = GoldenSet::parse(TWO_CASES).unwrap();
    assert_eq!(set.len(), 2);
    let a = set.get("A").unwrap();
    assert_eq!(a.expected_tools, ["t"]);
    assert_eq!(a.negative_constraints, ["Do not x."]);
    let keys: Vec<&str> = a.extra.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["zeta", "alpha"]);
    assert_eq!(a.extra_field("zeta"), Some(&serde_json::json!(1)));
    assert_eq!(
        serde_json::to_string(a).unwrap(),
        r#"{"id":"A","input_query":"q1","expected_tools":["t"],"positive_constraints":[],"negative_constraints":["Do not x."],"zeta":1,"alpha":{"a":1,"b":2}}"#
    );
    assert!(set.get("C").is_none());
}

#[test]
fn version_is_a_stable_fingerprint_of_the_bytes() {
    let set = GoldenSet::parse(TWO_CASES).unwrap();
    assert_eq!(set.version().len(), 16);
    assert_eq!(
        set.version(),
        GoldenSet::parse(TWO_CASES).unwrap().version()
    );
    let reformatted = TWO_CASES.replace("\n", " ");
    assert_ne!(
        set.version(),
        GoldenSet::parse(&reformatted).unwrap().version()
    );
    // FNV-1a 64 reference vectors.
    assert_eq!(fnv1a_64_hex(b""), "cbf29ce484222325");
    assert_eq!(fnv1a_64_hex(b"a"), "af63dc4c8601ec8c");
    assert_eq!(fnv1a_64_hex(b"foobar"), "85944171f73967e8");
}

#[test]
fn an_empty_array_is_an_empty_golden_set() {
    assert!(GoldenSet::parse("[]").unwrap().is_empty());
}

#[test]
fn a_non_array_top_level_is_rejected() {
    assert_eq!(
        error_of(r#"{"cases": []}"#),
        "the golden set must be a JSON array of cases, found an object"
    );
    assert!(error_of("[1,").starts_with("the golden set is not valid JSON: "));
}

#[test]
fn errors_name_the_case_its_id_and_the_field() {
    let case = |body: &str| {
        format!(
            r#"[{{"id": "OK", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}}, {body}]"#
        )
    };
    assert_eq!(
        error_of(&case("7")),
        "case #1 must be an object, found a number"
    );
    assert_eq!(error_of(&case("{}")), r#"case #1: missing field "id""#);
    assert_eq!(
        error_of(&case(r#"{"id": 4}"#)),
        r#"case #1: field "id" must be a string, found a number"#
    );
    assert_eq!(
        error_of(&case(r#"{"id": ""}"#)),
        r#"case #1: field "id" must not be empty"#
    );
    assert_eq!(
        error_of(&case(r#"{"id": "CORE_004"}"#)),
        r#"case #1 (id "CORE_004"): missing field "input_query""#
    );
    assert_eq!(
        error_of(&case(
            r#"{"id": "CORE_004", "input_query": "q", "expected_tools": "t"}"#
        )),
        r#"case #1 (id "CORE_004"): field "expected_tools" must be a list of strings, found a string"#
    );
    assert_eq!(
        error_of(&case(
            r#"{"id": "X", "input_query": "q", "expected_tools": ["a", null]}"#
        )),
        r#"case #1 (id "X"): field "expected_tools" must be a list of strings, found null at item #1"#
    );
    assert_eq!(
        error_of(&case(
            r#"{"id": "X", "input_query": "q", "expected_tools": [], "positive_constraints": []}"#
        )),
        r#"case #1 (id "X"): missing field "negative_constraints""#
    );
}

#[test]
fn duplicate_ids_are_rejected_naming_both_cases() {
    let one = r#"{"id": "D", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}"#;
    let other = one.replace("\"D\"", "\"E\"");
    let text = format!("[{one}, {other}, {one}]");
    assert_eq!(error_of(&text), r#"cases #0 and #2 both have the id "D""#);
}
