//! The wall clock, read in one place: time since the Unix epoch.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Now, as the time since the Unix epoch (zero if the system clock is before 1970).
pub fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Now, as Unix seconds with a fraction.
pub fn now_unix() -> f64 {
    since_epoch().as_secs_f64()
}

/// Now, as RFC 3339 UTC with nanoseconds (how rounds are stamped).
pub fn now_rfc3339() -> String {
    let now = since_epoch();
    domain::time::rfc3339_utc(now.as_secs() as i64, now.subsec_nanos())
}
