//! The operator sentences, on answers built directly.

use super::*;

fn component(
    name: &str,
    status: ProbeStatus,
    required: Option<bool>,
    message: Option<&str>,
) -> Component {
    Component {
        name: name.into(),
        status,
        required,
        message: message.map(str::to_string),
        latency_ms: None,
    }
}

fn health(ready: Option<bool>, overall: &str, components: Vec<Component>) -> DependencyHealth {
    DependencyHealth {
        format: Format::Reference,
        ready,
        overall: overall.into(),
        components,
        required_failures: Vec::new(),
    }
}

#[test]
fn several_optional_outages_are_named_together() {
    let h = health(
        Some(true),
        "ready",
        vec![
            component(
                "inngest",
                ProbeStatus::Unhealthy,
                Some(false),
                Some("no route"),
            ),
            component("mail", ProbeStatus::Healthy, Some(true), None),
            component(
                "redis",
                ProbeStatus::Degraded,
                Some(false),
                Some("refused."),
            ),
            component("s3", ProbeStatus::Degraded, Some(false), None),
        ],
    );
    assert_eq!(
        summary(&h),
        (
            ProbeStatus::Degraded,
            "The environment reports ready, but inngest is unhealthy (no route); redis is degraded \
             (refused); s3 is degraded. They are marked optional, so they do not count against \
             readiness: relaxed mode hides an outage this way. Check that this release does not \
             need inngest, redis and s3."
                .to_string()
        )
    );
}

#[test]
fn not_ready_falls_back_to_the_failures_then_to_the_status_word() {
    let mut h = health(
        Some(false),
        "not_ready",
        vec![component("db", ProbeStatus::Healthy, Some(true), None)],
    );
    h.required_failures = vec!["db: stale".into(), "queue: full".into()];
    assert_eq!(
        summary(&h),
        (
            ProbeStatus::Unhealthy,
            "Not ready: db: stale; queue: full".to_string()
        )
    );
    h.required_failures.clear();
    assert_eq!(
        summary(&h).1,
        "Not ready: the environment reports status \"not_ready\" without naming a failing dependency"
    );
    h.overall.clear();
    assert_eq!(
        summary(&h).1,
        "Not ready, without naming a failing dependency"
    );
}

#[test]
fn an_optional_failure_does_not_block_but_is_still_mentioned() {
    let h = health(
        Some(false),
        "not_ready",
        vec![
            component(
                "db",
                ProbeStatus::Unhealthy,
                Some(true),
                Some("disk I/O error"),
            ),
            component(
                "redis",
                ProbeStatus::Unhealthy,
                Some(false),
                Some("refused"),
            ),
        ],
    );
    assert_eq!(
        summary(&h).1,
        "Not ready: db is unhealthy (disk I/O error). Also down, but not counted against \
         readiness: redis is unhealthy (refused)"
    );
}

#[test]
fn healthy_counts_leave_out_what_is_not_configured() {
    let one = health(
        Some(true),
        "ready",
        vec![component("redis", ProbeStatus::Healthy, Some(true), None)],
    );
    assert_eq!(
        summary(&one),
        (ProbeStatus::Healthy, "1 dependency healthy".to_string())
    );
    let none = health(
        Some(true),
        "ready",
        vec![
            component("inngest", ProbeStatus::NotConfigured, Some(false), None),
            component("webhooks", ProbeStatus::NotConfigured, Some(false), None),
        ],
    );
    assert_eq!(
        summary(&none).1,
        "Ready; no dependency is configured (inngest and webhooks not configured)"
    );
}

#[test]
fn unknown_readiness_is_unverified_and_lists_what_is_down() {
    let h = health(
        None,
        "",
        vec![component("db", ProbeStatus::Unhealthy, None, Some("gone"))],
    );
    assert_eq!(
        summary(&h),
        (
            ProbeStatus::Unverified,
            "Could not tell whether the environment is ready: the answer has no overall status; \
             db is unhealthy (gone)"
                .to_string()
        )
    );
}

#[test]
fn a_warning_without_a_failing_check_is_degraded() {
    let mut h = health(
        Some(true),
        "warn",
        vec![component("db", ProbeStatus::Healthy, None, None)],
    );
    h.format = Format::HealthJson;
    assert_eq!(summary(&h).0, ProbeStatus::Degraded);
    assert!(summary(&h).1.contains("status \"warn\""));
}

#[test]
fn strict_flags_come_only_from_the_reference_format() {
    let mut h = health(
        Some(true),
        "ready",
        vec![
            component("redis", ProbeStatus::Healthy, Some(true), None),
            component("inngest", ProbeStatus::Healthy, None, None),
        ],
    );
    assert_eq!(
        strict_flags(&h),
        StrictFlags {
            redis_required: Some(true),
            inngest_required: None
        }
    );
    h.format = Format::SpringActuator;
    assert_eq!(strict_flags(&h), StrictFlags::default());
}
