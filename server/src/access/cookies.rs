//! The session cookie: its two names, and which value a request carries (parsed with the
//! `cookie` crate, every value of a name kept so two different ones can be refused).

use axum::http::{HeaderMap, header};
use cookie::Cookie;

/// The session cookie's name over plain HTTP.
pub const SESSION_COOKIE: &str = "gl_session";
/// Its name when the cookie is `Secure`: a `__Host-` cookie is host-only, so a sibling
/// subdomain cannot plant one.
pub const SECURE_SESSION_COOKIE: &str = "__Host-gl_session";

/// Two different session cookies: somebody else (a sibling subdomain) set one of them.
#[derive(Debug)]
pub(super) struct AmbiguousSession;

/// Every value the request sent for cookie `name`.
fn values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .collect()
}

/// The session the request carries. Over HTTPS only the `__Host-` cookie counts; over plain
/// HTTP the plain one. Two different values of the one that counts are refused, never guessed.
pub(super) fn session_cookie(
    headers: &HeaderMap,
    secure: bool,
) -> Result<Option<String>, AmbiguousSession> {
    let names: &[&str] = if secure {
        &[SECURE_SESSION_COOKIE]
    } else {
        &[SECURE_SESSION_COOKIE, SESSION_COOKIE]
    };
    for name in names {
        let mut found = values(headers, name).into_iter();
        if let Some(first) = found.next() {
            if found.any(|other| other != first) {
                return Err(AmbiguousSession);
            }
            return Ok(Some(first));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for c in cookies {
            h.append(header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        h
    }

    #[test]
    fn the_secure_name_wins_and_two_different_values_are_refused() {
        let h = headers(&["a=1; gl_session=plain", "__Host-gl_session=secure"]);
        assert_eq!(
            session_cookie(&h, false).unwrap().as_deref(),
            Some("secure")
        );
        assert_eq!(session_cookie(&h, true).unwrap().as_deref(), Some("secure"));
        let plain = headers(&["gl_session=plain"]);
        assert_eq!(session_cookie(&plain, true).unwrap(), None);
        assert_eq!(
            session_cookie(&plain, false).unwrap().as_deref(),
            Some("plain")
        );
        let twice = headers(&["gl_session=one; gl_session=two"]);
        assert!(session_cookie(&twice, false).is_err());
        let same = headers(&["gl_session=one", "gl_session=one"]);
        assert_eq!(
            session_cookie(&same, false).unwrap().as_deref(),
            Some("one")
        );
    }
}
