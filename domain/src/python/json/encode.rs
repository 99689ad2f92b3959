//! Python's `json.dumps` with its defaults (`ensure_ascii=True`, `allow_nan=True`), by hand
//! because Greenlight's files must equal the reference harness's byte for byte: keys in the
//! order they were inserted, every non-ASCII character as `\uXXXX` (astral ones as surrogate
//! pairs), floats as `repr()` writes them (`1e-05`, `1e+16`), `NaN` / `Infinity`, integers of
//! any size exactly.
//!
//! [`dumps_indented`] is `json.dumps(obj, indent=2)`; [`dumps`] is `json.dumps(obj)`, with
//! its `", "` and `": "` separators.

use std::fmt::Write as _;

use super::super::{PyValue, py_float_repr};

/// `json.dumps(value, indent=2)`: no trailing newline.
pub fn dumps_indented(value: &PyValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(0));
    out
}

/// `value` as `json.dumps(..., indent=2)` writes it when it sits `depth` levels deep (its
/// inner lines indented from there), appended to `out`: for writing a large document piece by
/// piece.
pub fn write_indented(out: &mut String, value: &PyValue, depth: usize) {
    write_value(out, value, Some(depth));
}

/// `json.dumps(value)`: one line.
pub fn dumps(value: &PyValue) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None);
    out
}

/// Writes `value`; `indent` is the current depth when indenting, `None` for one line.
fn write_value(out: &mut String, value: &PyValue, indent: Option<usize>) {
    match value {
        PyValue::None => out.push_str("null"),
        PyValue::Bool(true) => out.push_str("true"),
        PyValue::Bool(false) => out.push_str("false"),
        PyValue::Int(n) => {
            let _ = write!(out, "{n}");
        }
        PyValue::BigInt(digits) => out.push_str(digits),
        PyValue::Float(x) => out.push_str(&float_text(*x)),
        PyValue::Str(s) => write_str(out, s),
        PyValue::List(items) if items.is_empty() => out.push_str("[]"),
        PyValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separator(out, i == 0, indent);
                write_value(out, item, indent.map(|d| d + 1));
            }
            close(out, indent);
            out.push(']');
        }
        PyValue::Dict(pairs) if pairs.is_empty() => out.push_str("{}"),
        PyValue::Dict(pairs) => {
            out.push('{');
            for (i, (key, item)) in pairs.iter().enumerate() {
                separator(out, i == 0, indent);
                write_str(out, key);
                out.push_str(": ");
                write_value(out, item, indent.map(|d| d + 1));
            }
            close(out, indent);
            out.push('}');
        }
    }
}

fn separator(out: &mut String, first: bool, indent: Option<usize>) {
    match indent {
        Some(depth) => {
            if !first {
                out.push(',');
            }
            out.push('\n');
            push_indent(out, depth + 1);
        }
        None if !first => out.push_str(", "),
        None => {}
    }
}

fn close(out: &mut String, indent: Option<usize>) {
    if let Some(depth) = indent {
        out.push('\n');
        push_indent(out, depth);
    }
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `float.__repr__`, with JSON's names for the non-finite values.
pub fn float_text(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x == f64::INFINITY {
        "Infinity".into()
    } else if x == f64::NEG_INFINITY {
        "-Infinity".into()
    } else {
        py_float_repr(x)
    }
}

/// A string as `ensure_ascii` writes it.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let escape: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            c if c < ' ' || !c.is_ascii() => None,
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + c.len_utf8();
        match escape {
            Some(text) => out.push_str(text),
            None => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::loads;
    use super::*;

    #[test]
    fn indented_output_is_pythons() {
        // python3 -c 'import json; print(json.dumps({"a": [1, 2.5, "é😀"], "b": {}, "c": []}, indent=2))'
        let value = loads(r#"{"a": [1, 2.5, "é😀"], "b": {}, "c": []}"#).unwrap();
        assert_eq!(
            dumps_indented(&value),
            "{\n  \"a\": [\n    1,\n    2.5,\n    \"\\u00e9\\ud83d\\ude00\"\n  ],\n  \"b\": {},\n  \"c\": []\n}"
        );
        assert_eq!(
            dumps(&value),
            r#"{"a": [1, 2.5, "\u00e9\ud83d\ude00"], "b": {}, "c": []}"#
        );
    }

    #[test]
    fn numbers_and_controls_are_written_as_python_writes_them() {
        let value = loads(
            r#"[1e-05, 1e16, 1E400, -Infinity, NaN, 123456789012345678901234567890123456789012, "\u0001\u007f\b"]"#,
        )
        .unwrap();
        assert_eq!(
            dumps(&value),
            r#"[1e-05, 1e+16, Infinity, -Infinity, NaN, 123456789012345678901234567890123456789012, "\u0001\u007f\b"]"#
                .replace("\\u007f", "\u{7f}")
        );
    }
}
