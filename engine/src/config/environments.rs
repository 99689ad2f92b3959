//! `[[environments]]`: each monitored deployment, its probe paths, its `dependencies_auth`, and
//! the validators of its `[[environments.checks]]` and `[[environments.slos]]` tables.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use toml::Spanned;

use super::located::{Located, existing_file};
use super::raw::{RawAuth, RawEnvironment};
use super::{AuthHeader, EnvironmentConfig, SecretSource, checks, operations};
use crate::error::Result;

/// Validates every `[[environments]]` table; names must be unique.
pub(super) fn validate(
    at: &Located<'_>,
    raw: Vec<RawEnvironment>,
    base: &Path,
) -> Result<Vec<EnvironmentConfig>> {
    let mut seen = HashSet::new();
    let mut environments = Vec::with_capacity(raw.len());
    for env in raw {
        if !seen.insert(env.name.get_ref().clone()) {
            return Err(at.error(
                env.name.span(),
                format!(
                    "environment `{}` is defined twice; names must be unique",
                    env.name.get_ref()
                ),
            ));
        }
        environments.push(environment(at, env, base)?);
    }
    Ok(environments)
}

fn environment(at: &Located<'_>, env: RawEnvironment, base: &Path) -> Result<EnvironmentConfig> {
    let interval = *env.probe_interval_secs.get_ref();
    if !(1..=86_400).contains(&interval) {
        return Err(at.error(
            env.probe_interval_secs.span(),
            format!(
                "probe_interval_secs is {interval}; expected a whole number of seconds from 1 to 86400"
            ),
        ));
    }
    let env_file = match env.env_file {
        None => None,
        Some(file) => Some(existing_file(at, base, file, "env file")?),
    };
    for (key, path) in [
        ("readiness_path", &env.readiness_path),
        ("dependencies_path", &env.dependencies_path),
        ("inngest_path", &env.inngest_path),
    ] {
        if !path.starts_with('/') {
            return Err(at.error(
                env.name.span(),
                format!(
                    "{key} `{path}` of environment `{}` must start with `/`",
                    env.name.get_ref()
                ),
            ));
        }
    }
    let dependencies_auth = match env.dependencies_auth {
        None => None,
        Some(auth) => Some(dependencies_auth(at, auth)?),
    };
    let checks = checks::validate(at, &env.base_url, env.checks)?;
    let slos = operations::slos(at, env.name.get_ref().as_str(), env.slos, &checks)?;
    Ok(EnvironmentConfig {
        name: env.name.into_inner(),
        base_url: env.base_url,
        mode: env.mode,
        env_file,
        expected_inngest_functions: env.expected_inngest_functions,
        probe_interval: Duration::from_secs(interval),
        readiness_path: env.readiness_path,
        dependencies_path: env.dependencies_path,
        inngest_path: env.inngest_path,
        dependencies_auth,
        checks,
        flip_after_rounds: rounds(at, env.flip_after_rounds)?,
        recover_after_rounds: rounds(at, env.recover_after_rounds)?,
        slos,
        practice: false,
    })
}

/// `dependencies_auth`: the header and where its token is read, never the token itself.
fn dependencies_auth(at: &Located<'_>, auth: Spanned<RawAuth>) -> Result<AuthHeader> {
    let span = auth.span();
    let auth = auth.into_inner();
    let source = match (auth.from_env, auth.from_env_file) {
        (Some(var), None) => SecretSource::EnvVar(var),
        (None, Some(key)) => SecretSource::EnvFileKey(key),
        _ => {
            return Err(at.error(
                span,
                "dependencies_auth needs exactly one of `from_env` (an environment variable) or `from_env_file` (a key of the env file); the token itself never goes in the config".into(),
            ));
        }
    };
    Ok(AuthHeader {
        header: auth.header,
        source,
    })
}

/// `flip_after_rounds` / `recover_after_rounds`.
fn rounds(at: &Located<'_>, value: Spanned<usize>) -> Result<usize> {
    let n = *value.get_ref();
    if (1..=100).contains(&n) {
        Ok(n)
    } else {
        Err(at.error(
            value.span(),
            format!("{n} rounds; expected 1 to 100 consecutive probe rounds"),
        ))
    }
}
