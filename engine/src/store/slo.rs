//! SLO round counts: written with each round, read once at start into the SLO book.

use std::collections::HashMap;

use domain::slo::{Counts, Ledger};
use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};

/// Which table a bucket is in.
#[derive(Clone, Copy)]
enum Bucket {
    Minute,
    Hour,
}

/// Adds `counts` to one bucket, creating it when new.
fn add_bucket(
    conn: &rusqlite::Connection,
    bucket: Bucket,
    env: &str,
    slo: &str,
    at: i64,
    c: Counts,
) -> Result<()> {
    let (table, column) = match bucket {
        Bucket::Minute => ("slo_minutes", "minute_unix"),
        Bucket::Hour => ("slo_hours", "hour_unix"),
    };
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (environment, slo, {column}, good, total) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (environment, slo, {column}) DO UPDATE SET
           good = good + excluded.good, total = total + excluded.total"
    ))
    .and_then(|mut stmt| stmt.execute(params![env, slo, at, c.good as i64, c.total as i64]))
    .map(drop)
    .map_err(|e| Error::db("store SLO counts", e))
}

/// Adds one round's counts to its minute and hour (in the round's transaction).
pub(super) fn add_round(
    tx: &rusqlite::Transaction<'_>,
    env: &str,
    unix: f64,
    counts: &[(String, Counts)],
) -> Result<()> {
    let minute = (unix / 60.0).floor() as i64 * 60;
    let hour = (unix / 3_600.0).floor() as i64 * 3_600;
    for (slo, c) in counts {
        add_bucket(tx, Bucket::Minute, env, slo, minute, *c)?;
        add_bucket(tx, Bucket::Hour, env, slo, hour, *c)?;
    }
    Ok(())
}

/// Deletes minutes older than `minutes_before` and hours older than `hours_before`.
pub(super) fn prune(
    tx: &rusqlite::Transaction<'_>,
    minutes_before: f64,
    hours_before: f64,
) -> Result<()> {
    tx.execute(
        "DELETE FROM slo_minutes WHERE minute_unix < ?1",
        [minutes_before],
    )
    .map_err(|e| Error::db("prune SLO minutes", e))?;
    tx.execute(
        "DELETE FROM slo_hours WHERE hour_unix + 3600 <= ?1",
        [hours_before],
    )
    .map_err(|e| Error::db("prune SLO hours", e))?;
    Ok(())
}

impl Store {
    /// Every stored ledger with buckets from `hours_from` (hours) and `minutes_from` (minutes),
    /// keyed by (environment, SLO name).
    pub async fn slo_ledgers(
        &self,
        hours_from: f64,
        minutes_from: f64,
    ) -> Result<HashMap<(String, String), Ledger>> {
        self.read(move |conn| {
            let mut out: HashMap<(String, String), Ledger> = HashMap::new();
            for (table, column, from, minutes) in [
                ("slo_hours", "hour_unix", hours_from, false),
                ("slo_minutes", "minute_unix", minutes_from, true),
            ] {
                let mut stmt = conn
                    .prepare(&format!(
                        "SELECT environment, slo, {column}, good, total FROM {table}
                         WHERE {column} >= ?1 ORDER BY environment, slo, {column}"
                    ))
                    .map_err(|e| Error::db("read SLO counts", e))?;
                let rows = stmt
                    .query_map([from.floor() as i64], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            Counts {
                                good: r.get::<_, i64>(3)? as u64,
                                total: r.get::<_, i64>(4)? as u64,
                            },
                        ))
                    })
                    .map_err(|e| Error::db("read SLO counts", e))?;
                for row in rows {
                    let (env, slo, at, counts) =
                        row.map_err(|e| Error::db("read SLO counts", e))?;
                    let ledger = out.entry((env, slo)).or_default();
                    if minutes {
                        ledger.add_minute(at, counts);
                    } else {
                        ledger.add_hour(at, counts);
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    /// Adds buckets directly (for benchmarks and imports of synthetic history).
    pub async fn insert_slo_buckets(
        &self,
        hours: Vec<(String, String, i64, Counts)>,
        minutes: Vec<(String, String, i64, Counts)>,
    ) -> Result<()> {
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin SLO import", e))?;
            for (bucket, rows) in [(Bucket::Hour, &hours), (Bucket::Minute, &minutes)] {
                for (env, slo, at, c) in rows {
                    add_bucket(&tx, bucket, env, slo, *at, *c)?;
                }
            }
            tx.commit().map_err(|e| Error::db("commit SLO import", e))
        })
        .await
    }
}
