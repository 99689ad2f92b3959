//! The `greenlight` binary itself: exit codes, refusal of bad configuration, and a clean stop
//! on SIGTERM.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");

#[test]
fn help_lists_serve_and_describes_it() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("serve"), "{text}");
    assert!(text.contains("Release-readiness console"), "{text}");
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--config",
        "--addr",
        "--data-dir",
        "GREENLIGHT_CONFIG",
        "GREENLIGHT_ADDR",
        "GREENLIGHT_DATA_DIR",
    ] {
        assert!(text.contains(flag), "serve --help mentions {flag}: {text}");
    }
}

#[test]
fn an_unknown_command_exits_2() {
    let out = Command::new(BIN).arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_bad_config_is_refused_at_start_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("greenlight.toml");
    std::fs::write(&file, "[server]\naddr = \"127.0.0.1:0\"\n\n[[environments]]\nname = \"s\"\nbase_url = \"http://h\"\nmode = \"prod\"\n").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&file)
        .env("GREENLIGHT_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:7:", file.display())), "{err}");
    assert!(err.contains("key `mode` in [[environments]] #1"), "{err}");
    assert!(
        err.contains("expected one of `development`, `staging`, `production`"),
        "{err}"
    );
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created for a refused config"
    );
}

#[test]
fn a_missing_config_file_is_refused_with_exit_2() {
    let out = Command::new(BIN)
        .args(["serve", "--config", "/nonexistent/greenlight.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/greenlight.toml"));
}

#[test]
fn serve_with_no_config_uses_the_example_workspace_logs_json_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    // A viewer token made with the CLI before the console starts.
    let created = Command::new(BIN)
        .args([
            "token",
            "create",
            "--name",
            "leadership",
            "--role",
            "viewer",
        ])
        .env_remove("GREENLIGHT_CONFIG")
        .env("GREENLIGHT_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let token = String::from_utf8(created.stdout)
        .unwrap()
        .trim()
        .to_string();
    assert!(token.starts_with("glt_"), "{token}");
    let mut child = Command::new(BIN)
        .args(["--log-format", "json", "serve"])
        .env_remove("GREENLIGHT_CONFIG")
        .env("GREENLIGHT_ADDR", format!("127.0.0.1:{port}"))
        .env("GREENLIGHT_DATA_DIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    let body = loop {
        if let Ok(body) = http_get(port, "/api/health/live") {
            break body;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(body.contains("alive"), "{body}");
    // Tokens made with the CLI while the console serves work at once (health.rs checks the
    // console stays ready meanwhile).
    for k in 0..3 {
        let ready = http_get(port, "/api/health/ready").unwrap();
        assert!(ready.contains(" 200 "), "{ready}");
        let created = Command::new(BIN)
            .args([
                "token",
                "create",
                "--name",
                &format!("ci {k}"),
                "--role",
                "engineer",
            ])
            .env_remove("GREENLIGHT_CONFIG")
            .env("GREENLIGHT_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert!(created.status.success(), "{created:?}");
    }
    let anonymous = http_get(port, "/").unwrap();
    assert!(
        anonymous.starts_with("HTTP/1.0 303") || anonymous.starts_with("HTTP/1.1 303"),
        "{anonymous}"
    );
    assert!(
        anonymous.to_lowercase().contains("location: /login?next=/"),
        "{anonymous}"
    );
    let status_page =
        http_get_with(port, "/", &[("Authorization", &format!("Bearer {token}"))]).unwrap();
    assert!(
        status_page.contains("console"),
        "the example environment is listed"
    );
    assert!(
        dir.path().join("greenlight.sqlite3").is_file(),
        "database created in the data dir"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "server did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "clean exit on SIGTERM, got {status:?}");

    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let parsed: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(parsed.get("level").is_some(), "{line}");
    }
    assert!(logs.contains("received SIGTERM"), "{logs}");
    // No admin yet (the CLI made a viewer): the one-time setup link is logged.
    assert!(
        logs.contains(&format!("Open http://127.0.0.1:{port}/setup?code=")),
        "{logs}"
    );
    assert!(
        !logs.contains(&token[17..]),
        "the token never reaches the log"
    );
    assert!(logs.contains("Greenlight stopped"), "{logs}");
}

/// A minimal HTTP/1.0 GET over a socket, so this test needs no async runtime.
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    http_get_with(port, path, &[])
}

fn http_get_with(port: u16, path: &str, headers: &[(&str, &str)]) -> std::io::Result<String> {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: localhost\r\n{extra}\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}
