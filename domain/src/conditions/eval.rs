//! Evaluating a parsed condition against one answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Condition, Left, Literal, Op, Right};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionResult {
    pub passed: bool,
    /// Gatus's form, the value seen in parentheses: `[STATUS] (503) == 200`.
    pub shown: String,
}

/// What the left side found.
enum Seen<'a> {
    Number(f64),
    Json(&'a Value),
    /// The path does not exist in the body.
    Missing,
    /// The answer had no JSON body at all.
    NoBody,
    /// `len()` of a number, boolean or null.
    NoLength(&'a Value),
}

/// Long values are cut in `shown`: it is one line in a report, not the evidence.
const SHOWN_MAX_CHARS: usize = 80;

impl Condition {
    pub fn evaluate(
        &self,
        status: u16,
        response_time_ms: f64,
        body: Option<&Value>,
    ) -> ConditionResult {
        let seen = match &self.left {
            Left::Status => Seen::Number(f64::from(status)),
            Left::ResponseTime => Seen::Number(response_time_ms),
            Left::Body(path) => match body {
                None => Seen::NoBody,
                Some(body) => path.lookup(body).map_or(Seen::Missing, Seen::Json),
            },
            Left::Len(path) => match body.map(|b| path.lookup(b)) {
                None => Seen::NoBody,
                Some(None) => Seen::Missing,
                Some(Some(Value::Array(items))) => Seen::Number(items.len() as f64),
                Some(Some(Value::String(text))) => Seen::Number(text.chars().count() as f64),
                Some(Some(Value::Object(map))) => Seen::Number(map.len() as f64),
                Some(Some(other)) => Seen::NoLength(other),
            },
        };
        let passed = passes(&seen, self.op, &self.right);
        let shown = format!(
            "{} ({}) {} {}",
            self.left,
            show(&seen, self.op),
            self.op,
            self.right
        );
        ConditionResult { passed, shown }
    }
}

/// A missing value fails every operator, `!=` included: "not there" is not "different".
fn passes(seen: &Seen, op: Op, right: &Right) -> bool {
    if matches!(seen, Seen::Missing | Seen::NoBody | Seen::NoLength(_)) {
        return false;
    }
    match (op, right) {
        (_, Right::Any(literals)) => literals.iter().any(|l| equals(seen, l)),
        (Op::Eq, Right::Value(l)) => equals(seen, l),
        (Op::Ne, Right::Value(l)) => !equals(seen, l),
        (_, Right::Value(Literal::Number(r))) => number(seen).is_some_and(|n| match op {
            Op::Lt => n < *r,
            Op::Le => n <= *r,
            Op::Gt => n > *r,
            _ => n >= *r,
        }),
        // Parsing allows only numbers with ordering operators.
        _ => false,
    }
}

/// The seen value as a number: a JSON number, or text holding one (some services send
/// `"count": "5"`, and Gatus compares those as equal to 5).
fn number(seen: &Seen) -> Option<f64> {
    match seen {
        Seen::Number(n) => Some(*n),
        Seen::Json(Value::Number(n)) => n.as_f64(),
        Seen::Json(Value::String(s)) => serde_json::from_str::<f64>(s.trim()).ok(),
        _ => None,
    }
}

fn equals(seen: &Seen, literal: &Literal) -> bool {
    match literal {
        Literal::Number(r) => number(seen) == Some(*r),
        Literal::Bool(b) => match seen {
            Seen::Json(Value::Bool(x)) => x == b,
            Seen::Json(Value::String(s)) => s == if *b { "true" } else { "false" },
            _ => false,
        },
        Literal::Null => matches!(seen, Seen::Json(Value::Null)),
        // Text compares with the value as written: `== 2.1` is a number, `== "2.1"` text.
        Literal::Text(t) => match seen {
            Seen::Json(Value::String(s)) => s == t,
            Seen::Json(other) => other.to_string() == *t,
            Seen::Number(n) => format_number(*n) == *t,
            _ => false,
        },
    }
}

fn show(seen: &Seen, op: Op) -> String {
    let value = match seen {
        Seen::Number(n) => return format_number(*n),
        Seen::Missing => return "missing".to_string(),
        Seen::NoBody => return "no JSON body".to_string(),
        Seen::NoLength(v) => return format!("{}, which has no length", shorten(v.to_string())),
        Seen::Json(Value::String(s)) if s.is_empty() => "\"\"".to_string(),
        Seen::Json(Value::String(s)) => shorten(s.clone()),
        Seen::Json(other) => shorten(other.to_string()),
    };
    if op.is_ordering() && number(seen).is_none() {
        format!("{value}, not a number")
    } else {
        value
    }
}

/// Whole numbers without a fraction, others to two decimals (response times are measured).
fn format_number(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    format!("{rounded}")
}

fn shorten(text: String) -> String {
    if text.chars().count() <= SHOWN_MAX_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(SHOWN_MAX_CHARS - 1).collect();
    short.push('…');
    short
}
