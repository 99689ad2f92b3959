//! `[[environments.checks]]`: custom HTTP checks, their URL parsed (a path joined to the
//! environment's base URL, or an absolute http(s) URL) and their conditions.

use domain::BaseUrl;
use toml::Spanned;

use super::CustomCheck;
use super::located::{Located, http_url};
use super::raw::RawCheck;
use crate::error::Result;

/// Validates one environment's checks; names must be unique within it.
pub(super) fn validate(
    at: &Located<'_>,
    base_url: &BaseUrl,
    raw: Vec<Spanned<RawCheck>>,
) -> Result<Vec<CustomCheck>> {
    let mut checks: Vec<CustomCheck> = Vec::with_capacity(raw.len());
    for check in raw {
        let span = check.span();
        let check = check.into_inner();
        let url = if check.path.starts_with('/') {
            // A path on the base URL: the joined URL must parse too (a base URL's port, say).
            let joined = base_url.join(&check.path);
            http_url(&joined).map_err(|reason| {
                at.url_error(span.clone(), &joined, |shown| {
                    format!(
                        "check `{}`: URL `{shown}` is not valid ({reason})",
                        check.name
                    )
                })
            })?
        } else {
            http_url(&check.path).map_err(|reason| {
                at.url_error(span.clone(), &check.path, |shown| {
                    format!(
                        "check `{}`: path `{shown}` must start with `/` or be an http:// or https:// URL ({reason})",
                        check.name
                    )
                })
            })?
        };
        if check.name.trim().is_empty() || check.conditions.is_empty() {
            return Err(at.error(
                span,
                "a check needs a name and at least one condition".into(),
            ));
        }
        let built_in = domain::probe::ProbeKind::BUILT_IN.map(|kind| kind.as_str().to_owned());
        if built_in.contains(&check.name) {
            return Err(at.error(
                span,
                format!(
                    "check name `{}` is the name of a built-in probe; choose another (built-in: {})",
                    check.name,
                    built_in.join(", ")
                ),
            ));
        }
        if checks.iter().any(|c| c.name == check.name) {
            return Err(at.error(span, format!("check name `{}` is used twice", check.name)));
        }
        checks.push(CustomCheck {
            name: check.name,
            url: url.into(),
            conditions: check.conditions,
            release: check.release,
        });
    }
    Ok(checks)
}
