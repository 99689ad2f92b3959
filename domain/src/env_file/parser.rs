//! A port of python-dotenv 1.x's `parser.py` (its `Reader` and `parse_binding`), regular
//! expression by regular expression, so that malformed input fails and recovers at the same
//! places. The regex each step replaces is quoted next to it.
//!
//! "Whitespace" is Python's `\s` (= `str.isspace`, [`py_is_space`]); a line break is only `\r\n`,
//! `\n` or `\r`, as in python-dotenv.
//!
//! Hand-written on purpose: Greenlight must read an env file exactly as the service it checks
//! does (python-dotenv); a general `.env` crate follows its own quoting and escape rules.

use super::ParseIssue;
use crate::python::py_is_space;

pub(super) enum Statement {
    /// A key with its raw (unescaped, not yet interpolated) value; `None` for a bare `KEY`.
    Binding {
        key: String,
        value: Option<String>,
    },
    Issue(ParseIssue),
}

/// Why a statement failed; turned into a [`ParseIssue`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    NoKey,
    NoKeyAfterExport,
    BadQuotedKey,
    Unterminated(char),
    TextAfterKey,
    TextAfterQuote,
}

impl Failure {
    fn message(self) -> String {
        match self {
            Failure::NoKey => "expected KEY=VALUE but the line starts with `=`: the key is missing",
            Failure::NoKeyAfterExport => "`export` must be followed by a key on the same line",
            Failure::BadQuotedKey => "the single-quoted key is empty or has no closing quote",
            Failure::Unterminated('"') => {
                "the double-quoted value has no closing quote (a quoted value may span lines, but must end with \")"
            }
            Failure::Unterminated(_) => {
                "the single-quoted value has no closing quote (a quoted value may span lines, but must end with ')"
            }
            Failure::TextAfterKey => {
                "the key is followed by text that is not `=`: keys may not contain spaces"
            }
            Failure::TextAfterQuote => "only a `#` comment may follow the closing quote of a value",
        }
        .to_string()
    }
}

/// Every statement of `text`, in order. Comments and blank lines yield nothing.
pub(super) fn statements(text: &str) -> Vec<Statement> {
    // `Reader.__init__`: `stream.read().removeprefix("\ufeff")`.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader { text, pos: 0 };
    let mut out = Vec::new();
    loop {
        // `_multiline_whitespace = \s*`, then `if not reader.has_next()`.
        reader.skip_while(py_is_space);
        if reader.pos >= text.len() {
            return out;
        }
        let start = reader.pos;
        match reader.binding() {
            Ok(Some((key, value))) => out.push(Statement::Binding { key, value }),
            Ok(None) => {}
            Err(failure) => {
                reader.skip_rest_of_line();
                out.push(Statement::Issue(ParseIssue {
                    line: line_of(text, start),
                    message: failure.message(),
                }));
            }
        }
    }
}

/// 1-based line number of a byte offset, counting `\r\n`, `\n` and `\r` as one break each.
///
/// python-dotenv reports the line where its scan for the statement began, which is the first of
/// any blank lines before it; Greenlight reports the statement's own line instead.
fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}

fn is_line_break(c: char) -> bool {
    c == '\r' || c == '\n'
}

/// Python's `[^\S\r\n]`: whitespace that does not end the line.
fn is_inline_space(c: char) -> bool {
    py_is_space(c) && !is_line_break(c)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Advances over the longest run of chars matching `pred`; returns how many bytes it took.
    fn skip_while(&mut self, pred: impl Fn(char) -> bool) -> usize {
        let taken = self
            .rest()
            .char_indices()
            .find(|&(_, c)| !pred(c))
            .map_or(self.rest().len(), |(i, _)| i);
        self.pos += taken;
        taken
    }

    fn take_while(&mut self, pred: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        self.skip_while(pred);
        &self.text[start..self.pos]
    }

    /// `parse_binding`'s body; `Ok(None)` for a comment line.
    fn binding(&mut self) -> Result<Option<(String, Option<String>)>, Failure> {
        // `_export = (?:export[^\S\r\n]+)?`
        let exported = self
            .rest()
            .strip_prefix("export")
            .and_then(|after| after.chars().next())
            .is_some_and(is_inline_space);
        if exported {
            self.pos += "export".len();
            self.skip_while(is_inline_space);
        }
        // `parse_key`: `#` starts a comment (no key), `'([^']+)'` or `([^=\#\s]+)`.
        let key = match self.peek() {
            Some('#') => None,
            Some('\'') => {
                let inner = self.rest()[1..].split('\'').next().unwrap_or("");
                let closed = self.rest()[1 + inner.len()..].starts_with('\'');
                if inner.is_empty() || !closed {
                    return Err(Failure::BadQuotedKey);
                }
                self.pos += inner.len() + 2;
                Some(inner.to_string())
            }
            _ => {
                let key = self.take_while(|c| c != '=' && c != '#' && !py_is_space(c));
                if key.is_empty() {
                    return Err(if exported {
                        Failure::NoKeyAfterExport
                    } else {
                        Failure::NoKey
                    });
                }
                Some(key.to_string())
            }
        };
        self.skip_while(is_inline_space);
        let mut quoted = false;
        let value = if self.peek() == Some('=') {
            // `_equal_sign = (=[^\S\r\n]*)`; with whitespace after `=`, a `#` starts a comment
            // (`KEY= # c` is empty) while `KEY=#x` is the value `#x`.
            self.pos += 1;
            let spaced = self.skip_while(is_inline_space) > 0;
            if spaced && self.peek() == Some('#') {
                Some(String::new())
            } else {
                quoted = matches!(self.peek(), Some('\'' | '"'));
                Some(self.value()?)
            }
        } else {
            None
        };
        self.skip_comment();
        self.end_of_line().map_err(|()| {
            if quoted {
                Failure::TextAfterQuote
            } else {
                Failure::TextAfterKey
            }
        })?;
        Ok(key.map(|k| (k, value)))
    }

    /// `parse_value`.
    fn value(&mut self) -> Result<String, Failure> {
        match self.peek() {
            Some(q @ ('\'' | '"')) => {
                let raw = self.quoted(q)?;
                Ok(if q == '"' {
                    decode_escapes(raw, "\\'\"abfnrtv")
                } else {
                    decode_escapes(raw, "\\'")
                })
            }
            None | Some('\r' | '\n') => Ok(String::new()),
            Some(_) => Ok(unquoted_value(self.take_while(|c| !is_line_break(c)))),
        }
    }

    /// `'((?:\\.|[^'\\])*)'` (and the same with `"`), DOTALL: a backslash always takes the next
    /// character, so `\"` does not close the value and `\\` does not escape the quote after it.
    fn quoted(&mut self, quote: char) -> Result<&'a str, Failure> {
        let body = &self.rest()[1..];
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if chars.next().is_none() {
                    break;
                }
            } else if c == quote {
                self.pos += 1 + i + 1;
                return Ok(&body[..i]);
            }
        }
        Err(Failure::Unterminated(quote))
    }

    /// `_comment = (?:[^\S\r\n]*#[^\r\n]*)?`: all or nothing.
    fn skip_comment(&mut self) {
        let save = self.pos;
        self.skip_while(is_inline_space);
        if self.peek() == Some('#') {
            self.skip_while(|c| !is_line_break(c));
        } else {
            self.pos = save;
        }
    }

    /// `_end_of_line = [^\S\r\n]*(?:\r\n|\n|\r|$)`.
    fn end_of_line(&mut self) -> Result<(), ()> {
        self.skip_while(is_inline_space);
        let rest = self.rest();
        if rest.starts_with("\r\n") {
            self.pos += 2;
        } else if rest.starts_with(['\r', '\n']) {
            self.pos += 1;
        } else if !rest.is_empty() {
            return Err(());
        }
        Ok(())
    }

    /// Error recovery, `_rest_of_line = [^\r\n]*(?:\r|\n|\r\n)?`, from where the failure happened.
    fn skip_rest_of_line(&mut self) {
        self.skip_while(|c| !is_line_break(c));
        if self.peek().is_some() {
            self.pos += 1;
        }
    }
}

/// `parse_unquoted_value`: `re.sub(r"\s+#.*", "", part).rstrip()`. The leftmost whitespace run
/// followed by `#` starts the comment.
fn unquoted_value(part: &str) -> String {
    let mut cut = part.len();
    let mut run_start = None;
    for (i, c) in part.char_indices() {
        if py_is_space(c) {
            run_start.get_or_insert(i);
        } else {
            if c == '#'
                && let Some(start) = run_start
            {
                cut = start;
                break;
            }
            run_start = None;
        }
    }
    part[..cut].trim_end_matches(py_is_space).to_string()
}

/// `decode_escapes`: a backslash followed by one of `escapable` is replaced by what Python's
/// `unicode-escape` codec makes of the pair; any other backslash is kept as written.
fn decode_escapes(raw: &str, escapable: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match next {
            Some(n) if c == '\\' && escapable.contains(n) => {
                chars.next();
                out.push(match n {
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\u{b}',
                    other => other,
                });
            }
            _ => out.push(c),
        }
    }
    out
}
