use super::*;
use crate::secret::MASK;

const STAGING: &str = "\
ENVIRONMENT=staging
LOG_LEVEL=DEBUG
OPENAI_API_KEY=sk-proj-staging-Tn4Wq7Er2Ty9Ui1Op3As
ANTHROPIC_API_KEY=sk-ant-shared-Zq8v2LmN4pR7tY1wX5cB
REDIS_URL=rediss://default:shared-redis-pw-77@cache.staging.internal:6380/0
REDIS_REQUIRED=false
INNGEST_APP_ID=caio-alpha-swarm-staging
STATE_REDIS_PREFIX=caio:staging:
CORS_ALLOWED_ORIGINS=https://dashboard.staging.example.com
TRACE_RETENTION_DAYS=7
DATABASE_DSN=postgres://app:dsn-pw-staging-1@db.staging:5432/caio
STAGING_ONLY_FLAG=1
CLAY_API_KEY=
";

const PRODUCTION: &str = "\
ENVIRONMENT=production
LOG_LEVEL=INFO
OPENAI_API_KEY=sk-proj-production-Qw3Er5Ty7Ui9Op1As
ANTHROPIC_API_KEY=sk-ant-shared-Zq8v2LmN4pR7tY1wX5cB
REDIS_URL=rediss://default:shared-redis-pw-77@cache.prod.internal:6380/0
REDIS_REQUIRED=true
INNGEST_APP_ID=caio-alpha-swarm-production
STATE_REDIS_PREFIX=caio:production:
CORS_ALLOWED_ORIGINS=https://dashboard.example.com
TRACE_RETENTION_DAYS=30
DATABASE_DSN=postgres://app:dsn-pw-prod-2@db.prod:5432/caio
CLAY_API_KEY=clay-prod-key-9x8y7z
";

const SECRETS: [&str; 6] = [
    "sk-proj-staging-Tn4Wq7Er2Ty9Ui1Op3As",
    "sk-proj-production-Qw3Er5Ty7Ui9Op1As",
    "sk-ant-shared-Zq8v2LmN4pR7tY1wX5cB",
    "shared-redis-pw-77",
    "dsn-pw-staging-1",
    "clay-prod-key-9x8y7z",
];

fn report() -> ParityReport {
    parity(
        "staging",
        &EnvFile::parse(STAGING),
        "production",
        &EnvFile::parse(PRODUCTION),
    )
}

#[test]
fn keys_set_on_one_side_only_are_listed_and_empty_counts_as_unset() {
    let report = report();
    assert_eq!(report.only_in_a, ["STAGING_ONLY_FLAG"]);
    assert_eq!(report.only_in_b, ["CLAY_API_KEY"]);
    assert_eq!(
        (report.a_name.as_str(), report.b_name.as_str()),
        ("staging", "production")
    );
}

#[test]
fn unexpected_value_differences_are_shown_with_url_credentials_masked() {
    let report = report();
    let keys: Vec<&str> = report
        .differing_values
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    assert_eq!(
        keys,
        ["DATABASE_DSN", "REDIS_REQUIRED", "TRACE_RETENTION_DAYS"]
    );
    let dsn = &report.differing_values[0];
    // A DSN key may not be shown: only where it points is.
    assert_eq!(
        dsn.a,
        format!("postgres://app:{MASK}@db.staging:5432/{MASK}")
    );
    assert_eq!(dsn.b, format!("postgres://app:{MASK}@db.prod:5432/{MASK}"));
    let flag = &report.differing_values[1];
    assert_eq!((flag.a.as_str(), flag.b.as_str()), ("false", "true"));
}

#[test]
fn shared_secrets_and_shared_url_credentials_are_flagged_by_hash() {
    assert_eq!(
        report().shared_credentials,
        ["ANTHROPIC_API_KEY", "REDIS_URL"]
    );
}

#[test]
fn differing_secrets_are_neither_shown_nor_flagged() {
    let report = report();
    for key in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] {
        assert!(report.differing_values.iter().all(|d| d.key != key));
    }
    assert!(
        !report
            .shared_credentials
            .contains(&"OPENAI_API_KEY".to_string())
    );
}

#[test]
fn the_serialized_report_never_contains_a_secret_value() {
    let json = serde_json::to_string(&report()).unwrap();
    for secret in SECRETS {
        assert!(!json.contains(secret), "{secret} leaked: {json}");
    }
    let debug = format!("{:?}", report());
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
}

#[test]
fn keys_expected_to_differ_follow_the_documented_list() {
    for key in [
        "REDIS_URL",
        "SUPABASE_URL",
        "DATABASE_URI",
        "INNGEST_APP_ID",
        "GHL_LOCATION_ID",
        "RATE_LIMIT_REDIS_NAMESPACE",
        "STATE_REDIS_PREFIX",
        "SMTP_HOST",
        "CORS_ALLOWED_ORIGINS",
        "ENVIRONMENT",
        "LOG_LEVEL",
        "log_level",
    ] {
        assert!(expected_to_differ(key), "{key}");
    }
    for key in [
        "REDIS_REQUIRED",
        "INNGEST_REQUIRED",
        "TRACE_RETENTION_DAYS",
        "STATE_BACKEND",
        "IDLE_TIMEOUT",
    ] {
        assert!(!expected_to_differ(key), "{key}");
    }
}

#[test]
fn identical_files_are_clean_unless_they_share_credentials() {
    let plain = EnvFile::parse("ENVIRONMENT=x\nSTATE_BACKEND=redis\nREDIS_URL=redis://h:6379/0\n");
    assert!(parity("a", &plain, "b", &plain).is_clean());
    let with_secret = EnvFile::parse("OPENAI_API_KEY=sk-same-value-123\n");
    let report = parity("a", &with_secret, "b", &with_secret);
    assert!(!report.is_clean());
    assert_eq!(report.shared_credentials, ["OPENAI_API_KEY"]);
}

#[test]
fn urls_without_a_password_carry_no_credential() {
    let a = EnvFile::parse("REDIS_URL=redis://default:@h1:6379\nCACHE_DSN=redis://:@h1\n");
    let b = EnvFile::parse("REDIS_URL=redis://default:@h2:6379\nCACHE_DSN=redis://:@h2\n");
    let report = parity("a", &a, "b", &b);
    assert!(report.shared_credentials.is_empty(), "{report:?}");
}

#[test]
fn the_fingerprint_is_sha256() {
    let hex = |d: [u8; 32]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(
        hex(fingerprint("")),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(fingerprint("abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn text_report_names_keys_and_never_values_of_secrets() {
    let a = EnvFile::parse("API_TOKEN=same-secret-value\nLOG_FORMAT=json\nONLY_A=1\n");
    let b = EnvFile::parse("API_TOKEN=same-secret-value\nLOG_FORMAT=text\n");
    let text = render_text(&parity("staging", &a, "production", &b));
    assert!(text.starts_with("Parity staging vs production: differences found"));
    assert!(text.contains("  - API_TOKEN\n"));
    assert!(text.contains("Set in staging only (1):\n  - ONLY_A"));
    assert!(text.contains("LOG_FORMAT: staging=json production=text"));
    assert!(!text.contains("same-secret-value"));
    let plain = EnvFile::parse("LOG_FORMAT=json\n");
    let clean = render_text(&parity("a", &plain, "b", &plain.clone()));
    assert!(clean.contains("clean"), "{clean}");
}

/// The values a viewer saw in issue 14 (item 7), each differing between the two files.
const LEAKY_A: &str = "\
API_TOKEN=tok-staging-Hq3Lm8Wd
AUTHORIZATION=Bearer bearer-staging-Kf7Tz2
BASIC_AUTH=admin:basic-staging-Rv5Qx1
DB_PWD=pwd-staging-Nc4Js6
DSN=host=db.staging password=dsn-staging-Yb8Pw3
SLACK_WEBHOOK=https://hooks.slack.com/services/T01/B02/slack-staging-Gm2Vn7
AUTH_HEADER=Bearer ${API_TOKEN}
ALERT_HOOK=https://alerts.example.com/hook?apikey=query-staging-Ld9Sx4&v=1
";

const LEAKY_B: &str = "\
API_TOKEN=tok-production-Zp6Ce1
AUTHORIZATION=Bearer bearer-production-Uw3Ha9
BASIC_AUTH=admin:basic-production-Jt1Mk5
DB_PWD=pwd-production-Ox7Fy2
DSN=host=db.prod password=dsn-production-Ea5Wr8
SLACK_WEBHOOK=https://hooks.slack.com/services/T01/B02/slack-production-Ki4Bd6
AUTH_HEADER=Bearer ${API_TOKEN}
ALERT_HOOK=https://alerts.example.com/hook?apikey=query-production-Qs2Nv0&v=2
";

#[test]
fn differing_values_of_keys_without_a_secret_looking_name_are_masked() {
    let report = parity(
        "staging",
        &EnvFile::parse(LEAKY_A),
        "production",
        &EnvFile::parse(LEAKY_B),
    );
    let keys: Vec<&str> = report
        .differing_values
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "ALERT_HOOK",
            "AUTHORIZATION",
            "AUTH_HEADER",
            "BASIC_AUTH",
            "DB_PWD",
            "DSN",
            "SLACK_WEBHOOK"
        ]
    );
    let hook = &report.differing_values[0];
    assert_eq!(
        hook.a,
        format!("https://alerts.example.com/hook?apikey={MASK}&v={MASK}")
    );
    for d in &report.differing_values[1..] {
        assert_eq!((d.a.as_str(), d.b.as_str()), (MASK, MASK), "{}", d.key);
    }
    // The judgment is the reference's: none of these keys is compared as a credential.
    assert!(report.shared_credentials.is_empty(), "{report:?}");
    let shown = [
        serde_json::to_string(&report).unwrap(),
        format!("{report:?}"),
        render_text(&report),
    ];
    let both = format!("{LEAKY_A}{LEAKY_B}");
    let secrets: Vec<&str> = both
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| word.contains("-staging-") || word.contains("-production-"))
        .collect();
    assert_eq!(secrets.len(), 14);
    for secret in secrets {
        for out in &shown {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
    }
}

#[test]
fn a_value_that_interpolated_a_secret_is_masked() {
    let a = EnvFile::parse("API_TOKEN=tok-a-123456\nHEADER_VALUE=x-${API_TOKEN}\n");
    let b = EnvFile::parse("API_TOKEN=tok-b-654321\nHEADER_VALUE=x-${API_TOKEN}\n");
    let report = parity("a", &a, "b", &b);
    assert_eq!(report.differing_values.len(), 1);
    let d = &report.differing_values[0];
    assert_eq!(
        (d.key.as_str(), d.a.as_str(), d.b.as_str()),
        ("HEADER_VALUE", MASK, MASK)
    );
}
