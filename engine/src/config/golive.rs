//! `[golive]`: how long staging must stay ready and which suite the release gate replays.

use std::time::Duration;

use super::located::Located;
use super::raw::RawGoLive;
use super::{GoLiveConfig, SuiteConfig};
use crate::error::Result;

/// Validates `[golive]`; its `suite` must name one of the configured `suites`.
pub(super) fn validate(
    at: &Located<'_>,
    raw: RawGoLive,
    suites: &[SuiteConfig],
) -> Result<GoLiveConfig> {
    let mut golive = GoLiveConfig::default();
    if let Some(minutes) = raw.stability_minutes {
        if !(1..=43_200).contains(minutes.get_ref()) {
            return Err(at.error(
                minutes.span(),
                "key `stability_minutes` in [golive] must be between 1 and 43200".into(),
            ));
        }
        golive.stability = Duration::from_secs(minutes.into_inner() * 60);
    }
    if let Some(suite) = raw.suite {
        if !suites.iter().any(|s| &s.name == suite.get_ref()) {
            return Err(at.error(
                suite.span(),
                format!(
                    "key `suite` in [golive] names `{}`, which is not a configured [[suites]] name",
                    suite.get_ref()
                ),
            ));
        }
        golive.suite = Some(suite.into_inner());
    }
    Ok(golive)
}
