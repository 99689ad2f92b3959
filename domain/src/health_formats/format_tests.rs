//! Inline samples of the other formats: application/health+json and Spring Boot Actuator.

use super::*;

fn get<'a>(health: &'a DependencyHealth, name: &str) -> &'a Component {
    health
        .components
        .iter()
        .find(|c| c.name == name)
        .expect("component present")
}

/// Shaped after the draft's own example.
const HEALTH_JSON: &str = r#"{
  "status": "pass", "version": "1", "serviceId": "f03e522f",
  "checks": {
    "cassandra:responseTime": [
      {"componentId": "dfd6cf2b", "componentType": "datastore", "observedValue": 250,
       "observedUnit": "ms", "status": "pass", "time": "2018-01-17T03:36:48Z"},
      {"componentId": "6fd416e0", "componentType": "datastore", "observedValue": 0.9,
       "observedUnit": "s", "status": "warn", "output": "slow replica", "time": "2018-01-17T03:36:48Z"}
    ],
    "uptime": [{"componentType": "system", "observedValue": 1209600.245, "observedUnit": "s",
                "status": "pass", "time": "2018-01-17T03:36:48Z"}],
    "queue:depth": [{"observedValue": 12, "status": "pass"}, {"status": "pass"}]
  }
}"#;

#[test]
fn health_json_entries_become_components() {
    let health = parse(HEALTH_JSON, Some("application/health+json")).unwrap();
    assert_eq!(health.format, Format::HealthJson);
    assert_eq!(health.ready, Some(true));
    assert_eq!(health.overall, "pass");
    let names: Vec<&str> = health.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cassandra:responseTime/dfd6cf2b",
            "cassandra:responseTime/6fd416e0",
            "queue:depth[0]",
            "queue:depth[1]",
            "uptime"
        ]
    );
    let first = get(&health, "cassandra:responseTime/dfd6cf2b");
    assert_eq!(
        (first.status, first.latency_ms, first.required),
        (ProbeStatus::Healthy, Some(250.0), None)
    );
    let second = get(&health, "cassandra:responseTime/6fd416e0");
    assert_eq!(second.status, ProbeStatus::Degraded);
    assert_eq!(second.latency_ms, Some(900.0));
    assert_eq!(second.message.as_deref(), Some("slow replica"));
    assert_eq!(
        get(&health, "queue:depth[0]").latency_ms,
        None,
        "no unit, no latency"
    );
    // Detected by shape as well, whatever the content type says.
    assert_eq!(
        parse(HEALTH_JSON, Some("application/json")).unwrap(),
        health
    );
    assert_eq!(parse(HEALTH_JSON, None).unwrap(), health);
    // One entry below pass is enough to call a ready answer degraded.
    assert_eq!(summary(&health).0, ProbeStatus::Degraded);
}

#[test]
fn health_json_fail_is_not_ready_and_lists_the_failing_checks() {
    let body = r#"{"status": "fail", "checks": {
        "postgres:connections": [{"status": "fail", "output": "too many clients"}],
        "redis:responseTime": [{"status": "pass", "observedValue": 2, "observedUnit": "ms"}],
        "mystery": [{"status": "sideways"}]}}"#;
    let health = parse(body, Some("application/health+json; charset=utf-8")).unwrap();
    assert_eq!(health.ready, Some(false));
    assert_eq!(
        health.required_failures,
        ["postgres:connections: too many clients"]
    );
    assert_eq!(get(&health, "mystery").status, ProbeStatus::Unverified);
    assert_eq!(
        summary(&health),
        (
            ProbeStatus::Unhealthy,
            "Not ready: postgres:connections is unhealthy (too many clients). Also down, but not \
             counted against readiness: mystery is unverified"
                .to_string()
        )
    );
    assert_eq!(strict_flags(&health), StrictFlags::default());
}

#[test]
fn health_json_aliases_and_warn() {
    let warn = parse(r#"{"status": "warn"}"#, None).unwrap();
    assert_eq!((warn.format, warn.ready), (Format::HealthJson, Some(true)));
    assert_eq!(summary(&warn).0, ProbeStatus::Degraded);
    let ok = parse(r#"{"status": "ok", "checks": {}}"#, None).unwrap();
    assert_eq!(
        summary(&ok),
        (
            ProbeStatus::Healthy,
            "Ready; the answer lists no dependencies".into()
        )
    );
    assert_eq!(
        parse(r#"{"status": "down"}"#, None).unwrap().ready,
        Some(false)
    );
    // The content type forces the format; an unknown word then leaves readiness unknown.
    let odd = parse(r#"{"status": "meh"}"#, Some("application/health+json")).unwrap();
    assert_eq!(odd.ready, None);
    assert_eq!(summary(&odd).0, ProbeStatus::Unverified);
}

#[test]
fn health_json_structure_errors_name_the_field() {
    let ct = Some("application/health+json");
    let err = parse(r#"{"checks": {}}"#, ct).unwrap_err();
    assert_eq!(
        err.to_string(),
        "application/health+json answer: `status` is missing; expected pass, warn or fail"
    );
    let err = parse(
        r#"{"status": "pass", "checks": {"db": {"status": "pass"}}}"#,
        ct,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "application/health+json answer: `checks.db` must be a list of check results, found an object"
    );
    let err = parse(r#"{"status": "pass", "checks": {"db": [1]}}"#, ct).unwrap_err();
    assert!(
        err.to_string()
            .contains("`checks.db[0]` must be an object, found a number (1)"),
        "{err}"
    );
}

const ACTUATOR: &str = r#"{
  "status": "DOWN",
  "groups": ["liveness", "readiness"],
  "components": {
    "db": {"status": "DOWN", "components": {
      "primary": {"status": "UP", "details": {"database": "PostgreSQL", "validationQuery": "isValid()"}},
      "replica": {"status": "DOWN", "details": {"error": "CannotGetJdbcConnectionException: timeout"}}
    }},
    "diskSpace": {"status": "UP", "details": {"total": 100, "free": 50}},
    "ping": {"status": "UP"},
    "redis": {"status": "OUT_OF_SERVICE", "details": {"response_time": 12.5}},
    "vault": {"status": "UNKNOWN"}
  }
}"#;

#[test]
fn actuator_components_are_flattened_leaves() {
    let health = parse(
        ACTUATOR,
        Some("application/vnd.spring-boot.actuator.v3+json"),
    )
    .unwrap();
    assert_eq!(health.format, Format::SpringActuator);
    assert_eq!(
        (health.ready, health.overall.as_str()),
        (Some(false), "DOWN")
    );
    let names: Vec<&str> = health.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "db/primary",
            "db/replica",
            "diskSpace",
            "ping",
            "redis",
            "vault"
        ]
    );
    let primary = get(&health, "db/primary");
    assert_eq!(primary.status, ProbeStatus::Healthy);
    assert_eq!(
        primary.message.as_deref(),
        Some(r#"{"database":"PostgreSQL","validationQuery":"isValid()"}"#)
    );
    let replica = get(&health, "db/replica");
    assert_eq!(replica.status, ProbeStatus::Unhealthy);
    assert_eq!(
        replica.message.as_deref(),
        Some("CannotGetJdbcConnectionException: timeout")
    );
    assert_eq!(get(&health, "ping").message, None);
    let redis = get(&health, "redis");
    assert_eq!(
        (redis.status, redis.latency_ms),
        (ProbeStatus::Unhealthy, Some(12.5))
    );
    assert_eq!(get(&health, "vault").status, ProbeStatus::Unverified);
    assert_eq!(
        health.required_failures,
        [
            "db/replica: CannotGetJdbcConnectionException: timeout",
            r#"redis: {"response_time":12.5}"#
        ]
    );
    let (status, sentence) = summary(&health);
    assert_eq!(status, ProbeStatus::Unhealthy);
    assert!(sentence.starts_with("Not ready: db/replica is unhealthy (CannotGetJdbcConnectionException: timeout); redis is unhealthy"), "{sentence}");
    assert!(
        sentence.ends_with("Also down, but not counted against readiness: vault is unverified"),
        "{sentence}"
    );
}

#[test]
fn actuator_up_unknown_and_a_hidden_outage() {
    let up = parse(
        r#"{"status":"UP","components":{"db":{"status":"UP"},"ping":{"status":"UP"}}}"#,
        None,
    )
    .unwrap();
    assert_eq!(
        summary(&up),
        (
            ProbeStatus::Healthy,
            "All 2 dependencies healthy".to_string()
        )
    );
    let unknown = parse(r#"{"status":"UNKNOWN"}"#, None).unwrap();
    assert_eq!(unknown.ready, None, "UNKNOWN must never read as ready");
    assert_eq!(
        summary(&unknown),
        (
            ProbeStatus::Unverified,
            "Could not tell whether the environment is ready: its overall status is \"UNKNOWN\""
                .to_string()
        )
    );
    // A custom aggregation can answer UP with a component down.
    let hidden = parse(
        r#"{"status":"UP","components":{"mail":{"status":"DOWN"}}}"#,
        None,
    )
    .unwrap();
    let (status, sentence) = summary(&hidden);
    assert_eq!(status, ProbeStatus::Degraded);
    assert!(
        sentence.contains("mail is unhealthy. The overall status does not count it"),
        "{sentence}"
    );
    let err = parse(r#"{"status":"UP","components":{"db":"UP"}}"#, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`components.db` must be an object"),
        "{err}"
    );
}
