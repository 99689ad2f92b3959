//! The SQLite store: one file in the data directory, WAL mode, one writer connection.
//!
//! Migrations are SQL files compiled into the binary and applied in order at open, each in its
//! own transaction, recorded in `schema_migrations`. A database written by a newer Greenlight
//! (with migrations this binary does not know) is refused rather than silently misread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

mod day;
mod evidence_cap;
mod import;
pub mod maintenance;
mod readers;
mod replay;
mod samples;
mod slo;

pub mod alerts;
pub mod auth;
pub mod golive;
pub use auth::{AuditEntry, AuditQuery, TokenRow};
pub use import::RollupHour;
pub use replay::{NewRun, RunRow, RunStatus, RunTrigger, StoredCase};
pub use samples::{PruneCounts, ROUND, SamplePoint};

pub const DATABASE_FILE: &str = "greenlight.sqlite3";

/// (version, name, SQL), in order. Append only: never edit a migration that has shipped.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "instance",
        include_str!("../../migrations/0001_instance.sql"),
    ),
    (
        2,
        "replay_runs",
        include_str!("../../migrations/0002_replay_runs.sql"),
    ),
    (
        3,
        "probe_samples",
        include_str!("../../migrations/0003_probe_samples.sql"),
    ),
    (
        4,
        "history_rollups",
        include_str!("../../migrations/0004_history_rollups.sql"),
    ),
    (5, "auth", include_str!("../../migrations/0005_auth.sql")),
    (
        6,
        "golive",
        include_str!("../../migrations/0006_golive.sql"),
    ),
    (
        7,
        "operations",
        include_str!("../../migrations/0007_operations.sql"),
    ),
    (
        8,
        "run_lookups",
        include_str!("../../migrations/0008_run_lookups.sql"),
    ),
];

pub fn latest_schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    /// The one writer. SQLite allows one writer at a time; serialising writes here avoids
    /// SQLITE_BUSY under load instead of retrying it.
    writer: Arc<Mutex<Connection>>,
    /// Read connections beside the writer (WAL): reads never queue behind a write.
    readers: Arc<readers::Readers>,
    /// The key of the keyed token hash (`token.key` in the data directory, mode 0600).
    token_key: Arc<[u8; 32]>,
    /// Kept open for the health check's header reads (see `check_header`).
    header_file: Arc<std::fs::File>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoreInfo {
    pub path: PathBuf,
    pub schema_version: i64,
    pub created_at: String,
    pub size_bytes: u64,
}

impl Store {
    /// Opens (creating when absent) the database in `data_dir` and applies pending migrations.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::io(
                format!("cannot create data directory {}", data_dir.display()),
                e,
            )
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let mut conn = Connection::open(&path)
            .map_err(|e| Error::db(format!("open {}", path.display()), e))?;
        configure_retrying(&conn).map_err(|e| Error::db("configure connection", e))?;
        migrate(&mut conn)?;
        replay::mark_interrupted(&conn)?;
        let token_key = auth::key::load_or_create_key(data_dir)?;
        let header_file = std::fs::File::open(&path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        Ok(Self {
            header_file: Arc::new(header_file),
            readers: Arc::new(readers::Readers::new(path.clone())),
            path,
            writer: Arc::new(Mutex::new(conn)),
            token_key: Arc::new(token_key),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the writer connection on the blocking pool.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let mut conn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn)
        })
        .await
        .map_err(|e| Error::DatabaseState {
            context: "write task".into(),
            message: e.to_string(),
        })?
    }

    /// Runs `f` with one of the read connections on the blocking pool: it sees everything
    /// committed so far and never waits for the writer.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.readers.run(f).await
    }

    /// Proves the database file is usable right now: opens it afresh (read-only, never
    /// creating it) and reads the schema version. Returns how long that took.
    ///
    /// A fresh connection is used on purpose: the writer's open handle would keep working on a
    /// file that was deleted or replaced underneath it, and hide the problem.
    pub async fn check_usable(&self) -> Result<Duration> {
        let path = self.path.clone();
        let file = Arc::clone(&self.header_file);
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            check_header(&path, &file)?;
            // Read-write without CREATE: a deleted file still fails, and unlike a read-only
            // handle it can take part in the WAL index while the writer checkpoints (read-only
            // handles then fail now and then with "disk I/O error"). Nothing is written.
            let conn = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| Error::db("open for health check", e))?;
            conn.busy_timeout(Duration::from_secs(2))
                .map_err(|e| Error::db("set busy timeout", e))?;
            let version = schema_version(&conn)?;
            if version != latest_schema_version() {
                return Err(Error::DatabaseState {
                    context: "health check".into(),
                    message: format!(
                        "schema version is {version}, expected {}",
                        latest_schema_version()
                    ),
                });
            }
            Ok(started.elapsed())
        })
        .await
        .map_err(|e| Error::DatabaseState {
            context: "health check task".into(),
            message: e.to_string(),
        })?
    }

    pub async fn info(&self) -> Result<StoreInfo> {
        let path = self.path.clone();
        self.write(move |conn| {
            let schema_version = schema_version(conn)?;
            let created_at: String = conn
                .query_row(
                    "SELECT value FROM instance WHERE key = 'created_at'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| Error::db("read instance facts", e))?;
            let size_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            Ok(StoreInfo {
                path,
                schema_version,
                created_at,
                size_bytes,
            })
        })
        .await
    }
}

/// The first 16 bytes of every SQLite database. Checked directly because in WAL mode SQLite may
/// serve page 1 from the `-wal` file and not notice that the main file was overwritten.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks the file at `path` is still the one opened and still starts with the SQLite magic.
///
/// The header is read through `file`, a handle kept open since `Store::open`: opening and
/// closing another descriptor on the database file would drop every POSIX lock this process
/// holds on it (closing any descriptor of a file releases the process's locks), and another
/// process (the CLI creating a token) could then take over the WAL and leave this one
/// reading garbage.
fn check_header(path: &Path, file: &std::fs::File) -> Result<()> {
    let cannot_read = |e| {
        Error::io(
            format!("database file {} cannot be read", path.display()),
            e,
        )
    };
    let at_path = std::fs::metadata(path).map_err(cannot_read)?;
    let opened = file.metadata().map_err(cannot_read)?;
    if !same_file(&at_path, &opened) {
        return Err(Error::DatabaseState {
            context: "health check".into(),
            message: format!(
                "{} was replaced by another file while the console runs",
                path.display()
            ),
        });
    }
    let mut header = [0u8; 16];
    read_at(file, &mut header).map_err(cannot_read)?;
    if &header != SQLITE_MAGIC {
        return Err(Error::DatabaseState {
            context: "health check".into(),
            message: format!(
                "{} is not a SQLite database (its header was overwritten)",
                path.display()
            ),
        });
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8]) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, 0)
}

#[cfg(not(unix))]
fn read_at(file: &std::fs::File, buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file;
    f.seek(SeekFrom::Start(0))?;
    f.read_exact(buf)
}

/// Switching a new database to WAL needs a moment of exclusive access, and SQLite answers
/// "database is locked" there without waiting on the busy timeout when another process is
/// opening the same new file: retry for up to 5 s.
fn configure_retrying(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match configure(conn) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // WAL lets readers (health checks, pages) proceed while the writer writes.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "SQLite did not switch to WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
}

fn schema_version(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )
    .map_err(|e| Error::db("read schema version", e))
}

fn migrate(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY NOT NULL,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ) STRICT;",
    )
    .map_err(|e| Error::db("create schema_migrations", e))?;
    let current = schema_version(conn)?;
    if current > latest_schema_version() {
        return Err(Error::DatabaseState {
            context: "migrate".into(),
            message: format!(
                "the database is at schema version {current}, newer than this Greenlight knows ({}); use a newer Greenlight or another data directory",
                latest_schema_version()
            ),
        });
    }
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        // IMMEDIATE takes the write lock first, and the version is read again under it: two
        // processes opening a new data directory at once (a console and a CLI) must not both
        // apply the same migration ("duplicate column").
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| Error::db("begin migration", e))?;
        if schema_version(&tx)? >= version {
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| Error::db(format!("apply migration {version} ({name})"), e))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
            rusqlite::params![version, name],
        )
        .map_err(|e| Error::db("record migration", e))?;
        tx.commit()
            .map_err(|e| Error::db(format!("commit migration {version}"), e))?;
        tracing::info!(version, name, "applied database migration");
    }
    Ok(())
}

/// Reads one optional instance fact; used by tests and the settings page.
pub fn instance_fact(conn: &Connection, key: &str) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM instance WHERE key = ?1", [key], |r| {
        r.get(0)
    })
    .optional()
    .map_err(|e| Error::db("read instance fact", e))
}

/// A stored JSON column read back as the type that wrote it. Greenlight wrote every one of
/// them, so one that does not read is damage, said as such (never replaced by a default).
pub(super) fn json_column<T: serde::de::DeserializeOwned>(
    column: &'static str,
    raw: &str,
) -> rusqlite::Result<T> {
    serde_json::from_str(raw).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{column} is not what Greenlight wrote: {e}").into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_creates_the_directory_applies_migrations_and_uses_wal() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested/data");
        let store = Store::open(&data).unwrap();
        assert!(store.path().is_file());
        let info = store.info().await.unwrap();
        assert_eq!(info.schema_version, latest_schema_version());
        assert!(info.created_at.ends_with('Z'));
        let mode: String = store
            .write(|c| {
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
                    .map_err(|e| Error::db("q", e))
            })
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        store.check_usable().await.unwrap();
    }

    #[test]
    fn processes_opening_a_new_data_directory_at_once_migrate_it_once() {
        for _ in 0..10 {
            let dir = tempfile::tempdir().unwrap();
            let opened: Vec<Result<Store, String>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..6)
                    .map(|_| scope.spawn(|| Store::open(dir.path()).map_err(|e| e.to_string())))
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let errors: Vec<&String> = opened.iter().filter_map(|r| r.as_ref().err()).collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
    }

    #[tokio::test]
    async fn reopening_keeps_data_and_applies_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap().info().await.unwrap();
        drop(Store::open(dir.path()).unwrap());
        let store = Store::open(dir.path()).unwrap();
        let again = store.info().await.unwrap();
        assert_eq!(first.created_at, again.created_at);
        let count: i64 = store
            .write(|c| {
                c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
                    .map_err(|e| Error::db("q", e))
            })
            .await
            .unwrap();
        assert_eq!(count, MIGRATIONS.len() as i64);
        let fact = store
            .write(|c| instance_fact(c, "created_at"))
            .await
            .unwrap();
        assert_eq!(fact.as_deref(), Some(first.created_at.as_str()));
    }

    #[tokio::test]
    async fn a_database_from_a_newer_greenlight_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .write(|c| {
                c.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')",
                    [],
                )
                .map_err(|e| Error::db("q", e))
            })
            .await
            .unwrap();
        drop(store);
        let err = Store::open(dir.path())
            .err()
            .expect("newer schema must be refused");
        assert!(
            err.to_string().contains("newer than this Greenlight knows"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn check_usable_fails_when_the_file_is_overwritten_with_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        std::fs::write(store.path(), vec![0x42; 8192]).unwrap();
        let err = store
            .check_usable()
            .await
            .expect_err("garbage file must be unusable");
        assert!(err.to_string().contains("database"), "{err}");
    }

    #[tokio::test]
    async fn check_usable_fails_when_the_file_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        std::fs::remove_file(store.path()).unwrap();
        assert!(store.check_usable().await.is_err());
    }
}
