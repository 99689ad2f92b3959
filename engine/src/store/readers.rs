//! Read connections beside the one writer. In WAL mode any number of readers run while the
//! writer writes, so pages and sign-in checks never queue behind a probe round being stored.
//!
//! Connections are opened once and kept (closing a descriptor of the database file would drop
//! this process's POSIX locks on it, see `check_header`), at most `MAX_READERS` at a time.
//! They are opened read-write without CREATE and then set `query_only`: a read-only handle
//! cannot take part in the WAL index while the writer checkpoints and fails now and then
//! with "disk I/O error", and `query_only` still refuses any write made through them.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// Two cores serve the console; a few readers keep both busy while one waits on the disk.
const MAX_READERS: usize = 4;

pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

impl Readers {
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::with_capacity(MAX_READERS)),
            permits: Arc::new(Semaphore::new(MAX_READERS)),
        }
    }

    /// Runs `f` with a read connection on the blocking pool.
    pub(super) async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| Error::DatabaseState {
                context: "read".into(),
                message: e.to_string(),
            })?;
        let readers = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = readers
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .pop();
            let conn = match taken {
                Some(conn) => conn,
                None => open_reader(&readers.path)?,
            };
            let result = f(&conn);
            readers
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(conn);
            result
        })
        .await
        .map_err(|e| Error::DatabaseState {
            context: "read task".into(),
            message: e.to_string(),
        })?
    }
}

fn open_reader(path: &std::path::Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::db(format!("open {} for reading", path.display()), e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| Error::db("set busy timeout", e))?;
    // A reader's page cache of 512 KiB instead of SQLite's 2 MiB: the readers refresh cards
    // and answer engineers' queries, each reading a few index pages, while the file system
    // keeps the file cached for all of them; four full caches were 6–10 MiB of the
    // console's peak memory.
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -512;")
        .map_err(|e| Error::db("set up the read connection", e))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use crate::error::Error;

    #[tokio::test]
    async fn a_read_connection_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let err = store
            .read(|c| {
                c.execute("DELETE FROM instance", [])
                    .map_err(|e| Error::db("delete", e))
            })
            .await
            .expect_err("a read connection must not write");
        assert!(err.to_string().contains("readonly"), "{err}");
    }

    #[tokio::test]
    async fn a_read_sees_what_the_writer_committed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|c| {
                c.execute(
                    "INSERT INTO instance (key, value) VALUES ('probe-test', 'seen')",
                    [],
                )
                .map_err(|e| Error::db("insert", e))
            })
            .await
            .unwrap();
        let seen = store
            .read(|c| super::super::instance_fact(c, "probe-test"))
            .await
            .unwrap();
        assert_eq!(seen.as_deref(), Some("seen"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_go_on_while_the_writer_is_held() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let writer = store.clone();
        let holding = tokio::spawn(async move {
            writer
                .write(move |c| {
                    let tx = c.transaction().map_err(|e| Error::db("begin", e))?;
                    tx.execute("INSERT INTO instance (key, value) VALUES ('held', 'x')", [])
                        .map_err(|e| Error::db("insert", e))?;
                    held_tx.send(()).ok();
                    release_rx.recv().ok();
                    tx.commit().map_err(|e| Error::db("commit", e))
                })
                .await
        });
        tokio::task::spawn_blocking(move || held_rx.recv().unwrap())
            .await
            .unwrap();
        // The writer holds its lock and an open write transaction; a read still answers.
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            store.read(|c| super::super::instance_fact(c, "created_at")),
        )
        .await
        .expect("a read must not wait for the writer")
        .unwrap();
        assert!(read.is_some());
        release_tx.send(()).unwrap();
        holding.await.unwrap().unwrap();
    }
}
