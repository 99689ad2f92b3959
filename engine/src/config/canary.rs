//! `canary = { ... }` on a suite: when its canary replay runs (`every = "30m"` or a cron
//! expression in UTC, `cron = "*/30 * * * *"`) and which cases it runs (all of them, a fixed
//! list of ids, the cases with a tag, or a rotating sample of N).

use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

/// The shortest interval between canary runs.
const MIN_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct CanaryConfig {
    pub schedule: Schedule,
    pub selection: Selection,
    /// A canary whose pass rate is this many percentage points below the previous canary's
    /// alerts (besides falling below the suite's minimum).
    pub max_drop_points: f64,
}

#[derive(Debug, Clone)]
pub enum Schedule {
    Every(Duration),
    Cron(Box<croner::Cron>),
}

impl Schedule {
    /// The first run time after `after` (unix seconds).
    pub fn next_after(&self, after: f64) -> Option<f64> {
        match self {
            Schedule::Every(every) => Some(after + every.as_secs_f64()),
            Schedule::Cron(cron) => {
                let start =
                    chrono::DateTime::<chrono::Utc>::from_timestamp(after.floor() as i64, 0)?;
                let next = cron.find_next_occurrence(&start, false).ok()?;
                Some(next.timestamp() as f64)
            }
        }
    }

    /// "every 30 minutes" or "on cron */30 * * * * (UTC)".
    pub fn describe(&self) -> String {
        match self {
            Schedule::Every(every) => {
                format!("every {}", domain::time::window_words(every.as_secs()))
            }
            Schedule::Cron(cron) => format!("on cron {} (UTC)", cron.pattern),
        }
    }
}

pub use domain::canary::Selection;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCanary {
    every: Option<String>,
    cron: Option<String>,
    cases: Option<usize>,
    tag: Option<String>,
    ids: Option<Vec<String>>,
    max_drop_points: Option<f64>,
}

pub(super) fn parse(raw: RawCanary) -> Result<CanaryConfig, String> {
    let schedule = match (raw.every, raw.cron) {
        (Some(every), None) => {
            let d = humantime::parse_duration(every.trim())
                .map_err(|e| format!("canary every = \"{every}\" is not a duration such as \"30m\" or \"1h\": {e}"))?;
            if d < MIN_EVERY {
                return Err(format!("canary every = \"{every}\" is shorter than {} s", MIN_EVERY.as_secs()));
            }
            Schedule::Every(d)
        }
        (None, Some(cron)) => Schedule::Cron(Box::new(
            croner::Cron::from_str(cron.trim())
                .map_err(|e| format!("canary cron = \"{cron}\" is not a cron expression: {e}"))?,
        )),
        _ => return Err("a canary needs exactly one of `every` (e.g. \"30m\") or `cron` (e.g. \"*/30 * * * *\")".into()),
    };
    let selection = match (raw.cases, raw.tag, raw.ids) {
        (None, None, None) => Selection::All,
        (Some(0), None, None) => return Err("canary cases must be at least 1".into()),
        (Some(n), None, None) => Selection::Sample(n),
        (None, Some(tag), None) if !tag.trim().is_empty() => Selection::Tag(tag),
        (None, None, Some(ids)) if !ids.is_empty() => Selection::Ids(ids),
        _ => return Err("a canary selects its cases with one of `cases` (a rotating sample of N), `tag` or `ids`, or none of them for the whole suite".into()),
    };
    let max_drop_points = raw.max_drop_points.unwrap_or(10.0);
    if !(0.0..=100.0).contains(&max_drop_points) {
        return Err("canary max_drop_points must be from 0 to 100".into());
    }
    Ok(CanaryConfig {
        schedule,
        selection,
        max_drop_points,
    })
}
