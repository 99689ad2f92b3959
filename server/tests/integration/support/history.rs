//! A lived-in console: days of probe rounds at a 15 s interval seeded into a real SQLite file,
//! each shaped like a real round (a round the real prober stored is the template). Rounds
//! within the raw retention are stored as raw rounds, exactly as the scheduler stores them;
//! older ones as the hourly rollups pruning would have left. Shared by the integration tests
//! and the Status benchmark (`benches/status_page.rs` includes this file).
#![allow(dead_code)]

use std::collections::BTreeMap;

use domain::history::{LatencyHistogram, RoundCounts};
use domain::probe::Readiness;
use engine::Store;
use engine::probe::EnvironmentReport;
use engine::store::RollupHour;

pub const INTERVAL_SECS: f64 = 15.0;
/// The default `history_raw_hours`.
pub const RAW_HOURS: f64 = 48.0;
const HOUR: f64 = 3_600.0;
const BATCH: usize = 4_096;

/// The 10 minutes ending 5 hours before "now" are not ready in every environment: the card
/// must show them in its timeline, and they cost 40 of the day's 5,760 rounds.
pub const OUTAGE_ENDS_AGO: f64 = 5.0 * HOUR;
pub const OUTAGE_SECS: f64 = 600.0;

/// What was seeded per environment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seeded {
    pub raw_rounds: usize,
    pub rollup_hours: usize,
    /// Rounds in the 24 h before `now`, and how many of them were ready.
    pub day_rounds: u64,
    pub day_ready: u64,
    /// When the current ready streak began (the end of the outage).
    pub streak_since: f64,
}

fn ready_at(now: f64, unix: f64) -> bool {
    let age = now - unix;
    !(OUTAGE_ENDS_AGO < age && age <= OUTAGE_ENDS_AGO + OUTAGE_SECS)
}

/// Latency of probe number `p` in round number `k`: 4–40 ms, varying like real answers.
fn latency(p: usize, k: u64) -> f64 {
    4.0 + ((k * 7 + p as u64 * 13) % 37) as f64
}

/// Seeds `days` of history ending at `now` for every environment in `environments`, shaped
/// like `template`.
pub async fn seed(
    store: &Store,
    template: &EnvironmentReport,
    environments: &[String],
    days: f64,
    now: f64,
) -> Seeded {
    let start = now - days * 86_400.0;
    let raw_from = start.max(now - RAW_HOURS * HOUR);
    let first_raw_hour = (raw_from / HOUR).floor() * HOUR;
    let mut seeded = Seeded {
        raw_rounds: 0,
        rollup_hours: 0,
        day_rounds: 0,
        day_ready: 0,
        streak_since: now - OUTAGE_ENDS_AGO,
    };
    for env in environments {
        // Hours older than the raw retention: rollups, 240 rounds each, a 15-minute outage
        // every third day.
        let mut hours = Vec::new();
        let mut hour = (start / HOUR).ceil() * HOUR;
        while hour < first_raw_hour {
            let mut latency_by_probe: BTreeMap<String, LatencyHistogram> = BTreeMap::new();
            let per_hour = (HOUR / INTERVAL_SECS) as u64;
            for k in 0..per_hour {
                let mut slowest: f64 = 0.0;
                for (p, probe) in template.probes.iter().enumerate() {
                    let ms = latency(p, k);
                    slowest = slowest.max(ms);
                    latency_by_probe
                        .entry(probe.probe.to_string())
                        .or_default()
                        .record(ms);
                }
                latency_by_probe
                    .entry(engine::store::ROUND.to_string())
                    .or_default()
                    .record(slowest);
            }
            let outage = ((hour / HOUR) as i64) % 72 == 0;
            let not_ready = if outage { per_hour / 4 } else { 0 };
            hours.push(RollupHour {
                environment: env.clone(),
                hour_unix: hour as i64,
                rounds: RoundCounts {
                    ready: per_hour - not_ready,
                    not_ready,
                    unknown: 0,
                },
                latency: latency_by_probe,
            });
            hour += HOUR;
        }
        seeded.rollup_hours = hours.len();
        store.import_rollups(hours).await.expect("import rollups");

        // The raw retention: every round, as the scheduler stores it.
        let mut batch = Vec::with_capacity(BATCH);
        let mut raw = 0;
        let (mut day_rounds, mut day_ready) = (0, 0);
        let mut unix = now - ((now - raw_from) / INTERVAL_SECS).floor() * INTERVAL_SECS;
        let mut k = 0u64;
        while unix <= now {
            let ready = ready_at(now, unix);
            let mut report = template.clone();
            report.environment = env.clone();
            report.readiness = if ready {
                Readiness::Ready
            } else {
                Readiness::NotReady
            };
            report.checked_at = domain::time::rfc3339_utc(unix as i64, 0);
            for (p, probe) in report.probes.iter_mut().enumerate() {
                probe.latency_ms = Some(latency(p, k));
            }
            if now - unix < 86_400.0 {
                day_rounds += 1;
                day_ready += u64::from(ready);
            }
            batch.push((unix, report));
            if batch.len() == BATCH {
                raw += batch.len();
                store
                    .insert_samples(std::mem::take(&mut batch))
                    .await
                    .expect("insert rounds");
            }
            unix += INTERVAL_SECS;
            k += 1;
        }
        raw += batch.len();
        store.insert_samples(batch).await.expect("insert rounds");
        seeded.raw_rounds = raw;
        seeded.day_rounds = day_rounds;
        seeded.day_ready = day_ready;
    }
    seeded
}
