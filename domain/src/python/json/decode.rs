//! Python's `json.loads` on a `str`, by hand because it must match CPython byte for byte: the
//! values it accepts (`NaN`, `Infinity`, `-Infinity`, integers of any size, a repeated key
//! keeping its first place and its last value) and the text of every error it raises, which
//! the reference harness records as a case's error (`Expecting value: line 1 column 1 (char
//! 0)`). Written from the behaviour of CPython 3.11's C scanner (`Modules/_json.c`) and
//! `json/decoder.py`, and checked against the interpreter at test time
//! (`domain/tests/cpython_json.rs`).
//!
//! Positions in messages count code points, as Python's do. One known gap: a `\uXXXX` escape
//! of a lone surrogate, which a Python `str` can hold and a Rust `String` cannot, becomes
//! U+FFFD.

use std::collections::HashMap;
use std::fmt;

use super::super::PyValue;

/// CPython's limit on the digits of an `int` read from text (`sys.get_int_max_str_digits()`).
const INT_MAX_STR_DIGITS: usize = 4300;

/// How deep arrays and objects may nest. CPython stops at its recursion limit (1000 frames,
/// a few of them used by the caller), raising `RecursionError`.
const MAX_DEPTH: usize = 990;

/// What `json.loads` raised, as `str(exc)` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// `json.JSONDecodeError`: the message, and where (code points, lines and columns from 1).
    Decode {
        msg: &'static str,
        pos: usize,
        lineno: usize,
        colno: usize,
    },
    /// Another exception (`ValueError` for an over-long integer, `RecursionError`).
    Other(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Decode {
                msg,
                pos,
                lineno,
                colno,
            } => write!(f, "{msg}: line {lineno} column {colno} (char {pos})"),
            LoadError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for LoadError {}

/// `json.loads(text)`.
pub fn loads(text: &str) -> Result<PyValue, LoadError> {
    if text.starts_with('\u{feff}') {
        return Err(Fail::Decode(BOM_MESSAGE, 0).into_error(&Prefix::default(), text.as_bytes()));
    }
    let mut scanner = Scanner::new(text.as_bytes());
    let start = scanner.skip_ws(0);
    let (value, end) = scanner
        .scan_once(start)
        .map_err(|f| f.into_error(&Prefix::default(), text.as_bytes()))?;
    let end = scanner.skip_ws(end);
    if end != text.len() {
        return Err(Fail::Decode("Extra data", end).into_error(&Prefix::default(), text.as_bytes()));
    }
    Ok(value)
}

pub(super) const BOM_MESSAGE: &str = "Unexpected UTF-8 BOM (decode using utf-8-sig)";

/// What came before the bytes being scanned, when a reader has let them go: enough to say
/// where an error is in the whole text.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Prefix {
    /// Code points before.
    pub chars: usize,
    /// Newlines before.
    pub newlines: usize,
    /// Code points since the last newline (all of them when there was none).
    pub column: usize,
}

impl Prefix {
    /// The prefix extended by `bytes` (whole UTF-8).
    pub fn advanced(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            if b & 0xc0 == 0x80 {
                continue;
            }
            self.chars += 1;
            if b == b'\n' {
                self.newlines += 1;
                self.column = 0;
            } else {
                self.column += 1;
            }
        }
        self
    }
}

/// Why scanning stopped; offsets into the scanned bytes until turned into a [`LoadError`].
pub(super) enum Fail {
    /// The scanner's `StopIteration(idx)`: no value starts here ("Expecting value").
    NoValue(usize),
    Decode(&'static str, usize),
    Other(String),
}

impl Fail {
    /// The error, placed in the whole text: `prefix` came before `bytes`.
    pub fn into_error(self, prefix: &Prefix, bytes: &[u8]) -> LoadError {
        let (msg, at) = match self {
            Fail::NoValue(at) => ("Expecting value", at),
            Fail::Decode(msg, at) => (msg, at),
            Fail::Other(message) => return LoadError::Other(message),
        };
        let here = prefix.advanced(&bytes[..at.min(bytes.len())]);
        LoadError::Decode {
            msg,
            pos: here.chars,
            lineno: here.newlines + 1,
            colno: here.column + 1,
        }
    }
}

pub(super) struct Scanner<'a> {
    s: &'a [u8],
    depth: usize,
    /// Check the text exactly as when reading it, but build nothing (the values returned are
    /// placeholders): for indexing a file by the spans of its values.
    skip: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner over whole UTF-8 text.
    pub fn new(s: &'a [u8]) -> Self {
        Scanner {
            s,
            depth: 0,
            skip: false,
        }
    }

    /// A scanner that checks values without building them.
    pub fn skipping(s: &'a [u8]) -> Self {
        Scanner {
            skip: true,
            ..Scanner::new(s)
        }
    }

    pub fn skip_ws(&self, mut at: usize) -> usize {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(at) {
            at += 1;
        }
        at
    }

    fn starts_with(&self, at: usize, word: &[u8]) -> bool {
        self.s.get(at..at + word.len()) == Some(word)
    }

    /// One value starting exactly at `at`; returns it and the offset after it.
    pub fn scan_once(&mut self, at: usize) -> Result<(PyValue, usize), Fail> {
        let Some(&c) = self.s.get(at) else {
            return Err(Fail::NoValue(at));
        };
        match c {
            b'"' => {
                let (s, end) = self.scan_string(at + 1)?;
                Ok((PyValue::Str(s), end))
            }
            b'{' => self.nested(" while decoding a JSON object from a unicode string", |s| {
                s.parse_object(at + 1)
            }),
            b'[' => self.nested(" while decoding a JSON array from a unicode string", |s| {
                s.parse_array(at + 1)
            }),
            b'n' if self.starts_with(at, b"null") => Ok((PyValue::None, at + 4)),
            b't' if self.starts_with(at, b"true") => Ok((PyValue::Bool(true), at + 4)),
            b'f' if self.starts_with(at, b"false") => Ok((PyValue::Bool(false), at + 5)),
            b'N' if self.starts_with(at, b"NaN") => Ok((PyValue::Float(f64::NAN), at + 3)),
            b'I' if self.starts_with(at, b"Infinity") => {
                Ok((PyValue::Float(f64::INFINITY), at + 8))
            }
            b'-' if self.starts_with(at, b"-Infinity") => {
                Ok((PyValue::Float(f64::NEG_INFINITY), at + 9))
            }
            _ => self.match_number(at),
        }
    }

    fn nested(
        &mut self,
        what: &str,
        parse: impl FnOnce(&mut Self) -> Result<(PyValue, usize), Fail>,
    ) -> Result<(PyValue, usize), Fail> {
        if self.depth >= MAX_DEPTH {
            return Err(Fail::Other(format!(
                "maximum recursion depth exceeded{what}"
            )));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    /// After `{`. Keys in first-seen order; a repeated key takes the later value.
    fn parse_object(&mut self, start: usize) -> Result<(PyValue, usize), Fail> {
        let mut pairs: Vec<(String, PyValue)> = Vec::new();
        // Where each key sits in `pairs`, once an object is big enough for lookups to matter.
        let mut index: Option<HashMap<String, usize>> = None;
        let mut at = self.skip_ws(start);
        if self.s.get(at) == Some(&b'}') {
            return Ok((PyValue::Dict(pairs), at + 1));
        }
        loop {
            if self.s.get(at) != Some(&b'"') {
                return Err(Fail::Decode(
                    "Expecting property name enclosed in double quotes",
                    at,
                ));
            }
            let (key, after_key) = self.scan_string(at + 1)?;
            at = self.skip_ws(after_key);
            if self.s.get(at) != Some(&b':') {
                return Err(Fail::Decode("Expecting ':' delimiter", at));
            }
            at = self.skip_ws(at + 1);
            let (value, after_value) = self.scan_once(at)?;
            let slot = match &mut index {
                _ if self.skip => None,
                Some(index) => index.get(&key).copied(),
                None => pairs.iter().position(|(k, _)| *k == key),
            };
            match slot {
                Some(slot) => pairs[slot].1 = value,
                None if self.skip => {}
                None => {
                    if let Some(index) = &mut index {
                        index.insert(key.clone(), pairs.len());
                    }
                    pairs.push((key, value));
                    if index.is_none() && pairs.len() > 16 {
                        let built = pairs.iter().enumerate().map(|(i, (k, _))| (k.clone(), i));
                        index = Some(built.collect());
                    }
                }
            }
            at = self.skip_ws(after_value);
            match self.s.get(at) {
                Some(b'}') => return Ok((PyValue::Dict(pairs), at + 1)),
                Some(b',') => at = self.skip_ws(at + 1),
                _ => return Err(Fail::Decode("Expecting ',' delimiter", at)),
            }
        }
    }

    /// After `[`.
    fn parse_array(&mut self, start: usize) -> Result<(PyValue, usize), Fail> {
        let mut items = Vec::new();
        let mut at = self.skip_ws(start);
        if self.s.get(at) == Some(&b']') {
            return Ok((PyValue::List(items), at + 1));
        }
        loop {
            let (value, after) = self.scan_once(at)?;
            if !self.skip {
                items.push(value);
            }
            at = self.skip_ws(after);
            match self.s.get(at) {
                Some(b']') => return Ok((PyValue::List(items), at + 1)),
                Some(b',') => at = self.skip_ws(at + 1),
                _ => return Err(Fail::Decode("Expecting ',' delimiter", at)),
            }
        }
    }

    /// `scanstring` from just after the opening quote; returns the text and the offset after
    /// the closing quote.
    pub fn scan_string(&self, start: usize) -> Result<(String, usize), Fail> {
        let begin = start - 1;
        let s = self.s;
        let mut out = String::new();
        let mut at = start;
        loop {
            let chunk_start = at;
            while let Some(&b) = s.get(at) {
                if b == b'"' || b == b'\\' {
                    break;
                }
                if b <= 0x1f {
                    return Err(Fail::Decode("Invalid control character at", at));
                }
                at += 1;
            }
            if !self.skip {
                out.push_str(text_of(&s[chunk_start..at]));
            }
            match s.get(at) {
                None => return Err(Fail::Decode("Unterminated string starting at", begin)),
                Some(b'"') => return Ok((out, at + 1)),
                Some(_) => {}
            }
            // A backslash at `at`.
            let Some(&escape) = s.get(at + 1) else {
                return Err(Fail::Decode("Unterminated string starting at", begin));
            };
            if escape != b'u' {
                let c = match escape {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return Err(Fail::Decode("Invalid \\escape", at)),
                };
                if !self.skip {
                    out.push(c);
                }
                at += 2;
                continue;
            }
            // `\uXXXX`: the four digits must be followed by at least one more character.
            let digits = at + 2;
            if digits + 4 >= s.len() {
                return Err(Fail::Decode("Invalid \\uXXXX escape", at + 1));
            }
            let Some(unit) = hex4(&s[digits..digits + 4]) else {
                return Err(Fail::Decode("Invalid \\uXXXX escape", at + 1));
            };
            at = digits + 4;
            let mut code = u32::from(unit);
            if (0xd800..=0xdbff).contains(&unit)
                && at + 6 < s.len()
                && s[at] == b'\\'
                && s[at + 1] == b'u'
            {
                let Some(low) = hex4(&s[at + 2..at + 6]) else {
                    return Err(Fail::Decode("Invalid \\uXXXX escape", at + 1));
                };
                if (0xdc00..=0xdfff).contains(&low) {
                    code = 0x10000 + ((code - 0xd800) << 10) + (u32::from(low) - 0xdc00);
                    at += 6;
                }
            }
            if !self.skip {
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
        }
    }

    /// A number at `at`, or "Expecting value" there.
    fn match_number(&self, start: usize) -> Result<(PyValue, usize), Fail> {
        let s = self.s;
        let digit = |i: usize| s.get(i).is_some_and(u8::is_ascii_digit);
        let mut at = start;
        if s.get(at) == Some(&b'-') {
            at += 1;
        }
        match s.get(at) {
            Some(b'1'..=b'9') => {
                at += 1;
                while digit(at) {
                    at += 1;
                }
            }
            Some(b'0') => at += 1,
            _ => return Err(Fail::NoValue(start)),
        }
        let mut is_float = false;
        if s.get(at) == Some(&b'.') && digit(at + 1) {
            is_float = true;
            at += 2;
            while digit(at) {
                at += 1;
            }
        }
        if let Some(b'e' | b'E') = s.get(at) {
            let mut exp = at + 1;
            if let Some(b'-' | b'+') = s.get(exp) {
                exp += 1;
            }
            let digits_start = exp;
            while digit(exp) {
                exp += 1;
            }
            if exp > digits_start {
                is_float = true;
                at = exp;
            }
        }
        let text = text_of(&s[start..at]);
        if self.skip && is_float {
            return Ok((PyValue::None, at));
        }
        if is_float {
            // Rust's parse, like Python's float(), is correctly rounded; overflow gives inf.
            let x: f64 = text.parse().unwrap_or(f64::NAN);
            return Ok((PyValue::Float(x), at));
        }
        let value = int_value(text, self.skip)?;
        Ok((value, at))
    }
}

/// An integer literal as Python's `int()` reads it (JSON's grammar, so no leading zeros).
fn int_value(text: &str, skip: bool) -> Result<PyValue, Fail> {
    let digits = text.trim_start_matches('-').len();
    if digits > INT_MAX_STR_DIGITS {
        return Err(Fail::Other(format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: \
             value has {digits} digits; use sys.set_int_max_str_digits() to increase the limit"
        )));
    }
    if skip {
        return Ok(PyValue::None);
    }
    Ok(match text.parse::<i128>() {
        Ok(n) => PyValue::Int(n),
        Err(_) => PyValue::BigInt(text.to_string()),
    })
}

fn hex4(digits: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

/// The scanner only splits the input at ASCII bytes, so every slice is whole UTF-8.
fn text_of(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("split at ASCII boundaries")
}
