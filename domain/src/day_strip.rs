//! One environment's last 24 hours as its Status card shows them: a fixed number of buckets,
//! computed on the server from the stored rounds, so a card is the same size after a day or a
//! month of history (a 15 s interval stores 5,760 rounds a day; the card carries 96 buckets).

use serde::{Deserialize, Serialize};

use crate::history::{LatencyHistogram, Percentiles, RoundCounts};
use crate::probe::{Readiness, stable_readiness};

/// Buckets on a card: 15 minutes each over 24 hours.
pub const CARD_BUCKETS: usize = 96;
pub const CARD_BUCKET_SECS: u32 = 900;
const DAY_SECS: f64 = 86_400.0;

/// Per bucket, oldest first, columns rather than rows: a card's strip is about 1.5 KB of JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayStrip {
    /// The end of the newest bucket (unix seconds): when the strip was computed.
    pub end_unix: f64,
    pub bucket_secs: u32,
    pub ready: Vec<u32>,
    pub not_ready: Vec<u32>,
    pub unknown: Vec<u32>,
    /// p95 of the round latency (the slowest probe of each round) per bucket, in ms rounded
    /// to 0.1; `None` where no round measured a latency.
    pub p95_ms: Vec<Option<f32>>,
}

/// What a bucket says at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketVerdict {
    /// No round in this bucket (not probed yet, or the console was down).
    Empty,
    Ready,
    /// Some round was not ready.
    NotReady,
    /// No round was not ready, but some could not be measured.
    Unknown,
}

impl DayStrip {
    pub fn len(&self) -> usize {
        self.ready.len()
    }

    pub fn is_empty(&self) -> bool {
        self.totals().total() == 0
    }

    pub fn verdict(&self, bucket: usize) -> BucketVerdict {
        let at = |v: &Vec<u32>| v.get(bucket).copied().unwrap_or(0);
        match (at(&self.ready), at(&self.not_ready), at(&self.unknown)) {
            (0, 0, 0) => BucketVerdict::Empty,
            (_, n, _) if n > 0 => BucketVerdict::NotReady,
            (_, _, u) if u > 0 => BucketVerdict::Unknown,
            _ => BucketVerdict::Ready,
        }
    }

    pub fn totals(&self) -> RoundCounts {
        let sum = |v: &Vec<u32>| v.iter().map(|&n| u64::from(n)).sum();
        RoundCounts {
            ready: sum(&self.ready),
            not_ready: sum(&self.not_ready),
            unknown: sum(&self.unknown),
        }
    }
}

/// Everything a card shows of the last 24 hours, from one pass over its rounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DaySummary {
    pub strip: DayStrip,
    /// Every round of the 24 h, exact.
    pub rounds: RoundCounts,
    /// Round latency percentiles over the 24 h.
    pub round_latency: Option<Percentiles>,
    /// The verdict after hysteresis, and how many rounds the newest verdict has held.
    pub stable: Option<(Readiness, usize)>,
}

/// Folds rounds, oldest first, into a [`DaySummary`] ending at `end_unix`.
pub struct DaySummaryBuilder {
    end_unix: f64,
    counts: Vec<RoundCounts>,
    latencies: Vec<LatencyHistogram>,
    day_latency: LatencyHistogram,
    verdicts: Vec<Readiness>,
}

impl DaySummaryBuilder {
    pub fn new(end_unix: f64) -> Self {
        Self {
            end_unix,
            counts: vec![RoundCounts::default(); CARD_BUCKETS],
            latencies: vec![LatencyHistogram::default(); CARD_BUCKETS],
            day_latency: LatencyHistogram::default(),
            verdicts: Vec::new(),
        }
    }

    /// The oldest moment a round counts from.
    pub fn start_unix(&self) -> f64 {
        self.end_unix - DAY_SECS
    }

    /// One round at `unix` with its verdict and round latency. Rounds outside the 24 h are
    /// ignored; rounds must come oldest first (the hysteresis reads them in order).
    pub fn push(&mut self, unix: f64, readiness: Readiness, round_ms: Option<f64>) {
        let age = self.end_unix - unix;
        if !(0.0..DAY_SECS).contains(&age) {
            return;
        }
        let from_end = (age / f64::from(CARD_BUCKET_SECS)).floor() as usize;
        let slot = CARD_BUCKETS - 1 - from_end.min(CARD_BUCKETS - 1);
        let counts = &mut self.counts[slot];
        match readiness {
            Readiness::Ready => counts.ready += 1,
            Readiness::NotReady => counts.not_ready += 1,
            Readiness::Unknown => counts.unknown += 1,
        }
        if let Some(ms) = round_ms {
            self.latencies[slot].record(ms);
            self.day_latency.record(ms);
        }
        self.verdicts.push(readiness);
    }

    pub fn finish(self, flip_after: usize, recover_after: usize) -> DaySummary {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let mut rounds = RoundCounts::default();
        for c in &self.counts {
            rounds.add(*c);
        }
        DaySummary {
            strip: DayStrip {
                end_unix: self.end_unix,
                bucket_secs: CARD_BUCKET_SECS,
                ready: self.counts.iter().map(|c| narrow(c.ready)).collect(),
                not_ready: self.counts.iter().map(|c| narrow(c.not_ready)).collect(),
                unknown: self.counts.iter().map(|c| narrow(c.unknown)).collect(),
                p95_ms: self
                    .latencies
                    .iter()
                    .map(|h| {
                        h.quantile(0.95)
                            .map(|ms| ((ms * 10.0).round() / 10.0) as f32)
                    })
                    .collect(),
            },
            rounds,
            round_latency: self.day_latency.percentiles(),
            stable: stable_readiness(&self.verdicts, flip_after, recover_after),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: f64 = 1_800_000_000.0;

    #[test]
    fn a_day_of_rounds_folds_into_ninety_six_buckets_with_exact_counts() {
        let mut b = DaySummaryBuilder::new(END);
        // One round every 15 s for 24 h, the newest at END; one bad hour three hours ago.
        let mut unix = END - DAY_SECS + 15.0;
        while unix <= END {
            let bad = (END - 3.0 * 3_600.0..END - 2.0 * 3_600.0).contains(&unix);
            let verdict = if bad {
                Readiness::NotReady
            } else {
                Readiness::Ready
            };
            b.push(unix, verdict, Some(20.0));
            unix += 15.0;
        }
        let day = b.finish(2, 2);
        assert_eq!(day.strip.len(), CARD_BUCKETS);
        assert_eq!(day.rounds.total(), 5_760);
        assert_eq!(day.rounds.not_ready, 240);
        assert_eq!(day.strip.totals(), day.rounds);
        // Three hours ago is 12 buckets back from the newest: buckets 84..88 are the bad hour.
        let bad: Vec<usize> = (0..CARD_BUCKETS)
            .filter(|&i| day.strip.verdict(i) == BucketVerdict::NotReady)
            .collect();
        assert_eq!(bad, (83..=87).collect::<Vec<_>>());
        assert_eq!(day.stable, Some((Readiness::Ready, 7_200 / 15 + 1)));
        let p95 = day.strip.p95_ms[95].unwrap();
        assert!((p95 - 20.0).abs() < 0.6, "{p95}");
        assert_eq!(day.round_latency.unwrap().samples, 5_760);
    }

    #[test]
    fn rounds_older_than_a_day_or_in_the_future_are_left_out() {
        let mut b = DaySummaryBuilder::new(END);
        b.push(END - DAY_SECS - 1.0, Readiness::NotReady, None);
        b.push(END + 5.0, Readiness::NotReady, None);
        b.push(END, Readiness::Ready, None);
        let day = b.finish(1, 1);
        assert_eq!(day.rounds.total(), 1);
        assert_eq!(day.strip.verdict(95), BucketVerdict::Ready);
        assert_eq!(day.strip.verdict(0), BucketVerdict::Empty);
        assert_eq!(day.strip.p95_ms[95], None);
    }

    #[test]
    fn a_bucket_with_any_unmeasured_round_and_no_failure_is_unknown() {
        let mut b = DaySummaryBuilder::new(END);
        b.push(END - 10.0, Readiness::Ready, Some(1.0));
        b.push(END - 5.0, Readiness::Unknown, None);
        let day = b.finish(2, 2);
        assert_eq!(day.strip.verdict(95), BucketVerdict::Unknown);
        // One unknown round is not enough to flip a ready environment after hysteresis.
        assert_eq!(day.stable, Some((Readiness::Ready, 1)));
    }

    #[test]
    fn the_strip_stays_small_whatever_the_number_of_rounds() {
        let mut b = DaySummaryBuilder::new(END);
        let mut unix = END - DAY_SECS + 1.0;
        while unix <= END {
            b.push(unix, Readiness::Ready, Some(123.456));
            unix += 1.0;
        }
        let json = serde_json::to_string(&b.finish(2, 2)).unwrap();
        assert!(json.len() < 3_000, "{} bytes", json.len());
    }
}
