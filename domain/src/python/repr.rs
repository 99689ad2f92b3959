//! Python's `repr()` and `str()` of the values a runner's JSON can hold.
//!
//! The judge's reasons embed `repr` of lists of strings (README rule 7), and the runner's
//! non-string fields are converted with `str()` (README rule 8).
//!
//! Hand-written on purpose: the judge's reasons must be the reference's byte for byte, and no
//! crate reproduces CPython's `repr` (its quote choice and escapes).

use std::fmt::Write as _;

use super::printable::NON_PRINTABLE;
use super::value::PyValue;

/// Python's `repr()` of a `str`.
///
/// CPython's `unicode_repr`: single quotes unless the text holds a single quote and no double
/// quote; `\\`, the chosen quote, `\t`, `\n` and `\r` are backslash-escaped; other characters
/// below U+0020 and U+007F become `\xNN`; non-ASCII characters stay as they are when printable
/// and otherwise become `\xNN`, `\uNNNN` or `\UNNNNNNNN` (lowercase hex).
pub fn py_repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_repr_str(&mut out, s);
    out
}

fn push_repr_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        let code = u32::from(c);
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if c == quote => {
                out.push('\\');
                out.push(c);
            }
            _ if code < 0x20 || code == 0x7f => push_hex(out, 'x', 2, code),
            _ if code < 0x7f || is_printable(code) => out.push(c),
            _ if code <= 0xff => push_hex(out, 'x', 2, code),
            _ if code <= 0xffff => push_hex(out, 'u', 4, code),
            _ => push_hex(out, 'U', 8, code),
        }
    }
    out.push(quote);
}

fn push_hex(out: &mut String, kind: char, width: usize, code: u32) {
    // Writing to a String cannot fail.
    let _ = write!(out, "\\{kind}{code:0width$x}");
}

/// Python's `str.isprintable()` for one non-ASCII code point, from the generated table.
fn is_printable(code: u32) -> bool {
    let ranges = NON_PRINTABLE.len() / 2;
    // The number of ranges starting at or before `code`; the last of them may contain it.
    let (mut lo, mut hi) = (0, ranges);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if NON_PRINTABLE[2 * mid] <= code {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo == 0 || NON_PRINTABLE[2 * (lo - 1) + 1] < code
}

/// Python's `repr()` of a list of strings, e.g. `['a', "it's"]` (README rule 7).
pub fn py_repr_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_repr_str(&mut out, item.as_ref());
    }
    out.push(']');
    out
}

/// Python's `repr()` of a `float`: the shortest digits that read back as the same value, in
/// fixed notation when the decimal exponent is from -4 to 15, else as `1e-05` / `1.5e+16`.
pub fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    // Rust's `{:e}` also prints the shortest round-tripping digits, closest to the exact value.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    // CPython's `decpt`: the value is 0.DIGITS * 10^decpt.
    let decpt = exponent + 1;
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if -4 < decpt && decpt <= 16 {
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', decpt.unsigned_abs() as usize));
            out.push_str(&digits);
        } else {
            let point = decpt as usize;
            if point >= digits.len() {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', point - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
    out
}

/// Python's `str()` of a JSON value as `json.loads` would have produced it (README rule 8):
/// `None`, `True`, `1.0`, `['a', 1]`, `{'a': 1}`.
///
/// A `serde_json::Value` object has lost its key order (serde_json sorts keys unless its
/// `preserve_order` feature is on), so `{'b': 1, 'a': 2}` comes out sorted. Parse the runner's
/// text into a [`PyValue`] to keep the order Python would print.
pub fn py_str(value: &serde_json::Value) -> String {
    PyValue::from(value).py_str()
}

impl PyValue {
    /// Python's `str()` of this value.
    pub fn py_str(&self) -> String {
        match self {
            PyValue::Str(s) => s.clone(),
            other => other.py_repr(),
        }
    }

    /// Python's `repr()` of this value.
    pub fn py_repr(&self) -> String {
        let mut out = String::new();
        self.push_repr(&mut out);
        out
    }

    fn push_repr(&self, out: &mut String) {
        match self {
            PyValue::None => out.push_str("None"),
            PyValue::Bool(true) => out.push_str("True"),
            PyValue::Bool(false) => out.push_str("False"),
            PyValue::Int(i) => {
                let _ = write!(out, "{i}");
            }
            PyValue::BigInt(digits) => out.push_str(digits),
            PyValue::Float(x) => out.push_str(&py_float_repr(*x)),
            PyValue::Str(s) => push_repr_str(out, s),
            PyValue::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.push_repr(out);
                }
                out.push(']');
            }
            PyValue::Dict(pairs) => {
                out.push('{');
                for (i, (key, item)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_repr_str(out, key);
                    out.push_str(": ");
                    item.push_repr(out);
                }
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_repr_matches_python_quoting_and_escapes() {
        // (s, repr(s)) pairs printed by python3 3.11.
        let table = [
            ("plain", "'plain'"),
            ("it's", "\"it's\""),
            ("say \"hi\"", "'say \"hi\"'"),
            ("both ' and \"", "'both \\' and \"'"),
            ("tab\u{9}here", "'tab\\there'"),
            ("new\u{a}line\u{d}", "'new\\nline\\r'"),
            ("back\\slash", "'back\\\\slash'"),
            ("\u{0}\u{1c}\u{7f}", "'\\x00\\x1c\\x7f'"),
            ("\u{85}\u{a0}\u{ad}", "'\\x85\\xa0\\xad'"),
            ("caf\u{e9} \u{df}", "'caf\u{e9} \u{df}'"),
            (
                "\u{200b}\u{2028}\u{2029}\u{3000}\u{1680}\u{202f}",
                "'\\u200b\\u2028\\u2029\\u3000\\u1680\\u202f'",
            ),
            ("\u{e000}\u{f0000}", "'\\ue000\\U000f0000'"),
            ("\u{e0001}\u{1f600}", "'\\U000e0001\u{1f600}'"),
            ("\u{378}", "'\\u0378'"),
            ("\u{feff}\u{fffe}", "'\\ufeff\\ufffe'"),
            (
                "\u{39f}\u{394}\u{39f}\u{3a3}",
                "'\u{39f}\u{394}\u{39f}\u{3a3}'",
            ),
            ("", "''"),
            (
                "\u{600}\u{61c}\u{180e}\u{2066}\u{10fff}\u{1d173}",
                "'\\u0600\\u061c\\u180e\\u2066\\U00010fff\\U0001d173'",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(py_repr_str(input), expected, "repr of {input:?}");
        }
    }

    #[test]
    fn list_repr_joins_item_reprs() {
        assert_eq!(
            py_repr_list(&["a", "it's", "x\"y", ""]),
            "['a', \"it's\", 'x\"y', '']"
        );
        assert_eq!(py_repr_list::<&str>(&[]), "[]");
    }

    #[test]
    fn float_repr_matches_python() {
        // (x, repr(x)) pairs printed by python3.
        let table = [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1.2345e-7, "1.2345e-07"),
            (2.5e+100, "2.5e+100"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (100.0, "100.0"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (x, expected) in table {
            assert_eq!(py_float_repr(x), expected, "repr of {x:e}");
        }
    }

    #[test]
    fn str_of_json_values_matches_python() {
        let value = serde_json::json!([1, "a", {"k": "v"}, null, true, 1.0, [], {}]);
        assert_eq!(
            py_str(&value),
            "[1, 'a', {'k': 'v'}, None, True, 1.0, [], {}]"
        );
        assert_eq!(py_str(&serde_json::json!("it's")), "it's");
        assert_eq!(py_str(&serde_json::json!(-7)), "-7");
        assert_eq!(py_str(&serde_json::json!(u64::MAX)), "18446744073709551615");
    }
}
