//! Randomness, taken in one place: the operating system's source (`getrandom`).

use crate::error::{Error, Result};

/// `N` bytes from the operating system's random source.
pub fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| Error::DatabaseState {
        context: "read random bytes".into(),
        message: e.to_string(),
    })?;
    Ok(buf)
}
