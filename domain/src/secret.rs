//! Which values are secrets, and how they are shown (never).
//!
//! Two rules, on purpose:
//! - **Judgments** use [`is_secret_key`], the rule of issue "Accounts, roles, sessions, secret
//!   masking": a key is secret when its name holds KEY, SECRET, TOKEN, PASSWORD, PASS, CREDENTIAL
//!   or PRIVATE. Parity compares exactly these keys by hash (and flags the shared ones); widening
//!   it would flag `SESSION_TIMEOUT=3600`, identical in both environments, as a shared credential.
//! - **What may be shown** uses the wider [`is_sensitive_key`] and [`is_sensitive_value`] (issue
//!   14, item 7) through [`display_value`] (and `EnvFile::display`, which also hides values that
//!   interpolated a secret). Masking too much costs a reader one value; masking too little leaks.
//!
//! Every URL shown has its user-info password (or lone token) and every query value masked
//! ([`mask_url`], [`mask_urls`]).

mod shapes;
mod url;

#[cfg(test)]
mod tests;

pub use shapes::is_sensitive_value;
pub use url::{map_url_words, mask_url, mask_urls};

/// What a masked value looks like everywhere: fixed width, so its length leaks nothing.
pub const MASK: &str = "••••••••";

/// The reference markers: [`is_secret_key`] (substrings of the upper-cased key).
const SECRET_MARKERS: [&str; 7] = [
    "KEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASS",
    "CREDENTIAL",
    "PRIVATE",
];

/// Display-only markers, matched anywhere in the upper-cased key like [`SECRET_MARKERS`]:
/// `AUTHORIZATION`, `BASIC_AUTH`, `OAUTH_…`, `DB_PWD`, `DATABASE_DSN`, `SLACK_WEBHOOK`,
/// `PASSWORD_SALT`, `SIGNATURE_…`, `COOKIE_…`, `SESSION_…`, `DB_CONNECTION_STRING`.
pub const SENSITIVE_MARKERS: [&str; 9] = [
    "AUTH",
    "PWD",
    "DSN",
    "WEBHOOK",
    "SALT",
    "SIGNATURE",
    "COOKIE",
    "SESSION",
    "CONNECTION_STRING",
];

/// Display-only markers too short to match inside words: they count only as a whole segment of
/// the key, segments being split at every character that is not a letter or digit (`_`, `-`,
/// `.`). `DB_PW` and `PW_HASH` match `PW`, `PWA_URL` and `NPW` do not; `DB_CONN` and
/// `CONN_STR` match `CONN`, `REDIS_MAX_CONNECTIONS` does not (its value is a pool size).
pub const SENSITIVE_SEGMENTS: [&str; 3] = ["PW", "CONN", "CONNSTR"];

/// Keys holding a display marker that name a public address, not a capability: the Inngest
/// webhook URL is the service's own serve endpoint, which Inngest calls and the go-live checklist
/// shows and checks. Its user-info and query values are still masked like any URL's.
pub const NOT_SENSITIVE_KEYS: [&str; 1] = ["INNGEST_WEBHOOK_URL"];

/// True when an env-file key names a secret (case-insensitive): the reference classification,
/// for judgments (parity's hash comparison). For what may be shown, use [`is_sensitive_key`].
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_MARKERS.iter().any(|m| upper.contains(m))
}

/// True when the value of `key` must not be shown (case-insensitive): every [`is_secret_key`]
/// key, plus keys holding one of [`SENSITIVE_MARKERS`] or a whole segment among
/// [`SENSITIVE_SEGMENTS`], except [`NOT_SENSITIVE_KEYS`]. For display and masking only.
pub fn is_sensitive_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    if is_secret_key(&upper) {
        return true;
    }
    if NOT_SENSITIVE_KEYS.contains(&upper.as_str()) {
        return false;
    }
    SENSITIVE_MARKERS.iter().any(|m| upper.contains(m))
        || upper
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|segment| SENSITIVE_SEGMENTS.contains(&segment))
}

/// The value to show for `key`:
/// - empty stays empty;
/// - [`MASK`] for a secret key ([`is_secret_key`]), a value shaped like a secret
///   ([`is_sensitive_value`]: an `Authorization` value, a DSN with a password, a webhook URL whose
///   path is the credential, a PEM block, a JWT), and a malformed URL with user-info;
/// - for a key that is only [`is_sensitive_key`]: a flag word (`true`, `off`, `1`…) is shown, a
///   URL shows only where it points (scheme, user, host, port; the path masked), anything
///   else is [`MASK`];
/// - otherwise the value with every URL's credentials and query values masked ([`mask_url`]).
///
/// It cannot know whether the value interpolated a secret (`${API_TOKEN}`): with the file at
/// hand, use `EnvFile::display`, which does.
pub fn display_value(key: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    // A malformed URL with user-info (`redis//u:pw@host`) is no URL to unpick: hide it whole.
    let malformed_url = key.ends_with("_URL") && value.contains('@') && !value.contains("://");
    if is_secret_key(key) || malformed_url || is_sensitive_value(value) {
        return MASK.to_string();
    }
    if is_sensitive_key(key) {
        if shapes::is_flag_word(value) {
            return value.to_string();
        }
        return url::origin_only(value).unwrap_or_else(|| MASK.to_string());
    }
    mask_url(value)
}

/// Replaces the password (or a lone token) in a URL's user-info with [`MASK`], keeping the rest
/// readable: `rediss://user:pw@host:6380/0` → `rediss://user:••••••••@host:6380/0`.
/// Text that is not a URL with user-info is returned unchanged.
///
/// Query values are left as they are: for display, use [`mask_url`] (one URL) or [`mask_urls`]
/// (free text), which mask them too.
pub fn mask_url_credentials(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let authority_start = scheme_end + 3;
    let rest = &text[authority_start..];
    // The user-info ends at the last `@` before any query or fragment: a password written
    // with a raw `/` (`redis://:pa/ss@host`) is still masked whole. (An `@` in a path is
    // masked with what precedes it: more hidden, never less.)
    let authority_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return text.to_string();
    };
    let userinfo = &authority[..at];
    let masked_userinfo = match userinfo.split_once(':') {
        Some((user, _password)) => format!("{user}:{MASK}"),
        // A lone user-info part is often a token (`redis://TOKEN@host`): mask it whole.
        None if userinfo.is_empty() => String::new(),
        None => MASK.to_string(),
    };
    format!(
        "{}{}{}",
        &text[..authority_start],
        masked_userinfo,
        &text[authority_start + at..]
    )
}
