use std::path::Path;

use crate::config::{
    ChannelKind, ChannelSecret, Config, Overrides, Schedule, Selection, SmtpSecurity,
};
use crate::error::{Error, Result};

const ENV: &str = "[[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"https://p.example.com\"\n\
[[environments.checks]]\nname = \"queue\"\npath = \"/q\"\nconditions = [\"[STATUS] == 200\"]\nrelease = true\n";

fn parse(dir: &Path, text: &str) -> Result<Config> {
    let file = dir.join("greenlight.toml");
    std::fs::write(&file, text).unwrap();
    Config::load(Some(&file), &Overrides::default())
}

fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    match parse(dir.path(), text) {
        Err(Error::Config { message, .. }) => message,
        Err(other) => panic!("expected a config error, got {other}"),
        Ok(_) => panic!("expected a config error for:\n{text}"),
    }
}

#[test]
fn slos_maintenance_alerts_and_canaries_parse() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), "[]").unwrap();
    let text = format!(
        "{ENV}[[environments.slos]]\nname = \"uptime\"\nkind = \"readiness\"\ntarget_percent = 99.9\n\
[[environments.slos]]\nname = \"q\"\nkind = \"check\"\ncheck = \"queue\"\ntarget_percent = 99\nwindow_days = 7\n\
[[maintenance]]\nenvironment = \"production\"\nstart = \"2026-12-24T22:00:00Z\"\nend = \"2026-12-25T02:00:00Z\"\nreason = \"db\"\n\
[alerts]\nrenotify_minutes = 30\n\
[[alerts.channels]]\nname = \"mail\"\nkind = \"email\"\nsmtp_host = \"smtp.example.com\"\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]\npassword = {{ from_env = \"P\" }}\nusername = {{ from_env_file = \"alerts.env\", key = \"U\" }}\n\
[[suites]]\nname = \"s\"\ngolden_set = \"g.json\"\nrunner = {{ kind = \"command\", command = [\"true\"] }}\ncanary = {{ cron = \"*/30 * * * *\", cases = 5 }}\n"
    );
    let config = parse(dir.path(), &text).unwrap();
    let env = &config.environments[0];
    assert!(env.checks[0].release);
    assert_eq!(env.slos.len(), 2);
    assert!((env.slos[0].target - 0.999).abs() < 1e-12);
    assert_eq!(env.slos[1].window_secs, 7.0 * 86_400.0);
    assert_eq!(
        config.maintenance[0].end_unix.unwrap() - config.maintenance[0].start_unix,
        4.0 * 3_600.0
    );
    assert_eq!(config.alerts.renotify.as_secs(), 1_800);
    let ChannelKind::Email(email) = &config.alerts.channels[0].kind else {
        panic!()
    };
    assert_eq!((email.port, email.security), (587, SmtpSecurity::Starttls));
    assert_eq!(email.password, Some(ChannelSecret::Env("P".into())));
    assert_eq!(
        email.username,
        Some(ChannelSecret::EnvFile {
            path: dir.path().join("alerts.env"),
            key: "U".into()
        })
    );
    let canary = config.suites[0].canary.as_ref().unwrap();
    assert_eq!(canary.selection, Selection::Sample(5));
    assert!(matches!(canary.schedule, Schedule::Cron(_)));
    // 10:07 → the next half hour, 10:30.
    let at = domain::time::parse_rfc3339_utc("2026-12-03T10:07:00Z").unwrap();
    let next = canary.schedule.next_after(at).unwrap();
    assert_eq!(next - at, 23.0 * 60.0);
}

#[test]
fn a_secret_in_the_config_text_is_refused_saying_where_it_goes() {
    for text in [
        format!(
            "{ENV}[[alerts.channels]]\nname = \"s\"\nkind = \"slack\"\nwebhook_url = \"https://hooks.slack.com/services/T/B/SECRET\"\n"
        ),
        format!(
            "{ENV}[alerts]\nchannels = [{{ name = \"s\", kind = \"slack\", webhook_url = \"https://hooks.slack.com/services/T/B/SECRET\" }}]\n"
        ),
    ] {
        let message = refused(&text);
        assert!(message.contains("never goes in the config"), "{message}");
        assert!(
            !message.contains("SECRET"),
            "the echoed line is masked: {message}"
        );
    }
}

#[test]
fn bad_operations_sections_are_refused_in_words() {
    let m = refused(&format!(
        "{ENV}[[environments.slos]]\nname = \"x\"\nkind = \"check\"\ncheck = \"nope\"\ntarget_percent = 99\n"
    ));
    assert!(
        m.contains("check `nope` is not one of this environment's"),
        "{m}"
    );
    let m = refused(&format!(
        "{ENV}[[environments.slos]]\nname = \"x\"\nkind = \"readiness\"\ntarget_percent = 100\n"
    ));
    assert!(m.contains("less than 100"), "{m}");
    let m = refused(&format!(
        "{ENV}[[environments.slos]]\nname = \"x\"\nkind = \"latency\"\ntarget_percent = 95\n"
    ));
    assert!(
        m.contains("kind = \"latency\" with probe and below_ms"),
        "{m}"
    );
    let m = refused(&format!(
        "{ENV}[[maintenance]]\nenvironment = \"staging\"\nstart = \"2026-12-24T22:00:00Z\"\nend = \"2026-12-25T02:00:00Z\"\nreason = \"db\"\n"
    ));
    assert!(m.contains("environment `staging` is not configured"), "{m}");
    let m = refused(&format!(
        "{ENV}[[maintenance]]\nenvironment = \"production\"\nstart = \"tomorrow\"\nend = \"2026-12-25T02:00:00Z\"\nreason = \"db\"\n"
    ));
    assert!(m.contains("is not a UTC time"), "{m}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.json"), "[]").unwrap();
    let suite = |canary: &str| {
        format!(
            "[[suites]]\nname = \"s\"\ngolden_set = \"g.json\"\nrunner = {{ kind = \"command\", command = [\"true\"] }}\ncanary = {canary}\n"
        )
    };
    for (canary, words) in [
        ("{ every = \"soon\" }", "is not a duration"),
        ("{ every = \"1s\" }", "shorter than 2 s"),
        ("{ cron = \"61 * * * *\" }", "is not a cron expression"),
        (
            "{ every = \"5m\", cron = \"* * * * *\" }",
            "exactly one of `every`",
        ),
        (
            "{ every = \"5m\", cases = 3, tag = \"smoke\" }",
            "one of `cases`",
        ),
    ] {
        let err = match parse(dir.path(), &suite(canary)) {
            Err(Error::Config { message, .. }) => message,
            other => panic!("{canary}: {:?}", other.map(|_| ())),
        };
        assert!(err.contains(words), "{canary}: {err}");
    }
}
