//! The `EnvFile` API: lookups, flags, masking, and a realistic file.

use super::*;
use crate::secret::MASK;

#[test]
fn get_contains_and_value_present_distinguish_absent_bare_and_empty() {
    let file = EnvFile::parse("SET=x\nEMPTY=\nBARE\nSPACE=\" \"\n");
    assert_eq!(file.get("SET"), Some("x"));
    assert_eq!(file.get("EMPTY"), Some(""));
    assert_eq!(file.get("BARE"), None);
    assert_eq!(file.get("ABSENT"), None);
    assert!(file.contains_key("BARE") && !file.contains_key("ABSENT"));
    let present: Vec<bool> = ["SET", "EMPTY", "BARE", "ABSENT", "SPACE"]
        .iter()
        .map(|k| file.value_present(k))
        .collect();
    assert_eq!(present, [true, false, false, false, true]);
    assert_eq!(
        file.keys().collect::<Vec<_>>(),
        ["SET", "EMPTY", "BARE", "SPACE"]
    );
    assert_eq!((file.len(), file.is_empty()), (4, false));
    assert!(EnvFile::parse("# only a comment").is_empty());
}

#[test]
fn flags_are_true_only_for_1_true_yes_on_after_strip_and_lower() {
    let truthy = [" TRUE ", "yes", "On", "1", "true", "YES", "\ton\t"];
    let falsy = ["0", "false", "", "no", "off", "2", "truthy", "y", "enabled"];
    for (value, expected) in truthy
        .iter()
        .map(|v| (v, true))
        .chain(falsy.iter().map(|v| (v, false)))
    {
        let file = EnvFile::parse(&format!("FLAG=\"{value}\"\n"));
        assert_eq!(file.flag("FLAG"), expected, "value {value:?}");
    }
    let file = EnvFile::parse("BARE\n");
    assert!(!file.flag("BARE") && !file.flag("ABSENT"));
}

#[test]
fn debug_output_masks_secret_values_and_url_credentials() {
    let file = EnvFile::parse(
        "OPENAI_API_KEY=sk-live-abcdef123456\nDASHBOARD_AUTH_TOKEN='tok-zyx987'\n\
         REDIS_URL=rediss://default:pw-9f8e7d@cache:6380/0\nLOG_LEVEL=INFO\nBARE\n",
    );
    let shown = format!("{file:?}");
    for secret in ["sk-live-abcdef123456", "tok-zyx987", "pw-9f8e7d"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains(MASK) && shown.contains("INFO") && shown.contains("cache:6380"));
    assert!(shown.contains("\"BARE\": None"), "{shown}");
}

#[test]
fn a_realistic_env_file_parses_completely() {
    let text = r#"# CAIO Alpha Swarm — staging
ENVIRONMENT=staging
LOG_LEVEL=INFO   # verbose enough

export ANTHROPIC_API_KEY="sk-ant-api03-abc"
OPENAI_API_KEY='sk-proj-def'
REDIS_HOST=cache.internal
REDIS_URL=rediss://default:pw@${REDIS_HOST}:6380/0
REDIS_REQUIRED=true
STATE_REDIS_PREFIX=caio:staging:
CORS_ALLOWED_ORIGINS="https://a.example.com,https://b.example.com"
PRIVATE_PEM="-----BEGIN KEY-----
abc
-----END KEY-----"
DASHBOARD_AUTH_ALLOWLIST=
TRACE_ENVELOPE_ENABLED
"#;
    let file = EnvFile::parse(text);
    assert!(file.issues().is_empty(), "{:?}", file.issues());
    assert_eq!(file.len(), 12);
    assert_eq!(file.get("LOG_LEVEL"), Some("INFO"));
    assert_eq!(file.get("ANTHROPIC_API_KEY"), Some("sk-ant-api03-abc"));
    assert_eq!(
        file.get("REDIS_URL"),
        Some("rediss://default:pw@cache.internal:6380/0")
    );
    assert_eq!(file.get("STATE_REDIS_PREFIX"), Some("caio:staging:"));
    assert_eq!(
        file.get("PRIVATE_PEM"),
        Some("-----BEGIN KEY-----\nabc\n-----END KEY-----")
    );
    assert!(file.flag("REDIS_REQUIRED"));
    assert!(!file.value_present("DASHBOARD_AUTH_ALLOWLIST"));
    assert!(file.contains_key("TRACE_ENVELOPE_ENABLED"));
    assert_eq!(file.get("TRACE_ENVELOPE_ENABLED"), None);
}

#[test]
fn values_that_interpolated_a_secret_are_remembered_and_masked() {
    let file = EnvFile::parse(
        "API_TOKEN=tok-Hq3Lm8Wd\nAUTH_HEADER=Bearer ${API_TOKEN}\nHEADER_VALUE=x-${API_TOKEN}\n\
         RELAYED=[${HEADER_VALUE}]\nDEFAULTED=${MISSING_SECRET:-fallback-Zp6Ce1}\n\
         HOST=cache.internal\nPLAIN=redis://${HOST}:6379\nSIGNED=${BEARER}\nBEARER=Bearer abc\n\
         LATE=${BEARER}\n",
    );
    for key in [
        "AUTH_HEADER",
        "HEADER_VALUE",
        "RELAYED",
        "DEFAULTED",
        "LATE",
    ] {
        assert!(file.interpolates_secret(key), "{key}");
        assert_eq!(file.display(key).as_deref(), Some(MASK), "{key}");
    }
    // The value is kept as python-dotenv resolves it: only its display changes.
    assert_eq!(file.get("RELAYED"), Some("[x-tok-Hq3Lm8Wd]"));
    for key in ["API_TOKEN", "HOST", "PLAIN", "SIGNED"] {
        assert!(!file.interpolates_secret(key), "{key}");
    }
    // `SIGNED` expanded BEARER before it was set: it is empty, and nothing secret came in.
    assert_eq!(file.display("SIGNED").as_deref(), Some(""));
    assert_eq!(
        file.display("PLAIN").as_deref(),
        Some("redis://cache.internal:6379")
    );
    let shown = format!("{file:?}");
    for secret in ["Hq3Lm8Wd", "Zp6Ce1"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn a_redefined_key_keeps_only_its_last_values_origin() {
    let file = EnvFile::parse("API_TOKEN=t\nX=${API_TOKEN}\nX=plain\nY=plain\nY=${API_TOKEN}\n");
    assert!(!file.interpolates_secret("X"));
    assert!(file.interpolates_secret("Y"));
}
