//! Which alerts hold now: an environment's readiness (after its hysteresis) and its SLOs' burn
//! rates; an open go-live's verdict gone from Go to No-Go; a canary's pass rate.

use domain::alert::{Alert, Rule};
use domain::probe::Readiness;
use domain::slo::{Burn, Evaluation};

use crate::config::EnvironmentConfig;
use crate::status_board::Card;

fn environment_path(env: &str) -> String {
    format!("/environments/{env}")
}

/// Whether `alert` belongs to the environment rules of `env` (what [`environment`] decides).
pub fn environment_scope(env: &str) -> impl Fn(&Alert) -> bool + '_ {
    move |a| {
        a.environment.as_deref() == Some(env)
            && matches!(
                a.rule,
                Rule::ReadinessDown | Rule::SloFastBurn | Rule::SloSlowBurn
            )
    }
}

/// The alerts `env` raises now, from its status card and its SLOs.
pub fn environment(env: &EnvironmentConfig, card: &Card, slos: &[Evaluation]) -> Vec<Alert> {
    let name = env.name.as_str();
    let mut out = Vec::new();
    if let Some((stable, _)) = card.day.stable
        && stable != Readiness::Ready
    {
        let problem = card
            .latest
            .as_ref()
            .and_then(|r| domain::probe::first_problem(&r.probes))
            .map(|p| format!("{}: {}", p.probe, p.message))
            .unwrap_or_else(|| "no probe said why".into());
        let (title, what) = match stable {
            Readiness::NotReady => (format!("{name} is not ready"), "is not ready"),
            _ => (
                format!("{name}'s readiness cannot be measured"),
                "could not be measured",
            ),
        };
        out.push(Alert {
            key: format!("readiness:{name}"),
            rule: Rule::ReadinessDown,
            environment: Some(name.to_string()),
            title,
            reason: format!(
                "{name} {what} for {} rounds in a row. {problem}",
                env.flip_after_rounds
            ),
            path: environment_path(name),
        });
    }
    for (eval, slo) in slos.iter().zip(&env.slos) {
        let Some(burn) = eval.alert else { continue };
        let (rule, tag, long, short, factor, speed) = match burn {
            Burn::Fast => (
                Rule::SloFastBurn,
                "fast",
                ("1 h", eval.burn_1h),
                ("5 min", eval.burn_5m),
                14.4,
                "fast",
            ),
            Burn::Slow => (
                Rule::SloSlowBurn,
                "slow",
                ("6 h", eval.burn_6h),
                ("30 min", eval.burn_30m),
                6.0,
                "steadily",
            ),
        };
        let rate = |r: Option<f64>| r.map_or("?".into(), |r| format!("{r:.1}×"));
        let value = eval.value.map_or("no rounds".into(), domain::slo::percent);
        out.push(Alert {
            key: format!("slo-{tag}:{name}:{}", slo.name),
            rule,
            environment: Some(name.to_string()),
            title: format!("{name}: SLO {} is burning its error budget {speed}", slo.name),
            reason: format!(
                "Burn rate {} over {} and {} over {} (alert above {factor}×). {}: {value} of rounds good, target {}; {}.",
                rate(long.1),
                long.0,
                rate(short.1),
                short.0,
                eval.description,
                domain::slo::percent(slo.target),
                eval.budget_words()
            ),
            path: environment_path(name),
        });
    }
    out
}

/// The alert of an open go-live whose verdict turned from Go to No-Go.
pub fn golive_no_go(id: i64, production: &str, failing: &[String]) -> Alert {
    Alert {
        key: format!("golive:{id}"),
        rule: Rule::GoLiveNoGo,
        environment: Some(production.to_string()),
        title: format!("Go-live #{id} of {production} turned from Go to No-Go"),
        reason: if failing.is_empty() {
            "The verdict measured now is No-Go.".into()
        } else {
            format!("The verdict measured now is No-Go: {}", failing.join(" "))
        },
        path: format!("/go-live/{id}"),
    }
}

pub fn golive_scope(id: i64) -> impl Fn(&Alert) -> bool {
    let key = format!("golive:{id}");
    move |a| a.key == key
}
