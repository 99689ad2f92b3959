//! Inline samples of the reference shape's corners, and malformed answers.

use super::*;
use crate::dependency::{DependencyCheck, RuntimeReport};

fn get<'a>(health: &'a DependencyHealth, name: &str) -> &'a Component {
    health
        .components
        .iter()
        .find(|c| c.name == name)
        .expect("component present")
}

#[test]
fn reference_corners() {
    // No `ready`: the status word decides; no `required_failures`: derived from `ready: false`.
    let body = r#"{"status": "not_ready", "dependencies": {
        "db": {"required": true, "ready": false, "status": "broken", "message": null},
        "cache": {"ready": true, "status": "weird"},
        "queue": {}}}"#;
    let health = parse(body, None).unwrap();
    assert_eq!(health.ready, Some(false));
    assert_eq!(health.required_failures, ["db: not ready"]);
    assert_eq!(get(&health, "db").status, ProbeStatus::Unhealthy);
    assert_eq!(get(&health, "cache").status, ProbeStatus::Healthy);
    assert_eq!(get(&health, "queue").status, ProbeStatus::Unverified);
    assert_eq!(
        summary(&health).1,
        "Not ready: db is unhealthy. Also down, but not counted against readiness: queue is unverified"
    );
    assert_eq!(strict_flags(&health), StrictFlags::default());
    assert_eq!(parse(r#"{"ready": true}"#, None).unwrap().overall, "");
}

#[test]
fn greenlights_own_report_reads_back() {
    let report = RuntimeReport::from_checks(
        vec![
            DependencyCheck::measured("redis", true, false, "refused".into(), Some(3.0)),
            DependencyCheck::not_configured("inngest", "no keys".into()),
        ],
        "t".into(),
    );
    let health = parse(&serde_json::to_string(&report).unwrap(), None).unwrap();
    assert_eq!(health.ready, Some(false));
    assert_eq!(health.required_failures, ["redis: refused"]);
    assert_eq!(get(&health, "inngest").status, ProbeStatus::NotConfigured);
    // And its 503 sentence is recognised.
    let detail = serde_json::json!({ "detail": report.not_ready_detail() }).to_string();
    let from_detail = parse(&detail, None).unwrap();
    assert_eq!(from_detail.required_failures, health.required_failures);
    assert_eq!(summary(&from_detail), summary(&health));
}

#[test]
fn malformed_answers_say_what_was_expected() {
    assert_eq!(parse("  \n", None), Err(HealthParseError::Empty));
    let err = parse("<html><body>502 Bad Gateway</body></html>", None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the answer is not JSON (expected value"),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("it starts with: <html><body>502 Bad Gateway</body></html>"),
        "{err}"
    );
    assert_eq!(
        parse("[1, 2]", None),
        Err(HealthParseError::NotAnObject { found: "a list" })
    );
    assert!(
        parse("\"ok\"", None)
            .unwrap_err()
            .to_string()
            .contains("JSON a string, not an object")
    );
    let err = parse("{}", None).unwrap_err().to_string();
    assert!(
        err.contains("found no keys (an empty object)")
            && err.contains("`ready` and `dependencies`"),
        "{err}"
    );
    let err = parse(r#"{"healthy": true, "status": "green"}"#, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("UP/DOWN/OUT_OF_SERVICE/UNKNOWN); found keys healthy, status"),
        "{err}"
    );
    let err = parse(r#"{"detail": "Unauthorized"}"#, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("detail \"Unauthorized\" (the runtime-dependencies endpoint wants the X-Dashboard-Token header)"), "{err}");
    let err = parse(r#"{"ready": "yes", "dependencies": {}}"#, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "reference runtime-dependencies answer: `ready` must be true or false, found a string (\"yes\")"
    );
    let err = parse(r#"{"ready": true, "dependencies": {"redis": 5}}"#, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`dependencies.redis` must be an object, found a number (5)")
    );
    let err = parse(
        r#"{"ready": true, "dependencies": {"redis": {"latency_ms": "7"}}}"#,
        None,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`dependencies.redis.latency_ms` must be a number")
    );
    let err = parse(r#"{"ready": false, "required_failures": "redis"}"#, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`required_failures` must be a list of text, found a string")
    );
    let err = parse(r#"{"ready": false, "required_failures": [1]}"#, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`required_failures[0]` must be text")
    );
    let err = parse(r#"{"runtime_dependencies": []}"#, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`runtime_dependencies` must be an object, found a list")
    );
    assert!(
        parse(r#"{"status": "ready", "ready": true"#, None).is_err(),
        "truncated JSON"
    );
}
