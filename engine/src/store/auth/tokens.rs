//! API tokens: created once (only a keyed hash is kept), listed, revoked, authenticated.

use domain::auth::{PresentedToken, Principal, Role};
use rusqlite::{OptionalExtension, params};

use crate::clock::now_unix;
use crate::error::{Error, Result};
use crate::store::Store;

/// A token as listed (the domain's record).
pub type TokenRow = domain::auth::TokenRecord;

pub(super) fn role_of(text: &str) -> rusqlite::Result<Role> {
    text.parse::<Role>().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl Store {
    /// Creates a token and returns it with the text to show once. Only its keyed hash is kept.
    pub async fn create_token(&self, name: &str, role: Role) -> Result<(TokenRow, String)> {
        let token = PresentedToken::from_random(crate::random::bytes()?, crate::random::bytes()?);
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
}
