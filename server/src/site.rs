//! Where the compiled site (wasm, JS, CSS, public assets) is served from.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use leptos::config::{Env, LeptosOptions};

/// The name cargo-leptos gives the bundle (`/pkg/greenlight.js`, `.wasm`, `.css`).
pub const OUTPUT_NAME: &str = "greenlight";

/// Picks the site root: an explicit one, else `site/` beside the binary's target profile
/// directory (`target/release/greenlight` → `target/site`, where cargo-leptos writes it), else
/// `target/site` under the current directory.
pub fn resolve_site_root(explicit: Option<&Path>) -> PathBuf {
    if let Some(path) = explicit {
        return path.to_path_buf();
    }
    if let Some(beside) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(|target| target.join("site")))
        .filter(|dir| dir.join("pkg").is_dir())
    {
        return beside;
    }
    PathBuf::from("target/site")
}

pub fn leptos_options(site_root: &Path, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build()
}

/// True when the compiled browser bundle is present; without it pages render but never hydrate.
pub fn bundle_present(site_root: &Path) -> bool {
    site_root
        .join("pkg")
        .join(format!("{OUTPUT_NAME}.wasm"))
        .is_file()
        || site_root
            .join("pkg")
            .join(format!("{OUTPUT_NAME}_bg.wasm"))
            .is_file()
}
