//! Splitting a command line into arguments like a POSIX shell (Python's `shlex.split`), without
//! running a shell: `--runner-cmd "python scripts/runner.py --flag 'a b'"` works as it did
//! for the reference script, and nothing in it is ever interpreted by `sh`.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("no closing quotation")]
    UnclosedQuote,
    #[error("no escaped character after a trailing backslash")]
    TrailingBackslash,
}

pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => current.push(ch),
                        None => return Err(SplitError::UnclosedQuote),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        // Inside double quotes a backslash escapes only these (POSIX).
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => current.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                current.push('\\');
                                current.push(ch);
                            }
                            None => return Err(SplitError::UnclosedQuote),
                        },
                        Some(ch) => current.push(ch),
                        None => return Err(SplitError::UnclosedQuote),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    current.push(ch);
                }
                None => return Err(SplitError::TrailingBackslash),
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

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
        assert_eq!(s("x=$HOME;ls"), ["x=$HOME;ls"]);
        assert!(s("").is_empty());
    }

    #[test]
    fn reports_unclosed_quotes_and_trailing_backslashes() {
        assert_eq!(split("a 'b"), Err(SplitError::UnclosedQuote));
        assert_eq!(split("a \"b"), Err(SplitError::UnclosedQuote));
        assert_eq!(split("a \\"), Err(SplitError::TrailingBackslash));
    }
}
