//! Canary replays on a schedule of a couple of seconds through the example runner: healthy
//! canaries alert nothing; a runner that starts failing two cases raises the pass-rate-drop
//! alert once, and "resolved" once it is fixed. A sampled canary never counts as a whole run.

use std::path::Path;
use std::time::Duration;

use engine::store::RunTrigger;

use super::receiver::Receiver;

use crate::support::TestApp;

const BROKEN: &str = r#"import io, json, runpy, sys
data = sys.stdin.read()
if json.loads(data)["id"] in ("EX_001", "EX_002"):
    sys.exit(1)
sys.stdin = io.StringIO(data)
runpy.run_path("good_runner.py", run_name="__main__")
"#;

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn canary_events(receiver: &Receiver) -> Vec<(String, String)> {
    receiver
        .received()
        .iter()
        .map(|r| r.json())
        .filter(|b| {
            b["key"]
                .as_str()
                .is_some_and(|k| k.starts_with("canary-drop:"))
        })
        .map(|b| {
            (
                b["event"].as_str().unwrap().to_string(),
                b["key"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn until<T>(secs: u64, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn completed_canaries(app: &TestApp, suite: &str) -> Vec<engine::store::RunRow> {
    app.state
        .store
        .runs_by_trigger(suite, RunTrigger::Canary, "", 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.status == engine::store::RunStatus::Completed)
        .collect()
}

#[tokio::test]
async fn a_canary_drop_alerts_once_and_resolves_when_fixed() {
    let receiver = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        examples().join("golden_set.json"),
        dir.path().join("golden_set.json"),
    )
    .unwrap();
    let good = std::fs::read_to_string(examples().join("runner/example_runner.py")).unwrap();
    std::fs::write(dir.path().join("good_runner.py"), &good).unwrap();
    std::fs::write(dir.path().join("runner.py"), &good).unwrap();
    let channel = receiver.webhook_channel(dir.path());
    let config = format!(
        r#"
[alerts]
attempts = 1

{channel}

[[suites]]
name = "example"
golden_set = "golden_set.json"
min_pass_rate = 0.95
concurrency = 2
case_timeout_secs = 20
runner = {{ kind = "command", command = ["python3", "runner.py"] }}
canary = {{ every = "2s", max_drop_points = 10 }}

[[suites]]
name = "sampled"
golden_set = "golden_set.json"
runner = {{ kind = "command", command = ["python3", "good_runner.py"] }}
canary = {{ every = "3s", cases = 2 }}
"#
    );
    let app = TestApp::spawn_with(&config, dir.path()).await;

    // Two healthy canaries: nothing to say.
    until(60, async || {
        (completed_canaries(&app, "example").await.len() >= 2).then_some(())
    })
    .await;
    assert!(canary_events(&receiver).is_empty());
    let healthy = completed_canaries(&app, "example").await;
    assert!(
        healthy
            .iter()
            .all(|r| r.pass_rate == Some(1.0) && r.selection.is_none()),
        "{healthy:?}"
    );

    // The runner starts failing two of the six cases.
    std::fs::write(dir.path().join("runner.py"), BROKEN).unwrap();
    let got = until(60, async || {
        let e = canary_events(&receiver);
        (!e.is_empty()).then_some(e)
    })
    .await;
    assert_eq!(
        got,
        [("firing".to_string(), "canary-drop:example".to_string())]
    );
    let firing = receiver
        .received()
        .into_iter()
        .map(|r| r.json())
        .find(|b| b["key"] == "canary-drop:example")
        .unwrap();
    assert!(
        firing["reason"].as_str().unwrap().contains("66.7 %"),
        "{firing}"
    );
    // Another broken canary: still the one message.
    let seen = completed_canaries(&app, "example").await.len();
    until(60, async || {
        (completed_canaries(&app, "example").await.len() > seen).then_some(())
    })
    .await;
    assert_eq!(
        canary_events(&receiver).len(),
        1,
        "{:?}",
        canary_events(&receiver)
    );
    let below = receiver
        .received()
        .iter()
        .filter(|r| r.json()["key"] == "canary-min:example")
        .count();
    assert_eq!(below, 1, "below the minimum: one message too");

    // Fixed: resolved, once.
    std::fs::write(dir.path().join("runner.py"), &good).unwrap();
    let got = until(60, async || {
        let e = canary_events(&receiver);
        (e.len() >= 2).then_some(e)
    })
    .await;
    assert_eq!(
        got[1],
        ("resolved".to_string(), "canary-drop:example".to_string())
    );

    // Canary runs never overlapped: each started after the one before had finished.
    let mut runs = completed_canaries(&app, "example").await;
    runs.reverse();
    for pair in runs.windows(2) {
        assert!(
            pair[1].started_at >= *pair[0].finished_at.as_ref().unwrap(),
            "{pair:?}"
        );
    }
    // The sampled suite's canaries ran two cases each and are never a whole run (step 10).
    let sampled = completed_canaries(&app, "sampled").await;
    assert!(!sampled.is_empty());
    assert!(
        sampled.iter().all(|r| r.total_cases == 2
            && r.selection
                .as_deref()
                .is_some_and(|s| s.starts_with("2 of 6 cases"))),
        "{sampled:?}"
    );
    assert!(
        app.state
            .store
            .latest_whole_run("sampled")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.state
            .store
            .latest_whole_run("example")
            .await
            .unwrap()
            .is_some()
    );

    // The Replays page's canary data.
    let canaries = app.post_json("/api/replay/canaries", &[]).await;
    let example = canaries
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["suite"] == "example")
        .unwrap();
    assert_eq!(example["schedule"], "every 2 seconds");
    assert!(
        example["runs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["canary"] == true)
    );
    app.stop().await.unwrap();
}
