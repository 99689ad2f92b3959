//! `[[environments.slos]]`: one environment's objectives, checked against its custom checks.

use domain::slo::{Indicator, Objective};
use serde::Deserialize;
use toml::Spanned;

use super::super::CustomCheck;
use super::super::located::Located;
use crate::error::Result;

fn default_window_days() -> u64 {
    30
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSlo {
    name: String,
    kind: String,
    target_percent: f64,
    #[serde(default = "default_window_days")]
    window_days: u64,
    probe: Option<String>,
    below_ms: Option<f64>,
    check: Option<String>,
}

/// Validates one environment's objectives against its checks.
pub fn slos(
    at: &Located<'_>,
    env: &str,
    raw: Vec<Spanned<RawSlo>>,
    checks: &[CustomCheck],
) -> Result<Vec<Objective>> {
    let mut out: Vec<Objective> = Vec::with_capacity(raw.len());
    for slo in raw {
        let span = slo.span();
        let slo = slo.into_inner();
        let fail = |message: String| {
            at.error(
                span.clone(),
                format!("SLO `{}` of environment `{env}`: {message}", slo.name),
            )
        };
        if slo.name.trim().is_empty() || out.iter().any(|o| o.name == slo.name) {
            return Err(fail("the name is empty or used twice".into()));
        }
        if !(slo.target_percent > 0.0 && slo.target_percent < 100.0) {
            return Err(fail(format!(
                "target_percent is {}; expected more than 0 and less than 100 (99.9 means 99.9 %)",
                slo.target_percent
            )));
        }
        if !(1..=366).contains(&slo.window_days) {
            return Err(fail("window_days must be from 1 to 366".into()));
        }
        let indicator = match (slo.kind.as_str(), slo.probe, slo.below_ms, slo.check) {
            ("readiness", None, None, None) => Indicator::Readiness,
            ("latency", Some(probe), Some(below_ms), None) if below_ms > 0.0 => {
                Indicator::Latency {
                    probe: domain::probe::ProbeKind::parse(&probe),
                    below_ms,
                }
            }
            ("check", None, None, Some(check)) => {
                if !checks.iter().any(|c| c.name == check) {
                    return Err(fail(format!(
                        "check `{check}` is not one of this environment's [[environments.checks]]"
                    )));
                }
                Indicator::Check { check }
            }
            _ => {
                return Err(fail(
                    "use kind = \"readiness\"; or kind = \"latency\" with probe and below_ms (> 0); or kind = \"check\" with check".into(),
                ));
            }
        };
        out.push(Objective {
            name: slo.name,
            indicator,
            target: slo.target_percent / 100.0,
            window_secs: slo.window_days as f64 * 86_400.0,
        });
    }
    Ok(out)
}
