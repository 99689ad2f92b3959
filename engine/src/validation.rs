//! The measurements behind `greenlight validate --check-connections` (and the go-live's
//! validation steps): a Redis PING at REDIS_URL and, when asked, a (signed) GET of the Inngest
//! route at INNGEST_WEBHOOK_URL. The verdicts are decided in `domain::validator`.

use std::time::Duration;

use domain::RedisUrl;
use domain::env_file::EnvFile;
use domain::validator::ConnectionFacts;

use crate::tls::TrustedRoots;

/// The reference validator's PING budget: 2 s to connect and read.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);
const ROUTE_TIMEOUT: Duration = Duration::from_secs(5);

/// Measures what the checks need; the verdicts are decided in `domain::validator`.
/// TLS (`rediss://`, an https webhook URL) trusts `roots`.
pub async fn measure(file: &EnvFile, verify_route: bool, roots: &TrustedRoots) -> ConnectionFacts {
    let redis_ping = match file.get("REDIS_URL").filter(|v| !v.trim().is_empty()) {
        None => None,
        Some(raw) => Some(match RedisUrl::parse(raw) {
            Err(e) => Err(format!("REDIS_URL is not a valid Redis URL: {e}")),
            Ok(url) => crate::clients::redis_ping::ping(&url, REDIS_TIMEOUT, roots)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }),
    };
    let inngest_route = if verify_route {
        Some(route(file, roots).await)
    } else {
        None
    };
    ConnectionFacts {
        redis_ping,
        inngest_route,
    }
}

async fn route(file: &EnvFile, roots: &TrustedRoots) -> Result<(), String> {
    let url = file
        .get("INNGEST_WEBHOOK_URL")
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            "INNGEST_WEBHOOK_URL is not set, so the route cannot be verified".to_string()
        })?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err("INNGEST_WEBHOOK_URL must start with http:// or https://".into());
    }
    let client = roots
        .http_client()
        .connect_timeout(ROUTE_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let key = file
        .get("INNGEST_SIGNING_KEY")
        .filter(|k| !k.trim().is_empty());
    let answer = crate::clients::inngest::inspect(&client, url, key, ROUTE_TIMEOUT).await?;
    if answer.mounted() {
        Ok(())
    } else {
        match answer {
            crate::clients::inngest::InngestAnswer::Unexpected { detail, .. } => Err(format!(
                "the route does not answer as a mounted Inngest endpoint: {detail}"
            )),
            _ => Err("the route does not answer as a mounted Inngest endpoint".into()),
        }
    }
}
