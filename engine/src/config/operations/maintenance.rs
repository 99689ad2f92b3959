//! `[[maintenance]]`: planned windows, each on a configured environment, start before end.

use domain::maintenance::MaintenanceWindow;
use serde::Deserialize;
use toml::Spanned;

use super::super::located::Located;
use crate::error::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMaintenance {
    environment: String,
    start: String,
    end: String,
    reason: String,
}

pub fn maintenance(
    at: &Located<'_>,
    raw: Vec<Spanned<RawMaintenance>>,
    environments: &[crate::config::EnvironmentConfig],
) -> Result<Vec<MaintenanceWindow>> {
    let mut out = Vec::with_capacity(raw.len());
    for window in raw {
        let span = window.span();
        let w = window.into_inner();
        let fail = |message: String| at.error(span.clone(), format!("[[maintenance]]: {message}"));
        if !environments
            .iter()
            .any(|e| e.name.as_str() == w.environment)
        {
            return Err(fail(format!(
                "environment `{}` is not configured",
                w.environment
            )));
        }
        let time = |text: &str| {
            domain::time::parse_rfc3339_utc(text).ok_or_else(|| {
                fail(format!(
                    "`{text}` is not a UTC time such as 2026-12-24T22:00:00Z"
                ))
            })
        };
        let (start, end) = (time(&w.start)?, time(&w.end)?);
        if end <= start {
            return Err(fail("end must be after start".into()));
        }
        if w.reason.trim().is_empty() {
            return Err(fail("a window needs a reason people can read".into()));
        }
        out.push(MaintenanceWindow {
            id: None,
            environment: w.environment,
            start_unix: start,
            end_unix: Some(end),
            reason: w.reason,
            started_by: "configuration".into(),
        });
    }
    Ok(out)
}
