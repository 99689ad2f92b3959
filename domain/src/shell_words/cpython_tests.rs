//! `split` against CPython's own `shlex.split`, run at test time on hand-picked command lines
//! and on random strings from a small alphabet of the characters that matter (fixed seed).
//! Tokens are compared exactly, errors by which `ValueError` message. Skipped, saying so, when
//! there is no `python3` (the workspace's tools/python first, then the one on PATH).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::{SplitError, split};

/// Reads a JSON list of strings on stdin; prints `[ok, tokens_or_error]` for each.
const SCRIPT: &str = r#"
import json, shlex, sys
out = []
for s in json.loads(sys.stdin.buffer.read().decode("utf-8")):
    try:
        out.append([True, shlex.split(s)])
    except ValueError as e:
        out.append([False, str(e)])
sys.stdout.write(json.dumps(out))
"#;

/// What `shlex.split` gave for one input: its tokens, or its `ValueError`'s message.
type Outcome = Result<Vec<String>, String>;

fn python_candidates() -> Vec<PathBuf> {
    let workspace = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut candidates: Vec<PathBuf> = [
        workspace.join("tools/python/bin/python3"),
        workspace.join("../tools/python/bin/python3"),
    ]
    .into_iter()
    .filter(|p| p.is_file())
    .collect();
    candidates.push(PathBuf::from("python3"));
    candidates
}

/// `shlex.split(s)` for each input, from the first Python that runs, with its path; `None`
/// when none does. A Python that runs but fails fails the test.
fn cpython_split(inputs: &[String]) -> Option<(PathBuf, Vec<Outcome>)> {
    let stdin = serde_json::to_vec(inputs).unwrap();
    for python in python_candidates() {
        let Ok(mut child) = Command::new(&python)
            .arg("-c")
            .arg(SCRIPT)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        else {
            continue;
        };
        // The script reads all of stdin before it writes anything.
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&stdin)
            .expect("writing the inputs to python3");
        let output = child.wait_with_output().expect("waiting for python3");
        assert!(
            output.status.success(),
            "{} failed: {}",
            python.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let rows: Vec<(bool, serde_json::Value)> = serde_json::from_slice(&output.stdout).unwrap();
        let outcomes = rows
            .into_iter()
            .map(|(ok, value)| {
                if ok {
                    Ok(serde_json::from_value(value).unwrap())
                } else {
                    Err(serde_json::from_value(value).unwrap())
                }
            })
            .collect();
        return Some((python, outcomes));
    }
    None
}

fn hand_picked() -> Vec<String> {
    let cases = [
        "",
        " ",
        " \t\r\n ",
        "a",
        "python scripts/runner.py --flag 'a b'",
        "  a   b  ",
        "a\tb\rc\nd",
        "a\r\nb",
        // Single quotes.
        "'a b'",
        "'a\"b'",
        "'a\\b'",
        "'a\\'",
        "'a\\''b'",
        "'it'\"'\"'s'",
        "'$HOME `x`'",
        "'a\nb'",
        // Double quotes and escapes inside them.
        "\"a b\"",
        "\"a'b\"",
        "\"a\\\\b\"",
        "\"a\\\"b\"",
        "\"a\\$b\"",
        "\"a\\`b\"",
        "\"\\`\"",
        "\"a\\nb\"",
        "\"a\\ab\"",
        "\"a\\'b\"",
        "\"a\\ b\"",
        "\"a\\\nb\"",
        "\"a\\\r\nb\"",
        "\"\\\\\\\"\"",
        "\"a\r\nb\"",
        "\"\\\u{a0}\"",
        "\"\\é\"",
        // Escapes outside quotes.
        "a\\ b",
        "a\\\\b",
        "a\\\"b",
        "a\\'b",
        "a\\$b",
        "a\\`b",
        "a\\nb",
        "a\\ab",
        "\\a",
        "\\\\",
        "\\\"",
        "\\'",
        "\\ ",
        "\\\t",
        "\\é",
        "\\\u{a0}",
        // Backslash-newline.
        "a\\\nb",
        "\\\n",
        "a \\\n b",
        "a\\\n",
        "\\\na",
        "a\\\r\nb",
        "'a\\\nb'",
        // Whitespace is only ' \t\r\n'.
        "a\u{a0}b",
        "\u{a0}",
        "a \u{a0} b",
        "\u{a0}a\u{a0}",
        "a\x0bb",
        "a\x0cb",
        "a\u{85}b",
        "a\u{1680}b",
        "a\u{2003}b",
        "a\u{2028}b",
        "a\u{202f}b",
        "a\u{3000}b",
        "a\u{feff}b",
        "a\x1cb",
        "a\0b",
        // Other unicode.
        "é",
        "héllo wörld",
        "'漢字' \"かな\" 😀",
        "ß\u{df}ÀÞÿ",
        "--name=Ünïcødé",
        // Shell punctuation and comments are ordinary characters.
        "a#b",
        "a #b c",
        "#",
        "a;b|c&d",
        "a ; b | c",
        "(a) <b> {c}",
        "x=$HOME;ls",
        "$(echo hi) `date`",
        "*.py ~/x ?",
        // Empty quotes and adjacent parts.
        "''",
        "\"\"",
        "'' \"\"",
        "a '' b",
        "a\"\"",
        "''a",
        "a''b",
        "'a'\"b\"c",
        "'a' 'b'",
        "\"a\"'b'\\ c",
        "'''' \"\"\"\"",
        "'' ''",
        // Unclosed quotes and trailing backslashes.
        "'",
        "\"",
        "a 'b",
        "a \"b",
        "'a\"",
        "\"a'",
        "a'",
        "\\",
        "a \\",
        "a\\",
        "\"a\\",
        "\"\\",
        "'a\\",
        "\"a\\\"",
        "'a' \"b",
        "\\'a",
        "\"a\\\\\\",
    ];
    cases.into_iter().map(String::from).collect()
}

/// Marsaglia's xorshift64, enough to draw reproducible strings without another crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_strings(count: usize) -> Vec<String> {
    const ALPHABET: [char; 14] = [
        'a', ' ', '\'', '"', '\\', '$', '`', '\n', '\t', 'é', '\u{a0}', '#', ';', '|',
    ];
    let mut rng = XorShift(0x5eed_2026_1203_0001);
    (0..count)
        .map(|_| {
            let len = rng.below(13);
            (0..len)
                .map(|_| ALPHABET[rng.below(ALPHABET.len())])
                .collect()
        })
        .collect()
}

#[test]
fn split_matches_cpython_shlex_split() {
    let mut inputs = hand_picked();
    let hand_picked = inputs.len();
    inputs.extend(random_strings(400));
    let Some((python, expected)) = cpython_split(&inputs) else {
        eprintln!("skipped: python3 not found");
        return;
    };
    assert_eq!(expected.len(), inputs.len());
    let errors = expected.iter().filter(|e| e.is_err()).count();
    assert!(
        errors > 50 && errors < inputs.len() - 200,
        "both paths exercised: {errors} errors of {}",
        inputs.len()
    );

    let mut mismatches = Vec::new();
    for (input, want) in inputs.iter().zip(&expected) {
        let ours = split(input);
        let same = match (&ours, want) {
            (Ok(tokens), Ok(want)) => tokens == want,
            (Err(error), Err(message)) => {
                let kind = match message.as_str() {
                    "No closing quotation" => SplitError::UnclosedQuote,
                    "No escaped character" => SplitError::TrailingBackslash,
                    other => {
                        panic!("shlex.split({input:?}) raised an unknown ValueError {other:?}")
                    }
                };
                *error == kind && error.to_string() == *message
            }
            _ => false,
        };
        if !same {
            mismatches.push(format!("{input:?}: ours {ours:?}, CPython {want:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} inputs differ from {}'s shlex.split:\n{}",
        mismatches.len(),
        inputs.len(),
        python.display(),
        mismatches.join("\n")
    );
    eprintln!(
        "compared {} inputs ({hand_picked} hand-picked, {} random) with {}'s shlex.split: {errors} errors, all the same",
        inputs.len(),
        inputs.len() - hand_picked,
        python.display()
    );
}
