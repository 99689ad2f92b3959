//! `[server]`: the listening address, the data directory, the console's own Redis, history
//! retention and extra trusted certificate authorities.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::located::Located;
use super::raw::RawServer;
use super::{
    AccessConfig, ConsoleRedis, DEFAULT_ADDR, DEFAULT_DATA_DIR, Overrides, Retention, ServerConfig,
};
use crate::error::Result;

/// Validates `[server]`; `access` is left at its defaults for [`super::auth`] to fill in.
pub(super) fn validate(
    at: &Located<'_>,
    raw: RawServer,
    base: &Path,
    overrides: &Overrides,
) -> Result<ServerConfig> {
    let addr = overrides
        .addr
        .or(raw.addr)
        .unwrap_or_else(|| DEFAULT_ADDR.parse().expect("default address is valid"));
    let data_dir = match (&overrides.data_dir, &raw.data_dir) {
        (Some(dir), _) => dir.clone(),
        (None, Some(dir)) => base.join(dir),
        (None, None) => PathBuf::from(DEFAULT_DATA_DIR),
    };
    let redis = match raw.redis_url {
        None => None,
        Some(url) => {
            if url.get_ref().password().is_some() {
                return Err(at.error(
                    url.span(),
                    "the console's own redis_url must not hold a password in the config file"
                        .into(),
                ));
            }
            Some(ConsoleRedis {
                url: url.into_inner(),
                required: raw.redis_required,
            })
        }
    };

    let roots = match raw.ca_file {
        None => crate::tls::TrustedRoots::default(),
        Some(file) => {
            let path = base.join(file.get_ref());
            crate::tls::TrustedRoots::load(&path)
                .map_err(|e| at.error(file.span(), format!("key `ca_file` in [server]: {e}")))?
        }
    };

    let mut retention = Retention::default();
    if let Some(hours) = raw.history_raw_hours {
        if *hours.get_ref() < 24 || *hours.get_ref() > 24 * 366 {
            return Err(at.error(
                hours.span(),
                "key `history_raw_hours` in [server] must be between 24 and 8784".into(),
            ));
        }
        retention.raw = Duration::from_secs(hours.into_inner() * 3_600);
    }
    if let Some(days) = raw.history_days {
        if *days.get_ref() < 30 || *days.get_ref() > 3_660 {
            return Err(at.error(
                days.span(),
                "key `history_days` in [server] must be between 30 and 3660".into(),
            ));
        }
        retention.rollups = Duration::from_secs(days.into_inner() * 86_400);
    }
    Ok(ServerConfig {
        addr,
        data_dir,
        redis,
        retention,
        access: AccessConfig::default(),
        roots,
    })
}
