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

/// The file cargo-leptos writes beside the server binary when it hashes the bundle's names
/// (`hash-files = true`): `js: …`, `wasm: …`, `css: …`. Leptos reads it relative to the
/// executable's directory to link `/pkg/greenlight.<hash>.js` and the rest.
const HASH_FILE: &str = "hash.txt";

/// True when the running binary was built with hashed bundle names (its hash file is beside it).
pub fn hashed_names() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(HASH_FILE)))
        .is_some_and(|file| file.is_file())
}

/// The stylesheet's URL: hashed when the build hashed the names.
pub fn stylesheet_href() -> String {
    let hash = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::read_to_string(exe.parent()?.join(HASH_FILE)).ok())
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("css: ").map(|h| h.trim().to_string()))
        });
    match hash {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
        None => format!("/pkg/{OUTPUT_NAME}.css"),
    }
}

pub fn leptos_options(site_root: &Path, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        // Leptos panics on a missing hash file, so hashing is on only when it is there.
        .hash_files(hashed_names())
        .hash_file(std::sync::Arc::<str>::from(HASH_FILE))
        .build()
}

/// True when the compiled browser bundle is present; without it pages render but never hydrate.
pub fn bundle_present(site_root: &Path) -> bool {
    std::fs::read_dir(site_root.join("pkg")).is_ok_and(|dir| {
        dir.flatten().any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(OUTPUT_NAME) && name.ends_with(".wasm")
        })
    })
}

/// `/pkg`: the bundle, served precompressed (`.br`, `.gz` written by `cargo leptos build
/// --release --precompress`) by content negotiation. Hashed names change with their content,
/// so they are cached for a year and never revalidated; unhashed ones are revalidated on
/// every use.
pub fn pkg_service(site_root: &Path) -> axum::Router {
    use axum::http::{HeaderValue, header};
    use tower_http::services::ServeDir;
    use tower_http::set_header::SetResponseHeaderLayer;

    let cache = if hashed_names() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    axum::Router::new()
        .fallback_service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// Pages and API answers are per caller and change with every round: a browser may keep them
/// but must ask again before each use, and no shared cache may keep them at all.
pub async fn no_shared_caching(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("private, no-cache"));
    response
}
