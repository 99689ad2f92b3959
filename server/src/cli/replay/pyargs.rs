//! `--min-pass-rate` and `--max-cases` read as the reference's argparse reads them, with
//! Python's `float()` and `int()`: surrounding whitespace, `_` between digits, `inf` / `nan`
//! for a float, any sign and size for an int. Their whitespace is Unicode's White_Space, without
//! the U+001C..U+001F that `str.strip()` also removes (CPython maps Unicode spaces to ASCII,
//! then strips C's `isspace` set).

/// The whitespace `float()` and `int()` ignore around a number.
fn strip(text: &str) -> &str {
    text.trim_matches(char::is_whitespace)
}

/// Python's `float(text)`.
pub fn py_float(raw: &str) -> Result<f64, String> {
    let text = strip(raw);
    let invalid = || format!("invalid float value: {raw:?}");
    let digits = without_underscores(text).ok_or_else(invalid)?;
    let unsigned = digits.trim_start_matches(['+', '-']);
    if digits.len() - unsigned.len() > 1 || unsigned.is_empty() {
        return Err(invalid());
    }
    let word = unsigned.to_ascii_lowercase();
    if matches!(word.as_str(), "inf" | "infinity" | "nan") {
        let negative = digits.starts_with('-');
        return Ok(match (word.as_str(), negative) {
            ("nan", _) => f64::NAN,
            (_, true) => f64::NEG_INFINITY,
            _ => f64::INFINITY,
        });
    }
    // Python's grammar: digits with an optional point and exponent; at least one digit.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        all_digits(whole) && all_digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    if !mantissa_ok || !exponent_ok {
        return Err(invalid());
    }
    digits.parse().map_err(|_| invalid())
}

/// Python's `int(text)`, saturated to the `i64` range (a count beyond it means "all" anyway).
pub fn py_int(raw: &str) -> Result<i64, String> {
    let text = strip(raw);
    let invalid = || format!("invalid int value: {raw:?}");
    let digits = without_underscores(text).ok_or_else(invalid)?;
    let (negative, unsigned) = match digits.as_bytes().first() {
        Some(b'-') => (true, &digits[1..]),
        Some(b'+') => (false, &digits[1..]),
        _ => (false, &digits[..]),
    };
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let magnitude = unsigned.trim_start_matches('0');
    let value: i64 = if magnitude.len() > 18 {
        i64::MAX
    } else {
        magnitude.parse().unwrap_or(0)
    };
    Ok(if negative { -value } else { value })
}

/// The text with its `_` digit separators removed, `None` when one is not between digits.
fn without_underscores(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            if !(before.is_some_and(|c| c.is_ascii_digit())
                && after.is_some_and(|c| c.is_ascii_digit()))
            {
                return None;
            }
        }
    }
    Some(text.replace('_', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_as_python_reads_them() {
        // Each checked with python3 -c 'print(float(X))'.
        let ok = [
            (" 0.9 ", 0.9),
            ("\u{85}1\u{3000}", 1.0),
            ("-0.5", -0.5),
            ("1.5", 1.5),
            ("1.", 1.0),
            (".5", 0.5),
            ("1_0.2_5", 10.25),
            ("1e-2", 0.01),
            ("+2E1", 20.0),
            ("-Infinity", f64::NEG_INFINITY),
            ("inf", f64::INFINITY),
        ];
        for (text, value) in ok {
            assert_eq!(py_float(text), Ok(value), "{text:?}");
        }
        assert!(py_float("nan").unwrap().is_nan());
        assert!(py_float("-NaN").unwrap().is_nan());
        for bad in [
            "", " ", "\u{1c}1", "1e", "e1", ".", "1__0", "_1", "1_", "1._5", "0x10", "--1", "1 2",
            "in f",
        ] {
            assert!(py_float(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ints_read_as_python_reads_them() {
        let ok = [
            (" 5 ", 5),
            ("-3", -3),
            ("+0", 0),
            ("007", 7),
            ("1_000", 1000),
            ("99999999999999999999999", i64::MAX),
            ("-99999999999999999999999", -i64::MAX),
        ];
        for (text, value) in ok {
            assert_eq!(py_int(text), Ok(value), "{text:?}");
        }
        for bad in ["", "5.0", "1e3", "0x1", "_1", "1__0", "- 1"] {
            assert!(py_int(bad).is_err(), "{bad:?}");
        }
    }
}
