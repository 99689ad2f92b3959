//! Helpers for the fixture conformance tests.

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
