//! One contract for every alert channel, each against its real receiver: a firing and a
//! resolved message arrive in the channel's own format; a receiver that fails, is gone or
//! redirects is a failure in words, and no error holds the channel's secret.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use domain::alert::{Alert, Event, Notification, Rule};
use engine::alerts::channels::{self, Channel};
use engine::config::{ChannelConfig, ChannelKind, ChannelSecret, EmailConfig, SmtpSecurity};
use engine::tls::TrustedRoots;

use super::receiver::{Answer, Receiver};

const SECRET: &str = "whsec-0123456789abcdef-very-secret";
const ROUTING_KEY: &str = "R0UT1NGKEY0123456789abcdefabcdef";
const SLACK_TOKEN: &str = "T000/B000/XXXXslacksecretXXXX";

fn notification(event: Event) -> Notification {
    Notification {
        alert: Alert {
            key: "readiness:production".into(),
            rule: Rule::ReadinessDown,
            environment: Some("production".into()),
            title: "production is not ready".into(),
            reason: "production is not ready for 2 rounds in a row. readiness: answered 503 <redis down> & more".into(),
            path: "/environments/production".into(),
        },
        event,
        opened_unix: 1_800_000_000.0,
        sent_unix: 1_800_000_060.0,
        url: Some("https://greenlight.example.com/environments/production".into()),
    }
}

/// Secrets in an env file, as a team would keep them.
fn secrets(dir: &Path, pairs: &[(&str, String)]) -> PathBuf {
    let path = dir.join("alerts.env");
    let text: String = pairs.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn secret(file: &Path, key: &str) -> ChannelSecret {
    ChannelSecret::EnvFile {
        path: file.to_path_buf(),
        key: key.into(),
    }
}

fn build(kind: ChannelKind, roots: &TrustedRoots) -> Arc<dyn Channel> {
    channels::build(
        &[ChannelConfig {
            name: "under-test".into(),
            kind,
        }],
        roots,
    )
    .pop()
    .unwrap()
}

/// The contract every HTTP channel keeps. `check` looks at what arrived for one message.
async fn http_contract(
    receiver: &Receiver,
    channel: Arc<dyn Channel>,
    secret_text: &str,
    check: impl Fn(&super::receiver::Received, Event),
) {
    for event in [Event::Firing, Event::Resolved] {
        let before = receiver.received().len();
        channel.send(&notification(event)).await.expect("delivered");
        let got = receiver.received();
        assert_eq!(got.len(), before + 1, "one request per message");
        check(got.last().unwrap(), event);
    }
    receiver.answer(Answer::Fail);
    let err = channel
        .send(&notification(Event::Firing))
        .await
        .unwrap_err();
    assert!(err.contains("500"), "{err}");
    assert!(
        !err.contains(secret_text),
        "the error holds no secret: {err}"
    );
    receiver.answer(Answer::Redirect);
    let count = receiver.received().len();
    let err = channel
        .send(&notification(Event::Firing))
        .await
        .unwrap_err();
    assert!(err.contains("redirect"), "{err}");
    assert_eq!(
        receiver.received().len(),
        count + 1,
        "the redirect is not followed"
    );
    receiver.answer(Answer::Ok);
}

async fn gone_channel_fails_in_words(kind: ChannelKind, secret_text: &str) {
    let err = build(kind, &TrustedRoots::default())
        .send(&notification(Event::Firing))
        .await
        .unwrap_err();
    assert!(err.contains("cannot connect"), "{err}");
    assert!(!err.contains(secret_text), "{err}");
}

fn closed_port_url(path: &str) -> String {
    format!("http://127.0.0.1:{}{path}", crate::support::free_port())
}

#[tokio::test]
async fn webhook_messages_are_signed_json_of_the_documented_schema() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/hooks/greenlight?token={SECRET}", receiver.base);
    let file = secrets(
        dir.path(),
        &[("HOOK_URL", url), ("HOOK_SECRET", SECRET.into())],
    );
    let kind = ChannelKind::Webhook {
        url: secret(&file, "HOOK_URL"),
        secret: secret(&file, "HOOK_SECRET"),
    };
    http_contract(
        &receiver,
        build(kind, &TrustedRoots::default()),
        SECRET,
        |got, event| {
            use hmac::{Hmac, Mac};
            let timestamp = got.headers["x-greenlight-timestamp"].to_str().unwrap();
            assert_eq!(timestamp, "1800000060");
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
            mac.update(format!("{timestamp}.").as_bytes());
            mac.update(&got.body);
            let expected: String = mac
                .finalize()
                .into_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                got.headers["x-greenlight-signature"].to_str().unwrap(),
                format!("sha256={expected}")
            );
            let body = got.json();
            assert_eq!(body["schema"], "greenlight.alert/v1");
            assert_eq!(body["event"], event.as_str());
            assert_eq!(body["key"], "readiness:production");
            assert_eq!(body["rule"], "readiness_down");
            assert_eq!(body["severity"], "page");
            assert_eq!(body["environment"], "production");
            assert_eq!(body["opened_at"], "2027-01-15T08:00:00.000000+00:00");
            assert!(body["reason"].as_str().unwrap().contains("503"));
            assert_eq!(got.headers["content-type"], "application/json");
        },
    )
    .await;
    let file = secrets(
        dir.path(),
        &[
            ("HOOK_URL", closed_port_url("/x")),
            ("HOOK_SECRET", SECRET.into()),
        ],
    );
    gone_channel_fails_in_words(
        ChannelKind::Webhook {
            url: secret(&file, "HOOK_URL"),
            secret: secret(&file, "HOOK_SECRET"),
        },
        SECRET,
    )
    .await;
}

#[tokio::test]
async fn slack_messages_are_block_kit_with_the_reason_and_a_link() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = secrets(
        dir.path(),
        &[(
            "SLACK_URL",
            format!("{}/services/{SLACK_TOKEN}", receiver.base),
        )],
    );
    let kind = ChannelKind::Slack {
        url: secret(&file, "SLACK_URL"),
    };
    http_contract(
        &receiver,
        build(kind, &TrustedRoots::default()),
        SLACK_TOKEN,
        |got, event| {
            assert_eq!(got.path, format!("/services/{SLACK_TOKEN}"));
            let body = got.json();
            let blocks = body["blocks"].as_array().unwrap();
            assert_eq!(blocks[0]["type"], "header");
            let header = blocks[0]["text"]["text"].as_str().unwrap();
            match event {
                Event::Firing => assert_eq!(header, "[FIRING] production is not ready"),
                _ => assert_eq!(header, "[RESOLVED] production is not ready"),
            }
            let section = blocks[1]["text"]["text"].as_str().unwrap();
            assert!(
                section.contains("&lt;redis down&gt; &amp; more"),
                "mrkdwn escaped: {section}"
            );
            let button = blocks.iter().find(|b| b["type"] == "actions").unwrap();
            assert_eq!(
                button["elements"][0]["url"],
                "https://greenlight.example.com/environments/production"
            );
            assert!(
                body["text"].as_str().unwrap().starts_with('['),
                "a plain-text fallback"
            );
        },
    )
    .await;
    let file = secrets(
        dir.path(),
        &[(
            "SLACK_URL",
            closed_port_url(&format!("/services/{SLACK_TOKEN}")),
        )],
    );
    gone_channel_fails_in_words(
        ChannelKind::Slack {
            url: secret(&file, "SLACK_URL"),
        },
        SLACK_TOKEN,
    )
    .await;
}

#[tokio::test]
async fn pagerduty_triggers_and_resolves_by_dedup_key() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = secrets(dir.path(), &[("PD_KEY", ROUTING_KEY.into())]);
    let kind = ChannelKind::PagerDuty {
        routing_key: secret(&file, "PD_KEY"),
        events_url: format!("{}/v2/enqueue", receiver.base),
    };
    http_contract(
        &receiver,
        build(kind, &TrustedRoots::default()),
        ROUTING_KEY,
        |got, event| {
            assert_eq!(got.path, "/v2/enqueue");
            let body = got.json();
            assert_eq!(body["routing_key"], ROUTING_KEY);
            assert_eq!(body["dedup_key"], "greenlight:readiness:production");
            match event {
                Event::Firing => {
                    assert_eq!(body["event_action"], "trigger");
                    assert_eq!(body["payload"]["severity"], "critical");
                    assert_eq!(body["payload"]["source"], "greenlight");
                    assert_eq!(body["payload"]["component"], "production");
                    assert!(
                        body["payload"]["summary"]
                            .as_str()
                            .unwrap()
                            .starts_with("production is not ready: ")
                    );
                    assert_eq!(
                        body["links"][0]["href"],
                        "https://greenlight.example.com/environments/production"
                    );
                }
                _ => {
                    assert_eq!(body["event_action"], "resolve");
                    assert!(body.get("payload").is_none());
                }
            }
        },
    )
    .await;
    gone_channel_fails_in_words(
        ChannelKind::PagerDuty {
            routing_key: secret(&file, "PD_KEY"),
            events_url: closed_port_url("/v2/enqueue"),
        },
        ROUTING_KEY,
    )
    .await;
}

#[tokio::test]
async fn a_missing_secret_is_named_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let file = secrets(dir.path(), &[("OTHER", "x".into())]);
    let err = build(
        ChannelKind::Slack {
            url: secret(&file, "SLACK_URL"),
        },
        &TrustedRoots::default(),
    )
    .send(&notification(Event::Firing))
    .await
    .unwrap_err();
    assert!(err.contains("has no value for SLACK_URL"), "{err}");
    let err = build(
        ChannelKind::Slack {
            url: ChannelSecret::Env("GREENLIGHT_TEST_UNSET_VAR".into()),
        },
        &TrustedRoots::default(),
    )
    .send(&notification(Event::Firing))
    .await
    .unwrap_err();
    assert_eq!(
        err,
        "environment variable GREENLIGHT_TEST_UNSET_VAR is not set"
    );
}

/// A Python with aiosmtpd (scripts/setup.sh test puts one in tools/python).
fn python_with_aiosmtpd() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        std::env::var_os("GREENLIGHT_TEST_PYTHON").map(PathBuf::from),
        Some(root.join("tools/python/bin/python")),
    ]
    .into_iter()
    .flatten()
    .find(|p| {
        Command::new(p)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

struct SmtpSink {
    child: Child,
    port: u16,
    out: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    fn start(python: &Path, extra: &[String]) -> Self {
        let port = crate::support::free_port();
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smtp_sink.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(out.path())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the SMTP sink starts");
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP sink started");
        Self { child, port, out }
    }

    fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }
}

#[tokio::test]
async fn email_goes_over_starttls_with_a_password_and_refusals_are_failures() {
    let Some(python) = python_with_aiosmtpd() else {
        assert!(
            std::env::var("GREENLIGHT_REQUIRE_SMTP_SINK").as_deref() != Ok("1"),
            "aiosmtpd is required here: run scripts/setup.sh test"
        );
        eprintln!(
            "skipped: no Python with aiosmtpd (scripts/setup.sh test installs it in tools/python)"
        );
        return;
    };
    let ca = crate::support::tls::TestCa::new();
    let password = "smtp-pa55word-secret";
    let sink = SmtpSink::start(
        &python,
        &[
            "--starttls".into(),
            ca.server_cert().display().to_string(),
            ca.server_key().display().to_string(),
            "--auth".into(),
            "alerts".into(),
            password.into(),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = secrets(
        dir.path(),
        &[
            ("SMTP_USER", "alerts".into()),
            ("SMTP_PASSWORD", password.into()),
        ],
    );
    let roots = TrustedRoots::load(&ca.ca_file()).unwrap();
    let email = |to: &str, security: SmtpSecurity, password_key: &str| {
        ChannelKind::Email(EmailConfig {
            host: "127.0.0.1".into(),
            port: sink.port,
            security,
            from: "Greenlight <greenlight@example.com>".into(),
            to: vec![to.into()],
            username: Some(secret(&file, "SMTP_USER")),
            password: Some(secret(&file, password_key)),
        })
    };
    let channel = build(
        email(
            "oncall@example.com",
            SmtpSecurity::Starttls,
            "SMTP_PASSWORD",
        ),
        &roots,
    );
    channel
        .send(&notification(Event::Firing))
        .await
        .expect("delivered over STARTTLS");
    channel
        .send(&notification(Event::Resolved))
        .await
        .expect("delivered");
    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[0].contains("Subject: [FIRING] production is not ready"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("To: oncall@example.com"));
    assert!(
        messages[0]
            .contains("Open in Greenlight: https://greenlight.example.com/environments/production")
    );
    assert!(messages[1].contains("Subject: [RESOLVED] production is not ready"));

    // The server refuses the recipient: a failure, in words, without the password.
    let err = build(
        email(
            "reject@example.com",
            SmtpSecurity::Starttls,
            "SMTP_PASSWORD",
        ),
        &roots,
    )
    .send(&notification(Event::Firing))
    .await
    .unwrap_err();
    assert!(err.contains("550"), "{err}");
    assert!(!err.contains(password), "{err}");
    // Without the test CA, STARTTLS does not trust the server: nothing is sent in clear.
    let err = build(
        email(
            "oncall@example.com",
            SmtpSecurity::Starttls,
            "SMTP_PASSWORD",
        ),
        &TrustedRoots::default(),
    )
    .send(&notification(Event::Firing))
    .await
    .unwrap_err();
    assert!(!err.contains(password), "{err}");
    // Refusing to go without TLS: the server requires STARTTLS before AUTH.
    let err = build(
        email("oncall@example.com", SmtpSecurity::None, "SMTP_PASSWORD"),
        &roots,
    )
    .send(&notification(Event::Firing))
    .await
    .unwrap_err();
    assert!(!err.contains(password), "{err}");
    assert_eq!(sink.messages().len(), 2, "nothing more arrived");
    // The SMTP server gone.
    drop(sink);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = channel
        .send(&notification(Event::Firing))
        .await
        .unwrap_err();
    assert!(!err.contains(password), "{err}");
}

/// The delivery behind every channel: a receiver that fails is tried again after the backoff,
/// each attempt recorded; a message that never gets through is marked failed with its reason.
#[tokio::test]
async fn failed_deliveries_are_retried_with_backoff_and_stored() {
    use domain::alert::DeliveryState;
    use engine::alerts::Alerter;
    use engine::config::AlertsConfig;

    let receiver = Receiver::start().await;
    receiver.answer(Answer::Fail);
    let dir = tempfile::tempdir().unwrap();
    let file = secrets(
        dir.path(),
        &[
            ("HOOK_URL", format!("{}/hook", receiver.base)),
            ("HOOK_SECRET", SECRET.into()),
        ],
    );
    let config = AlertsConfig {
        attempts: 3,
        retry_base: Duration::from_secs(1),
        channels: vec![ChannelConfig {
            name: "ops".into(),
            kind: ChannelKind::Webhook {
                url: secret(&file, "HOOK_URL"),
                secret: secret(&file, "HOOK_SECRET"),
            },
        }],
        ..AlertsConfig::default()
    };
    let store = engine::Store::open(dir.path()).unwrap();
    let alerter = Alerter::new(&config, &TrustedRoots::default(), Arc::default());
    let first = notification(Event::Firing).alert;
    let started = std::time::Instant::now();
    alerter
        .reconcile(&store, |_| true, vec![first], 1_800_000_000.0)
        .await
        .unwrap();

    // The first attempt fails; the receiver comes back before the second (1 s later).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while receiver.received().is_empty() {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    receiver.answer(Answer::Ok);
    let delivery = loop {
        let d = store.recent_deliveries(10).await.unwrap().remove(0);
        if d.state != DeliveryState::Pending {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "{d:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        (delivery.state, delivery.attempts),
        (DeliveryState::Delivered, 2)
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for the backoff"
    );
    assert_eq!(receiver.received().len(), 2);

    // Always failing: three attempts (waits of 1 s and 2 s), then failed with the reason.
    receiver.answer(Answer::Fail);
    alerter
        .reconcile(&store, |_| true, vec![], 1_800_000_100.0)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let failed = loop {
        let d = store.recent_deliveries(10).await.unwrap().remove(0);
        if d.state != DeliveryState::Pending {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "{d:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(failed.notification.event, Event::Resolved);
    assert_eq!((failed.state, failed.attempts), (DeliveryState::Failed, 3));
    assert!(
        failed.error.as_deref().unwrap().contains("500"),
        "{failed:?}"
    );
    assert_eq!(receiver.received().len(), 5);
}
