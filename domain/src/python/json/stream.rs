//! `json.loads` of a top-level array or object read one item at a time, so a golden set, a
//! recorded-runs file or a baseline file of any size is read in bounded memory. Same values and
//! same errors, at the same places, as `json.loads` on the whole text (the positions count the
//! whole file); hand-written with the decoder for the same reason (see `decode.rs`).
//!
//! Each item comes with its byte span in the file, so a caller can index a file once and read
//! one item back later with [`loads`](super::loads) on just those bytes.

use std::io::Read;
use std::ops::Range;

use super::decode::{BOM_MESSAGE, Fail, Prefix, Scanner};
use super::{LoadError, loads};
use crate::python::PyValue;

const READ_SIZE: usize = 64 * 1024;

/// What the top level of the text is.
pub enum Opened<R> {
    /// An array or an object, to be read item by item.
    Items(Items<R>),
    /// Any other value, read whole.
    Scalar(PyValue),
}

/// One item: an array element (`key` is `None`) or an object entry, and the byte span of its
/// value.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: Option<String>,
    pub value: PyValue,
    pub span: Range<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    First,
    Next,
    Done,
}

pub struct Items<R> {
    reader: R,
    /// What each read fills, then appended to `buf`.
    chunk: Box<[u8]>,
    buf: Vec<u8>,
    /// Unread bytes start here.
    pos: usize,
    /// `buf[..valid]` is checked UTF-8.
    valid: usize,
    eof: bool,
    /// What was dropped before `buf[0]`, and its length in bytes.
    prefix: Prefix,
    offset: u64,
    object: bool,
    /// Check each value without building it (see [`Items::skipping_values`]).
    skip_values: bool,
    state: State,
}

/// Opens `reader`'s text: an array or object for item-by-item reading, or a whole scalar.
pub fn open<R: Read>(reader: R) -> Result<Opened<R>, LoadError> {
    let mut items = Items {
        reader,
        chunk: vec![0; READ_SIZE].into_boxed_slice(),
        buf: Vec::new(),
        pos: 0,
        valid: 0,
        eof: false,
        prefix: Prefix::default(),
        offset: 0,
        object: false,
        skip_values: false,
        state: State::First,
    };
    while items.buf.len() < 3 && !items.eof {
        items.fill()?;
    }
    if items.buf.starts_with("\u{feff}".as_bytes()) {
        return Err(items.fail(Fail::Decode(BOM_MESSAGE, 0)));
    }
    let at = items.skip_ws()?;
    match items.buf.get(at) {
        Some(b'[') => {}
        Some(b'{') => items.object = true,
        _ => {
            while !items.eof {
                items.fill()?;
            }
            let text = std::str::from_utf8(&items.buf).expect("checked UTF-8");
            return loads(text).map(Opened::Scalar);
        }
    }
    items.pos = at + 1;
    Ok(Opened::Items(items))
}

impl<R: Read> Items<R> {
    /// From now on, each item's value is checked exactly as when read, but not built: the
    /// items carry `PyValue::None` and their spans. For indexing a file cheaply.
    pub fn skipping_values(mut self) -> Self {
        self.skip_values = true;
        self
    }

    /// Whether the top level is an object (else an array).
    pub fn is_object(&self) -> bool {
        self.object
    }

    /// The next item, `None` after the last (the rest of the text then checked to be only
    /// whitespace).
    pub fn next_item(&mut self) -> Result<Option<Item>, LoadError> {
        if self.state == State::Done {
            return Ok(None);
        }
        self.compact();
        let mut at = self.skip_ws()?;
        let close = if self.object { b'}' } else { b']' };
        match (self.state, self.buf.get(at)) {
            (State::First, Some(&c)) if c == close => return self.finish(at + 1),
            (State::First, _) => {}
            (State::Next, Some(&c)) if c == close => return self.finish(at + 1),
            (State::Next, Some(b',')) => {
                self.pos = at + 1;
                at = self.skip_ws()?;
            }
            (State::Next, _) => return Err(self.fail(Fail::Decode("Expecting ',' delimiter", at))),
            (State::Done, _) => unreachable!("checked above"),
        }
        let key = if self.object {
            if self.buf.get(at) != Some(&b'"') {
                return Err(self.fail(Fail::Decode(
                    "Expecting property name enclosed in double quotes",
                    at,
                )));
            }
            let end = self.value_end(at)?;
            let (key, after) = {
                let scanner = Scanner::new(&self.buf[..end.min(self.valid)]);
                scanner.scan_string(at + 1)
            }
            .map_err(|f| self.fail(f))?;
            self.pos = after;
            at = self.skip_ws()?;
            if self.buf.get(at) != Some(&b':') {
                return Err(self.fail(Fail::Decode("Expecting ':' delimiter", at)));
            }
            self.pos = at + 1;
            at = self.skip_ws()?;
            Some(key)
        } else {
            None
        };
        let end = self.value_end(at)?;
        let (value, after) = {
            let bytes = &self.buf[..end.min(self.valid)];
            let mut scanner = if self.skip_values {
                Scanner::skipping(bytes)
            } else {
                Scanner::new(bytes)
            };
            scanner.scan_once(at)
        }
        .map_err(|f| self.fail(f))?;
        self.pos = after;
        self.state = State::Next;
        let span = self.offset + at as u64..self.offset + after as u64;
        Ok(Some(Item { key, value, span }))
    }

    fn finish(&mut self, after_close: usize) -> Result<Option<Item>, LoadError> {
        self.pos = after_close;
        let at = self.skip_ws()?;
        if at != self.buf.len() {
            return Err(self.fail(Fail::Decode("Extra data", at)));
        }
        self.state = State::Done;
        Ok(None)
    }

    /// Drops what has been read once it is a read's worth, keeping where it ends.
    fn compact(&mut self) {
        if self.pos < READ_SIZE {
            return;
        }
        self.prefix = self.prefix.advanced(&self.buf[..self.pos]);
        self.offset += self.pos as u64;
        self.buf.drain(..self.pos);
        self.valid -= self.pos;
        self.pos = 0;
    }

    /// An error at buffer index `at`, placed in the whole text.
    fn fail(&self, fail: Fail) -> LoadError {
        fail.into_error(&self.prefix, &self.buf[..self.valid])
    }

    /// Reads more; sets `eof` at the end. Fails on text that is not UTF-8.
    fn fill(&mut self) -> Result<(), LoadError> {
        let n = loop {
            match self.reader.read(&mut self.chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(LoadError::Other(e.to_string())),
            }
        };
        self.buf.extend_from_slice(&self.chunk[..n]);
        self.eof = n == 0;
        match std::str::from_utf8(&self.buf[self.valid..]) {
            Ok(_) => self.valid = self.buf.len(),
            Err(e) => {
                let bad = self.valid + e.valid_up_to();
                self.valid = bad;
                if e.error_len().is_some() || self.eof {
                    let reason = match (e.error_len(), self.buf[bad]) {
                        (None, _) => "unexpected end of data",
                        (Some(_), 0x80..=0xc1 | 0xf5..) => "invalid start byte",
                        (Some(_), _) => "invalid continuation byte",
                    };
                    return Err(LoadError::Other(format!(
                        "'utf-8' codec can't decode byte 0x{:02x} in position {}: {reason}",
                        self.buf[bad],
                        self.offset + bad as u64
                    )));
                }
            }
        }
        Ok(())
    }

    /// Skips whitespace from `pos`, reading more as needed; returns where it stops (the buffer
    /// length at the end of the text).
    fn skip_ws(&mut self) -> Result<usize, LoadError> {
        let mut at = self.pos;
        loop {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.buf.get(at) {
                at += 1;
            }
            if at < self.buf.len() || self.eof {
                return Ok(at);
            }
            self.fill()?;
        }
    }

    /// Where the value starting at `start` ends at the latest, reading until the buffer holds
    /// it: after the bracket closing it, after a string's closing quote, or at the delimiter
    /// or whitespace after a scalar (the end of the text when none comes). The scanner then
    /// reads the value within these bytes exactly as within the whole text: it stops (or
    /// fails) no later than this point.
    fn value_end(&mut self, start: usize) -> Result<usize, LoadError> {
        let mut i = start;
        let mut depth = 0usize;
        let mut in_string = false;
        loop {
            if i >= self.buf.len() {
                if self.eof {
                    return Ok(self.buf.len());
                }
                self.fill()?;
                continue;
            }
            let b = self.buf[i];
            if in_string {
                match b {
                    b'\\' => {
                        if i + 1 >= self.buf.len() && !self.eof {
                            self.fill()?;
                            continue;
                        }
                        i += 2;
                        continue;
                    }
                    b'"' => {
                        in_string = false;
                        if depth == 0 {
                            return Ok(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' if depth == 0 => return Ok(i),
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(i + 1);
                    }
                }
                b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => return Ok(i),
                _ => {}
            }
            i += 1;
        }
    }
}

impl<R: Read> Iterator for Items<R> {
    type Item = Result<Item, LoadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_item() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

/// Reads a whole text through [`open`], for tests: the same result as [`loads`].
pub fn loads_streamed<R: Read>(reader: R) -> Result<PyValue, LoadError> {
    match open(reader)? {
        Opened::Scalar(value) => Ok(value),
        Opened::Items(items) => {
            let object = items.object;
            let mut list = Vec::new();
            let mut pairs: Vec<(String, PyValue)> = Vec::new();
            for item in items {
                let item = item?;
                match item.key {
                    Some(key) => match pairs.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = item.value,
                        None => pairs.push((key, item.value)),
                    },
                    None => list.push(item.value),
                }
            }
            Ok(if object {
                PyValue::Dict(pairs)
            } else {
                PyValue::List(list)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big_array(items: usize) -> String {
        let mut text = String::from("[\n");
        for i in 0..items {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(&format!(r#"  {{"id": "é{i}", "n": [{i}, 1.5, "x\"y"]}}"#));
        }
        text.push_str("\n]");
        text
    }

    #[test]
    fn a_long_array_reads_item_by_item_with_spans_into_the_whole_text() {
        let text = big_array(20_000);
        let Opened::Items(items) = open(text.as_bytes()).unwrap() else {
            panic!("an array");
        };
        let mut count = 0;
        for item in items {
            let item = item.unwrap();
            let span = item.span.start as usize..item.span.end as usize;
            assert_eq!(loads(&text[span]).unwrap(), item.value);
            count += 1;
        }
        assert_eq!(count, 20_000);
    }

    #[test]
    fn errors_far_into_a_long_text_are_placed_as_loads_places_them() {
        let good = big_array(20_000);
        for broken in [
            good.replace(r#""é19999", "n""#, r#""é19999" "n""#),
            good.replace(r#"[17000, 1.5, "x\"y"]}"#, r#"[17000, 1.5, "x\"y"]}}"#),
            format!("{good} x"),
            good.replacen(r#"{"id": "é15000""#, r#"{"id": "é15000"#, 1),
            good.replace("\n]", ",\n]"),
        ] {
            assert_ne!(broken, good);
            let whole = loads(&broken).map(|_| ()).expect_err("broken text");
            let streamed = loads_streamed(broken.as_bytes())
                .map(|_| ())
                .expect_err("broken text");
            assert_eq!(streamed, whole);
        }
    }

    #[test]
    fn skipped_values_are_checked_as_read_ones_are() {
        let good = big_array(3_000);
        let broken = good.replace(r#"[2500, 1.5, "x\"y"]"#, r#"[2500, 1.5 "x\"y"]"#);
        let read = |text: &str, skip: bool| {
            let Opened::Items(items) = open(text.as_bytes()).unwrap() else {
                panic!("an array");
            };
            let items = if skip { items.skipping_values() } else { items };
            items
                .map(|item| item.map(|i| i.span))
                .collect::<Result<Vec<_>, _>>()
        };
        assert_eq!(read(&good, true).unwrap(), read(&good, false).unwrap());
        assert_eq!(
            read(&broken, true).unwrap_err(),
            read(&broken, false).unwrap_err()
        );
        let too_long = format!("[{}]", "1".repeat(5000));
        assert!(read(&too_long, true).is_err());
    }

    #[test]
    fn objects_stream_as_entries_and_scalars_whole() {
        let Opened::Items(items) = open(&br#" {"a": 1, "b": {"c": []}, "a": 2} "#[..]).unwrap()
        else {
            panic!("an object");
        };
        let keys: Vec<Option<String>> = items.map(|i| i.unwrap().key).collect();
        assert_eq!(keys, [Some("a".into()), Some("b".into()), Some("a".into())]);
        assert!(matches!(
            open(&b" 12 "[..]).unwrap(),
            Opened::Scalar(PyValue::Int(12))
        ));
        let invalid = open(&b"[\"\xff\"]"[..]).err().unwrap().to_string();
        assert_eq!(
            invalid,
            "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"
        );
    }
}
