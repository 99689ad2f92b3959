//! A hand-written port of CPython's `shlex.split(s)` (Lib/shlex.py, following CPython 3.11.7,
//! the version the reference scripts run on), because Greenlight must split runner commands
//! exactly as the reference Python scripts do: `--runner-cmd "python scripts/runner.py --flag
//! 'a b'"` gives the argv it gave them, and nothing in it is ever interpreted by `sh`.
//!
//! `shlex.split(s)` is `shlex(s, posix=True)` with `whitespace_split = True` and `commenters
//! = ''` (comments=False), read token by token. That is not a POSIX shell, and this port keeps
//! the differences (checked against CPython by `cpython_tests`):
//!
//! - whitespace is only `' '`, `'\t'`, `'\r'` and `'\n'`; U+00A0, `'\x0b'`, `'\x0c'` and all
//!   other Unicode spaces are ordinary word characters, as are `#`, `;`, `|`, `$` and `` ` ``;
//! - outside quotes a backslash takes the next character literally, a newline too
//!   (`a\<newline>b` is the one word `"a\nb"`, not a line continuation);
//! - inside double quotes a backslash escapes only `"` and `\`; before anything else (`$`,
//!   `` ` ``, a newline, `n`) both are kept;
//! - inside single quotes nothing is special but the closing quote;
//! - a word may be made of adjacent quoted and unquoted parts, and an empty quoted word (`''`)
//!   is kept as `""`;
//! - the end of the text inside quotes is "No closing quotation", right after a backslash
//!   (inside double quotes too) "No escaped character", Python's two `ValueError`s.

/// The `ValueError`s `shlex.split` raises, with their messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// The text ends inside single or double quotes.
    #[error("No closing quotation")]
    UnclosedQuote,
    /// The text ends right after a backslash (outside quotes or inside double quotes).
    #[error("No escaped character")]
    TrailingBackslash,
}

/// `shlex.split(line)`.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    let mut lexer = Lexer {
        chars: line.chars(),
        state: State::Whitespace,
    };
    let mut words = Vec::new();
    // `list(lex)`: `get_token` until it returns `lex.eof` (None in posix mode). With no
    // pushback, no `source` and no file stack, `get_token` is `read_token`.
    while let Some(word) = lexer.read_token()? {
        words.push(word);
    }
    Ok(words)
}

/// `shlex.whitespace` (the same in posix mode).
const WHITESPACE: [char; 4] = [' ', '\t', '\r', '\n'];
/// `shlex.escape`.
const ESCAPE: char = '\\';
/// `shlex.escapedquotes`: the quotes inside which the escape character works.
const ESCAPED_QUOTES: char = '"';

fn is_whitespace(c: char) -> bool {
    WHITESPACE.contains(&c)
}

fn is_quote(c: char) -> bool {
    c == '\'' || c == '"'
}

/// `shlex.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `' '`: between tokens.
    Whitespace,
    /// `'a'`: inside a word.
    Word,
    /// `'\''` or `'"'`: inside quotes.
    Quote(char),
    /// `'\\'`: right after the escape character.
    Escape,
    /// `None`: past the end of the text.
    Eof,
}

struct Lexer<'a> {
    chars: std::str::Chars<'a>,
    state: State,
}

impl Lexer<'_> {
    /// `shlex.read_token` with posix=True, whitespace_split=True, commenters='' and no
    /// punctuation_chars. `None` is posix mode's `eof` (an empty token that was never quoted).
    fn read_token(&mut self) -> Result<Option<String>, SplitError> {
        let mut quoted = false;
        // Python starts it at ' '; it is always set before the escape state reads it.
        let mut escaped_state = State::Whitespace;
        let mut token = String::new();
        loop {
            // `instream.read(1)`: '' (here None) at the end, and again on every later read.
            let next = self.chars.next();
            match self.state {
                State::Eof => {
                    token.clear(); // past end of file
                    break;
                }
                State::Whitespace => match next {
                    None => {
                        self.state = State::Eof; // end of file
                        break;
                    }
                    Some(c) if is_whitespace(c) => {
                        if !token.is_empty() || quoted {
                            break; // emit current token
                        }
                    }
                    // (`commenters` is empty.)
                    Some(ESCAPE) => {
                        escaped_state = State::Word;
                        self.state = State::Escape;
                    }
                    // Quotes are tested after `wordchars` in Python, but no quote is a
                    // word character.
                    Some(q) if is_quote(q) => self.state = State::Quote(q),
                    // A word character, or anything else since `whitespace_split` is set
                    // (there are no punctuation chars).
                    Some(c) => {
                        token.push(c);
                        self.state = State::Word;
                    }
                },
                State::Quote(q) => {
                    quoted = true;
                    match next {
                        None => return Err(SplitError::UnclosedQuote), // end of file
                        Some(c) if c == q => self.state = State::Word,
                        Some(ESCAPE) if q == ESCAPED_QUOTES => {
                            escaped_state = self.state;
                            self.state = State::Escape;
                        }
                        Some(c) => token.push(c),
                    }
                }
                State::Escape => {
                    let Some(c) = next else {
                        return Err(SplitError::TrailingBackslash); // end of file
                    };
                    // In posix shells, only the quote itself or the escape character may be
                    // escaped within quotes.
                    if let State::Quote(q) = escaped_state
                        && c != ESCAPE
                        && c != q
                    {
                        token.push(ESCAPE);
                    }
                    token.push(c);
                    self.state = escaped_state;
                }
                State::Word => match next {
                    None => {
                        self.state = State::Eof; // end of file
                        break;
                    }
                    Some(c) if is_whitespace(c) => {
                        self.state = State::Whitespace;
                        if !token.is_empty() || quoted {
                            break; // emit current token
                        }
                    }
                    // (`commenters` is empty and there is no 'c' state without
                    // punctuation chars.)
                    Some(q) if is_quote(q) => self.state = State::Quote(q),
                    Some(ESCAPE) => {
                        escaped_state = State::Word;
                        self.state = State::Escape;
                    }
                    // With `whitespace_split` and no punctuation chars every other character
                    // joins the word, so Python's push-back branch is never taken.
                    Some(c) => token.push(c),
                },
            }
        }
        if !quoted && token.is_empty() {
            Ok(None)
        } else {
            Ok(Some(token))
        }
    }
}

#[cfg(test)]
mod cpython_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Vec<String> {
        split(line).unwrap()
    }

    #[test]
    fn splits_like_shlex() {
        assert_eq!(
            s("python scripts/runner.py"),
            ["python", "scripts/runner.py"]
        );
        assert_eq!(s("  a   b  "), ["a", "b"]);
        assert_eq!(s("a 'b c' \"d e\""), ["a", "b c", "d e"]);
        assert_eq!(s("a\\ b"), ["a b"]);
        assert_eq!(s("'it'\"'\"'s'"), ["it's"]);
        assert_eq!(s("\"a \\\"q\\\" \\n\""), ["a \"q\" \\n"]);
        assert_eq!(s("''"), [""]);
        assert_eq!(s("a '' b"), ["a", "", "b"]);
        assert_eq!(s("x=$HOME;ls #c"), ["x=$HOME;ls", "#c"]);
        assert!(s("").is_empty());
        assert!(s(" \t\r\n").is_empty());
    }

    #[test]
    fn keeps_cpythons_differences_from_a_posix_shell() {
        // Each printed by python3 3.11.7: shlex.split(s).
        assert_eq!(s("\"a\\$b\""), ["a\\$b"]);
        assert_eq!(s("\"\\`\""), ["\\`"]);
        assert_eq!(s("\"a\\\nb\""), ["a\\\nb"]);
        assert_eq!(s("a\\\nb"), ["a\nb"]);
        assert_eq!(s("a \\\n b"), ["a", "\n", "b"]);
        assert_eq!(
            s("a\u{a0}b c\u{3000}d\x0be"),
            ["a\u{a0}b", "c\u{3000}d\x0be"]
        );
        assert_eq!(s("\u{a0}"), ["\u{a0}"]);
    }

    #[test]
    fn reports_unclosed_quotes_and_trailing_backslashes() {
        assert_eq!(split("a 'b"), Err(SplitError::UnclosedQuote));
        assert_eq!(split("a \"b"), Err(SplitError::UnclosedQuote));
        assert_eq!(split("a \\"), Err(SplitError::TrailingBackslash));
        assert_eq!(split("a \"b\\"), Err(SplitError::TrailingBackslash));
        assert_eq!(split("'b\\"), Err(SplitError::UnclosedQuote));
        assert_eq!(
            SplitError::UnclosedQuote.to_string(),
            "No closing quotation"
        );
        assert_eq!(
            SplitError::TrailingBackslash.to_string(),
            "No escaped character"
        );
    }
}
