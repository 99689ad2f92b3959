//! Custom checks marked `release = true` as a Go criterion (and in steps 5 and 9).

use domain::golive::Finding;
use domain::probe::{ProbeOutcome, ProbeStatus, Readiness};

use super::release_checks;
use crate::config::{Config, ConfigSource, Overrides};
use crate::probe::EnvironmentReport;

fn production(release: bool) -> crate::config::EnvironmentConfig {
    let text = format!(
        "[[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"https://p.example.com\"\n\
         [[environments.checks]]\nname = \"queue\"\npath = \"/api/queue/health\"\nconditions = [\"[BODY].queue.p95_age_seconds < 900\"]\nrelease = {release}\n"
    );
    let dir = std::env::temp_dir();
    Config::parse(
        &text,
        ConfigSource::File(dir.join("g.toml")),
        &dir,
        &Overrides::default(),
    )
    .unwrap()
    .environments
    .remove(0)
}

fn report(queue: Option<(ProbeStatus, &str)>) -> EnvironmentReport {
    EnvironmentReport {
        environment: "production".into(),
        mode: domain::Mode::Production,
        readiness: Readiness::Ready,
        checked_at: String::new(),
        probes: queue
            .map(|(status, message)| ProbeOutcome::new("queue", status, message))
            .into_iter()
            .collect(),
    }
}

#[test]
fn a_release_check_measured_bad_is_failed_naming_the_check_and_the_value() {
    let env = production(true);
    let seen = "Failed: [BODY].queue.p95_age_seconds (1320) < 900";
    match release_checks(&report(Some((ProbeStatus::Unhealthy, seen))), &env) {
        Some(Finding::Failed { problem, action }) => {
            assert_eq!(
                problem,
                format!("Release check queue fails in production. {seen}")
            );
            assert!(action.contains("queue"), "{action}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_release_check_not_measured_is_unmeasured_and_one_that_holds_is_met() {
    let env = production(true);
    let unmeasured = release_checks(
        &report(Some((ProbeStatus::Unverified, "timed out after 5 s"))),
        &env,
    );
    assert!(
        matches!(&unmeasured, Some(Finding::Unmeasured { missing }) if missing.contains("could not be measured in production: timed out")),
        "{unmeasured:?}"
    );
    assert!(matches!(
        release_checks(&report(None), &env),
        Some(Finding::Unmeasured { .. })
    ));
    let met = release_checks(
        &report(Some((ProbeStatus::Healthy, "All 1 conditions hold."))),
        &env,
    );
    assert!(
        matches!(&met, Some(Finding::Met { evidence }) if evidence.contains("Release check queue holds")),
        "{met:?}"
    );
}

#[test]
fn checks_not_marked_for_release_are_not_part_of_it() {
    let env = production(false);
    assert_eq!(
        release_checks(&report(Some((ProbeStatus::Unhealthy, "bad"))), &env),
        None
    );
}
