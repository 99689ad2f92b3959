//! Readiness history arithmetic: latency histograms that merge across rollups, streaks from
//! verdict transitions, and the per-window statistics the Status and environment pages show.
//!
//! Raw rounds are kept for a short time; older rounds survive as hourly rollups (round counts
//! and one latency histogram per probe), so 30 days at a 15 s interval is 720 rows per
//! environment instead of 172,800. Verdict changes are kept as transitions, which makes the
//! current and longest streak exact over any window.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The windows the console reports.
pub const WINDOWS: [Window; 4] = [Window::Hour, Window::Day, Window::Week, Window::Month];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
}

impl Window {
    pub fn seconds(self) -> f64 {
        match self {
            Window::Hour => 3_600.0,
            Window::Day => 86_400.0,
            Window::Week => 7.0 * 86_400.0,
            Window::Month => 30.0 * 86_400.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::Hour => "1h",
            Window::Day => "24h",
            Window::Week => "7d",
            Window::Month => "30d",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        WINDOWS.into_iter().find(|w| w.label() == s)
    }
}

/// Bucket width: each bucket's upper bound is 5 % above its lower bound, so a percentile read
/// from the histogram is within 2.5 % of the true value (the bucket's geometric middle).
const GROWTH: f64 = 1.05;
/// Latencies below this (in ms) share bucket 0.
const FLOOR_MS: f64 = 0.01;
/// The last bucket holds everything from about 120 s up.
const MAX_BUCKET: u16 = 335;

/// A latency histogram with logarithmic buckets. Histograms merge by adding counts, which is
/// what lets hourly rollups answer percentile queries over 30 days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyHistogram {
    /// Bucket index → count; only non-empty buckets are stored.
    buckets: BTreeMap<u16, u64>,
}

impl LatencyHistogram {
    fn bucket(ms: f64) -> u16 {
        if ms.is_nan() || ms <= FLOOR_MS {
            return 0;
        }
        let index = ((ms / FLOOR_MS).ln() / GROWTH.ln()).floor() + 1.0;
        index.min(f64::from(MAX_BUCKET)) as u16
    }

    /// The value reported for a bucket: its geometric middle.
    fn representative(bucket: u16) -> f64 {
        if bucket == 0 {
            return FLOOR_MS;
        }
        let lower = FLOOR_MS * GROWTH.powi(i32::from(bucket) - 1);
        lower * GROWTH.sqrt()
    }

    pub fn record(&mut self, ms: f64) {
        if ms.is_finite() && ms >= 0.0 {
            *self.buckets.entry(Self::bucket(ms)).or_default() += 1;
        }
    }

    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (&bucket, &count) in &other.buckets {
            *self.buckets.entry(bucket).or_default() += count;
        }
    }

    pub fn count(&self) -> u64 {
        self.buckets.values().sum()
    }

    /// The nearest-rank `q` quantile (0 < q ≤ 1), rounded to 0.01 ms; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (&bucket, &count) in &self.buckets {
            seen += count;
            if seen >= rank {
                return Some((Self::representative(bucket) * 100.0).round() / 100.0);
            }
        }
        None
    }

    pub fn percentiles(&self) -> Option<Percentiles> {
        Some(Percentiles {
            p50: self.quantile(0.50)?,
            p95: self.quantile(0.95)?,
            p99: self.quantile(0.99)?,
            samples: self.count(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub samples: u64,
}

/// A change of the round verdict: from `at` on, rounds said `ready` (or not).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub at: f64,
    pub ready: bool,
}

/// Streaks of readiness within `[from, now]`, from the transitions in time order (including
/// the last one before `from`, which says how the window began).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Streaks {
    /// Seconds the environment has been ready without a break, up to now (0 when not ready).
    pub current_ready_secs: f64,
    /// The longest unbroken ready stretch that overlaps the window, clipped to it.
    pub longest_ready_secs: f64,
}

pub fn streaks(transitions: &[Transition], from: f64, now: f64) -> Streaks {
    let mut longest: f64 = 0.0;
    let mut current = 0.0;
    for (k, t) in transitions.iter().enumerate() {
        if !t.ready {
            continue;
        }
        let end = transitions.get(k + 1).map_or(now, |next| next.at).min(now);
        let start = t.at.max(from);
        if end > start {
            longest = longest.max(end - start);
        }
        if k + 1 == transitions.len() {
            current = (now - t.at).max(0.0);
        }
    }
    Streaks {
        current_ready_secs: current,
        longest_ready_secs: longest,
    }
}

/// Round counts of a window (or of one rollup bucket).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundCounts {
    pub ready: u64,
    pub not_ready: u64,
    pub unknown: u64,
}

impl RoundCounts {
    pub fn total(&self) -> u64 {
        self.ready + self.not_ready + self.unknown
    }

    pub fn add(&mut self, other: RoundCounts) {
        self.ready += other.ready;
        self.not_ready += other.not_ready;
        self.unknown += other.unknown;
    }

    /// Share of rounds that were ready; `None` with no rounds.
    pub fn uptime(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| self.ready as f64 / total as f64)
    }
}

/// What the console reports for one environment over one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowStats {
    pub window: Window,
    pub rounds: RoundCounts,
    pub uptime: Option<f64>,
    /// Per probe (`redis`, `readiness`, ...): latency percentiles in ms.
    pub latency: BTreeMap<String, Percentiles>,
    pub streaks: Streaks,
    /// True when part of the window comes from hourly rollups (whole hours).
    pub from_rollups: bool,
}

/// One bucket of a history chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub start_unix: f64,
    pub width_secs: f64,
    pub rounds: RoundCounts,
    /// p95 of the round latency (the slowest probe of each round) in the bucket.
    pub latency_p95_ms: Option<f64>,
}

/// How long readiness history is kept: every raw round for `raw`, hourly rollups (round
/// counts and latency histograms) for `rollups`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retention {
    pub raw: std::time::Duration,
    pub rollups: std::time::Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            raw: std::time::Duration::from_secs(48 * 3_600),
            rollups: std::time::Duration::from_secs(35 * 86_400),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_percentiles_are_within_the_bucket_error() {
        let mut h = LatencyHistogram::default();
        for ms in 1..=1000 {
            h.record(f64::from(ms));
        }
        let p = h.percentiles().unwrap();
        for (got, want) in [(p.p50, 500.0), (p.p95, 950.0), (p.p99, 990.0)] {
            assert!((got - want).abs() / want < 0.03, "{got} vs {want}");
        }
        assert_eq!(p.samples, 1000);
    }

    #[test]
    fn merged_histograms_equal_one_histogram_of_all_values() {
        let (mut a, mut b, mut all) = Default::default();
        for ms in [0.2, 3.0, 7.5, 40.0] {
            LatencyHistogram::record(&mut a, ms);
            LatencyHistogram::record(&mut all, ms);
        }
        for ms in [0.0, 12.0, 250_000.0, f64::NAN, -1.0] {
            LatencyHistogram::record(&mut b, ms);
            LatencyHistogram::record(&mut all, ms);
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(a.count(), 7, "NaN and negative latencies are not recorded");
        assert_eq!(LatencyHistogram::default().quantile(0.5), None);
    }

    #[test]
    fn single_value_and_extremes() {
        let mut h = LatencyHistogram::default();
        h.record(2.0);
        let p = h.percentiles().unwrap();
        assert!((p.p50 - 2.0).abs() < 0.06 && p.p50 == p.p99);
        let mut slow = LatencyHistogram::default();
        slow.record(1e9);
        assert!(slow.quantile(1.0).unwrap() > 100_000.0);
        let mut fast = LatencyHistogram::default();
        fast.record(0.001);
        assert_eq!(fast.quantile(0.5), Some(0.01));
    }

    #[test]
    fn histogram_survives_a_json_round_trip() {
        let mut h = LatencyHistogram::default();
        h.record(5.0);
        h.record(5.0);
        h.record(80.0);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<LatencyHistogram>(&json).unwrap(), h);
    }

    fn t(at: f64, ready: bool) -> Transition {
        Transition { at, ready }
    }

    #[test]
    fn streaks_current_and_longest() {
        // ready 0..100, down 100..130, ready 130..now(200)
        let ts = [t(0.0, true), t(100.0, false), t(130.0, true)];
        assert_eq!(
            streaks(&ts, 0.0, 200.0),
            Streaks {
                current_ready_secs: 70.0,
                longest_ready_secs: 100.0
            }
        );
        // A window starting at 50 clips the first stretch to 50 s.
        assert_eq!(streaks(&ts, 50.0, 200.0).longest_ready_secs, 70.0);
        // Not ready now: current is zero, longest still counts.
        let down = [t(0.0, true), t(100.0, false)];
        assert_eq!(streaks(&down, 0.0, 200.0).current_ready_secs, 0.0);
        assert_eq!(streaks(&down, 0.0, 200.0).longest_ready_secs, 100.0);
        // The current streak began before the window: it is not clipped.
        assert_eq!(
            streaks(&[t(-5_000.0, true)], 0.0, 100.0),
            Streaks {
                current_ready_secs: 5_100.0,
                longest_ready_secs: 100.0
            }
        );
        assert_eq!(streaks(&[], 0.0, 100.0).longest_ready_secs, 0.0);
    }

    #[test]
    fn uptime_counts() {
        let mut c = RoundCounts {
            ready: 3,
            not_ready: 1,
            unknown: 0,
        };
        assert_eq!(c.uptime(), Some(0.75));
        c.add(RoundCounts {
            ready: 0,
            not_ready: 0,
            unknown: 4,
        });
        assert_eq!(c.uptime(), Some(0.375));
        assert_eq!(RoundCounts::default().uptime(), None);
    }

    #[test]
    fn windows_parse_their_labels() {
        for w in WINDOWS {
            assert_eq!(Window::parse(w.label()), Some(w));
        }
        assert_eq!(Window::parse("2h"), None);
    }
}
