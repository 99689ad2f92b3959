//! Evaluation: pass or fail, and the exact `shown` text.

use serde_json::json;

use super::*;

fn eval(text: &str, status: u16, ms: f64, body: Option<serde_json::Value>) -> (bool, String) {
    let result = Condition::parse(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .evaluate(status, ms, body.as_ref());
    (result.passed, result.shown)
}

fn on_body(text: &str, body: serde_json::Value) -> (bool, String) {
    eval(text, 200, 10.0, Some(body))
}

#[test]
fn the_issue_examples_pass_and_fail_with_gatus_text() {
    assert_eq!(
        eval("[STATUS] == 200", 200, 5.0, None),
        (true, "[STATUS] (200) == 200".into())
    );
    assert_eq!(
        eval("[STATUS] == 200", 503, 5.0, None),
        (false, "[STATUS] (503) == 200".into())
    );

    let c = "[BODY].pipeline_healthy == true";
    assert_eq!(
        on_body(c, json!({"pipeline_healthy": true})),
        (true, "[BODY].pipeline_healthy (true) == true".into())
    );
    assert_eq!(
        on_body(c, json!({"pipeline_healthy": false})),
        (false, "[BODY].pipeline_healthy (false) == true".into())
    );

    let c = "[BODY].queue.p95_age_seconds < 900";
    assert_eq!(
        on_body(c, json!({"queue": {"p95_age_seconds": 1320}})),
        (false, "[BODY].queue.p95_age_seconds (1320) < 900".into())
    );
    assert_eq!(
        on_body(c, json!({"queue": {"p95_age_seconds": 12.5}})),
        (true, "[BODY].queue.p95_age_seconds (12.5) < 900".into())
    );
    assert_eq!(
        on_body(c, json!({"queue": {}})),
        (false, "[BODY].queue.p95_age_seconds (missing) < 900".into())
    );

    assert_eq!(
        eval("[RESPONSE_TIME] < 500", 200, 731.0, None),
        (false, "[RESPONSE_TIME] (731) < 500".into())
    );
    assert_eq!(
        eval("[RESPONSE_TIME] < 500", 200, 42.456, None),
        (true, "[RESPONSE_TIME] (42.46) < 500".into())
    );
}

#[test]
fn every_operator_on_numbers() {
    let cases = [
        ("[STATUS] != 200", true),
        ("[STATUS] < 300", false),
        ("[STATUS] <= 301", true),
        ("[STATUS] > 300", true),
        ("[STATUS] >= 302", false),
    ];
    for (text, expected) in cases {
        assert_eq!(eval(text, 301, 1.0, None).0, expected, "{text}");
    }
    // JSON ints and floats are the same number.
    assert!(on_body("[BODY].n == 1", json!({"n": 1.0})).0);
    assert!(on_body("[BODY].n == 1.0", json!({"n": 1})).0);
    assert!(on_body("[BODY].n >= 0.25", json!({"n": 0.25})).0);
}

#[test]
fn arrays_and_indices() {
    let body = json!({"items": [{"name": "a"}, {"name": "b", "tags": ["x", "y"]}], "matrix": [[1, 2], [3, 4]]});
    assert_eq!(
        on_body("[BODY].items[1].name == b", body.clone()),
        (true, "[BODY].items[1].name (b) == b".into())
    );
    assert!(on_body("[BODY].items[1].tags[0] == x", body.clone()).0);
    assert_eq!(
        on_body("[BODY].matrix[1][0] == 3", body.clone()),
        (true, "[BODY].matrix[1][0] (3) == 3".into())
    );
    assert_eq!(
        on_body("[BODY].items[5].name == b", body.clone()),
        (false, "[BODY].items[5].name (missing) == b".into())
    );
    // An index into an object, or a key into a list, is missing rather than an error.
    assert!(!on_body("[BODY].items.name == b", body.clone()).0);
    assert_eq!(
        on_body("[BODY][0] == 1", json!([1, 2])),
        (true, "[BODY][0] (1) == 1".into())
    );
    assert_eq!(
        on_body("[BODY].items[0] == x", body),
        (false, "[BODY].items[0] ({\"name\":\"a\"}) == x".into())
    );
}

#[test]
fn len_counts_items_characters_and_keys() {
    let body =
        json!({"jobs": [1, 2, 3], "name": "héllo", "meta": {"a": 1, "b": 2}, "n": 5, "empty": []});
    assert_eq!(
        on_body("len([BODY].jobs) == 3", body.clone()),
        (true, "len([BODY].jobs) (3) == 3".into())
    );
    assert!(on_body("len([BODY].name) == 5", body.clone()).0);
    assert!(on_body("len([BODY].meta) < 3", body.clone()).0);
    assert_eq!(
        on_body("len([BODY].empty) > 0", body.clone()),
        (false, "len([BODY].empty) (0) > 0".into())
    );
    assert_eq!(
        on_body("len([BODY].n) == 1", body.clone()),
        (false, "len([BODY].n) (5, which has no length) == 1".into())
    );
    assert_eq!(
        on_body("len([BODY].nope) == 0", body),
        (false, "len([BODY].nope) (missing) == 0".into())
    );
    assert!(on_body("len([BODY]) == 2", json!([1, 2])).0);
}

#[test]
fn any_passes_on_one_match() {
    assert_eq!(
        eval("[STATUS] == any(200, 204)", 204, 1.0, None),
        (true, "[STATUS] (204) == any(200, 204)".into())
    );
    assert!(!eval("[STATUS] == any(200, 204)", 500, 1.0, None).0);
    let c = "[BODY].status == any(UP, \"degraded\", null)";
    assert!(on_body(c, json!({"status": "degraded"})).0);
    assert!(on_body(c, json!({"status": null})).0);
    assert_eq!(
        on_body(c, json!({"status": "DOWN"})),
        (
            false,
            "[BODY].status (DOWN) == any(UP, degraded, null)".into()
        )
    );
}

#[test]
fn text_booleans_and_null() {
    assert_eq!(
        on_body("[BODY].status == UP", json!({"status": "UP"})),
        (true, "[BODY].status (UP) == UP".into())
    );
    assert!(on_body("[BODY].status != UP", json!({"status": "DOWN"})).0);
    assert_eq!(
        on_body("[BODY].msg == \"\"", json!({"msg": ""})),
        (true, "[BODY].msg (\"\") == \"\"".into())
    );
    assert_eq!(
        on_body("[BODY].v == null", json!({"v": null})),
        (true, "[BODY].v (null) == null".into())
    );
    assert!(
        !on_body("[BODY].v == null", json!({})).0,
        "missing is not null"
    );
    assert!(on_body("[BODY].v != null", json!({"v": 0})).0);
    // Quoted text compares with the value as written; a bare number compares numerically.
    assert!(on_body("[BODY].flag == \"true\"", json!({"flag": true})).0);
    assert!(on_body("[BODY].flag == true", json!({"flag": "true"})).0);
    assert!(!on_body("[BODY].flag == true", json!({"flag": 1})).0);
    assert!(on_body("[BODY].count == 5", json!({"count": "5"})).0);
    assert!(!on_body("[BODY].v == \"2.10\"", json!({"v": 2.1})).0);
    assert!(on_body("[BODY].v == \"2.1\"", json!({"v": 2.1})).0);
}

#[test]
fn missing_values_fail_every_operator() {
    for text in [
        "[BODY].x == 1",
        "[BODY].x != 1",
        "[BODY].x < 1",
        "[BODY].x >= 1",
        "[BODY].x != null",
    ] {
        let (passed, shown) = on_body(text, json!({}));
        assert!(!passed, "{text}");
        assert!(shown.contains("(missing)"), "{shown}");
    }
    assert_eq!(
        eval("[BODY].x == 1", 502, 3.0, None),
        (false, "[BODY].x (no JSON body) == 1".into())
    );
    assert_eq!(
        eval("len([BODY].x) == 1", 502, 3.0, None),
        (false, "len([BODY].x) (no JSON body) == 1".into())
    );
}

#[test]
fn ordering_on_non_numbers_fails_and_says_why() {
    assert_eq!(
        on_body("[BODY].age < 900", json!({"age": "stale"})),
        (false, "[BODY].age (stale, not a number) < 900".into())
    );
    assert_eq!(
        on_body("[BODY].age > 1", json!({"age": [1, 2]})),
        (false, "[BODY].age ([1,2], not a number) > 1".into())
    );
    assert_eq!(
        on_body("[BODY].age < 900", json!({"age": " 12 "})),
        (true, "[BODY].age ( 12 ) < 900".into())
    );
}

#[test]
fn long_values_are_cut_in_the_shown_text() {
    let long = "x".repeat(200);
    let (passed, shown) = on_body("[BODY].s == y", json!({ "s": long }));
    assert!(!passed);
    assert_eq!(shown, format!("[BODY].s ({}…) == y", "x".repeat(79)));
}
