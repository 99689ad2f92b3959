//! Server functions, one file per area. Each is thin: take the state from context, call the
//! engine, map the error. They have fixed endpoints so tests and scripts have stable URLs.

pub mod admin;
pub mod replay;
pub mod status;

#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<engine::AppState, crate::AppError> {
    leptos::prelude::use_context::<engine::AppState>().ok_or_else(|| {
        crate::AppError::Unavailable("The console is still starting; try again in a moment.".into())
    })
}

/// A file's name without its directory: pages show which file, not where it lives.
#[cfg(feature = "ssr")]
pub(crate) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
