use std::time::Duration;

use super::*;

fn parse_in(dir: &Path, text: &str) -> Result<Config> {
    let file = dir.join("greenlight.toml");
    std::fs::write(&file, text).unwrap();
    Config::load(Some(&file), &Overrides::default())
}

fn config_error(result: Result<Config>) -> (usize, String) {
    match result {
        Err(Error::Config { line, message, .. }) => (line, message),
        Err(other) => panic!("expected a config error, got {other}"),
        Ok(_) => panic!("expected a config error, got a config"),
    }
}

#[test]
fn the_embedded_example_workspace_loads() {
    let config = Config::load(None, &Overrides::default()).expect("example config is valid");
    assert!(matches!(config.source, ConfigSource::EmbeddedExample(_)));
    assert_eq!(config.server.addr.to_string(), DEFAULT_ADDR);
    assert!(!config.environments.is_empty());
    assert!(!config.suites.is_empty());
    for suite in &config.suites {
        assert!(suite.golden_set.is_file());
    }
}

#[test]
fn a_minimal_config_gets_the_documented_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let config = parse_in(
        dir.path(),
        "[[environments]]\nname = \"staging\"\nbase_url = \"https://staging.example.com/\"\nmode = \"staging\"\n",
    )
    .unwrap();
    let env = &config.environments[0];
    assert_eq!(env.base_url.as_str(), "https://staging.example.com");
    assert_eq!(env.probe_interval, Duration::from_secs(15));
    assert_eq!(env.readiness_path, "/api/health/ready");
    assert_eq!(env.dependencies_path, "/api/runtime/dependencies");
    assert_eq!(config.server.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
    assert!(config.server.redis.is_none());
}

#[test]
fn an_unknown_key_is_refused_with_its_line_and_the_expected_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (line, message) = config_error(parse_in(
        dir.path(),
        "[server]\naddr = \"127.0.0.1:1\"\nadress = \"x\"\n",
    ));
    assert_eq!(line, 3);
    assert!(message.contains("unknown field `adress`"), "{message}");
    assert!(message.contains("addr"), "{message}");
}

#[test]
fn a_bad_mode_names_the_key_the_table_and_the_allowed_values() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[environments]]\nname = \"a\"\nbase_url = \"http://h\"\nmode = \"development\"\n\n\
                [[environments]]\nname = \"b\"\nbase_url = \"http://h\"\nmode = \"prod\"\n";
    let (line, message) = config_error(parse_in(dir.path(), text));
    assert_eq!(line, 9);
    assert!(
        message.contains("key `mode` in [[environments]] #2"),
        "{message}"
    );
    assert!(
        message.contains("expected one of `development`, `staging`, `production`"),
        "{message}"
    );
}

#[test]
fn duplicate_environment_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let env = "[[environments]]\nname = \"prod\"\nbase_url = \"http://h\"\nmode = \"production\"\n";
    let (line, message) = config_error(parse_in(dir.path(), &format!("{env}{env}")));
    assert_eq!(line, 6);
    assert!(message.contains("defined twice"), "{message}");
}

#[test]
fn a_missing_env_file_is_refused_with_its_resolved_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"staging\"\nenv_file = \"nope.env\"\n";
    let (line, message) = config_error(parse_in(dir.path(), text));
    assert_eq!(line, 5);
    assert!(message.contains("nope.env does not exist"), "{message}");
}

#[test]
fn relative_paths_resolve_against_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.env"), "ENVIRONMENT=staging\n").unwrap();
    let text = "[server]\ndata_dir = \"state\"\n[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"staging\"\nenv_file = \"s.env\"\n";
    let config = parse_in(dir.path(), text).unwrap();
    assert_eq!(
        config.environments[0].env_file.as_deref(),
        Some(dir.path().join("s.env").as_path())
    );
    assert_eq!(config.server.data_dir, dir.path().join("state"));
}

#[test]
fn overrides_win_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("greenlight.toml");
    std::fs::write(
        &file,
        "[server]\naddr = \"127.0.0.1:1234\"\ndata_dir = \"d\"\n",
    )
    .unwrap();
    let overrides = Overrides {
        addr: Some("0.0.0.0:8080".parse().unwrap()),
        data_dir: Some("/tmp/x".into()),
    };
    let config = Config::load(Some(&file), &overrides).unwrap();
    assert_eq!(config.server.addr.to_string(), "0.0.0.0:8080");
    assert_eq!(config.server.data_dir, PathBuf::from("/tmp/x"));
}

#[test]
fn an_auth_token_in_the_config_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"staging\"\n\
                [environments.dependencies_auth]\nheader = \"X-Dashboard-Token\"\nvalue = \"abc\"\n";
    let (_, message) = config_error(parse_in(dir.path(), text));
    assert!(message.contains("unknown field `value`"), "{message}");
    let text = "[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"staging\"\n\
                [environments.dependencies_auth]\nheader = \"X-Dashboard-Token\"\n";
    let (_, message) = config_error(parse_in(dir.path(), text));
    assert!(message.contains("exactly one of `from_env`"), "{message}");
}

#[test]
fn auth_is_read_from_an_env_var_or_the_env_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"staging\"\n\
                dependencies_auth = { from_env_file = \"DASHBOARD_AUTH_TOKEN\" }\n";
    let config = parse_in(dir.path(), text).unwrap();
    assert_eq!(
        config.environments[0].dependencies_auth,
        Some(AuthHeader {
            header: "X-Dashboard-Token".into(),
            source: SecretSource::EnvFileKey("DASHBOARD_AUTH_TOKEN".into())
        })
    );
}

#[test]
fn a_credential_in_a_base_url_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "[[environments]]\nname = \"s\"\nbase_url = \"https://u:hunter2@h\"\nmode = \"staging\"\n";
    let (line, message) = config_error(parse_in(dir.path(), text));
    assert_eq!(line, 3);
    assert!(!message.contains("hunter2"), "{message}");
    assert!(message.contains("credentials"), "{message}");
}

#[test]
fn suite_values_out_of_range_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), "[]").unwrap();
    let suite = |extra: &str| {
        format!(
            "[[suites]]\nname = \"x\"\ngolden_set = \"g.json\"\nrunner = {{ kind = \"command\", command = [\"true\"] }}\n{extra}\n"
        )
    };
    let (line, message) = config_error(parse_in(dir.path(), &suite("min_pass_rate = 1.5")));
    assert_eq!(line, 5);
    assert!(
        message.contains("expected a fraction from 0.0 to 1.0"),
        "{message}"
    );
    let (_, message) = config_error(parse_in(dir.path(), &suite("concurrency = 0")));
    assert!(message.contains("expected 1 to 256"), "{message}");
    let (_, message) = config_error(parse_in(
        dir.path(),
        "[[suites]]\nname = \"x\"\ngolden_set = \"g.json\"\nrunner = { kind = \"shell\" }\n",
    ));
    assert!(message.contains("shell"), "{message}");
    let config = parse_in(dir.path(), &suite("")).unwrap();
    assert_eq!(config.suites[0].min_pass_rate, 0.95);
    assert_eq!(config.suites[0].case_timeout, Duration::from_secs(120));
}

#[test]
fn invalid_toml_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let (line, _) = config_error(parse_in(dir.path(), "[server]\naddr = \n"));
    assert_eq!(line, 2);
}

#[test]
fn custom_checks_are_parsed_once_and_a_bad_condition_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let env = "[[environments]]\nname = \"s\"\nbase_url = \"http://h:1\"\nmode = \"staging\"\n";
    let good = format!(
        "{env}[[environments.checks]]\nname = \"queue\"\npath = \"/api/queue\"\nconditions = [\"[STATUS] == 200\", \"[BODY].queue.p95_age_seconds < 900\"]\n"
    );
    let config = parse_in(dir.path(), &good).unwrap();
    let check = &config.environments[0].checks[0];
    assert_eq!(check.url, "http://h:1/api/queue");
    assert_eq!(check.conditions.len(), 2);
    let bad = format!(
        "{env}[[environments.checks]]\nname = \"queue\"\npath = \"/q\"\nconditions = [\"[STATS] == 200\"]\n"
    );
    let (line, message) = config_error(parse_in(dir.path(), &bad));
    assert_eq!(line, 8);
    assert!(message.contains("unknown placeholder [STATS]"), "{message}");
}

#[test]
fn a_ca_file_that_is_missing_or_holds_no_certificate_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (line, message) = config_error(parse_in(
        dir.path(),
        "[server]\naddr = \"127.0.0.1:3000\"\nca_file = \"certs/internal-ca.pem\"\n",
    ));
    assert_eq!(line, 3);
    assert!(
        message.starts_with("key `ca_file` in [server]: cannot read ")
            && message.contains("internal-ca.pem"),
        "{message}"
    );
    std::fs::write(dir.path().join("empty.pem"), "# nothing here\n").unwrap();
    let (_, message) = config_error(parse_in(dir.path(), "[server]\nca_file = \"empty.pem\"\n"));
    assert!(message.contains("holds no PEM certificate"), "{message}");
}

#[test]
fn runner_and_check_urls_are_parsed_and_refused_in_words_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), "[]").unwrap();
    let runner = |url: &str| {
        format!(
            "[[suites]]\nname = \"x\"\ngolden_set = \"g.json\"\nrunner = {{ kind = \"http\", url = \"{url}\" }}\n"
        )
    };
    let config = parse_in(dir.path(), &runner("https://agent.internal:8443/replay")).unwrap();
    assert!(
        matches!(&config.suites[0].runner, RunnerConfig::Http { url, .. } if url == "https://agent.internal:8443/replay")
    );
    for (url, words) in [
        ("ftp://agent/run", "its scheme is `ftp`"),
        (
            "agent/run?token=hunter2",
            "is not an http:// or https:// URL",
        ),
        (
            "https://agent:99999/run?token=hunter2",
            "invalid port number",
        ),
        ("https://u:hunter2@agent/run", "must not hold credentials"),
    ] {
        let (line, message) = config_error(parse_in(dir.path(), &runner(url)));
        assert_eq!(line, 4, "{url}");
        assert!(message.contains(words), "{url}: {message}");
        assert!(!message.contains("hunter2"), "{url}: {message}");
    }
    let env = "[[environments]]\nname = \"s\"\nbase_url = \"http://h:1\"\nmode = \"staging\"\n";
    let check = |path: &str| {
        format!(
            "{env}[[environments.checks]]\nname = \"q\"\npath = \"{path}\"\nconditions = [\"[STATUS] == 200\"]\n"
        )
    };
    let config = parse_in(dir.path(), &check("https://queue.internal/health?x=1")).unwrap();
    assert_eq!(
        config.environments[0].checks[0].url,
        "https://queue.internal/health?x=1"
    );
    for path in [
        "api/queue?key=hunter2",
        "mailto:ops@example.com",
        "https://:1/q",
    ] {
        let (line, message) = config_error(parse_in(dir.path(), &check(path)));
        assert_eq!(line, 5, "{path}");
        assert!(
            message.contains("must start with `/` or be an http:// or https:// URL"),
            "{path}: {message}"
        );
        assert!(!message.contains("hunter2"), "{path}: {message}");
    }
}

#[test]
fn a_check_may_not_take_a_built_in_probe_name() {
    // Rounds name each probe by its name: a check called `redis` would read as the Redis probe.
    let dir = tempfile::tempdir().unwrap();
    let text = "[[environments]]\nname = \"prod\"\nbase_url = \"http://h\"\nmode = \"production\"\n\n\
                [[environments.checks]]\nname = \"redis\"\npath = \"/queue\"\nconditions = [\"[STATUS] == 200\"]\n";
    let (_, message) = config_error(parse_in(dir.path(), text));
    assert!(message.contains("built-in probe"), "{message}");
}
