//! The condition grammar. Errors are plain sentences; `Condition::parse` adds the text.

use super::literal::{parse_literal, split_items};
use super::{Condition, JsonPath, Left, Literal, Op, Right, Step};

const EXPECTED_LEFT: &str = "expected [STATUS], [RESPONSE_TIME] or [BODY] (with an optional path \
                             such as [BODY].a.b[0], or inside len(...))";
const OPERATORS: &str = "==, !=, <, <=, >, >=";
pub(super) const OPERATOR_CHARS: [char; 4] = ['=', '!', '<', '>'];

/// Gatus placeholders for other kinds of checks: named, so the error does not read like a typo.
const GATUS_ONLY: [&str; 6] = [
    "[CONNECTED]",
    "[CERTIFICATE_EXPIRATION]",
    "[DOMAIN_EXPIRATION]",
    "[IP]",
    "[DNS_RCODE]",
    "[CONTEXT]",
];

pub(super) fn parse(text: &str) -> Result<Condition, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err(
            "the condition is empty; expected `<placeholder> <operator> <value>` such as \
                    `[STATUS] == 200`"
                .to_string(),
        );
    }
    let (left, rest) = parse_left(s)?;
    let (op, rest) = parse_op(rest.trim_start(), &left)?;
    let right = parse_right(rest.trim(), &left, op)?;
    Ok(Condition { left, op, right })
}

fn parse_left(s: &str) -> Result<(Left, &str), String> {
    if let Some(inner) = s.strip_prefix("len(") {
        let inner = inner.trim_start();
        if !inner.starts_with('[') {
            return Err(format!(
                "len() takes a [BODY] path, found `{}`",
                first_token(inner)
            ));
        }
        let (left, rest) = parse_placeholder(inner)?;
        let Left::Body(path) = left else {
            return Err(format!(
                "len() measures a [BODY] path (a list, a text or an object); {left} is a number"
            ));
        };
        let Some(rest) = rest.trim_start().strip_prefix(')') else {
            return Err(format!("`len([BODY]{path}` is missing its closing `)`"));
        };
        return Ok((Left::Len(path), rest));
    }
    if s.starts_with('[') {
        return parse_placeholder(s);
    }
    let word: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if !word.is_empty() && s[word.len()..].starts_with('(') {
        return Err(format!(
            "unsupported function `{word}(...)`; only len([BODY]...) is supported"
        ));
    }
    Err(format!(
        "a condition starts with a placeholder, found `{}`; {EXPECTED_LEFT}",
        first_token(s)
    ))
}

/// `s` starts with `[`.
fn parse_placeholder(s: &str) -> Result<(Left, &str), String> {
    let Some(end) = s.find(']') else {
        return Err(format!(
            "unclosed placeholder `{}`; {EXPECTED_LEFT}",
            first_token(s)
        ));
    };
    let (name, rest) = s.split_at(end + 1);
    let left = match name {
        "[STATUS]" => Left::Status,
        "[RESPONSE_TIME]" => Left::ResponseTime,
        "[BODY]" => {
            let (path, rest) = parse_path(rest)?;
            return Ok((Left::Body(path), rest));
        }
        _ => return Err(unknown_placeholder(name)),
    };
    if rest.starts_with(['.', '[']) {
        return Err(format!("{name} takes no path; only [BODY] does"));
    }
    Ok((left, rest))
}

fn unknown_placeholder(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    if matches!(upper.as_str(), "[STATUS]" | "[RESPONSE_TIME]" | "[BODY]") {
        format!("placeholders are upper-case: write {upper}, not {name}")
    } else if GATUS_ONLY.contains(&upper.as_str()) {
        format!(
            "{name} is a Gatus placeholder that HTTP checks here do not support; {EXPECTED_LEFT}"
        )
    } else {
        format!("unknown placeholder {name}; {EXPECTED_LEFT}")
    }
}

/// `.key` and `[index]` steps after `[BODY]`. A key runs to a dot, a bracket, a parenthesis,
/// whitespace or an operator character, so `[BODY].a==1` reads as intended.
fn parse_path(s: &str) -> Result<(JsonPath, &str), String> {
    let mut steps = Vec::new();
    let mut rest = s;
    loop {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| {
                    c.is_whitespace() || ".[]()".contains(c) || OPERATOR_CHARS.contains(&c)
                })
                .unwrap_or(after.len());
            if end == 0 {
                return Err(format!(
                    "a key is missing after `[BODY]{}.`",
                    JsonPath(steps)
                ));
            }
            steps.push(Step::Key(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return Err(format!(
                    "unclosed `[` in the path after `[BODY]{}`",
                    JsonPath(steps)
                ));
            };
            let inner = after[..end].trim();
            let index = inner
                .chars()
                .all(|c| c.is_ascii_digit())
                .then(|| inner.parse::<usize>().ok())
                .flatten()
                .ok_or_else(|| {
                    format!("`[{inner}]` in a path must be a list index such as [0]; keys go after a dot (.{inner})")
                })?;
            steps.push(Step::Index(index));
            rest = &after[end + 1..];
        } else {
            return Ok((JsonPath(steps), rest));
        }
    }
}

fn parse_op<'a>(s: &'a str, left: &Left) -> Result<(Op, &'a str), String> {
    let run: String = s
        .chars()
        .take_while(|c| OPERATOR_CHARS.contains(c))
        .collect();
    let op = match run.as_str() {
        "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "" if s.is_empty() => {
            return Err(format!(
                "missing operator after `{left}`; expected one of {OPERATORS}"
            ));
        }
        "" => {
            return Err(format!(
                "expected an operator ({OPERATORS}) after `{left}`, found `{}`",
                first_token(s)
            ));
        }
        "=" => return Err("unknown operator `=`; use `==` to compare".to_string()),
        other => {
            return Err(format!(
                "unknown operator `{other}`; expected one of {OPERATORS}"
            ));
        }
    };
    Ok((op, &s[run.len()..]))
}

fn parse_right(s: &str, left: &Left, op: Op) -> Result<Right, String> {
    if s.is_empty() {
        return Err(format!("missing value after `{op}`"));
    }
    let right = if let Some(inner) = s.strip_prefix("any(") {
        let Some(inner) = inner.strip_suffix(')') else {
            return Err("any(...) is missing its closing `)`".to_string());
        };
        if op != Op::Eq {
            return Err(format!(
                "any(...) only works with `==` (it passes when the value equals one of its items), not `{op}`"
            ));
        }
        let items = split_items(inner);
        if items.iter().any(|item| item.trim().is_empty()) {
            return Err("any(...) needs values separated by commas, with none empty".to_string());
        }
        Right::Any(
            items
                .iter()
                .map(|item| parse_literal(item.trim()))
                .collect::<Result<_, _>>()?,
        )
    } else {
        Right::Value(parse_literal(s)?)
    };
    let literals: Vec<&Literal> = match &right {
        Right::Value(literal) => vec![literal],
        Right::Any(literals) => literals.iter().collect(),
    };
    for literal in literals {
        if matches!(literal, Literal::Number(_)) {
            continue;
        }
        if !matches!(left, Left::Body(_)) {
            return Err(format!(
                "{left} is a number; compare it with a number, not `{literal}`"
            ));
        }
        if op.is_ordering() {
            return Err(format!(
                "`{op}` compares numbers; `{literal}` is not a number"
            ));
        }
    }
    Ok(right)
}

fn first_token(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or(s)
}
