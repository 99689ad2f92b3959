//! UTC timestamps as text, without a calendar dependency.

/// Formats seconds and nanoseconds since the Unix epoch as RFC 3339 in UTC with microseconds,
/// the precision the reference service writes (`2026-11-29T15:36:12.080786+00:00`).
pub fn rfc3339_utc(unix_secs: i64, nanos: u32) -> String {
    let (y, m, d, hh, mm, ss) = civil(unix_secs);
    format!(
        "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{:06}+00:00",
        nanos / 1_000
    )
}

/// For people: `2026-11-29 15:36` (UTC, to the minute).
pub fn minute_utc(unix_secs: f64) -> String {
    let (y, m, d, hh, mm, _) = civil(unix_secs.floor() as i64);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// A span for people: "17 h 42 min", "3 min", "45 s".
pub fn human_duration(secs: f64) -> String {
    let secs = secs.max(0.0) as u64;
    match secs {
        s if s >= 86_400 => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
        s if s >= 3600 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// A configured window in words: "24 hours", "2 days", "1 minute", "90 minutes".
pub fn window_words(secs: u64) -> String {
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match secs {
        s if s >= 2 * 86_400 && s % 86_400 == 0 => plural(s / 86_400, "day"),
        s if s >= 3_600 && s % 3_600 == 0 => plural(s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => plural(s / 60, "minute"),
        s => plural(s, "second"),
    }
}

/// Compact form for directory names: `20261129T153612Z`.
pub fn compact_utc(unix_secs: i64) -> String {
    let (y, m, d, hh, mm, ss) = civil(unix_secs);
    format!("{y:04}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z")
}

/// Parses the RFC 3339 timestamps this program writes (`2026-11-29T15:36:12.080786+00:00` or
/// with `Z`) back to Unix seconds. Only UTC offsets are accepted.
pub fn parse_rfc3339_utc(text: &str) -> Option<f64> {
    let (date, rest) = text.split_once('T')?;
    let mut parts = date.splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    let time = rest
        .strip_suffix('Z')
        .or_else(|| rest.strip_suffix("+00:00"))?;
    let mut hms = time.splitn(3, ':');
    let (hh, mm): (i64, i64) = (hms.next()?.parse().ok()?, hms.next()?.parse().ok()?);
    let ss: f64 = hms.next()?.parse().ok()?;
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || hh > 23
        || mm > 59
        || !(0.0..61.0).contains(&ss)
    {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hh * 3_600 + mm * 60) as f64 + ss)
}

/// Splits Unix seconds into civil UTC date and time (Howard Hinnant's days-to-civil algorithm).
fn civil(unix_secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix_secs.div_euclid(86_400);
    let secs_of_day = unix_secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_spans_in_words() {
        assert_eq!(window_words(86_400), "24 hours");
        assert_eq!(window_words(2 * 86_400), "2 days");
        assert_eq!(window_words(3_600), "1 hour");
        assert_eq!(window_words(60), "1 minute");
        assert_eq!(window_words(5_400), "90 minutes");
        assert_eq!(window_words(45), "45 seconds");
        assert_eq!(human_duration(63_720.0), "17 h 42 min");
        assert_eq!(human_duration(-3.0), "0 s");
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339_utc(0, 0), "1970-01-01T00:00:00.000000+00:00");
        // 2026-11-29T15:36:12Z, the capture time of the reference fixtures.
        assert_eq!(
            rfc3339_utc(1_795_966_572, 80_786_000),
            "2026-11-29T15:36:12.080786+00:00"
        );
        assert_eq!(
            rfc3339_utc(951_782_400, 0),
            "2000-02-29T00:00:00.000000+00:00"
        );
        assert_eq!(compact_utc(1_795_966_572), "20261129T153612Z");
    }

    #[test]
    fn handles_times_before_the_epoch() {
        assert_eq!(rfc3339_utc(-1, 0), "1969-12-31T23:59:59.000000+00:00");
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn parses_what_it_formats() {
        for t in [0_i64, 951_782_400, 1_764_430_572, 4_102_444_799] {
            assert_eq!(parse_rfc3339_utc(&rfc3339_utc(t, 0)), Some(t as f64));
        }
        assert_eq!(
            parse_rfc3339_utc("2026-11-29T15:36:12.5Z"),
            Some(1_795_966_572.5)
        );
        for bad in [
            "",
            "2026-11-29",
            "2026-13-01T00:00:00Z",
            "2026-11-29T15:36:12+02:00",
            "x-y-zT1:2:3Z",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
    }
}
