//! Values that are secrets whatever their key is called (issue 14, item 7).

/// Webhook addresses whose path is the credential (anyone holding the URL can post): Slack,
/// Discord, Microsoft Teams. Matched anywhere in a lower-cased http(s) URL.
const CAPABILITY_URLS: [&str; 4] = [
    "hooks.slack.com/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    ".webhook.office.com/",
];

/// Words naming a password in a DSN: libpq's `password=`, ODBC's and ADO.NET's `PWD=`.
const DSN_PASSWORD_WORDS: [&str; 3] = ["password", "passwd", "pwd"];

/// Authorization schemes whose credential follows in the same value (`Bearer abc`).
const AUTH_SCHEMES: [&str; 2] = ["bearer", "basic"];

/// Words a flag is written with; shown even under a display-sensitive key
/// (`DASHBOARD_AUTH_STRICT=true`): no secret is a yes or a no.
const FLAG_WORDS: [&str; 8] = ["true", "false", "yes", "no", "on", "off", "1", "0"];

/// True when `value` looks like a secret whatever its key: an `Authorization` value
/// (`Bearer …`, `Basic …`), a DSN holding a password (`host=db password=…`,
/// `Server=x;Pwd=…`), a webhook URL whose path is the credential
/// (`https://hooks.slack.com/services/…`), a PEM block (`-----BEGIN …`) or a JWT (`eyJ….….…`).
pub fn is_sensitive_value(value: &str) -> bool {
    let value = value.trim();
    has_auth_scheme(value)
        || has_dsn_password(value)
        || is_capability_url(value)
        || value.contains("-----BEGIN ")
        || looks_like_jwt(value)
}

/// True for a flag word ([`FLAG_WORDS`], trimmed, case-insensitive).
pub(super) fn is_flag_word(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    FLAG_WORDS.contains(&lower.as_str())
}

/// `Bearer abc`, `basic YWRtaW46cHc=`: a scheme, whitespace, then one word (so that prose such
/// as "Basic plan for new users" is not taken for a credential).
fn has_auth_scheme(value: &str) -> bool {
    let Some((scheme, credential)) = value.split_once(char::is_whitespace) else {
        return false;
    };
    let credential = credential.trim();
    AUTH_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
        && !credential.is_empty()
        && !credential.contains(char::is_whitespace)
}

/// A DSN password word at the start or after a separator, followed (spaces allowed) by `=`.
fn has_dsn_password(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    DSN_PASSWORD_WORDS.iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let starts_a_word = lower[..at].chars().next_back().is_none_or(|c| {
                c.is_whitespace() || matches!(c, ';' | ',' | '?' | '&' | '(' | '{' | '"' | '\'')
            });
            starts_a_word && lower[at + word.len()..].trim_start().starts_with('=')
        })
    })
}

fn is_capability_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && CAPABILITY_URLS.iter().any(|marker| lower.contains(marker))
}

/// Three base64url parts joined by dots, the first a JSON object (`eyJ` is `{"`).
fn looks_like_jwt(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    value.starts_with("eyJ")
        && parts.len() == 3
        && !parts[1].is_empty()
        && parts.iter().all(|part| {
            part.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
