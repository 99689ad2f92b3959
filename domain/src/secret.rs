//! Which values are secrets, and how they are shown (never).
//!
//! Rule (issue "Accounts, roles, sessions, secret masking"): a key is secret when its name holds
//! KEY, SECRET, TOKEN, PASSWORD, PASS, CREDENTIAL or PRIVATE; credentials inside URLs are secret too.

/// What a masked value looks like everywhere: fixed width, so its length leaks nothing.
pub const MASK: &str = "••••••••";

const SECRET_MARKERS: [&str; 7] = [
    "KEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASS",
    "CREDENTIAL",
    "PRIVATE",
];

/// True when an env-file key names a secret (case-insensitive).
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    SECRET_MARKERS.iter().any(|m| upper.contains(m))
}

/// The value to show for `key`: masked when the key is secret, URL credentials masked otherwise.
pub fn display_value(key: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    // A malformed URL with user-info (`redis//u:pw@host`) is no URL to unpick: hide it whole.
    let malformed_url = key.ends_with("_URL") && value.contains('@') && !value.contains("://");
    if is_secret_key(key) || malformed_url {
        MASK.to_string()
    } else {
        mask_url_credentials(value)
    }
}

/// Replaces the password (or a lone token) in a URL's user-info with [`MASK`], keeping the rest
/// readable: `rediss://user:pw@host:6380/0` → `rediss://user:••••••••@host:6380/0`.
/// Text that is not a URL with user-info is returned unchanged.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised_by_name() {
        for key in [
            "ANTHROPIC_API_KEY",
            "INNGEST_SIGNING_KEY",
            "DASHBOARD_AUTH_TOKEN",
            "DB_PASSWORD",
            "SMTP_PASS",
            "GCP_CREDENTIALS",
            "PRIVATE_PEM",
            "client_secret",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
        for key in [
            "REDIS_URL",
            "ENVIRONMENT",
            "LOG_LEVEL",
            "INNGEST_APP_ID",
            "REDIS_REQUIRED",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }

    #[test]
    fn url_passwords_are_masked_and_the_rest_kept() {
        assert_eq!(
            mask_url_credentials("rediss://default:hunter2@cache.example.com:6380/0"),
            format!("rediss://default:{MASK}@cache.example.com:6380/0")
        );
        assert_eq!(
            mask_url_credentials("redis://:hunter2@127.0.0.1:6379"),
            format!("redis://:{MASK}@127.0.0.1:6379")
        );
        assert_eq!(
            mask_url_credentials("redis://sometoken@host/2"),
            format!("redis://{MASK}@host/2")
        );
    }

    #[test]
    fn text_without_credentials_is_unchanged() {
        for text in [
            "redis://127.0.0.1:6379/0",
            "https://api.example.com/path?q=a@b",
            "not a url",
            "",
        ] {
            assert_eq!(mask_url_credentials(text), text);
        }
    }

    #[test]
    fn a_password_holding_at_signs_is_masked_whole() {
        assert_eq!(
            mask_url_credentials("redis://u:p@ss@host:1/0"),
            format!("redis://u:{MASK}@host:1/0")
        );
    }

    #[test]
    fn a_password_holding_a_slash_is_masked_whole() {
        assert_eq!(
            mask_url_credentials("redis://:pa/ss@host:1/0"),
            format!("redis://:{MASK}@host:1/0")
        );
        assert_eq!(display_value("REDIS_URL", "redis//u:pw@h:1"), MASK);
    }

    #[test]
    fn display_value_masks_secret_keys_and_url_credentials() {
        assert_eq!(display_value("OPENAI_API_KEY", "sk-live-123"), MASK);
        assert_eq!(display_value("LOG_LEVEL", "INFO"), "INFO");
        assert_eq!(
            display_value("REDIS_URL", "redis://u:pw@h:1"),
            format!("redis://u:{MASK}@h:1")
        );
        assert_eq!(display_value("OPENAI_API_KEY", ""), "");
    }
}
