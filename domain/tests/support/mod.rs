//! Helpers for the fixture conformance tests and the comparisons with CPython.
#![allow(dead_code)] // each test binary uses part of it

pub mod json_keys;
pub mod json_schema;

use std::path::PathBuf;

/// The shared fixtures directory (`../shared/fixtures` from the workspace root), or `None`
/// after saying the test is skipped, when this checkout has no fixtures beside it.
pub fn fixtures_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures"
    ));
    if dir.join("caio").is_dir() {
        Some(dir)
    } else {
        eprintln!("{test}: skipped because ../shared/fixtures is absent");
        None
    }
}

pub fn read(dir: &std::path::Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("caio").join(name))
        .unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// The stdout of `python3 -c SCRIPT`; `None`, saying the test is skipped, when there is no
/// `python3`. A script that fails fails the test.
pub fn python_output(script: &str) -> Option<Vec<u8>> {
    match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
    {
        Ok(output) if output.status.success() => Some(output.stdout),
        Ok(output) => panic!(
            "python3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => {
            eprintln!("skipped: python3 is not available ({error})");
            None
        }
    }
}
