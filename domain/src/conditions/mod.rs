//! Gatus-style conditions for custom HTTP checks: `<left> <op> <right>`, parsed once when the
//! configuration loads, so a typo fails the load instead of every probe.
//!
//! - left: `[STATUS]`, `[RESPONSE_TIME]` (milliseconds), `[BODY]`, `[BODY].a.b[0].c`, or
//!   `len([BODY].path)` (items of a list, characters of a text, keys of an object);
//! - op: `==`, `!=`, `<`, `<=`, `>`, `>=`;
//! - right: a number, `true`/`false`, `null`, a quoted (`"…"`, `'…'`) or bare text, or
//!   `any(a, b, c)` with `==`.
//!
//! Checked at parse time: `[STATUS]`, `[RESPONSE_TIME]` and `len(...)` are numbers, so their right
//! side must be one, and the ordering operators compare numbers only. Evaluation gives Gatus's
//! self-explaining text with the value seen in parentheses: `[STATUS] (503) == 200`.

mod eval;
mod literal;
mod parse;

#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod parse_tests;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use eval::ConditionResult;

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    left: Left,
    op: Op,
    right: Right,
}

/// What the condition looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    Status,
    ResponseTime,
    Body(JsonPath),
    Len(JsonPath),
}

/// A path into the JSON body: `.key` and `[index]` steps; empty for the whole body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Step>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Right {
    Value(Literal),
    /// Passes when the value equals any of these (only with `==`).
    Any(Vec<Literal>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Bool(bool),
    Null,
    Text(String),
}

/// A condition that does not parse; the text says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid condition `{text}`: {reason}")]
pub struct ConditionError {
    text: String,
    reason: String,
}

impl ConditionError {
    /// What is wrong, without the condition text.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl Condition {
    pub fn parse(text: &str) -> Result<Condition, ConditionError> {
        parse::parse(text).map_err(|reason| ConditionError {
            text: text.trim().to_string(),
            reason,
        })
    }

    pub fn left(&self) -> &Left {
        &self.left
    }

    pub fn op(&self) -> Op {
        self.op
    }

    pub fn right(&self) -> &Right {
        &self.right
    }
}

impl JsonPath {
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// The value at the path, or None when a key or index is absent.
    pub fn lookup<'a>(&self, body: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.0.iter().try_fold(body, |value, step| match step {
            Step::Key(key) => value.as_object()?.get(key),
            Step::Index(i) => value.as_array()?.get(*i),
        })
    }
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    fn is_ordering(self) -> bool {
        !matches!(self, Op::Eq | Op::Ne)
    }
}

impl fmt::Display for Condition {
    /// The normalised text: one space around the operator, numbers and texts written the one
    /// way that parses back to the same condition.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.left, self.op, self.right)
    }
}

impl fmt::Display for Left {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Left::Status => f.write_str("[STATUS]"),
            Left::ResponseTime => f.write_str("[RESPONSE_TIME]"),
            Left::Body(path) => write!(f, "[BODY]{path}"),
            Left::Len(path) => write!(f, "len([BODY]{path})"),
        }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.0 {
            match step {
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Right {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Right::Value(literal) => write!(f, "{literal}"),
            Right::Any(literals) => {
                let items: Vec<String> = literals.iter().map(Literal::to_string).collect();
                write!(f, "any({})", items.join(", "))
            }
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Number(n) => write!(f, "{n}"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Null => f.write_str("null"),
            // Bare when that reads back as the same text (Gatus writes `== UP`), quoted otherwise.
            Literal::Text(t) if literal::bare_text_round_trips(t) => f.write_str(t),
            Literal::Text(t) => write!(f, "{}", serde_json::Value::String(t.clone())),
        }
    }
}

impl FromStr for Condition {
    type Err = ConditionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Condition::parse(text)
    }
}

/// Written as its normalised text, so a config round-trips as `conditions = ["..."]`.
impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Read from a string and parsed there, so a bad condition fails the config load.
impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Condition::parse(&text).map_err(serde::de::Error::custom)
    }
}
