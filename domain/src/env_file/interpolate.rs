//! `${NAME}` / `${NAME:-default}` expansion, as python-dotenv 1.x's `variables.py` does it.
//!
//! Its pattern is `\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}`, applied left to right
//! without overlap; text that does not match (`$NAME`, `${A:x}`, an unclosed `${A`) stays as
//! written. `Variable.resolve` is `env.get(name, default)`: the default is used only when NAME is
//! *absent*; a present NAME without a value (`NAME` alone) or with an empty one gives "".

/// Expands `value`; `lookup(name)` is `None` for an absent key and `Some(None)` for a key
/// without a value. Also returns the name of every variable expanded, present or not, in order
/// (so the caller can tell a value that interpolated a secret).
pub(super) fn expand<'a, 'v>(
    value: &'v str,
    lookup: impl Fn(&str) -> Option<Option<&'a str>>,
) -> (String, Vec<&'v str>) {
    let mut out = String::with_capacity(value.len());
    let mut names = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find("${") {
        match variable(&rest[at + 2..]) {
            Some((name, default, len)) => {
                out.push_str(&rest[..at]);
                let resolved = match lookup(name) {
                    Some(found) => found.unwrap_or(""),
                    None => default.unwrap_or(""),
                };
                out.push_str(resolved);
                names.push(name);
                rest = &rest[at + 2 + len..];
            }
            None => {
                // No match at this `$`: the regex search moves on by one character.
                out.push_str(&rest[..=at]);
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    (out, names)
}

/// Matches the part after `${`: the name, the optional default, and the byte length up to and
/// including the closing `}`.
fn variable(after_brace: &str) -> Option<(&str, Option<&str>, usize)> {
    let name_len = after_brace.find(['}', ':']).unwrap_or(after_brace.len());
    let name = &after_brace[..name_len];
    let tail = &after_brace[name_len..];
    if tail.starts_with('}') {
        return Some((name, None, name_len + 1));
    }
    let default_and_rest = tail.strip_prefix(":-")?;
    let default_len = default_and_rest.find('}')?;
    let default = &default_and_rest[..default_len];
    Some((name, Some(default), name_len + 2 + default_len + 1))
}
