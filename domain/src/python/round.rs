//! Python's float `round()`, `format(x, ".Nf")` and `statistics.mean()`, exactly.
//!
//! CPython rounds a float to `n` decimals by writing the *exact* binary value as a correctly
//! rounded decimal string (ties to even; only exact ties are ties) and reading it back
//! (README rule 9). So `round(4.125, 2)` is 4.12 (an exact tie) while `round(4.175, 2)` is 4.17
//! (4.175 is really 4.17499999…); `(x * 100.0).round() / 100.0` gets both wrong.
//!
//! Hand-written on purpose: scores must round as the reference's do, byte for byte, and no crate
//! reproduces CPython's float `round`.

/// Powers of ten that are exact doubles.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Python's `round(x, ndigits)` for a float.
pub fn py_round(x: f64, ndigits: i32) -> f64 {
    // CPython's NDIGITS_MAX / NDIGITS_MIN: beyond them the answer is x, or a zero of x's sign.
    if !x.is_finite() || x == 0.0 || ndigits > 323 {
        return x;
    }
    if ndigits < -308 {
        return 0.0_f64.copysign(x);
    }
    let rounded = match round_fast(x.abs(), ndigits) {
        Some(Fast::Unchanged) => return x,
        Some(Fast::Scaled(q)) if q < 1 << 53 => q as f64 / POW10[ndigits as usize],
        Some(Fast::Scaled(q)) => parse_scaled(&q.to_string(), ndigits),
        None => parse_scaled(&round_slow(x.abs(), ndigits), ndigits),
    };
    rounded.copysign(x)
}

/// Python's `format(x, f".{ndigits}f")`, e.g. the `{r:.2f}` of README rule 5.
pub fn py_format_fixed(x: f64, ndigits: usize) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let n = i32::try_from(ndigits).unwrap_or(i32::MAX).min(1100);
    let digits = match round_fast(x.abs(), n) {
        Some(Fast::Scaled(q)) => q.to_string(),
        _ => round_slow(x.abs(), n),
    };
    let n = n as usize;
    let padded = format!("{digits:0>width$}", width = n + 1);
    let (int_part, frac_part) = padded.split_at(padded.len() - n);
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if n == 0 {
        format!("{sign}{int_part}")
    } else {
        format!("{sign}{int_part}.{frac_part}")
    }
}

/// Python's `statistics.mean()` of floats: the exact rational mean, rounded once to a float.
///
/// Exact for values in [0, 16) that are multiples of 2^-60, which covers every judge score
/// (0.0 or 1 to 5) and every float from 2^-8 up; anything else (never produced by the judge)
/// falls back to a plain sum divided by the count. `None` for no values, where Python raises.
pub fn py_mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    const SCALE: f64 = (1_u64 << 60) as f64;
    let mut sum: u128 = 0;
    for &v in values {
        let scaled = v * SCALE; // exact: a power-of-two scaling
        if !(0.0..18_446_744_073_709_551_616.0).contains(&scaled) || scaled.fract() != 0.0 {
            return Some(values.iter().sum::<f64>() / values.len() as f64);
        }
        sum += scaled as u128;
    }
    Some(div_to_f64(sum, (values.len() as u128) << 60))
}

/// `num / den` rounded to the nearest double, ties to even, as CPython's int true division
/// (which `Fraction.__float__` uses) does. Requires `den < 2^127` and a result in the normal range.
fn div_to_f64(num: u128, den: u128) -> f64 {
    if num == 0 {
        return 0.0;
    }
    let mut q = num / den;
    let mut r = num % den;
    if q >= 1 << 53 {
        let shift = 128 - q.leading_zeros() - 53;
        let low = q & ((1 << shift) - 1);
        let half = 1 << (shift - 1);
        let mantissa = q >> shift;
        let up = low > half || (low == half && (r != 0 || mantissa & 1 == 1));
        return (mantissa + u128::from(up)) as f64 * 2f64.powi(shift as i32);
    }
    // Long division until the quotient has 53 significant bits; `r / den` is what is left.
    let mut k = 0;
    while q < 1 << 52 {
        r *= 2;
        q *= 2;
        if r >= den {
            r -= den;
            q += 1;
        }
        k += 1;
    }
    let up = 2 * r > den || (2 * r == den && q & 1 == 1);
    (q + u128::from(up)) as f64 * 2f64.powi(-k)
}

enum Fast {
    /// `x` has at most `n` decimals already.
    Unchanged,
    /// `x` rounded is this integer times 10^-n.
    Scaled(u128),
}

/// Rounds `ax` (positive, finite) to `n` decimals with integer arithmetic when `0 <= n <= 22`.
///
/// `ax = m * 2^e` exactly, so `ax * 10^n = m * 5^n * 2^(e + n)`, with `m * 5^n < 2^105`.
fn round_fast(ax: f64, n: i32) -> Option<Fast> {
    if !(0..=22).contains(&n) {
        return None;
    }
    let bits = ax.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let p = m * 5_u128.pow(n as u32);
    let shift = e + n;
    if shift >= 0 {
        // Already a whole number of 10^-n units; give the digits only when they fit.
        return Some(if p.leading_zeros() as i32 > shift {
            Fast::Scaled(p << shift)
        } else {
            Fast::Unchanged
        });
    }
    let s = (-shift) as u32;
    if s > 105 {
        // p < 2^105 <= 2^(s - 1): below half a unit.
        return Some(Fast::Scaled(0));
    }
    let q = p >> s;
    let low = p & ((1 << s) - 1);
    let half = 1 << (s - 1);
    let up = low > half || (low == half && q & 1 == 1);
    Some(Fast::Scaled(q + u128::from(up)))
}

/// Rounds `ax` (positive, finite) to `n` decimals (`n` may be negative) from its exact decimal
/// expansion, which Rust prints in full given enough precision (at most 1074 decimals).
/// Returns the digits of the rounded value in units of 10^-n.
fn round_slow(ax: f64, n: i32) -> String {
    let exact = format!("{ax:.1100}");
    let (int_part, frac_part) = exact.split_once('.').unwrap_or((&exact, ""));
    let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let keep = int_part.len() as i64 + i64::from(n);
    if keep < 0 {
        return "0".to_string();
    }
    let keep = (keep as usize).min(digits.len());
    let mut kept = digits[..keep].to_vec();
    let rest = &digits[keep..];
    let last_odd = kept.last().is_some_and(|d| (d - b'0') % 2 == 1);
    let up = match rest.first() {
        Some(&d) if d > b'5' => true,
        Some(b'5') => rest[1..].iter().any(|&d| d != b'0') || last_odd,
        _ => false,
    };
    if up {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let text: String = kept.iter().map(|&d| char::from(d)).collect();
    let text = text.trim_start_matches('0');
    if text.is_empty() {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The double nearest to `digits * 10^-n` (Rust's float parsing is correctly rounded).
fn parse_scaled(digits: &str, n: i32) -> f64 {
    format!("{digits}e{}", -n).parse().unwrap_or(f64::INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_works_on_the_exact_binary_value_and_breaks_exact_ties_to_even() {
        // Expected values printed by python3's round(). A naive `(x * 100.0).round() / 100.0`
        // gets 4.125, 4.175, 2.675 and -4.125 wrong.
        let table: &[(f64, i32, f64)] = &[
            (4.125, 2, 4.12),
            (4.175, 2, 4.17),
            (4.025, 2, 4.03),
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (2.675, 2, 2.67),
            (1.005, 2, 1.0),
            (0.5, 0, 0.0),
            (1.5, 0, 2.0),
            (2.5, 0, 2.0),
            (4.545, 2, 4.54),
            (4.535, 2, 4.54),
            (0.99995, 4, 1.0),
            (0.98765, 4, 0.9877),
            (1234.5, -2, 1200.0),
            (1250.0, -2, 1200.0),
            (1350.0, -2, 1400.0),
            (-4.125, 2, -4.12),
            (-0.001, 2, -0.0),
            (5e-324, 2, 0.0),
            (123456789.125, 2, 123456789.12),
            (1e22, 2, 1e22),
        ];
        for &(x, n, expected) in table {
            let got = py_round(x, n);
            assert_eq!(
                got.to_bits(),
                expected.to_bits(),
                "round({x:?}, {n}) = {got:?}"
            );
        }
    }

    #[test]
    fn fast_and_exact_decimal_paths_agree() {
        // A fixed pseudo-random walk over bit patterns and small-denominator fractions.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for step in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = if step % 2 == 0 {
                f64::from_bits(state >> 2)
            } else {
                (state % 1_000_000) as f64 / [8.0, 200.0, 1000.0, 3.0][step % 4]
            };
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            let n = (state % 23) as i32;
            let slow = parse_scaled(&round_slow(x, n), n);
            assert_eq!(
                py_round(x, n).to_bits(),
                slow.to_bits(),
                "round({x:?}, {n})"
            );
        }
    }

    #[test]
    fn fixed_formatting_matches_python_format() {
        // format(x, '.2f') from python3.
        let table = [
            (0.125, "0.12"),
            (0.375, "0.38"),
            (0.625, "0.62"),
            (0.875, "0.88"),
            (0.745, "0.74"),
            (0.995, "0.99"),
            (0.9999, "1.00"),
            (1.0, "1.00"),
            (0.0, "0.00"),
            (-0.0, "-0.00"),
            (-0.001, "-0.00"),
            (0.005, "0.01"),
            (2.0 / 3.0, "0.67"),
            (12345.678, "12345.68"),
            (1e20, "100000000000000000000.00"),
        ];
        for (x, expected) in table {
            assert_eq!(py_format_fixed(x, 2), expected, "format({x:?}, '.2f')");
        }
        assert_eq!(py_format_fixed(2.5, 0), "2");
        assert_eq!(py_format_fixed(3.5, 0), "4");
    }

    #[test]
    fn mean_is_the_exactly_rounded_rational_mean() {
        // statistics.mean() from python3. A plain sum / n gives 1.3666666666666665 here.
        assert_eq!(py_mean(&[0.1, 1.25, 2.75]), Some(1.3666666666666667));
        assert_eq!(py_mean(&[4.5, 4.75, 4.5]), Some(4.583333333333333));
        assert_eq!(py_mean(&[0.0, 4.54, 5.0]), Some(3.18));
        assert_eq!(py_mean(&[0.1; 10]), Some(0.1));
        assert_eq!(py_mean(&[]), None);
        let mut scores = vec![4.5; 41];
        scores.extend([4.75; 9]);
        assert_eq!(py_mean(&scores), Some(4.545));
        assert_eq!(py_round(4.545, 2), 4.54);
    }
}
