//! URLs as they may be shown: credentials and query values masked (issue 14, item 7).
//!
//! Every query value is masked, whatever its name: `?apikey=`, `?sig=`, `?code=` are secrets and
//! there is no list of the others. Names stay readable (`?apikey=••••••••&v=••••••••`), a bare
//! query part (`?sometoken`) is masked whole, and an empty value (`?a=`) stays empty. In a
//! fragment (`#access_token=…`) only `name=value` parts are masked: a bare fragment is an anchor.

use super::{MASK, mask_url_credentials};

/// One URL for display: the user-info's password (or lone token) as [`mask_url_credentials`]
/// masks it, and every query value. Text without `://` is returned unchanged.
///
/// `https://u:pw@x/hook?apikey=abc&v=1` → `https://u:••••••••@x/hook?apikey=••••••••&v=••••••••`.
pub fn mask_url(text: &str) -> String {
    mask_query_values(&mask_url_credentials(text))
}

/// [`mask_url`] applied to every whitespace-separated word of `text` that holds `://`: for
/// messages, command lines and other free text that may quote several URLs. Whitespace is kept
/// as it was.
pub fn mask_urls(text: &str) -> String {
    map_url_words(text, mask_url)
}

/// `mask` applied to every whitespace-separated word of `text` that holds `://` (the word
/// without its trailing whitespace, which is kept as it was); other words unchanged.
pub fn map_url_words(text: &str, mask: impl Fn(&str) -> String) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let url = word.trim_end();
            if url.contains("://") {
                format!("{}{}", mask(url), &word[url.len()..])
            } else {
                word.to_string()
            }
        })
        .collect()
}

/// Where a URL points and nothing else, for a value that may not be shown: scheme, user name,
/// host and port, with the password and everything after the authority masked
/// (`postgres://app:pw@db:5432/caio` → `postgres://app:••••••••@db:5432/••••••••`). `None` when
/// `value` is not a single URL.
pub(super) fn origin_only(value: &str) -> Option<String> {
    let scheme_end = value.find("://")?;
    let scheme = &value[..scheme_end];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme || value.contains(char::is_whitespace) {
        return None;
    }
    let masked = mask_url_credentials(value);
    let authority_start = scheme_end + 3;
    let authority_end = masked[authority_start..]
        .find(['/', '?', '#'])
        .map_or(masked.len(), |i| authority_start + i);
    let (origin, rest) = masked.split_at(authority_end);
    Some(if rest.is_empty() || rest == "/" {
        masked.clone()
    } else {
        format!("{origin}/{MASK}")
    })
}

/// Masks the query values (and the fragment's `name=value` parts) of the URL in `text`.
fn mask_query_values(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let after_scheme = scheme_end + 3;
    let Some(cut) = text[after_scheme..]
        .find(['?', '#'])
        .map(|i| after_scheme + i)
    else {
        return text.to_string();
    };
    let (head, tail) = text.split_at(cut);
    let (query, fragment) = match tail.strip_prefix('?') {
        Some(rest) => match rest.split_once('#') {
            Some((query, fragment)) => (Some(query), Some(fragment)),
            None => (Some(rest), None),
        },
        None => (None, tail.strip_prefix('#')),
    };
    let mut out = head.to_string();
    if let Some(query) = query {
        out.push('?');
        out.push_str(&mask_pairs(query, true));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&mask_pairs(fragment, false));
    }
    out
}

/// `a=1&b&c=` → `a=••••••••&••••••••&c=` (`mask_bare`) or `a=••••••••&b&c=`.
fn mask_pairs(text: &str, mask_bare: bool) -> String {
    text.split('&')
        .map(|part| match part.split_once('=') {
            Some((name, value)) if !value.is_empty() => format!("{name}={MASK}"),
            None if mask_bare && !part.is_empty() => MASK.to_string(),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}
