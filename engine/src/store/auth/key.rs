//! The instance's token key: 32 random bytes in `token.key`, owner-only, created atomically.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub(in crate::store) const KEY_FILE: &str = "token.key";

/// Reads the instance's token key, creating it (32 random bytes, owner-only) on first use.
/// Creation is atomic: the key is written to a private temporary file (`tempfile`, mode 0600)
/// and persisted without clobbering, so two processes opening a new data directory at once
/// (a console and a CLI) never see a half-written key; the one that comes second uses the
/// first one's key.
pub(in crate::store) fn load_or_create_key(data_dir: &Path) -> Result<[u8; 32]> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => bytes.try_into().map_err(|_| Error::DatabaseState {
            context: format!("read {}", path.display()),
            message: "the token key must be exactly 32 bytes; restore it from a backup (deleting it invalidates every token)".into(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = crate::random::bytes::<32>()?;
            let cannot_write = |e| Error::io(format!("cannot write a new key in {}", data_dir.display()), e);
            let mut temp = tempfile::Builder::new()
                .prefix(".token.key.")
                .tempfile_in(data_dir)
                .map_err(cannot_write)?;
            temp.write_all(&key).map_err(cannot_write)?;
            temp.as_file().sync_all().map_err(cannot_write)?;
            match temp.persist_noclobber(&path) {
                Ok(_) => Ok(key),
                // Another process created it first: use theirs.
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create_key(data_dir)
                }
                Err(e) => Err(Error::io(format!("cannot create {}", path.display()), e.error)),
            }
        }
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_racing_to_create_the_key_all_get_the_same_whole_key() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let keys: Vec<[u8; 32]> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| scope.spawn(|| load_or_create_key(dir.path()).unwrap()))
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert!(keys.windows(2).all(|w| w[0] == w[1]));
            let leftovers: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(leftovers, [std::ffi::OsString::from(KEY_FILE)]);
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        load_or_create_key(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
