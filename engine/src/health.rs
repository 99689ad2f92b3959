//! The console's own health, in the reference service's shape, so Greenlight can be watched by
//! the same probes it runs against others (and by itself, in the example workspace).

use std::time::Duration;

use domain::{DependencyCheck, RuntimeReport};

use crate::clients::redis_ping;
use crate::state::AppState;

/// How long one dependency check may take before it counts as failed.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// Checks the database (always required) and the console's Redis (when configured) concurrently.
pub async fn runtime_report(state: &AppState) -> RuntimeReport {
    let database = async {
        match tokio::time::timeout(CHECK_TIMEOUT, state.store.check_usable()).await {
            Ok(Ok(latency)) => DependencyCheck::measured(
                "database",
                true,
                true,
                "SQLite database readable, schema up to date".into(),
                Some(ms(latency)),
            ),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "database health check failed");
                DependencyCheck::measured(
                    "database",
                    true,
                    false,
                    format!("Database unusable: {e}"),
                    None,
                )
            }
            Err(_) => DependencyCheck::measured(
                "database",
                true,
                false,
                format!(
                    "Database did not answer within {} ms",
                    CHECK_TIMEOUT.as_millis()
                ),
                None,
            ),
        }
    };
    let redis = async {
        let redis = state.config.server.redis.as_ref()?;
        Some(
            match redis_ping::ping(&redis.url, CHECK_TIMEOUT, &state.config.server.roots).await {
                Ok(latency) => DependencyCheck::measured(
                    "redis",
                    redis.required,
                    true,
                    "Redis ping succeeded".into(),
                    Some(ms(latency)),
                ),
                Err(e) => DependencyCheck::measured(
                    "redis",
                    redis.required,
                    false,
                    format!("Redis ping failed: {e}"),
                    None,
                ),
            },
        )
    };
    let (database, redis) = tokio::join!(database, redis);
    let mut checks = vec![database];
    checks.extend(redis);
    RuntimeReport::from_checks(checks, crate::clock::now_rfc3339())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
