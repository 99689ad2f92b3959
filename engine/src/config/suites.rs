//! `[[suites]]`: replay suites, their golden set, limits, `runner` (a command, an http(s) URL
//! or recorded outputs) and optional `canary`.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use super::located::{Located, existing_file, has_credentials, http_url};
use super::raw::{RawRunner, RawSuite};
use super::{RunnerConfig, SuiteConfig, canary};
use crate::error::Result;

/// Validates every `[[suites]]` table; names must be unique and not empty.
pub(super) fn validate(
    at: &Located<'_>,
    raw: Vec<RawSuite>,
    base: &Path,
) -> Result<Vec<SuiteConfig>> {
    let mut suite_names = HashSet::new();
    let mut suites = Vec::with_capacity(raw.len());
    let default_concurrency = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
    for suite in raw {
        let name = suite.name.get_ref().trim().to_string();
        if name.is_empty() || !suite_names.insert(name.clone()) {
            return Err(at.error(
                suite.name.span(),
                format!("suite name `{name}` is empty or defined twice"),
            ));
        }
        let rate = *suite.min_pass_rate.get_ref();
        if !(0.0..=1.0).contains(&rate) {
            return Err(at.error(
                suite.min_pass_rate.span(),
                format!(
                    "min_pass_rate is {rate}; expected a fraction from 0.0 to 1.0 (0.95 means 95 %)"
                ),
            ));
        }
        let concurrency = match suite.concurrency {
            None => default_concurrency,
            Some(c) if (1..=256).contains(c.get_ref()) => *c.get_ref(),
            Some(c) => {
                return Err(at.error(
                    c.span(),
                    format!("concurrency is {}; expected 1 to 256", c.get_ref()),
                ));
            }
        };
        let timeout = *suite.case_timeout_secs.get_ref();
        if !(1..=3_600).contains(&timeout) {
            return Err(at.error(
                suite.case_timeout_secs.span(),
                format!("case_timeout_secs is {timeout}; expected 1 to 3600 seconds"),
            ));
        }
        let golden_set = existing_file(at, base, suite.golden_set, "golden set")?;
        let runner_span = suite.runner.span();
        let runner = runner(at, runner_span, suite.runner.into_inner(), base)?;
        let canary = match suite.canary {
            None => None,
            Some(raw) => {
                let span = raw.span();
                Some(
                    canary::parse(raw.into_inner())
                        .map_err(|m| at.error(span, format!("suite `{name}`: {m}")))?,
                )
            }
        };
        suites.push(SuiteConfig {
            canary,
            name,
            golden_set,
            runner,
            min_pass_rate: rate,
            concurrency,
            case_timeout: Duration::from_secs(timeout),
        });
    }
    Ok(suites)
}

/// A suite's `runner = { kind = ... }`; errors point at the runner's table.
fn runner(
    at: &Located<'_>,
    span: Range<usize>,
    raw: RawRunner,
    base: &Path,
) -> Result<RunnerConfig> {
    Ok(match raw {
        RawRunner::Command { command } => {
            if command.is_empty() || command[0].trim().is_empty() {
                return Err(at.error(
                    span,
                    "a command runner needs `command`, the program and its arguments as a list, e.g. [\"python3\", \"runner.py\"]".into(),
                ));
            }
            RunnerConfig::Command {
                argv: command,
                working_dir: base.to_path_buf(),
            }
        }
        RawRunner::Http {
            url,
            headers,
            secret_headers,
        } => {
            let parsed = http_url(&url).map_err(|reason| {
                at.url_error(span.clone(), &url, |shown| {
                    format!("runner url `{shown}` is not an http:// or https:// URL ({reason})")
                })
            })?;
            if has_credentials(&parsed) {
                return Err(at.error(
                    span,
                    "the runner url must not hold credentials; use secret_headers with an environment variable".into(),
                ));
            }
            RunnerConfig::Http {
                url: parsed.into(),
                headers,
                secret_headers,
            }
        }
        RawRunner::Recorded { file } => {
            let path = base.join(&file);
            if !path.is_file() {
                return Err(at.error(
                    span,
                    format!("recorded runs file {} does not exist", path.display()),
                ));
            }
            RunnerConfig::Recorded { file: path }
        }
    })
}
