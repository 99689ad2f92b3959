//! The wall clock, read in one place: seconds since the Unix epoch.

/// Now, as Unix seconds with a fraction (0 if the system clock is before 1970).
pub fn now_unix() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}
