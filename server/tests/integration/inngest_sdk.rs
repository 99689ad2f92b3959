//! The Inngest probe against the real inngest-py SDK (0.5.19, the reference team's version),
//! served by uvicorn in cloud mode: a signed inspection with the right keys is healthy and
//! verified; another event key or signing key in the env file is caught and said plainly.
//!
//! Needs a Python with `inngest==0.5.19`, `fastapi` and `uvicorn`: `scripts/setup.sh test`
//! installs them in tools/python. Without it the test says it was skipped, unless
//! GREENLIGHT_REQUIRE_INNGEST_SDK=1 (set by scripts/test.sh), where it fails instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use domain::probe::ProbeStatus;
use engine::config::ConfigSource;
use engine::probe::Prober;
use engine::{Config, Overrides};

use crate::support;

const SIGNING_KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";
const EVENT_KEY: &str = "greenlight-e2e-event-key";

fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        std::env::var_os("GREENLIGHT_TEST_PYTHON").map(PathBuf::from),
        Some(root.join("tools/python/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", "import inngest, fastapi, uvicorn; assert inngest.__version__ == '0.5.19' if hasattr(inngest, '__version__') else True"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

struct Uvicorn(Child);

impl Drop for Uvicorn {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve_sdk(python: &Path, port: u16) -> Uvicorn {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let child = Command::new(python)
        .args([
            "-m",
            "uvicorn",
            "inngest_app:app",
            "--host",
            "127.0.0.1",
            "--port",
        ])
        .arg(port.to_string())
        .current_dir(fixtures)
        .env("INNGEST_SIGNING_KEY", SIGNING_KEY)
        .env("INNGEST_EVENT_KEY", EVENT_KEY)
        .env("INNGEST_APP_ID", "greenlight-e2e")
        .env("FUNCTION_COUNT", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("uvicorn starts");
    let server = Uvicorn(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "uvicorn did not listen within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

async fn probe_inngest(port: u16, env_file: &str) -> domain::probe::ProbeOutcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("production.env"), env_file).unwrap();
    let text = format!(
        "[[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"http://127.0.0.1:{port}\"\n\
         env_file = \"production.env\"\ninngest_path = \"/api/inngest\"\nexpected_inngest_functions = 3\n"
    );
    let config = Config::parse(
        &text,
        ConfigSource::File(dir.path().join("greenlight.toml")),
        dir.path(),
        &Overrides::default(),
    )
    .unwrap();
    let report = Prober::default().probe(&config.environments[0]).await;
    report
        .probes
        .into_iter()
        .find(|p| p.probe == domain::probe::ProbeKind::Inngest)
        .expect("an inngest outcome")
}

#[tokio::test]
async fn signed_inspection_of_the_real_sdk_verifies_mode_count_and_keys() {
    let Some(python) = python() else {
        assert!(
            std::env::var("GREENLIGHT_REQUIRE_INNGEST_SDK").as_deref() != Ok("1"),
            "inngest-py 0.5.19 with fastapi and uvicorn is required here: run scripts/setup.sh test"
        );
        eprintln!(
            "skipped: no Python with inngest-py 0.5.19, fastapi and uvicorn (scripts/setup.sh test installs them in tools/python)"
        );
        return;
    };
    let port = support::free_port();
    let _sdk = serve_sdk(&python, port);

    let good = probe_inngest(
        port,
        &format!("INNGEST_SIGNING_KEY={SIGNING_KEY}\nINNGEST_EVENT_KEY={EVENT_KEY}\nINNGEST_APP_ID=greenlight-e2e\n"),
    )
    .await;
    assert_eq!(good.status, ProbeStatus::Healthy, "{good:#?}");
    assert!(
        good.message.contains("Cloud mode, 3 functions, keys match"),
        "{}",
        good.message
    );
    let evidence = good.evidence.to_string();
    assert!(
        !evidence.contains(SIGNING_KEY) && !evidence.contains(EVENT_KEY),
        "{evidence}"
    );

    let other_event_key = probe_inngest(
        port,
        &format!("INNGEST_SIGNING_KEY={SIGNING_KEY}\nINNGEST_EVENT_KEY=another-event-key\n"),
    )
    .await;
    assert_eq!(
        other_event_key.status,
        ProbeStatus::Unhealthy,
        "{other_event_key:#?}"
    );
    assert!(
        other_event_key
            .message
            .contains("runs with another event key than the env file says"),
        "{}",
        other_event_key.message
    );

    let other_signing_key = probe_inngest(
        port,
        &format!("INNGEST_SIGNING_KEY=signkey-prod-ffffffffffffffffffffffffffffffff\nINNGEST_EVENT_KEY={EVENT_KEY}\n"),
    )
    .await;
    assert_eq!(
        other_signing_key.status,
        ProbeStatus::Unhealthy,
        "{other_signing_key:#?}"
    );
    assert!(
        other_signing_key
            .message
            .contains("runs with another signing key than the env file says"),
        "{}",
        other_signing_key.message
    );

    // Without a key: mounted, cloud mode, function count unverified.
    let unsigned = probe_inngest(port, "INNGEST_EVENT_KEY=x\n").await;
    assert_eq!(unsigned.status, ProbeStatus::Degraded, "{unsigned:#?}");
    assert!(
        unsigned
            .message
            .starts_with("Mounted, in cloud mode; the function count is unverified")
    );
}
