//! The audit log: appended to by every action, read with filters, never edited.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::clock::now_unix;
use crate::error::{Error, Result};
use crate::store::Store;

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

impl Store {
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
