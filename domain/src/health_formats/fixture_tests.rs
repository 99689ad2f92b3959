//! The reference service's captured answers (shared/fixtures/payloads), read at test time.

use super::*;

const PAYLOADS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/payloads"
);

const REDIS_REFUSED: &str =
    "Redis ping failed: Error 111 connecting to 127.0.0.1:16379. Connection refused.";

fn payload(name: &str) -> Option<String> {
    std::fs::read_to_string(format!("{PAYLOADS}/{name}")).ok()
}

/// A whole `.http` response: the head and the body, split at the first blank line.
fn http(name: &str) -> Option<(String, String)> {
    let raw = payload(name)?;
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))?;
    Some((head.to_string(), body.to_string()))
}

fn content_type(head: &str) -> Option<&str> {
    head.lines().find_map(|l| l.strip_prefix("content-type: "))
}

macro_rules! or_skip {
    ($found:expr) => {
        match $found {
            Some(found) => found,
            None => {
                eprintln!("skipped because ../shared/fixtures is absent");
                return;
            }
        }
    };
}

fn names(health: &DependencyHealth) -> Vec<&str> {
    health.components.iter().map(|c| c.name.as_str()).collect()
}

fn get<'a>(health: &'a DependencyHealth, name: &str) -> &'a Component {
    health
        .components
        .iter()
        .find(|c| c.name == name)
        .expect("component present")
}

#[test]
fn strict_and_all_healthy_reads_as_healthy() {
    let body = or_skip!(payload("runtime_dependencies.ready.json"));
    let health = parse(&body, Some("application/json")).unwrap();
    assert_eq!(health.format, Format::Reference);
    assert_eq!(health.ready, Some(true));
    assert_eq!(health.overall, "ready");
    assert_eq!(names(&health), ["inngest", "redis", "webhooks"]);
    assert!(health.required_failures.is_empty());
    let redis = get(&health, "redis");
    assert_eq!(redis.status, ProbeStatus::Healthy);
    assert_eq!(redis.required, Some(true));
    assert_eq!(redis.latency_ms, Some(8.97));
    assert_eq!(redis.message.as_deref(), Some("Redis ping succeeded"));
    assert_eq!(get(&health, "inngest").latency_ms, None);
    let webhooks = get(&health, "webhooks");
    assert_eq!(webhooks.status, ProbeStatus::NotConfigured);
    assert_eq!(webhooks.required, Some(false));
    assert_eq!(
        summary(&health),
        (
            ProbeStatus::Healthy,
            "All 2 dependencies healthy (webhooks not configured)".to_string()
        )
    );
    assert_eq!(
        strict_flags(&health),
        StrictFlags {
            redis_required: Some(true),
            inngest_required: Some(true)
        }
    );
}

#[test]
fn strict_with_redis_down_is_not_ready_and_names_redis() {
    let body = or_skip!(payload("runtime_dependencies.redis_down.json"));
    let health = parse(&body, None).unwrap();
    assert_eq!(health.ready, Some(false));
    assert_eq!(health.overall, "not_ready");
    assert_eq!(
        health.required_failures,
        [format!("redis: {REDIS_REFUSED}")]
    );
    let redis = get(&health, "redis");
    assert_eq!(redis.status, ProbeStatus::Unhealthy);
    assert_eq!(redis.latency_ms, Some(1.67));
    assert_eq!(get(&health, "inngest").status, ProbeStatus::Healthy);
    assert_eq!(
        summary(&health),
        (
            ProbeStatus::Unhealthy,
            "Not ready: redis is unhealthy (Redis ping failed: Error 111 connecting to \
             127.0.0.1:16379. Connection refused)"
                .to_string()
        )
    );
    assert_eq!(strict_flags(&health).redis_required, Some(true));
}

const RELAXED_SENTENCE: &str = "The environment reports ready, but redis is degraded (Redis ping \
     failed: Error 111 connecting to 127.0.0.1:16379. Connection refused). It is marked optional, \
     so it does not count against readiness: relaxed mode hides an outage this way. Check that \
     this release does not need redis.";

#[test]
fn relaxed_mode_with_redis_down_is_degraded_not_healthy() {
    let body = or_skip!(payload("runtime_dependencies.relaxed_degraded.json"));
    let health = parse(&body, Some("application/json")).unwrap();
    assert_eq!(health.ready, Some(true), "the service itself says ready");
    let redis = get(&health, "redis");
    assert_eq!(redis.status, ProbeStatus::Degraded);
    assert_eq!(redis.required, Some(false));
    assert_eq!(redis.message.as_deref(), Some(REDIS_REFUSED));
    let (status, sentence) = summary(&health);
    assert_eq!(status, ProbeStatus::Degraded);
    assert!(
        sentence.contains("redis") && sentence.contains("optional") && sentence.contains("outage")
    );
    assert_eq!(sentence, RELAXED_SENTENCE);
    assert_eq!(
        strict_flags(&health),
        StrictFlags {
            redis_required: Some(false),
            inngest_required: Some(false)
        }
    );
}

#[test]
fn the_readiness_endpoint_is_read_through_its_runtime_dependencies() {
    let body = or_skip!(payload("health_ready.200.json"));
    let health = parse(&body, Some("application/json")).unwrap();
    assert_eq!(health.format, Format::Reference);
    assert_eq!(health.ready, Some(true));
    assert_eq!(names(&health), ["inngest", "redis", "webhooks"]);
    assert_eq!(get(&health, "redis").latency_ms, Some(7.35));
    assert_eq!(summary(&health).0, ProbeStatus::Healthy);
}

#[test]
fn the_503_body_names_the_failure_as_the_full_report_does() {
    let (head, body) = or_skip!(http("health_ready.503.http"));
    assert!(head.starts_with("HTTP/1.1 503"));
    let health = parse(&body, content_type(&head)).unwrap();
    assert_eq!(health.format, Format::Reference);
    assert_eq!(health.ready, Some(false));
    assert_eq!(health.overall, "", "the 503 body has no status word");
    assert_eq!(
        health.required_failures,
        [format!("redis: {REDIS_REFUSED}")]
    );
    assert_eq!(
        health.components,
        [Component {
            name: "redis".into(),
            status: ProbeStatus::Unhealthy,
            required: Some(true),
            message: Some(REDIS_REFUSED.into()),
            latency_ms: None,
        }]
    );
    // The same words as for the full report of the same outage.
    let full = or_skip!(payload("runtime_dependencies.redis_down.json"));
    assert_eq!(summary(&health), summary(&parse(&full, None).unwrap()));
    assert_eq!(strict_flags(&health).inngest_required, None);
}

#[test]
fn the_relaxed_readiness_answer_is_degraded_too() {
    let (head, body) = or_skip!(http("health_ready.relaxed_degraded.http"));
    assert!(head.starts_with("HTTP/1.1 200"));
    let health = parse(&body, content_type(&head)).unwrap();
    assert_eq!(get(&health, "redis").latency_ms, Some(1.63));
    assert_eq!(
        summary(&health),
        (ProbeStatus::Degraded, RELAXED_SENTENCE.to_string())
    );
}

#[test]
fn an_inngest_answer_is_not_mistaken_for_a_health_report() {
    let (_, body) = or_skip!(http("inngest.cloud.unsigned.http"));
    let err = parse(&body, Some("application/json")).unwrap_err();
    assert!(matches!(err, HealthParseError::Unrecognised(_)), "{err}");
    assert!(err.to_string().contains("found keys message"), "{err}");
    let (_, body) = or_skip!(http("inngest.dev.unsigned.http"));
    assert!(parse(&body, None).is_err());
}
