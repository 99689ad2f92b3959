//! `[auth]`: session lifetimes, public paths, cookie security, sign-in rate limits and the
//! reverse proxies trusted to name the client.

use super::AccessConfig;
use super::located::Located;
use super::raw::RawAccess;
use crate::error::Result;

/// Validates `[auth]`.
pub(super) fn validate(at: &Located<'_>, raw: RawAccess) -> Result<AccessConfig> {
    let mut access = AccessConfig {
        secure_cookies: raw.secure_cookies,
        ..AccessConfig::default()
    };
    if let Some(minutes) = raw.session_idle_minutes {
        if !(1..=10_080).contains(minutes.get_ref()) {
            return Err(at.error(
                minutes.span(),
                "key `session_idle_minutes` in [auth] must be between 1 and 10080".into(),
            ));
        }
        access.sessions.idle_secs = minutes.into_inner() as f64 * 60.0;
    }
    if let Some(hours) = raw.session_max_hours {
        if !(1..=8_784).contains(hours.get_ref()) {
            return Err(at.error(
                hours.span(),
                "key `session_max_hours` in [auth] must be between 1 and 8784".into(),
            ));
        }
        access.sessions.absolute_secs = hours.into_inner() as f64 * 3_600.0;
    }
    if let Some(paths) = raw.public_paths {
        let mut out = Vec::with_capacity(paths.len());
        for p in paths {
            let text = p.get_ref();
            let star = text.find('*');
            if !text.starts_with('/') || star.is_some_and(|i| i + 1 != text.len()) {
                return Err(at.error(
                    p.span(),
                    "each of `public_paths` in [auth] must start with / and may end with one *"
                        .into(),
                ));
            }
            out.push(p.into_inner());
        }
        access.public_paths = out;
    }
    if let Some(n) = raw.sign_in_attempts_per_minute {
        if *n.get_ref() == 0 {
            return Err(at.error(
                n.span(),
                "key `sign_in_attempts_per_minute` in [auth] must be at least 1".into(),
            ));
        }
        access.sign_in_attempts_per_minute = n.into_inner();
    }
    for proxy in raw.trusted_proxies.into_iter().flatten() {
        let text = proxy.get_ref().trim();
        let net = text
            .parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
        match net {
            Ok(net) => access.trusted_proxies.push(net),
            Err(_) => {
                return Err(at.error(
                    proxy.span(),
                    "each of `trusted_proxies` in [auth] must be an IP address or a CIDR range such as 10.0.0.0/8".into(),
                ));
            }
        }
    }
    Ok(access)
}
