//! Reading environments' env files (bounded), and the parity report between two of them.

use std::path::Path;

use domain::env_file::EnvFile;
use domain::parity::{ParityReport, parity};

use crate::config::EnvironmentConfig;

/// Env files larger than this are refused unread.
pub const MAX_ENV_FILE: usize = 1024 * 1024;

/// The file's name without its directory, for messages.
pub fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads and parses an env file. The error is a sentence for operators naming the file.
pub async fn read(path: &Path) -> Result<EnvFile, String> {
    let name = display_name(path);
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| format!("{name} cannot be read: {e}"))?
        .len();
    if size > MAX_ENV_FILE as u64 {
        return Err(format!("{name} is larger than 1 MiB; it was not read."));
    }
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| format!("{name} cannot be read: {e}"))?;
    if bytes.len() > MAX_ENV_FILE {
        return Err(format!("{name} is larger than 1 MiB; it was not read."));
    }
    Ok(EnvFile::parse(&String::from_utf8_lossy(&bytes)))
}

/// The parity report between two configured environments' env files.
pub async fn parity_between(
    a: &EnvironmentConfig,
    b: &EnvironmentConfig,
) -> Result<ParityReport, String> {
    let file = |env: &EnvironmentConfig| {
        env.env_file.clone().ok_or_else(|| {
            format!(
                "{} has no env file configured, so there is nothing to compare.",
                env.name
            )
        })
    };
    let (path_a, path_b) = (file(a)?, file(b)?);
    let (file_a, file_b) = tokio::join!(read(&path_a), read(&path_b));
    Ok(parity(a.name.as_str(), &file_a?, b.name.as_str(), &file_b?))
}
