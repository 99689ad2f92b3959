//! Every expected result here was produced by python-dotenv 1.2.4's `dotenv_values` on the same
//! input (with an empty process environment), except the line numbers of issues, which are the
//! statement's own line (python-dotenv logs the line where its scan started; see `line_of`).

use super::*;

type Expected<'a> = &'a [(&'a str, Option<&'a str>)];

fn entries(text: &str) -> Vec<(String, Option<String>)> {
    EnvFile::parse(text)
        .entries()
        .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
        .collect()
}

fn check(table: &[(&str, &str, Expected<'_>)]) {
    for (name, text, expected) in table {
        let expected: Vec<(String, Option<String>)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        assert_eq!(entries(text), expected, "case: {name}\ninput: {text:?}");
    }
}

fn issue_lines(text: &str) -> Vec<usize> {
    EnvFile::parse(text)
        .issues()
        .iter()
        .map(|i| i.line)
        .collect()
}

#[test]
fn basic_statements_parse_like_python_dotenv() {
    check(&[
        ("empty file", "", &[]),
        (
            "blank lines and comments",
            "\n  \n# c\n   # indented\n",
            &[],
        ),
        (
            "plain",
            "A=1\nB=two\n",
            &[("A", Some("1")), ("B", Some("two"))],
        ),
        ("no final newline", "A=1", &[("A", Some("1"))]),
        (
            "spaces around =",
            "A = 1 \nB=  x  y  \n  C=3\n",
            &[("A", Some("1")), ("B", Some("x  y")), ("C", Some("3"))],
        ),
        (
            "export prefix",
            "export A=1 # c\nexport  B='2'\nexport\tC=3\n",
            &[("A", Some("1")), ("B", Some("2")), ("C", Some("3"))],
        ),
        (
            "export needs whitespace",
            "exportB=2\n",
            &[("exportB", Some("2"))],
        ),
        (
            "export as a key",
            "export=1\nexport K\nexport\n",
            &[("export", None), ("K", None)],
        ),
        (
            "bare key has no value",
            "H\nK2 # c\nKEY#c\n",
            &[("H", None), ("K2", None), ("KEY", None)],
        ),
        (
            "empty value is not None",
            "E=\nF=   \n",
            &[("E", Some("")), ("F", Some(""))],
        ),
        (
            "quoted keys",
            "'KEY SP'=1\n\"DQ\"=2\n",
            &[("KEY SP", Some("1")), ("\"DQ\"", Some("2"))],
        ),
        (
            "byte order mark and line endings",
            "\u{feff}A=1\r\nB=2\rC=3\n",
            &[("A", Some("1")), ("B", Some("2")), ("C", Some("3"))],
        ),
        (
            "duplicates: last wins, first place kept",
            "A=1\nB=2\nA=3\n",
            &[("A", Some("3")), ("B", Some("2"))],
        ),
    ]);
}

#[test]
fn unquoted_values_lose_inline_comments_only_after_whitespace() {
    check(&[
        ("hash inside value", "K=a#b\n", &[("K", Some("a#b"))]),
        ("space then hash", "L=a #b\n", &[("L", Some("a"))]),
        ("tab then hash", "O=a\t#x\n", &[("O", Some("a"))]),
        ("several hashes", "P=a # b # c\n", &[("P", Some("a"))]),
        (
            "spaced empty value then comment",
            "M= #c\n",
            &[("M", Some(""))],
        ),
        ("hash right after =", "N=#d\n", &[("N", Some("#d"))]),
        (
            "python whitespace U+001C starts a comment",
            "A=1\u{1c}#c\n",
            &[("A", Some("1"))],
        ),
        (
            "no-break space starts a comment",
            "A=1\u{a0}#c\n",
            &[("A", Some("1"))],
        ),
        (
            "line separator is not a line break",
            "A=a\u{2028}b #c\n",
            &[("A", Some("a\u{2028}b"))],
        ),
        (
            "trailing backslash is literal",
            "A=x\\\nB=2\n",
            &[("A", Some("x\\")), ("B", Some("2"))],
        ),
    ]);
}

#[test]
fn quoted_values_unescape_what_python_dotenv_unescapes() {
    check(&[
        (
            "double quotes",
            r#"A="a\nb\tc\\d\"e\'f\x41\u00e9\$g\a\b\f\v\r""#,
            &[(
                "A",
                Some("a\nb\tc\\d\"e'f\\x41\\u00e9\\$g\u{7}\u{8}\u{c}\u{b}\r"),
            )],
        ),
        (
            "single quotes",
            r"A='a\nb\\c\'d'",
            &[("A", Some("a\\nb\\c'd"))],
        ),
        (
            "escaped backslash before the closing quote",
            "A=\"a\\\\\"\nB=\"\\\\\\\"\"\n",
            &[("A", Some("a\\")), ("B", Some("\\\""))],
        ),
        (
            "backslash-newline stays",
            "A=\"x\\\ny\"\n",
            &[("A", Some("x\\\ny"))],
        ),
        (
            "multi-line double",
            "A=\"line1\nline2\"\nB=2\n",
            &[("A", Some("line1\nline2")), ("B", Some("2"))],
        ),
        (
            "multi-line single with comment",
            "C='multi\nline' # c\nD=4\n",
            &[("C", Some("multi\nline")), ("D", Some("4"))],
        ),
        (
            "comment right after quote",
            "A='x'#c\nB=\"y\"   \n",
            &[("A", Some("x")), ("B", Some("y"))],
        ),
        (
            "quote after spaces",
            "A= \"quoted after space\"\nB=  'x'\n",
            &[("A", Some("quoted after space")), ("B", Some("x"))],
        ),
        (
            "quoted hash is kept",
            "A=\"a #b\"\n",
            &[("A", Some("a #b"))],
        ),
    ]);
}

#[test]
fn variables_expand_from_earlier_keys_of_the_same_file() {
    check(&[
        (
            "all quoting styles expand",
            "A=1\nB='${A}'\nC=\"${A}\"\nD=${A}\n",
            &[
                ("A", Some("1")),
                ("B", Some("1")),
                ("C", Some("1")),
                ("D", Some("1")),
            ],
        ),
        (
            "later keys are not seen",
            "A=${B}\nB=1\n",
            &[("A", Some("")), ("B", Some("1"))],
        ),
        (
            "default only when absent",
            "E=\nF=${E:-def}\nG=${MISSING:-def}\nH\nI=${H:-x}\nJ=${H}\n",
            &[
                ("E", Some("")),
                ("F", Some("")),
                ("G", Some("def")),
                ("H", None),
                ("I", Some("")),
                ("J", Some("")),
            ],
        ),
        ("empty default", "B=${C:-}\n", &[("B", Some(""))]),
        (
            "self reference sees the earlier value",
            "A=1\nA=${A}2\nB=${A}\n",
            &[("A", Some("12")), ("B", Some("12"))],
        ),
        (
            "bare dollar and odd forms stay",
            "M=$A\nK=${}\nX=${A:y}${M:-d}\nU=${B\n",
            &[
                ("M", Some("$A")),
                ("K", Some("")),
                ("X", Some("${A:y}$A")),
                ("U", Some("${B")),
            ],
        ),
        (
            "nested default is not nested",
            "N=${A:-${B}}\n",
            &[("N", Some("${B}"))],
        ),
        ("names may hold spaces", "L=${A B}\n", &[("L", Some(""))]),
        (
            "url assembled from parts",
            "HOST=cache\nREDIS_URL=redis://${HOST}:6379/0\n",
            &[
                ("HOST", Some("cache")),
                ("REDIS_URL", Some("redis://cache:6379/0")),
            ],
        ),
    ]);
}

#[test]
fn malformed_statements_are_reported_and_later_lines_survive() {
    let table: &[(&str, &str, Expected<'_>, &[usize])] = &[
        (
            "key with space",
            "KEY WITH SPACE=x\nNEXT=1\n",
            &[("NEXT", Some("1"))],
            &[1],
        ),
        (
            "missing key",
            "=value\nNEXT=1\n",
            &[("NEXT", Some("1"))],
            &[1],
        ),
        (
            "export without key",
            "export \nX=1\n",
            &[("X", Some("1"))],
            &[1],
        ),
        (
            "unterminated double quote",
            "KEY=\"abc\nFOO=bar\n",
            &[("FOO", Some("bar"))],
            &[1],
        ),
        (
            "unterminated single quote at end",
            "A=1\nB='abc",
            &[("A", Some("1"))],
            &[2],
        ),
        (
            "text after closing quote",
            "R='a' b\nS=1\n",
            &[("S", Some("1"))],
            &[1],
        ),
        (
            "escaped closing quote",
            "A=\"x\\\"\nB=2\n",
            &[("B", Some("2"))],
            &[1],
        ),
        ("empty quoted key", "''=3\nZ=4\n", &[("Z", Some("4"))], &[1]),
        (
            "issue after blank lines has its own line",
            "A=1\n\n\nbad line\nB=2\n",
            &[("A", Some("1")), ("B", Some("2"))],
            &[4],
        ),
        (
            "crlf lines count once",
            "A=1\r\nbad x\r\nB=2\r\n",
            &[("A", Some("1")), ("B", Some("2"))],
            &[2],
        ),
        (
            "several issues",
            "a b\nOK=1\n=x\n'k\n",
            &[("OK", Some("1"))],
            &[1, 3, 4],
        ),
    ];
    for (name, text, expected, lines) in table {
        check(&[(name, text, expected)]);
        assert_eq!(issue_lines(text), *lines, "case: {name}");
    }
}

#[test]
fn an_unterminated_quote_pairs_with_a_later_quote_as_python_dotenv_does() {
    // The regex finds BAZ's opening quote and fails on `x"`: FOO and BAZ are lost, Q survives.
    let text = "KEY=\"abc\nFOO=bar\nBAZ=\"x\"\nQ=1\n";
    assert_eq!(
        entries(text),
        vec![("Q".to_string(), Some("1".to_string()))]
    );
    assert_eq!(issue_lines(text), vec![1]);
}

#[test]
fn issue_messages_explain_without_quoting_the_line() {
    let file = EnvFile::parse("MY SECRET=hunter2-value\nTOKEN=\"hunter2-open\n=hunter2-lone\n");
    let messages: Vec<&str> = file.issues().iter().map(|i| i.message.as_str()).collect();
    assert_eq!(messages.len(), 3);
    assert!(messages[0].contains("keys may not contain spaces"));
    assert!(messages[1].contains("no closing quote"));
    assert!(messages[2].contains("key is missing"));
    for m in messages {
        assert!(!m.contains("hunter2"), "{m}");
    }
}
