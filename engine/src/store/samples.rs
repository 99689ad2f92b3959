//! Readiness history: one sample per probe round.

use std::collections::BTreeMap;

use domain::history::{
    HistoryPoint, LatencyHistogram, RoundCounts, Transition, Window, WindowStats, streaks,
};
use domain::probe::Readiness;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use crate::error::{Error, Result};
use domain::history::Retention;
use domain::probe::EnvironmentReport;

/// What one pruning pass deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneCounts {
    pub samples: usize,
    pub rollups: usize,
    pub transitions: usize,
}

fn counts_of(readiness: Readiness) -> RoundCounts {
    let mut c = RoundCounts::default();
    match readiness {
        Readiness::Ready => c.ready = 1,
        Readiness::NotReady => c.not_ready = 1,
        Readiness::Unknown => c.unknown = 1,
    }
    c
}

type RawRow = (f64, Readiness, BTreeMap<String, f64>);

fn raw_rows(conn: &Connection, env: &str, from: f64) -> Result<Vec<RawRow>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT checked_unix, readiness, latencies_json FROM probe_samples
             WHERE environment = ?1 AND checked_unix >= ?2 ORDER BY checked_unix, id",
        )
        .map_err(|e| Error::db("read samples", e))?;
    let rows = stmt
        .query_map(params![env, from], |r| {
            let json: String = r.get(2)?;
            Ok((
                r.get(0)?,
                Readiness::parse(&r.get::<_, String>(1)?),
                serde_json::from_str(&json).unwrap_or_default(),
            ))
        })
        .map_err(|e| Error::db("read samples", e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| Error::db("read samples", e))
}

type RollupRow = (i64, RoundCounts, BTreeMap<String, LatencyHistogram>);

fn rollup_rows(conn: &Connection, env: &str, from: f64) -> Result<Vec<RollupRow>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT hour_unix, ready, not_ready, unknown, latency_json FROM probe_rollups
             WHERE environment = ?1 AND hour_unix >= ?2 ORDER BY hour_unix",
        )
        .map_err(|e| Error::db("read rollups", e))?;
    let rows = stmt
        .query_map(params![env, hour_of(from)], |r| {
            let json: String = r.get(4)?;
            let counts = RoundCounts {
                ready: r.get(1)?,
                not_ready: r.get(2)?,
                unknown: r.get(3)?,
            };
            Ok((
                r.get(0)?,
                counts,
                serde_json::from_str(&json).unwrap_or_default(),
            ))
        })
        .map_err(|e| Error::db("read rollups", e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| Error::db("read rollups", e))
}

/// Transitions since `from`, preceded by the last one before it.
fn transitions_since(conn: &Connection, env: &str, from: f64) -> Result<Vec<Transition>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT at_unix, ready FROM readiness_transitions WHERE environment = ?1 AND (at_unix >= ?2 OR id = (
               SELECT id FROM readiness_transitions WHERE environment = ?1 AND at_unix < ?2
               ORDER BY at_unix DESC, id DESC LIMIT 1))
             ORDER BY at_unix, id",
        )
        .map_err(|e| Error::db("read transitions", e))?;
    let rows = stmt
        .query_map(params![env, from], |r| {
            Ok(Transition {
                at: r.get(0)?,
                ready: r.get(1)?,
            })
        })
        .map_err(|e| Error::db("read transitions", e))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| Error::db("read transitions", e))
}

/// One point of an environment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplePoint {
    pub unix: f64,
    pub readiness: Readiness,
}

/// Per-probe latencies of one round, plus `round`: the slowest probe, which is about how long
/// the round took since probes run concurrently.
fn round_latencies(report: &EnvironmentReport) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = report
        .probes
        .iter()
        .filter_map(|p| Some((p.probe.to_string(), p.latency_ms?)))
        .collect();
    if let Some(slowest) = out.values().copied().reduce(f64::max) {
        out.insert(ROUND.to_string(), slowest);
    }
    out
}

/// The pseudo-probe whose latency is the round's slowest probe.
pub const ROUND: &str = "round";

const HOUR: f64 = 3_600.0;

fn hour_of(unix: f64) -> i64 {
    (unix / HOUR).floor() as i64 * HOUR as i64
}

fn encode<T: Serialize>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::DatabaseState {
        context: format!("encode {what}"),
        message: e.to_string(),
    })
}

/// Adds `counts` to an environment's hour of rollups and lets `update` change its latency
/// histograms (by probe name), creating the hour when it is new.
pub(super) fn add_to_rollup(
    tx: &rusqlite::Transaction<'_>,
    env: &str,
    hour: i64,
    counts: RoundCounts,
    update: impl FnOnce(&mut BTreeMap<String, LatencyHistogram>),
) -> Result<()> {
    let existing: Option<String> = tx
        .query_row(
            "SELECT latency_json FROM probe_rollups WHERE environment = ?1 AND hour_unix = ?2",
            params![env, hour],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| Error::db("read rollup", e))?;
    let mut histograms: BTreeMap<String, LatencyHistogram> = existing
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    update(&mut histograms);
    tx.execute(
        "INSERT INTO probe_rollups (environment, hour_unix, ready, not_ready, unknown, latency_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (environment, hour_unix) DO UPDATE SET
           ready = ready + excluded.ready, not_ready = not_ready + excluded.not_ready,
           unknown = unknown + excluded.unknown, latency_json = excluded.latency_json",
        params![env, hour, counts.ready, counts.not_ready, counts.unknown, encode(&histograms, "rollup")?],
    )
    .map_err(|e| Error::db("update rollup", e))?;
    Ok(())
}

/// A round, when it was stored, and its count for each SLO.
pub type RoundWithSlo = (f64, EnvironmentReport, Vec<(String, domain::slo::Counts)>);

/// One round as its three tables store it.
struct EncodedRound {
    unix: f64,
    env: String,
    readiness: Readiness,
    json: String,
    latencies: BTreeMap<String, f64>,
    latencies_json: String,
    /// The round's count for each SLO of its environment (none inside a maintenance window).
    slo: Vec<(String, domain::slo::Counts)>,
}

impl EncodedRound {
    fn new(
        unix: f64,
        report: &EnvironmentReport,
        slo: Vec<(String, domain::slo::Counts)>,
    ) -> Result<Self> {
        let latencies = round_latencies(report);
        Ok(Self {
            unix,
            env: report.environment.clone(),
            readiness: report.readiness,
            json: encode(&*super::evidence_cap::capped(report), "sample")?,
            latencies_json: encode(&latencies, "latencies")?,
            latencies,
            slo,
        })
    }

    fn store(&self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        let (env, unix, readiness) = (&self.env, self.unix, self.readiness);
        tx.execute(
            "INSERT INTO probe_samples (environment, checked_unix, readiness, report_json, latencies_json) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![env, unix, readiness.as_str(), self.json, self.latencies_json],
        )
        .map_err(|e| Error::db("insert probe sample", e))?;

        add_to_rollup(tx, env, hour_of(unix), counts_of(readiness), |histograms| {
            for (probe, ms) in &self.latencies {
                histograms.entry(probe.clone()).or_default().record(*ms);
            }
        })?;

        super::slo::add_round(tx, env, unix, &self.slo)?;

        let is_ready = readiness == Readiness::Ready;
        let last: Option<bool> = tx
            .query_row(
                "SELECT ready FROM readiness_transitions WHERE environment = ?1 ORDER BY at_unix DESC, id DESC LIMIT 1",
                [env],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| Error::db("read transitions", e))?;
        if last != Some(is_ready) {
            tx.execute(
                "INSERT INTO readiness_transitions (environment, at_unix, ready) VALUES (?1, ?2, ?3)",
                params![env, unix, is_ready],
            )
            .map_err(|e| Error::db("insert transition", e))?;
        }
        Ok(())
    }
}

impl Store {
    /// Stores one round: the raw sample, its hour's rollup, and a transition when the verdict
    /// changed — in one transaction, so the three never disagree.
    pub async fn insert_sample(&self, unix: f64, report: &EnvironmentReport) -> Result<()> {
        self.insert_round(unix, report, Vec::new()).await
    }

    /// Stores one round as `insert_sample` does, with its counts for the environment's SLOs.
    pub async fn insert_round(
        &self,
        unix: f64,
        report: &EnvironmentReport,
        slo: Vec<(String, domain::slo::Counts)>,
    ) -> Result<()> {
        self.store_rounds(vec![EncodedRound::new(unix, report, slo)?])
            .await
    }

    /// Stores rounds, oldest first, in one transaction (each as `insert_sample` does): for
    /// importing history.
    pub async fn insert_samples(&self, rounds: Vec<(f64, EnvironmentReport)>) -> Result<()> {
        self.insert_rounds(
            rounds
                .into_iter()
                .map(|(u, r)| (u, r, Vec::new()))
                .collect(),
        )
        .await
    }

    /// Stores rounds with their SLO counts, oldest first, in one transaction.
    pub async fn insert_rounds(&self, rounds: Vec<RoundWithSlo>) -> Result<()> {
        let encoded = rounds
            .into_iter()
            .map(|(unix, report, slo)| EncodedRound::new(unix, &report, slo))
            .collect::<Result<Vec<_>>>()?;
        self.store_rounds(encoded).await
    }

    async fn store_rounds(&self, encoded: Vec<EncodedRound>) -> Result<()> {
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin storing a round", e))?;
            for round in &encoded {
                round.store(&tx)?;
            }
            tx.commit().map_err(|e| Error::db("commit a round", e))
        })
        .await
    }

    /// Deletes raw rounds older than the raw retention and rollups older than theirs. The
    /// latest transition before the rollup horizon is kept: it says how the kept history began.
    pub async fn prune_history(&self, now: f64, retention: Retention) -> Result<PruneCounts> {
        let raw_before = now - retention.raw.as_secs_f64();
        let rollups_before = now - retention.rollups.as_secs_f64();
        self.write(move |conn| {
            let tx = conn
                .transaction()
                .map_err(|e| Error::db("begin pruning", e))?;
            let samples = tx
                .execute(
                    "DELETE FROM probe_samples WHERE checked_unix < ?1",
                    [raw_before],
                )
                .map_err(|e| Error::db("prune samples", e))?;
            let rollups = tx
                .execute(
                    "DELETE FROM probe_rollups WHERE hour_unix + 3600 <= ?1",
                    [rollups_before],
                )
                .map_err(|e| Error::db("prune rollups", e))?;
            let transitions = tx
                .execute(
                    "DELETE FROM readiness_transitions AS t WHERE at_unix < ?1 AND EXISTS (
                       SELECT 1 FROM readiness_transitions AS later
                       WHERE later.environment = t.environment AND later.at_unix <= ?1
                         AND (later.at_unix > t.at_unix OR (later.at_unix = t.at_unix AND later.id > t.id)))",
                    [rollups_before],
                )
                .map_err(|e| Error::db("prune transitions", e))?;
            super::slo::prune(&tx, raw_before, rollups_before)?;
            tx.commit().map_err(|e| Error::db("commit pruning", e))?;
            Ok(PruneCounts {
                samples,
                rollups,
                transitions,
            })
        })
        .await
    }

    /// Uptime, latency percentiles per probe and streaks over `window` ending at `now`. Windows
    /// within the raw retention are computed from every round; longer ones from whole-hour
    /// rollups.
    pub async fn window_stats(
        &self,
        environment: &str,
        window: Window,
        now: f64,
        retention: Retention,
    ) -> Result<WindowStats> {
        let from = now - window.seconds();
        let use_raw = window.seconds() <= retention.raw.as_secs_f64();
        let env = environment.to_string();
        self.read(move |conn| {
            let mut rounds = RoundCounts::default();
            let mut histograms: BTreeMap<String, LatencyHistogram> = BTreeMap::new();
            if use_raw {
                for (_, readiness, latencies) in raw_rows(conn, &env, from)? {
                    rounds.add(counts_of(readiness));
                    for (probe, ms) in latencies {
                        histograms.entry(probe).or_default().record(ms);
                    }
                }
            } else {
                for (_, counts, hist) in rollup_rows(conn, &env, from)? {
                    rounds.add(counts);
                    for (probe, h) in hist {
                        histograms.entry(probe).or_default().merge(&h);
                    }
                }
            }
            let transitions = transitions_since(conn, &env, from)?;
            Ok(WindowStats {
                window,
                rounds,
                uptime: rounds.uptime(),
                latency: histograms
                    .into_iter()
                    .filter_map(|(probe, h)| Some((probe, h.percentiles()?)))
                    .collect(),
                streaks: streaks(&transitions, from, now),
                from_rollups: !use_raw,
            })
        })
        .await
    }

    /// The history chart of `window`: about `points` buckets, oldest first, each with its
    /// round counts and the p95 of the round latency.
    pub async fn history_series(
        &self,
        environment: &str,
        window: Window,
        now: f64,
        retention: Retention,
        points: usize,
    ) -> Result<Vec<HistoryPoint>> {
        let from = now - window.seconds();
        let use_raw = window.seconds() <= retention.raw.as_secs_f64();
        let width = if use_raw {
            (window.seconds() / points.max(1) as f64).max(1.0)
        } else {
            (window.seconds() / points.max(1) as f64 / HOUR)
                .ceil()
                .max(1.0)
                * HOUR
        };
        let env = environment.to_string();
        self.read(move |conn| {
            let mut buckets: BTreeMap<i64, (RoundCounts, LatencyHistogram)> = BTreeMap::new();
            let slot = |unix: f64| ((unix - from) / width).floor() as i64;
            if use_raw {
                for (unix, readiness, latencies) in raw_rows(conn, &env, from)? {
                    let bucket = buckets.entry(slot(unix)).or_default();
                    bucket.0.add(counts_of(readiness));
                    if let Some(ms) = latencies.get(ROUND) {
                        bucket.1.record(*ms);
                    }
                }
            } else {
                for (hour, counts, hist) in rollup_rows(conn, &env, from)? {
                    let bucket = buckets.entry(slot(hour as f64).max(0)).or_default();
                    bucket.0.add(counts);
                    if let Some(h) = hist.get(ROUND) {
                        bucket.1.merge(h);
                    }
                }
            }
            Ok(buckets
                .into_iter()
                .map(|(k, (counts, h))| HistoryPoint {
                    start_unix: from + k as f64 * width,
                    width_secs: width,
                    rounds: counts,
                    latency_p95_ms: h.quantile(0.95),
                })
                .collect())
        })
        .await
    }

    /// The most recent round that was not ready, with its whole (masked) report.
    pub async fn last_failure(
        &self,
        environment: &str,
    ) -> Result<Option<(f64, EnvironmentReport)>> {
        let env = environment.to_string();
        let row: Option<(f64, String)> = self
            .read(move |conn| {
                conn.query_row(
                    "SELECT checked_unix, report_json FROM probe_samples WHERE environment = ?1 AND readiness != 'ready'
                     ORDER BY checked_unix DESC, id DESC LIMIT 1",
                    [env],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(|e| Error::db("read last failure", e))
            })
            .await?;
        Ok(row.and_then(|(unix, json)| Some((unix, serde_json::from_str(&json).ok()?))))
    }

    pub async fn latest_report(&self, environment: &str) -> Result<Option<EnvironmentReport>> {
        let env = environment.to_string();
        let json: Option<String> = self
            .read(move |conn| {
                conn.query_row(
                    "SELECT report_json FROM probe_samples WHERE environment = ?1 ORDER BY checked_unix DESC, id DESC LIMIT 1",
                    [env],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| Error::db("read latest sample", e))
            })
            .await?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// Verdicts since `since_unix`, oldest first.
    pub async fn samples_since(
        &self,
        environment: &str,
        since_unix: f64,
    ) -> Result<Vec<SamplePoint>> {
        let env = environment.to_string();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT checked_unix, readiness FROM probe_samples
                     WHERE environment = ?1 AND checked_unix >= ?2 ORDER BY checked_unix, id",
                )
                .map_err(|e| Error::db("read samples", e))?;
            let rows = stmt
                .query_map(params![env, since_unix], |r| {
                    Ok(SamplePoint {
                        unix: r.get(0)?,
                        readiness: Readiness::parse(&r.get::<_, String>(1)?),
                    })
                })
                .map_err(|e| Error::db("read samples", e))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| Error::db("read samples", e))
        })
        .await
    }

    /// When the current unbroken run of the latest verdict began (unix seconds).
    pub async fn streak_start(
        &self,
        environment: &str,
    ) -> Result<Option<(domain::probe::Readiness, f64)>> {
        let env = environment.to_string();
        self.read(move |conn| {
            let latest: Option<(String, f64)> = conn
                .query_row(
                    "SELECT readiness, checked_unix FROM probe_samples WHERE environment = ?1 ORDER BY checked_unix DESC, id DESC LIMIT 1",
                    [&env],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(|e| Error::db("read streak", e))?;
            let Some((verdict, _)) = latest else { return Ok(None) };
            // The first sample after the last one with a different verdict.
            let start: f64 = conn
                .query_row(
                    "SELECT MIN(checked_unix) FROM probe_samples WHERE environment = ?1 AND checked_unix >
                       COALESCE((SELECT MAX(checked_unix) FROM probe_samples WHERE environment = ?1 AND readiness != ?2), -1)",
                    params![env, verdict],
                    |r| r.get(0),
                )
                .map_err(|e| Error::db("read streak", e))?;
            Ok(Some((Readiness::parse(&verdict), start)))
        })
        .await
    }
}

#[cfg(test)]
mod tests;
