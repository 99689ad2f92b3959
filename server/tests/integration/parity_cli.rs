//! `greenlight parity` on real files and on configured environments.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_greenlight");
const SHARED: &str = "Xq7pL2vN9rT4wY8zK3mB6cF1hJ5dG0sA";

fn files(dir: &std::path::Path) {
    std::fs::write(
        dir.join("staging.env"),
        format!("ENVIRONMENT=staging\nDASHBOARD_AUTH_TOKEN={SHARED}\nREDIS_URL=redis://:pw-one@s:6379/0\nLOG_FORMAT=json\nONLY_STAGING=1\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("production.env"),
        format!("ENVIRONMENT=production\nDASHBOARD_AUTH_TOKEN={SHARED}\nREDIS_URL=redis://:pw-one@p:6379/0\nLOG_FORMAT=text\n"),
    )
    .unwrap();
    std::fs::write(dir.join("clean.env"), "ENVIRONMENT=x\nLOG_FORMAT=json\n").unwrap();
}

#[test]
fn two_files_report_shared_credentials_and_differences_without_printing_secrets() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    let out = Command::new(BIN)
        .args([
            "parity",
            "--env-file",
            "staging.env",
            "--env-file",
            "production.env",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("Parity staging.env vs production.env: differences found"));
    assert!(text.contains("  - DASHBOARD_AUTH_TOKEN\n"), "{text}");
    assert!(
        text.contains("  - REDIS_URL\n"),
        "URL credentials shared: {text}"
    );
    assert!(text.contains("LOG_FORMAT: staging.env=json production.env=text"));
    assert!(!text.contains(SHARED) && !text.contains("pw-one"), "{text}");

    let out = Command::new(BIN)
        .args([
            "parity",
            "--env-file",
            "staging.env",
            "--env-file",
            "production.env",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["only_in_a"], serde_json::json!(["ONLY_STAGING"]));
    assert_eq!(
        json["shared_credentials"],
        serde_json::json!(["DASHBOARD_AUTH_TOKEN", "REDIS_URL"])
    );
    assert!(!json.to_string().contains(SHARED));

    let clean = Command::new(BIN)
        .args([
            "parity",
            "--env-file",
            "clean.env",
            "--env-file",
            "clean.env",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn configured_environments_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path());
    std::fs::write(
        dir.path().join("greenlight.toml"),
        "[[environments]]\nname = \"staging\"\nmode = \"staging\"\nbase_url = \"https://s.example.com\"\nenv_file = \"staging.env\"\n\n\
         [[environments]]\nname = \"production\"\nmode = \"production\"\nbase_url = \"https://p.example.com\"\nenv_file = \"production.env\"\n\n\
         [[environments]]\nname = \"dev\"\nmode = \"development\"\nbase_url = \"http://localhost:8000\"\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["parity", "--config", "greenlight.toml"])
            .args(args)
            .current_dir(dir.path())
            .env_remove("GREENLIGHT_CONFIG")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = run(&["--env", "staging", "--env", "production"]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.starts_with("Parity staging vs production"),
        "{stdout}"
    );

    for (args, expected) in [
        (
            vec!["--env", "staging", "--env", "nope"],
            "no environment named `nope`",
        ),
        (
            vec!["--env", "staging", "--env", "dev"],
            "`dev` has no env_file",
        ),
        (vec!["--env-file", "staging.env"], "give two --env-file"),
        (
            vec!["--env-file", "staging.env", "--env-file", "missing.env"],
            "missing.env cannot be read",
        ),
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
