use super::*;

/// A staging file for the reference team, with every README key: SUPABASE_KEY is empty and
/// CLAY_API_KEY is absent; INNGEST_WEBHOOK_URL and DASHBOARD_AUTH_ALLOWLIST are not set.
pub(super) const STAGING: &str = r#"# CAIO Alpha Swarm — staging
ENVIRONMENT=staging
LOG_LEVEL=INFO
ANTHROPIC_API_KEY=sk-ant-api03-Zq8v2LmN4pR7tY1wX5cB9dF3gH6jK0aS
OPENAI_API_KEY="sk-proj-Tn4Wq7Er2Ty9Ui1Op3As6Df8Gh0Jk5Lz"
GHL_API_KEY=ghl-pit-8c1f2e9a-4b7d-4e3a-9f6c-2d5b8a1e7c4f
GHL_LOCATION_ID=loc_7Hq2Xv9Kp4
SUPABASE_URL=https://xyzcompany.supabase.co
SUPABASE_KEY=
# CLAY_API_KEY: requested from the vendor

REDIS_URL=rediss://default:Rp4sW0rd-9f8e7d6c@cache.staging.internal:6380/0
REDIS_MAX_CONNECTIONS=20
REDIS_REQUIRED=false
STATE_BACKEND=redis
STATE_REDIS_PREFIX=caio:staging:state:
STATE_DUAL_READ_ENABLED=true
STATE_FILE_FALLBACK_WRITE=false
RATE_LIMIT_REDIS_NAMESPACE=caio:staging:ratelimit
CONTEXT_REDIS_PREFIX=caio:staging:ctx:
CONTEXT_STATE_TTL_SECONDS=86400

export INNGEST_SIGNING_KEY=signkey-test-0123456789abcdef0123456789abcdef
export INNGEST_EVENT_KEY=evtkey-staging-7f3a9c2e51d4
INNGEST_APP_ID=caio-alpha-swarm-staging
INNGEST_REQUIRED=true

TRACE_ENVELOPE_FILE=/var/log/caio/trace_envelopes.jsonl
TRACE_ENVELOPE_ENABLED=true
TRACE_RETENTION_DAYS=14
TRACE_CLEANUP_ENABLED=true

DASHBOARD_AUTH_TOKEN=caio-swarm-secret-2026
DASHBOARD_AUTH_STRICT=true
CORS_ALLOWED_ORIGINS=https://dashboard.staging.example.com
"#;

/// Every secret value in [`STAGING`], for "never shown" checks.
pub(super) const STAGING_SECRETS: [&str; 7] = [
    "sk-ant-api03-Zq8v2LmN4pR7tY1wX5cB9dF3gH6jK0aS",
    "sk-proj-Tn4Wq7Er2Ty9Ui1Op3As6Df8Gh0Jk5Lz",
    "ghl-pit-8c1f2e9a-4b7d-4e3a-9f6c-2d5b8a1e7c4f",
    "Rp4sW0rd-9f8e7d6c",
    "0123456789abcdef0123456789abcdef",
    "evtkey-staging-7f3a9c2e51d4",
    "caio-swarm-secret-2026",
];

fn staging_with(replacements: &[(&str, &str)]) -> EnvFile {
    let mut text = STAGING.to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    EnvFile::parse(&text)
}

fn assert_hides_secrets(shown: &str) {
    for secret in STAGING_SECRETS {
        assert!(!shown.contains(secret), "{secret} leaked in:\n{shown}");
    }
}

#[test]
fn the_staging_file_parses_without_issues() {
    assert!(EnvFile::parse(STAGING).issues().is_empty());
}

#[test]
fn required_keys_grow_in_release_modes() {
    assert_eq!(required_keys(Mode::Development), BASE_REQUIRED);
    for mode in [Mode::Staging, Mode::Production] {
        let keys = required_keys(mode);
        assert_eq!(keys.len(), 9);
        assert!(keys.starts_with(&BASE_REQUIRED) && keys.ends_with(&RELEASE_REQUIRED));
    }
}

#[test]
fn missing_required_is_exact_for_each_mode() {
    let file = EnvFile::parse(STAGING);
    assert_eq!(
        missing_required(&file, Mode::Development),
        Vec::<String>::new()
    );
    for mode in [Mode::Staging, Mode::Production] {
        assert_eq!(
            missing_required(&file, mode),
            ["CLAY_API_KEY", "SUPABASE_KEY"]
        );
    }
}

#[test]
fn required_flags_add_the_reference_worded_entries_sorted_by_code_point() {
    let file = staging_with(&[
        ("REDIS_REQUIRED=false", "REDIS_REQUIRED= Yes "),
        ("REDIS_URL=rediss", "#REDIS_URL=rediss"),
        (
            "export INNGEST_SIGNING_KEY=signkey-test-0123456789abcdef0123456789abcdef",
            "INNGEST_SIGNING_KEY=",
        ),
        ("LOG_LEVEL=INFO", "LOG_LEVEL"),
    ]);
    let expected_dev = [
        "INNGEST_SIGNING_KEY (required because INNGEST_REQUIRED=true)",
        "LOG_LEVEL",
        "REDIS_URL (required because REDIS_REQUIRED=true)",
    ];
    assert_eq!(missing_required(&file, Mode::Development), expected_dev);
    assert_eq!(
        missing_required(&file, Mode::Production),
        [
            "CLAY_API_KEY",
            "INNGEST_SIGNING_KEY (required because INNGEST_REQUIRED=true)",
            "LOG_LEVEL",
            "REDIS_URL (required because REDIS_REQUIRED=true)",
            "SUPABASE_KEY",
        ]
    );
}

#[test]
fn an_empty_file_misses_every_required_key_and_both_inngest_keys_when_required() {
    let file = EnvFile::parse("INNGEST_REQUIRED=on\n");
    assert_eq!(
        missing_required(&file, Mode::Staging),
        [
            "ANTHROPIC_API_KEY",
            "CLAY_API_KEY",
            "ENVIRONMENT",
            "GHL_API_KEY",
            "GHL_LOCATION_ID",
            "INNGEST_EVENT_KEY (required because INNGEST_REQUIRED=true)",
            "INNGEST_SIGNING_KEY (required because INNGEST_REQUIRED=true)",
            "LOG_LEVEL",
            "OPENAI_API_KEY",
            "SUPABASE_KEY",
            "SUPABASE_URL",
        ]
    );
}

#[test]
fn sorting_is_by_code_point_not_locale_and_duplicates_collapse() {
    // Upper case before `_` before lower case, as Python's sorted() orders str.
    let file = EnvFile::parse("REDIS_REQUIRED=1\nENVIRONMENT=dev\nLOG_LEVEL=x\nOPENAI_API_KEY=k\n");
    let missing = missing_required(&file, Mode::Development);
    assert_eq!(
        missing,
        [
            "ANTHROPIC_API_KEY",
            "REDIS_URL (required because REDIS_REQUIRED=true)"
        ]
    );
    let mut sorted = missing.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(missing, sorted);
}

#[test]
fn recommended_keys_are_split_in_readme_order() {
    let report = validate(&EnvFile::parse(STAGING), Mode::Staging, None);
    assert_eq!(
        report.recommended_missing,
        ["INNGEST_WEBHOOK_URL", "DASHBOARD_AUTH_ALLOWLIST"]
    );
    let expected_present: Vec<&str> = RECOMMENDED
        .into_iter()
        .filter(|k| !report.recommended_missing.iter().any(|m| m == k))
        .collect();
    assert_eq!(report.recommended_present, expected_present);
}

#[test]
fn verdict_comes_from_missing_keys_and_failed_checks_only() {
    let file = EnvFile::parse(STAGING);
    let dev = validate(&file, Mode::Development, None);
    // The deny-listed dashboard token is an Error finding, yet the verdict passes (reference rule).
    assert!(dev.passed && dev.findings.iter().any(|f| f.severity == Severity::Error));
    assert_eq!(dev.exit_code(), 0);
    assert!(dev.connection_checks.is_empty());

    let staging = validate(&file, Mode::Staging, None);
    assert!(!staging.passed);
    assert_eq!(staging.exit_code(), 1);

    let redis_down = ConnectionFacts {
        redis_ping: Some(Err("Error 111 connecting".into())),
        inngest_route: None,
    };
    let relaxed = validate(&file, Mode::Development, Some(&redis_down));
    let outcomes: Vec<(&str, Outcome)> = relaxed
        .connection_checks
        .iter()
        .map(|c| (c.name.as_str(), c.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("redis", Outcome::Ok),
            ("inngest", Outcome::Ok),
            ("runtime", Outcome::Ok)
        ]
    );
    assert!(
        relaxed.passed,
        "an optional Redis that is down only degrades"
    );

    let strict = staging_with(&[("REDIS_REQUIRED=false", "REDIS_REQUIRED=true")]);
    let strict = validate(&strict, Mode::Development, Some(&redis_down));
    assert!(!strict.passed);
    assert_eq!(strict.connection_checks[2].outcome, Outcome::Fail);
}

#[test]
fn parse_issues_are_reported_but_do_not_fail_the_verdict() {
    let text = format!("{STAGING}BROKEN LINE=1\n");
    let report = validate(&EnvFile::parse(&text), Mode::Development, None);
    assert!(report.passed);
    assert_eq!(report.parse_issues.len(), 1);
    assert_eq!(report.parse_issues[0].line, STAGING.lines().count() + 1);
}

#[test]
fn the_report_serializes_with_the_documented_field_names() {
    let facts = ConnectionFacts {
        redis_ping: Some(Ok(())),
        inngest_route: Some(Ok(())),
    };
    let report = validate(&EnvFile::parse(STAGING), Mode::Staging, Some(&facts));
    let json = serde_json::to_value(&report).unwrap();
    let mut fields: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    let mut expected = [
        "mode",
        "passed",
        "missing_required",
        "recommended_present",
        "recommended_missing",
        "connection_checks",
        "findings",
        "parse_issues",
    ];
    expected.sort_unstable();
    assert_eq!(fields, expected);
    assert_eq!(json["mode"], "staging");
    assert_eq!(json["connection_checks"][0]["outcome"], "OK");
    assert_eq!(json["findings"][0]["severity"], "error");
    let back: ValidationReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    assert_hides_secrets(&serde_json::to_string(&report).unwrap());
}

#[test]
fn render_text_shows_verdict_keys_checks_and_findings_but_no_values() {
    let facts = ConnectionFacts {
        redis_ping: Some(Err(
            "Error connecting to rediss://default:Rp4sW0rd-9f8e7d6c@cache.staging.internal:6380/0"
                .into(),
        )),
        inngest_route: Some(Err("GET /api/inngest answered 404".into())),
    };
    let file = staging_with(&[("TRACE_CLEANUP_ENABLED=true", "TRACE CLEANUP=true")]);
    let text = render_text(&validate(&file, Mode::Production, Some(&facts)));
    let broken_line = 1 + STAGING
        .lines()
        .position(|l| l.starts_with("TRACE_CLEANUP_ENABLED"))
        .unwrap();
    let issue = format!("line {broken_line}: the key is followed by text");
    for expected in [
        "FAIL: env validation for mode production",
        "Missing required keys (2):\n  - CLAY_API_KEY\n  - SUPABASE_KEY\n",
        "Recommended keys: 20 of 23 present",
        "missing: INNGEST_WEBHOOK_URL, TRACE_CLEANUP_ENABLED, DASHBOARD_AUTH_ALLOWLIST",
        "OK    redis    Redis PING failed",
        "FAIL  inngest  the signing and event keys are set, but the route does not answer as mounted",
        "FAIL  runtime  required dependencies failed: inngest:",
        "error    DASHBOARD_AUTH_TOKEN:",
        "warning  INNGEST_SIGNING_KEY:",
        issue.as_str(),
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        text.contains("cache.staging.internal"),
        "the host stays readable"
    );
    assert_hides_secrets(&text);
}

#[test]
fn render_text_of_a_clean_pass_is_short() {
    let text = "ENVIRONMENT=development\nLOG_LEVEL=DEBUG\nANTHROPIC_API_KEY=a\nOPENAI_API_KEY=b\n";
    let text = render_text(&validate(&EnvFile::parse(text), Mode::Development, None));
    assert_eq!(
        text,
        "PASS: env validation for mode development\n\nRequired keys: all present\n\
         Recommended keys: 0 of 23 present\n  missing: REDIS_URL, REDIS_MAX_CONNECTIONS, \
         STATE_BACKEND, STATE_REDIS_PREFIX, STATE_DUAL_READ_ENABLED, STATE_FILE_FALLBACK_WRITE, \
         RATE_LIMIT_REDIS_NAMESPACE, CONTEXT_REDIS_PREFIX, CONTEXT_STATE_TTL_SECONDS, \
         INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, INNGEST_APP_ID, INNGEST_WEBHOOK_URL, \
         INNGEST_REQUIRED, REDIS_REQUIRED, TRACE_ENVELOPE_FILE, TRACE_ENVELOPE_ENABLED, \
         TRACE_RETENTION_DAYS, TRACE_CLEANUP_ENABLED, DASHBOARD_AUTH_TOKEN, \
         DASHBOARD_AUTH_STRICT, DASHBOARD_AUTH_ALLOWLIST, CORS_ALLOWED_ORIGINS\n\n\
         Connection checks: not run\n"
    );
}
