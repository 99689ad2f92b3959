//! Tokens, sessions and the audit log in SQLite.

use std::path::Path;

use domain::auth::{PresentedToken, Principal, Role, SessionPolicy, hex, session_key};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::{Error, Result};

const KEY_FILE: &str = "token.key";

/// Fills `buf` from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| Error::DatabaseState {
        context: "read random bytes".into(),
        message: e.to_string(),
    })?;
    Ok(buf)
}

/// Reads the instance's token key, creating it (32 random bytes, owner-only) on first use.
/// Creation is atomic: the key is written to a private temporary file and hard-linked into
/// place, so two processes opening a new data directory at once (a console and a CLI) never
/// see a half-written key; the one that links second uses the first one's key.
pub(super) fn load_or_create_key(data_dir: &Path) -> Result<[u8; 32]> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => bytes.try_into().map_err(|_| Error::DatabaseState {
            context: format!("read {}", path.display()),
            message: "the token key must be exactly 32 bytes; restore it from a backup (deleting it invalidates every token)".into(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = random_bytes::<32>()?;
            let temp = data_dir.join(format!(
                ".{KEY_FILE}.{}.{}",
                std::process::id(),
                hex(&random_bytes::<4>()?)
            ));
            write_private(&temp, &key)
                .map_err(|e| Error::io(format!("cannot write {}", temp.display()), e))?;
            let linked = std::fs::hard_link(&temp, &path);
            let _ = std::fs::remove_file(&temp);
            match linked {
                Ok(()) => Ok(key),
                // Another process created it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create_key(data_dir)
                }
                Err(e) => Err(Error::io(format!("cannot create {}", path.display()), e)),
            }
        }
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), e)),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A token as listed (the domain's record).
pub type TokenRow = domain::auth::TokenRecord;

/// One audit record (the domain's).
pub type AuditEntry = domain::auth::AuditRecord;

/// Filters for reading the audit log; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub since_unix: Option<f64>,
    /// Rows at most (default 1,000, never more than 100,000).
    pub limit: Option<u32>,
    /// Only rows older than this id (the next page, newest first).
    pub before_id: Option<i64>,
    /// Only rows newer than this id (the next page, oldest first).
    pub after_id: Option<i64>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

pub fn now_unix() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

fn role_of(text: &str) -> rusqlite::Result<Role> {
    text.parse::<Role>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl Store {
    /// Creates a token and returns it with the text to show once. Only its keyed hash is kept.
    pub async fn create_token(&self, name: &str, role: Role) -> Result<(TokenRow, String)> {
        let token = PresentedToken::from_random(random_bytes()?, random_bytes()?);
        let hash = token.keyed_hash(&self.token_key[..]);
        let row = TokenRow {
            id: token.id.clone(),
            name: name.to_string(),
            role,
            created_unix: now_unix(),
            revoked_unix: None,
            last_used_unix: None,
        };
        let insert = row.clone();
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO api_tokens (id, name, role, secret_hash, created_unix) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![insert.id, insert.name, insert.role.as_str(), hash, insert.created_unix],
            )
            .map_err(|e| Error::db("create token", e))?;
            Ok(())
        })
        .await?;
        Ok((row, token.reveal()))
    }

    pub async fn list_tokens(&self) -> Result<Vec<TokenRow>> {
        self.write(|conn| {
            let mut stmt = conn
                .prepare("SELECT id, name, role, created_unix, revoked_unix, last_used_unix FROM api_tokens ORDER BY created_unix, id")
                .map_err(|e| Error::db("list tokens", e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(TokenRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        role: role_of(&r.get::<_, String>(2)?)?,
                        created_unix: r.get(3)?,
                        revoked_unix: r.get(4)?,
                        last_used_unix: r.get(5)?,
                    })
                })
                .map_err(|e| Error::db("list tokens", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("list tokens", e))
        })
        .await
    }

    /// True when an unrevoked admin token exists.
    pub async fn has_admin(&self) -> Result<bool> {
        Ok(self
            .list_tokens()
            .await?
            .iter()
            .any(|t| t.role == Role::Admin && t.revoked_unix.is_none()))
    }

    /// Revokes a token and ends its sessions. False when there is no such live token.
    pub async fn revoke_token(&self, id: &str) -> Result<bool> {
        let id = id.to_string();
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin revoke", e))?;
            let changed = tx
                .execute(
                    "UPDATE api_tokens SET revoked_unix = ?2 WHERE id = ?1 AND revoked_unix IS NULL",
                    params![id, now_unix()],
                )
                .map_err(|e| Error::db("revoke token", e))?;
            tx.execute("DELETE FROM sessions WHERE token_id = ?1", [&id])
                .map_err(|e| Error::db("end sessions", e))?;
            tx.commit().map_err(|e| Error::db("commit revoke", e))?;
            Ok(changed == 1)
        })
        .await
    }

    /// The principal of a presented token text, when it is valid and not revoked. Read on a
    /// read connection; the writer is used only when "last used" is a minute old.
    pub async fn authenticate_token(&self, text: &str) -> Result<Option<Principal>> {
        let Some(token) = PresentedToken::parse(text) else {
            return Ok(None);
        };
        let key = self.token_key.clone();
        let id = token.id.clone();
        let row: Option<(String, String, String, Option<f64>)> = self
            .read(move |conn| {
                conn.query_row(
                    "SELECT name, role, secret_hash, last_used_unix FROM api_tokens WHERE id = ?1 AND revoked_unix IS NULL",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(|e| Error::db("read token", e))
            })
            .await?;
        let Some((name, role, hash, last_used)) = row else {
            return Ok(None);
        };
        if !token.matches(&key[..], &hash) {
            return Ok(None);
        }
        let now = now_unix();
        // At most one write a minute per token: "last used" needs no finer grain, and a
        // write per request would make every API call a database write.
        if last_used.is_none_or(|at| at < now - 60.0) {
            let id = token.id.clone();
            self.write(move |conn| {
                conn.execute(
                    "UPDATE api_tokens SET last_used_unix = ?2 WHERE id = ?1 AND (last_used_unix IS NULL OR last_used_unix < ?2 - 60)",
                    params![id, now],
                )
                .map_err(|e| Error::db("mark token used", e))
            })
            .await?;
        }
        let role = role_of(&role).map_err(|e| Error::db("read token role", e))?;
        Ok(Some(Principal {
            token_id: token.id.clone(),
            name,
            role,
        }))
    }

    /// Starts a browser session for a token; returns the session id for the cookie.
    pub async fn create_session(&self, token_id: &str) -> Result<String> {
        let id = hex(&random_bytes::<32>()?);
        let (key, token_id, now) = (session_key(&id), token_id.to_string(), now_unix());
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO sessions (key, token_id, created_unix, last_seen_unix) VALUES (?1, ?2, ?3, ?3)",
                params![key, token_id, now],
            )
            .map_err(|e| Error::db("create session", e))?;
            Ok(())
        })
        .await?;
        Ok(id)
    }

    /// The principal of a live session (its token not revoked), refreshing its idle timer;
    /// an expired session is deleted. Read on a read connection; the writer is used only to
    /// end an expired session or to move an idle timer that is a minute old.
    pub async fn session_principal(
        &self,
        session_id: &str,
        policy: SessionPolicy,
        now: f64,
    ) -> Result<Option<Principal>> {
        let key = session_key(session_id);
        let lookup = key.clone();
        let row: Option<(f64, f64, String, String, String)> = self
            .read(move |conn| {
                conn.query_row(
                    "SELECT s.created_unix, s.last_seen_unix, t.id, t.name, t.role FROM sessions s
                     JOIN api_tokens t ON t.id = s.token_id AND t.revoked_unix IS NULL WHERE s.key = ?1",
                    [&lookup],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()
                .map_err(|e| Error::db("read session", e))
            })
            .await?;
        let Some((created, last_seen, token_id, name, role)) = row else {
            return Ok(None);
        };
        if !policy.is_live(created, last_seen, now) {
            self.write(move |conn| {
                conn.execute("DELETE FROM sessions WHERE key = ?1", [&key])
                    .map_err(|e| Error::db("end session", e))
            })
            .await?;
            return Ok(None);
        }
        // The idle timer moves in steps of up to a minute, so a busy page does not write
        // on every request.
        if last_seen < now - 60.0 {
            self.write(move |conn| {
                conn.execute(
                    "UPDATE sessions SET last_seen_unix = ?2 WHERE key = ?1 AND last_seen_unix < ?2 - 60",
                    params![key, now],
                )
                .map_err(|e| Error::db("touch session", e))
            })
            .await?;
        }
        let role = role_of(&role).map_err(|e| Error::db("read token role", e))?;
        Ok(Some(Principal {
            token_id,
            name,
            role,
        }))
    }

    pub async fn end_session(&self, session_id: &str) -> Result<()> {
        let key = session_key(session_id);
        self.write(move |conn| {
            conn.execute("DELETE FROM sessions WHERE key = ?1", [key])
                .map_err(|e| Error::db("end session", e))?;
            Ok(())
        })
        .await
    }

    /// Appends to the audit log. `detail` must already be free of secrets.
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        outcome: &str,
        client: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let values = (
            actor.to_string(),
            action.to_string(),
            target.to_string(),
            outcome.to_string(),
            client.to_string(),
            detail.to_string(),
        );
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO audit_log (at_unix, actor, action, target, outcome, client, detail_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![now_unix(), values.0, values.1, values.2, values.3, values.4, values.5],
            )
            .map_err(|e| Error::db("append to the audit log", e))?;
            Ok(())
        })
        .await
    }

    /// Audit entries, newest first.
    /// One page of the audit log (see [`AuditQuery`]), read beside the writer.
    pub async fn audit_entries(&self, query: AuditQuery) -> Result<Vec<AuditEntry>> {
        self.read(move |conn| {
            let order = if query.oldest_first { "ASC" } else { "DESC" };
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT id, at_unix, actor, action, target, outcome, client, detail_json FROM audit_log
                     WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR actor LIKE '%' || ?2 || '%')
                       AND (?3 IS NULL OR at_unix >= ?3) AND (?5 IS NULL OR id < ?5) AND (?6 IS NULL OR id > ?6)
                     ORDER BY id {order} LIMIT ?4"
                ))
                .map_err(|e| Error::db("read the audit log", e))?;
            let limit = i64::from(query.limit.unwrap_or(1_000).min(100_000));
            let rows = stmt
                .query_map(
                    params![
                        query.action,
                        query.actor,
                        query.since_unix,
                        limit,
                        query.before_id,
                        query.after_id
                    ],
                    |r| {
                        let detail: String = r.get(7)?;
                        Ok(AuditEntry {
                            id: r.get(0)?,
                            at_unix: r.get(1)?,
                            actor: r.get(2)?,
                            action: r.get(3)?,
                            target: r.get(4)?,
                            outcome: r.get(5)?,
                            client: r.get(6)?,
                            detail: serde_json::from_str(&detail).unwrap_or_default(),
                        })
                    },
                )
                .map_err(|e| Error::db("read the audit log", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read the audit log", e))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn tokens_authenticate_until_revoked_and_only_a_hash_is_stored() {
        let (dir, store) = store().await;
        assert!(!store.has_admin().await.unwrap());
        let (row, text) = store.create_token("ana", Role::Admin).await.unwrap();
        assert!(store.has_admin().await.unwrap());
        let who = store.authenticate_token(&text).await.unwrap().unwrap();
        assert_eq!((who.name.as_str(), who.role), ("ana", Role::Admin));
        assert_eq!(who.token_id, row.id);
        // Neither the secret nor the whole token is in the database file.
        let secret = text.rsplit('_').next().unwrap();
        let bytes = std::fs::read(store.path()).unwrap();
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(!haystack.contains(secret));
        // Wrong secret, malformed text: refused.
        let mut wrong = text.clone();
        wrong.replace_range(
            wrong.len() - 1..,
            if text.ends_with('0') { "1" } else { "0" },
        );
        assert!(store.authenticate_token(&wrong).await.unwrap().is_none());
        assert!(
            store
                .authenticate_token("glt_nope")
                .await
                .unwrap()
                .is_none()
        );
        // The key file is private.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Sessions die with their token.
        let session = store.create_session(&row.id).await.unwrap();
        let policy = SessionPolicy::default();
        assert!(
            store
                .session_principal(&session, policy, now_unix())
                .await
                .unwrap()
                .is_some()
        );
        assert!(store.revoke_token(&row.id).await.unwrap());
        assert!(
            !store.revoke_token(&row.id).await.unwrap(),
            "already revoked"
        );
        assert!(store.authenticate_token(&text).await.unwrap().is_none());
        assert!(
            store
                .session_principal(&session, policy, now_unix())
                .await
                .unwrap()
                .is_none()
        );
        assert!(!store.has_admin().await.unwrap());
    }

    #[tokio::test]
    async fn sessions_expire_and_end() {
        let (_dir, store) = store().await;
        let (row, _) = store.create_token("op", Role::Operator).await.unwrap();
        let policy = SessionPolicy {
            idle_secs: 120.0,
            absolute_secs: 3_600.0,
        };
        let s = store.create_session(&row.id).await.unwrap();
        let t0 = now_unix();
        let live = |at: f64| {
            let (store, s) = (store.clone(), s.clone());
            async move {
                store
                    .session_principal(&s, policy, t0 + at)
                    .await
                    .unwrap()
                    .is_some()
            }
        };
        assert!(live(30.0).await);
        // The idle timer moves in steps of a minute: refreshed at +90 (not at +30), so still
        // live at +200, and gone after 120 s more of silence.
        assert!(live(90.0).await);
        assert!(live(200.0).await, "refreshed at +90");
        assert!(!live(400.0).await);
        assert!(!live(201.0).await, "deleted once expired");
        // The absolute lifetime ends a session however active it is.
        let busy = store.create_session(&row.id).await.unwrap();
        for at in (100..3_600).step_by(100) {
            assert!(
                store
                    .session_principal(&busy, policy, t0 + f64::from(at))
                    .await
                    .unwrap()
                    .is_some()
            );
        }
        assert!(
            store
                .session_principal(&busy, policy, t0 + 3_650.0)
                .await
                .unwrap()
                .is_none()
        );
        let s2 = store.create_session(&row.id).await.unwrap();
        store.end_session(&s2).await.unwrap();
        assert!(
            store
                .session_principal(&s2, policy, t0)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn the_audit_log_is_append_only_and_filterable() {
        let (_dir, store) = store().await;
        store
            .audit(
                "token a (ana)",
                "sign_in",
                "",
                "success",
                "127.0.0.1",
                serde_json::json!({}),
            )
            .await
            .unwrap();
        store
            .audit(
                "anonymous",
                "sign_in",
                "",
                "failure",
                "127.0.0.1",
                serde_json::json!({"reason": "unknown token"}),
            )
            .await
            .unwrap();
        store
            .audit(
                "token a (ana)",
                "replay_started",
                "example",
                "success",
                "",
                serde_json::json!({"run": 1}),
            )
            .await
            .unwrap();
        let all = store.audit_entries(AuditQuery::default()).await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].action, "replay_started", "newest first");
        let sign_ins = store
            .audit_entries(AuditQuery {
                action: Some("sign_in".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(sign_ins.len(), 2);
        let ana = store
            .audit_entries(AuditQuery {
                actor: Some("ana".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(ana.len(), 2);
        for sql in [
            "UPDATE audit_log SET outcome = 'success'",
            "DELETE FROM audit_log",
        ] {
            let err = store
                .write(move |c| c.execute(sql, []).map_err(|e| Error::db("tamper", e)))
                .await
                .unwrap_err();
            assert!(err.to_string().contains("append-only"), "{err}");
        }
    }
}

#[cfg(test)]
mod key_tests {
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
}
