//! Browser sessions: started at sign-in, looked up by the hash of their id, ended.

use domain::auth::{Principal, SessionPolicy, hex, session_key};
use rusqlite::{OptionalExtension, params};

use super::tokens::role_of;
use crate::clock::now_unix;
use crate::error::{Error, Result};
use crate::store::Store;

impl Store {
    /// Starts a browser session for a token; returns the session id for the cookie.
    pub async fn create_session(&self, token_id: &str) -> Result<String> {
        let id = hex(&crate::random::bytes::<32>()?);
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
}
