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
fn parses_cases_and_keeps_the_case_as_written() {
    let set = GoldenSet::parse(TWO_CASES).unwrap();
    assert_eq!(set.len(), 2);
    let a = set.get("A").unwrap();
    assert_eq!(a.expected_tools, ["t"]);
    assert_eq!(a.negative_constraints, ["Do not x."]);
    assert_eq!(a.field("zeta"), Some(&PyValue::Int(1)));
    assert_eq!(
        crate::python::json::dumps(&a.source),
        r#"{"id": "A", "input_query": "q1", "expected_tools": ["t"], "positive_constraints": [], "negative_constraints": ["Do not x."], "zeta": 1, "alpha": {"b": 2, "a": 1}}"#
    );
    assert!(set.get("C").is_none());
    assert!(set.duplicate_ids().is_empty());
}

#[test]
fn ids_tools_and_queries_of_any_type_are_used_as_python_str_of_them() {
    // What the reference accepts: str(id) names the case, str() of each tool is compared.
    let set = GoldenSet::parse(
        r#"[{"id": 1.5, "input_query": {"q": [1, null]}, "expected_tools": [7, true, "t"],
             "positive_constraints": [], "negative_constraints": []},
            {"id": "", "input_query": null, "expected_tools": [], "positive_constraints": [],
             "negative_constraints": []},
            {"id": 12345678901234567890123456789012345678901, "input_query": 1e16,
             "expected_tools": [], "positive_constraints": [], "negative_constraints": []}]"#,
    )
    .unwrap();
    let ids: Vec<&str> = set.cases().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["1.5", "", "12345678901234567890123456789012345678901"]
    );
    assert_eq!(set.cases()[0].expected_tools, ["7", "True", "t"]);
    assert_eq!(set.cases()[0].input_query, "{'q': [1, None]}");
    assert_eq!(set.cases()[1].input_query, "None");
    assert_eq!(set.cases()[2].input_query, "1e+16");
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
        r#"case #1 (id "4"): missing field "input_query""#
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
            r#"{"id": "X", "input_query": "q", "expected_tools": [], "positive_constraints": ["a", null]}"#
        )),
        r#"case #1 (id "X"): field "positive_constraints" must be a list of strings, found null at item #1"#
    );
    assert_eq!(
        error_of(&case(
            r#"{"id": "X", "input_query": "q", "expected_tools": [], "positive_constraints": []}"#
        )),
        r#"case #1 (id "X"): missing field "negative_constraints""#
    );
}

#[test]
fn duplicate_ids_are_kept_and_reported_naming_both_cases() {
    let one = r#"{"id": "D", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []}"#;
    let other = one.replace("\"D\"", "\"E\"");
    // 1 and "1" are the same case id once converted with str().
    let number = one.replace("\"D\"", "1");
    let string = one.replace("\"D\"", "\"1\"");
    let set = GoldenSet::parse(&format!(
        "[{one}, {other}, {one}, {number}, {string}, {one}]"
    ))
    .unwrap();
    assert_eq!(set.len(), 6);
    let found: Vec<String> = set
        .duplicate_ids()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            r#"cases #0 and #2 both have the id "D""#,
            r#"cases #3 and #4 both have the id "1""#,
            r#"cases #2 and #5 both have the id "D""#
        ]
    );
}

#[test]
fn python_json_is_accepted_and_its_errors_are_pythons() {
    let set = GoldenSet::parse(
        r#"[{"id": NaN, "input_query": Infinity, "expected_tools": [], "positive_constraints": [], "negative_constraints": []}]"#,
    )
    .unwrap();
    assert_eq!(set.cases()[0].id, "nan");
    assert_eq!(set.cases()[0].input_query, "inf");
    assert_eq!(
        error_of("[1,"),
        "the golden set is not valid JSON: Expecting value: line 1 column 4 (char 3)"
    );
}

#[test]
fn a_golden_set_read_case_by_case_matches_the_whole_parse_and_its_fingerprint() {
    let mut bytes = TWO_CASES.as_bytes();
    let mut reader = Fingerprinted::new(&mut bytes);
    let cases: Vec<Case> = read_cases(&mut reader)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    reader.drain().unwrap();
    let whole = GoldenSet::parse(TWO_CASES).unwrap();
    assert_eq!(cases, whole.cases());
    assert_eq!(reader.version(), whole.version());
    let error = read_cases(&br#"[{"id": 1}]"#[..])
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"case #0 (id "1"): missing field "input_query""#
    );
    assert!(read_cases(&b"{}"[..]).is_err());
}
