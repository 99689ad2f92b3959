//! The values on the right of a condition: numbers, booleans, null, quoted or bare text.

use super::Literal;
use super::parse::OPERATOR_CHARS;

pub(super) fn parse_literal(s: &str) -> Result<Literal, String> {
    if s.starts_with('"') {
        return serde_json::from_str::<String>(s).map(Literal::Text).map_err(|_| {
            format!("malformed quoted text `{s}`; it must end at its closing quote, with \\\" for a quote inside")
        });
    }
    if let Some(inner) = s.strip_prefix('\'') {
        return single_quoted(inner).map(Literal::Text).ok_or_else(|| {
            format!("malformed quoted text `{s}`; it must end at its closing quote, with \\' for a quote inside")
        });
    }
    match s {
        "true" => return Ok(Literal::Bool(true)),
        "false" => return Ok(Literal::Bool(false)),
        "null" => return Ok(Literal::Null),
        _ => {}
    }
    // Only digit-led text is tried as a number: Rust would also read `inf` and `NaN`.
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digit_led = digits.starts_with(|c: char| c.is_ascii_digit())
        || (digits.starts_with('.') && digits[1..].starts_with(|c: char| c.is_ascii_digit()));
    if digit_led && let Ok(n) = s.parse::<f64>() {
        return if n.is_finite() {
            Ok(Literal::Number(n))
        } else {
            Err(format!("`{s}` is too large a number"))
        };
    }
    if s.starts_with(['[', '{']) {
        return Err(format!(
            "the value cannot be a placeholder or a JSON list or object (`{s}`); quote it to compare text"
        ));
    }
    Ok(Literal::Text(s.to_string()))
}

/// The text inside `'…'` (opening quote removed); a backslash takes the next character as is.
fn single_quoted(inner: &str) -> Option<String> {
    let mut text = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next()?),
            '\'' => return chars.as_str().is_empty().then_some(text),
            _ => text.push(c),
        }
    }
    None
}

/// Splits `any(...)` items at commas outside quotes.
pub(super) fn split_items(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quote, mut escaped) = (0, None, false);
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), _) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
}

/// True when the text can be written bare and read back unchanged.
pub(super) fn bare_text_round_trips(text: &str) -> bool {
    !text.is_empty()
        && text.trim() == text
        && !text.contains(|c: char| c.is_control() || ",()\"'".contains(c))
        && !text.starts_with(OPERATOR_CHARS)
        && parse_literal(text) == Ok(Literal::Text(text.to_string()))
}
