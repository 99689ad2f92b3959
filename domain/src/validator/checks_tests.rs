use super::checks::redact;
use super::tests::{STAGING, STAGING_SECRETS};
use super::*;
use crate::secret::MASK;

type Ping = Option<Result<(), String>>;

fn ok() -> Ping {
    Some(Ok(()))
}

fn err(message: &str) -> Ping {
    Some(Err(message.to_string()))
}

#[test]
fn redis_check_follows_the_reference_decision_table() {
    let table: &[(&str, &str, Ping, Outcome, &str)] = &[
        (
            "no url, optional",
            "",
            None,
            Outcome::Skip,
            "nothing to check",
        ),
        (
            "no url, optional, flag false",
            "REDIS_REQUIRED=false\n",
            None,
            Outcome::Skip,
            "nothing to check",
        ),
        (
            "no url, required",
            "REDIS_REQUIRED=true\n",
            None,
            Outcome::Fail,
            "REDIS_REQUIRED=true",
        ),
        (
            "empty url counts as none",
            "REDIS_URL=\nREDIS_REQUIRED=1\n",
            None,
            Outcome::Fail,
            "not set",
        ),
        (
            "ping ok, optional",
            "REDIS_URL=redis://h\n",
            ok(),
            Outcome::Ok,
            "answered PING",
        ),
        (
            "ping ok, required",
            "REDIS_URL=redis://h\nREDIS_REQUIRED=yes\n",
            ok(),
            Outcome::Ok,
            "answered PING",
        ),
        (
            "ping failed, required",
            "REDIS_URL=redis://h\nREDIS_REQUIRED=on\n",
            err("refused"),
            Outcome::Fail,
            "Redis PING failed: refused. REDIS_REQUIRED=true",
        ),
        (
            "ping failed, optional",
            "REDIS_URL=redis://h\n",
            err("refused"),
            Outcome::Ok,
            "only degraded",
        ),
        (
            "url set but not pinged",
            "REDIS_URL=redis://h\n",
            None,
            Outcome::Skip,
            "not pinged",
        ),
    ];
    for (name, text, ping, outcome, fragment) in table {
        let check = redis_check(&EnvFile::parse(text), ping.clone());
        assert_eq!(check.name, "redis");
        assert_eq!(check.outcome, *outcome, "case: {name}");
        assert!(
            check.message.contains(fragment),
            "case {name}: {}",
            check.message
        );
    }
}

#[test]
fn inngest_check_follows_the_reference_decision_table() {
    let both = "INNGEST_SIGNING_KEY=signkey-prod-00ff\nINNGEST_EVENT_KEY=evt\n";
    let table: &[(&str, String, Ping, Outcome, &str)] = &[
        (
            "no keys, optional",
            String::new(),
            None,
            Outcome::Skip,
            "INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY are not set",
        ),
        (
            "no keys, required",
            "INNGEST_REQUIRED=true\n".into(),
            None,
            Outcome::Fail,
            "INNGEST_REQUIRED=true but INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY are not set",
        ),
        (
            "one key, optional",
            "INNGEST_EVENT_KEY=e\n".into(),
            None,
            Outcome::Skip,
            "INNGEST_SIGNING_KEY is not set",
        ),
        (
            "one key, required",
            "INNGEST_SIGNING_KEY=s\nINNGEST_REQUIRED=1\n".into(),
            ok(),
            Outcome::Fail,
            "INNGEST_EVENT_KEY is not set",
        ),
        (
            "both, route not verified",
            both.into(),
            None,
            Outcome::Ok,
            "route not verified",
        ),
        (
            "both, route ok",
            both.into(),
            ok(),
            Outcome::Ok,
            "answers as mounted",
        ),
        (
            "both, route failed, optional",
            both.into(),
            err("404"),
            Outcome::Fail,
            "does not answer as mounted: 404",
        ),
        (
            "both, route failed, required",
            format!("{both}INNGEST_REQUIRED=true\n"),
            err("404"),
            Outcome::Fail,
            "does not answer",
        ),
    ];
    for (name, text, route, outcome, fragment) in table {
        let check = inngest_check(&EnvFile::parse(text), route.clone());
        assert_eq!(check.name, "inngest");
        assert_eq!(check.outcome, *outcome, "case: {name}");
        assert!(
            check.message.contains(fragment),
            "case {name}: {}",
            check.message
        );
    }
}

#[test]
fn runtime_fails_only_for_required_dependencies_and_lists_them() {
    let file = |text: &str| EnvFile::parse(text);
    let strict = file("REDIS_URL=redis://h\nREDIS_REQUIRED=true\nINNGEST_REQUIRED=true\n");
    let redis = redis_check(
        &strict,
        err("Error 111 connecting to 127.0.0.1:16379. Connection refused."),
    );
    let inngest = inngest_check(&strict, None);
    let runtime = runtime_check(&strict, &redis, &inngest);
    assert_eq!(runtime.name, "runtime");
    assert_eq!(runtime.outcome, Outcome::Fail);
    assert!(
        runtime.message.starts_with(
            "required dependencies failed: redis: Redis PING failed: Error 111 connecting to 127.0.0.1:16379. Connection refused."
        ),
        "{}",
        runtime.message
    );
    assert!(runtime.message.contains("; inngest: INNGEST_REQUIRED=true"));

    // An optional Inngest whose route is not mounted fails its own check, not the runtime one.
    let relaxed =
        file("INNGEST_SIGNING_KEY=signkey-prod-00\nINNGEST_EVENT_KEY=e\nREDIS_URL=redis://h\n");
    let redis = redis_check(&relaxed, err("refused"));
    let inngest = inngest_check(&relaxed, err("404"));
    assert_eq!(inngest.outcome, Outcome::Fail);
    let runtime = runtime_check(&relaxed, &redis, &inngest);
    assert_eq!(
        (runtime.outcome, runtime.message.as_str()),
        (Outcome::Ok, "no required dependency failed")
    );
}

#[test]
fn outcomes_serialize_as_upper_case_words() {
    for (outcome, word) in [
        (Outcome::Ok, "OK"),
        (Outcome::Fail, "FAIL"),
        (Outcome::Skip, "SKIP"),
    ] {
        assert_eq!(serde_json::to_value(outcome).unwrap(), word);
        assert_eq!(outcome.to_string(), word);
    }
}

#[test]
fn check_messages_never_repeat_secrets_found_in_io_errors() {
    let file = EnvFile::parse(STAGING);
    let leaky = format!(
        "auth failed for rediss://default:Rp4sW0rd-9f8e7d6c@cache.staging.internal:6380/0 \
         (password Rp4sW0rd-9f8e7d6c) with key {} and token caio-swarm-secret-2026",
        STAGING_SECRETS[0]
    );
    let checks = [
        redis_check(&file, Some(Err(leaky.clone()))),
        inngest_check(&file, Some(Err(leaky.clone()))),
    ];
    for check in &checks {
        for secret in STAGING_SECRETS {
            assert!(
                !check.message.contains(secret),
                "{secret} in {}",
                check.message
            );
        }
        assert!(check.message.contains("cache.staging.internal:6380"));
    }
}

#[test]
fn redaction_masks_url_passwords_even_for_urls_not_in_the_file() {
    let file = EnvFile::parse("LOG_LEVEL=INFO\n");
    assert_eq!(
        redact(&file, "cannot reach redis://:hunter2@10.0.0.1:6379 now"),
        format!("cannot reach redis://:{MASK}@10.0.0.1:6379 now")
    );
    assert_eq!(redact(&file, "plain text stays"), "plain text stays");
}

#[test]
fn redaction_masks_percent_decoded_passwords_too() {
    let file = EnvFile::parse("REDIS_URL=redis://u:p%40ssw0rd@h:1/0\n");
    let shown = redact(&file, "NOAUTH for user u with p@ssw0rd and p%40ssw0rd");
    assert!(
        !shown.contains("p@ssw0rd") && !shown.contains("p%40ssw0rd"),
        "{shown}"
    );
}

#[test]
fn connection_facts_debug_masks_url_credentials_in_io_errors() {
    let facts = ConnectionFacts {
        redis_ping: Some(Err("cannot connect to redis://:hunter2@h:6379".into())),
        inngest_route: Some(Ok(())),
    };
    let shown = format!("{facts:?}");
    assert!(
        !shown.contains("hunter2") && shown.contains(MASK),
        "{shown}"
    );
}
