//! The grammar: what parses, how it is written back, and what the errors say.

use super::*;

fn parsed(text: &str) -> Condition {
    Condition::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn reason(text: &str) -> String {
    Condition::parse(text).expect_err(text).reason().to_string()
}

#[test]
fn the_issue_examples_parse_into_their_parts() {
    let c = parsed("[STATUS] == 200");
    assert_eq!(
        (c.left(), c.op(), c.right()),
        (&Left::Status, Op::Eq, &Right::Value(Literal::Number(200.0)))
    );
    let c = parsed("[BODY].pipeline_healthy == true");
    assert_eq!(
        c.left(),
        &Left::Body(JsonPath(vec![Step::Key("pipeline_healthy".into())]))
    );
    assert_eq!(c.right(), &Right::Value(Literal::Bool(true)));
    let c = parsed("[BODY].queue.p95_age_seconds < 900");
    assert_eq!(
        c.left(),
        &Left::Body(JsonPath(vec![
            Step::Key("queue".into()),
            Step::Key("p95_age_seconds".into())
        ]))
    );
    assert_eq!(c.op(), Op::Lt);
    assert_eq!(parsed("[RESPONSE_TIME] < 500").left(), &Left::ResponseTime);
}

#[test]
fn paths_take_keys_and_indices() {
    let c = parsed("[BODY].data[0].items[12].name == x");
    let Left::Body(path) = c.left() else {
        panic!("a body path")
    };
    assert_eq!(
        path.steps(),
        [
            Step::Key("data".into()),
            Step::Index(0),
            Step::Key("items".into()),
            Step::Index(12),
            Step::Key("name".into())
        ]
    );
    assert_eq!(parsed("[BODY][1] == 2").left().to_string(), "[BODY][1]");
    assert_eq!(
        parsed("[BODY] == null").left(),
        &Left::Body(JsonPath::default())
    );
    assert_eq!(
        parsed("[BODY].a-b.c_d == 1").left().to_string(),
        "[BODY].a-b.c_d"
    );
    let c = parsed("len( [BODY].items ) >= 1");
    assert_eq!(
        c.left(),
        &Left::Len(JsonPath(vec![Step::Key("items".into())]))
    );
    assert_eq!(parsed("len([BODY]) == 0").to_string(), "len([BODY]) == 0");
}

#[test]
fn the_text_is_normalised_and_parses_back_the_same() {
    let cases = [
        ("  [STATUS]==200 ", "[STATUS] == 200"),
        ("[STATUS]   !=   404", "[STATUS] != 404"),
        ("[BODY].ratio >= 0.50", "[BODY].ratio >= 0.5"),
        ("[BODY].n > 1e3", "[BODY].n > 1000"),
        ("[BODY].n <= -.5", "[BODY].n <= -0.5"),
        ("[BODY].status == \"UP\"", "[BODY].status == UP"),
        ("[BODY].status == 'all good'", "[BODY].status == all good"),
        ("[BODY].flag == \"true\"", "[BODY].flag == \"true\""),
        ("[BODY].v == \"2.1\"", "[BODY].v == \"2.1\""),
        (
            "[BODY].msg == 'it\\'s, fine'",
            "[BODY].msg == \"it's, fine\"",
        ),
        ("[BODY].s == \" padded \"", "[BODY].s == \" padded \""),
        ("[BODY].s == \"==x\"", "[BODY].s == \"==x\""),
        (
            "[STATUS] == any(200,201 , 204)",
            "[STATUS] == any(200, 201, 204)",
        ),
        (
            "[BODY].state == any(UP, 'a,b', \"null\", null)",
            "[BODY].state == any(UP, \"a,b\", \"null\", null)",
        ),
        ("len([BODY].jobs)<10", "len([BODY].jobs) < 10"),
    ];
    for (text, normal) in cases {
        let c = parsed(text);
        assert_eq!(c.to_string(), normal, "{text}");
        assert_eq!(parsed(normal), c, "{normal} reads back");
    }
}

#[test]
fn serde_reads_strings_and_writes_the_normal_form() {
    #[derive(Debug, Deserialize, Serialize)]
    struct Check {
        conditions: Vec<Condition>,
    }
    let check: Check =
        serde_json::from_str(r#"{"conditions": ["[STATUS]==200", "[BODY].ok == true"]}"#).unwrap();
    assert_eq!(check.conditions[0], parsed("[STATUS] == 200"));
    assert_eq!(
        serde_json::to_string(&check).unwrap(),
        r#"{"conditions":["[STATUS] == 200","[BODY].ok == true"]}"#
    );
    let err = serde_json::from_str::<Check>(r#"{"conditions": ["[STATS] == 200"]}"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid condition `[STATS] == 200`: unknown placeholder [STATS]"),
        "{err}"
    );
    assert!(serde_json::from_str::<Check>(r#"{"conditions": [200]}"#).is_err());
    assert_eq!(
        "[STATUS] == 200".parse::<Condition>().unwrap(),
        parsed("[STATUS] == 200")
    );
}

#[test]
fn placeholder_errors_say_what_is_expected() {
    let err = Condition::parse("[STATS] == 200").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid condition `[STATS] == 200`: unknown placeholder [STATS]; expected [STATUS], \
         [RESPONSE_TIME] or [BODY] (with an optional path such as [BODY].a.b[0], or inside len(...))"
    );
    assert_eq!(
        reason("[status] == 200"),
        "placeholders are upper-case: write [STATUS], not [status]"
    );
    assert!(
        reason("[CERTIFICATE_EXPIRATION] > 48")
            .starts_with("[CERTIFICATE_EXPIRATION] is a Gatus placeholder")
    );
    assert!(reason("[STATUS == 200").starts_with("unclosed placeholder `[STATUS`"));
    assert!(
        reason("STATUS == 200")
            .starts_with("a condition starts with a placeholder, found `STATUS`")
    );
    assert_eq!(
        reason("has([BODY].x) == true"),
        "unsupported function `has(...)`; only len([BODY]...) is supported"
    );
    assert_eq!(
        reason("[STATUS].code == 200"),
        "[STATUS] takes no path; only [BODY] does"
    );
    assert!(reason("").starts_with("the condition is empty"));
}

#[test]
fn path_and_len_errors() {
    assert_eq!(
        reason("[BODY].a. == 1"),
        "a key is missing after `[BODY].a.`"
    );
    assert_eq!(reason("[BODY]. == 1"), "a key is missing after `[BODY].`");
    assert_eq!(
        reason("[BODY].a[x] == 1"),
        "`[x]` in a path must be a list index such as [0]; keys go after a dot (.x)"
    );
    assert!(reason("[BODY].a[-1] == 1").starts_with("`[-1]` in a path must be a list index"));
    assert_eq!(
        reason("[BODY].a[0 == 1"),
        "unclosed `[` in the path after `[BODY].a`"
    );
    assert_eq!(
        reason("len([STATUS]) == 3"),
        "len() measures a [BODY] path (a list, a text or an object); [STATUS] is a number"
    );
    assert_eq!(
        reason("len([BODY].a == 3"),
        "`len([BODY].a` is missing its closing `)`"
    );
    assert_eq!(
        reason("len(items) == 3"),
        "len() takes a [BODY] path, found `items)`"
    );
}

#[test]
fn operator_errors() {
    assert_eq!(
        reason("[STATUS]"),
        "missing operator after `[STATUS]`; expected one of ==, !=, <, <=, >, >="
    );
    assert_eq!(
        reason("[STATUS] = 200"),
        "unknown operator `=`; use `==` to compare"
    );
    assert_eq!(
        reason("[STATUS] === 200"),
        "unknown operator `===`; expected one of ==, !=, <, <=, >, >="
    );
    assert_eq!(
        reason("[STATUS] => 200"),
        "unknown operator `=>`; expected one of ==, !=, <, <=, >, >="
    );
    assert_eq!(
        reason("[STATUS] is 200"),
        "expected an operator (==, !=, <, <=, >, >=) after `[STATUS]`, found `is`"
    );
    assert_eq!(reason("[STATUS] =="), "missing value after `==`");
}

#[test]
fn value_errors_are_caught_at_load() {
    assert_eq!(
        reason("[STATUS] == OK"),
        "[STATUS] is a number; compare it with a number, not `OK`"
    );
    assert_eq!(
        reason("[STATUS] == \"200\""),
        "[STATUS] is a number; compare it with a number, not `\"200\"`"
    );
    assert_eq!(
        reason("[RESPONSE_TIME] < fast"),
        "[RESPONSE_TIME] is a number; compare it with a number, not `fast`"
    );
    assert_eq!(
        reason("len([BODY].a) == true"),
        "len([BODY].a) is a number; compare it with a number, not `true`"
    );
    assert_eq!(
        reason("[STATUS] == any(200, OK)"),
        "[STATUS] is a number; compare it with a number, not `OK`"
    );
    assert_eq!(
        reason("[BODY].v < high"),
        "`<` compares numbers; `high` is not a number"
    );
    assert_eq!(
        reason("[BODY].v >= null"),
        "`>=` compares numbers; `null` is not a number"
    );
    assert!(reason("[STATUS] != any(200, 201)").starts_with("any(...) only works with `==`"));
    assert_eq!(
        reason("[STATUS] == any(200, 201"),
        "any(...) is missing its closing `)`"
    );
    assert!(reason("[STATUS] == any()").starts_with("any(...) needs values"));
    assert!(reason("[STATUS] == any(200,,201)").starts_with("any(...) needs values"));
    assert!(reason("[BODY].s == \"open").starts_with("malformed quoted text `\"open`"));
    assert!(reason("[BODY].s == \"a\" b").starts_with("malformed quoted text"));
    assert!(reason("[BODY].s == 'a").starts_with("malformed quoted text `'a`"));
    assert!(reason("[BODY].id == [BODY].other").starts_with("the value cannot be a placeholder"));
    assert_eq!(reason("[BODY].n < 1e999"), "`1e999` is too large a number");
    // Not numbers, so text; then `<` refuses them.
    assert!(reason("[BODY].n < inf").contains("`inf` is not a number"));
    assert!(reason("[BODY].n < 12abc").contains("`12abc` is not a number"));
}
