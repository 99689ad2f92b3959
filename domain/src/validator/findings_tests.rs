use super::tests::{STAGING, STAGING_SECRETS};
use super::*;

fn findings_for(text: &str, mode: Mode) -> Vec<Finding> {
    findings(&EnvFile::parse(text), mode)
}

fn severities(text: &str, mode: Mode) -> Vec<(String, Severity)> {
    findings_for(text, mode)
        .into_iter()
        .map(|f| (f.key, f.severity))
        .collect()
}

const STRONG: &str = "q7Vd9kLm2XpR4tZw8NcB5yHf3JsG6aEu";

#[test]
fn weak_tokens_are_flagged_for_every_token_or_secret_key() {
    let table: &[(&str, &str, Option<Severity>)] = &[
        (
            "deny-listed reference default",
            "caio-swarm-secret-2026",
            Some(Severity::Error),
        ),
        (
            "deny-listed, any case and padding",
            "\" ChangeMe \"",
            Some(Severity::Error),
        ),
        ("placeholder word", "dummy", Some(Severity::Error)),
        ("short", "Xy7#kL9!pQ2$", Some(Severity::Warning)),
        (
            "long but one character",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            Some(Severity::Warning),
        ),
        (
            "long but few distinct characters",
            "abcabcabcabcabcabcabcabcabcabcab",
            Some(Severity::Warning),
        ),
        ("long random", STRONG, None),
        (
            "random hex, 64 characters",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            None,
        ),
    ];
    for key in [
        "DASHBOARD_AUTH_TOKEN",
        "WEBHOOK_BEARER_TOKEN",
        "JWT_SECRET",
        "client_secret",
    ] {
        for (name, value, expected) in table {
            let got = findings_for(&format!("{key}={value}\n"), Mode::Staging);
            let got: Vec<Severity> = got.iter().map(|f| f.severity).collect();
            assert_eq!(
                got,
                expected.iter().copied().collect::<Vec<_>>(),
                "{key}: {name}"
            );
        }
    }
}

#[test]
fn only_token_and_secret_names_are_checked_for_weakness() {
    for text in [
        "OPENAI_API_KEY=short\n",
        "DB_PASSWORD=test\n",
        "LOG_LEVEL=x\n",
    ] {
        assert_eq!(findings_for(text, Mode::Production), Vec::new(), "{text}");
    }
    // Unset or empty tokens are a missing-key matter, not a weak one.
    assert_eq!(
        findings_for("DASHBOARD_AUTH_TOKEN=\nAPI_TOKEN\n", Mode::Production),
        Vec::new()
    );
}

#[test]
fn entropy_and_thresholds_are_as_documented() {
    assert_eq!(shannon_entropy(""), 0.0);
    assert_eq!(shannon_entropy("aaaa"), 0.0);
    assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-12);
    assert!((shannon_entropy("0123456789abcdef") - 4.0).abs() < 1e-12);
    assert_eq!(
        (MIN_TOKEN_LEN, MIN_DISTINCT_CHARS, MIN_ENTROPY_BITS),
        (24, 10, 3.0)
    );
    assert!(DENY_LIST.contains(&"caio-swarm-secret-2026"));
    // 12 distinct characters, evenly repeated: log2(12) = 3.58 bits, so not weak; 9 distinct
    // characters fail the distinct-character test however long the value is.
    let twelve = "abcdefghijkl".repeat(3);
    assert_eq!(
        findings_for(&format!("X_TOKEN={twelve}\n"), Mode::Staging),
        Vec::new()
    );
    let nine = "abcdefghi".repeat(4);
    assert_eq!(
        severities(&format!("X_TOKEN={nine}\n"), Mode::Staging).len(),
        1
    );
}

#[test]
fn skewed_values_fail_on_entropy_even_with_many_distinct_characters() {
    // 10 distinct characters, but one dominates: about 1.3 bits per character.
    let value = format!("{}abcdefghi", "z".repeat(40));
    assert!(shannon_entropy(&value) < MIN_ENTROPY_BITS);
    let got = findings_for(&format!("X_SECRET={value}\n"), Mode::Staging);
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("low entropy") && !got[0].message.contains("shorter"));
}

#[test]
fn signing_keys_must_have_the_signkey_env_prefix_and_a_hex_body() {
    let table: &[(&str, Mode, Option<Severity>)] = &[
        (
            "signkey-prod-0123456789abcdef0123456789abcdef",
            Mode::Production,
            None,
        ),
        ("signkey-test-0123456789abcdef", Mode::Staging, None),
        ("signkey-branch-00ff", Mode::Development, None),
        (
            "signkey-test-0123456789abcdef",
            Mode::Production,
            Some(Severity::Warning),
        ),
        (
            "0123456789abcdef0123456789abcdef",
            Mode::Staging,
            Some(Severity::Warning),
        ),
        ("sk_live_legacy", Mode::Staging, Some(Severity::Warning)),
        ("signkey--00ff", Mode::Staging, Some(Severity::Warning)),
        (
            "signkey-prod-not-hex",
            Mode::Production,
            Some(Severity::Error),
        ),
        ("signkey-prod-abc", Mode::Production, Some(Severity::Error)),
        ("signkey-prod-", Mode::Production, Some(Severity::Error)),
    ];
    for key in ["INNGEST_SIGNING_KEY", "INNGEST_SIGNING_KEY_FALLBACK"] {
        for (value, mode, expected) in table {
            let got: Vec<Severity> = severities(&format!("{key}={value}\n"), *mode)
                .into_iter()
                .map(|(k, s)| {
                    assert_eq!(k, key);
                    s
                })
                .collect();
            assert_eq!(
                got,
                expected.iter().copied().collect::<Vec<_>>(),
                "{key}={value} in {mode}"
            );
        }
    }
    // Other Inngest keys are not signing keys.
    assert_eq!(
        findings_for("INNGEST_EVENT_KEY=evtkey123\n", Mode::Production),
        Vec::new()
    );
}

#[test]
fn the_legacy_devserver_url_is_flagged_and_the_fallback_key_is_not() {
    let got = severities(
        "INNGEST_DEVSERVER_URL=http://localhost:8288\n\
         INNGEST_SIGNING_KEY_FALLBACK=signkey-prod-00ff\n",
        Mode::Production,
    );
    assert_eq!(
        got,
        [("INNGEST_DEVSERVER_URL".to_string(), Severity::Warning)]
    );
}

#[test]
fn findings_follow_the_file_order_and_the_staging_file_has_exactly_one() {
    let got = severities(STAGING, Mode::Staging);
    assert_eq!(got, [("DASHBOARD_AUTH_TOKEN".to_string(), Severity::Error)]);
    let got = severities(STAGING, Mode::Production);
    assert_eq!(
        got,
        [
            ("INNGEST_SIGNING_KEY".to_string(), Severity::Warning),
            ("DASHBOARD_AUTH_TOKEN".to_string(), Severity::Error),
        ]
    );
}

#[test]
fn finding_messages_never_contain_the_value() {
    let values = [
        "caio-swarm-secret-2026",
        "Xy7#kL9!pQ2$",
        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzqq",
        "sk_live_legacy_Q9w8",
        "signkey-prod-nothexatall",
    ];
    for value in values {
        for key in ["DASHBOARD_AUTH_TOKEN", "INNGEST_SIGNING_KEY", "APP_SECRET"] {
            for mode in Mode::ALL {
                for finding in findings_for(&format!("{key}='{value}'\n"), mode) {
                    assert!(!finding.message.contains(value), "{}", finding.message);
                    assert!(finding.message.starts_with(key), "{}", finding.message);
                }
            }
        }
    }
    for finding in findings_for(STAGING, Mode::Production) {
        for secret in STAGING_SECRETS {
            assert!(!finding.message.contains(secret), "{}", finding.message);
        }
    }
}
