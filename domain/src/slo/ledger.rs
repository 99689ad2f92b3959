//! An objective's good and total rounds, by minute for the last few hours (the burn-rate
//! windows) and by hour for its whole window (the budget): a few thousand numbers however many
//! rounds the history holds.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// Good rounds out of all counted rounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub good: u64,
    pub total: u64,
}

impl Counts {
    pub fn of(good: bool) -> Self {
        Self {
            good: u64::from(good),
            total: 1,
        }
    }

    pub fn bad(&self) -> u64 {
        self.total.saturating_sub(self.good)
    }

    pub fn add(&mut self, other: Counts) {
        self.good += other.good;
        self.total += other.total;
    }

    pub fn good_share(&self) -> Option<f64> {
        (self.total > 0).then(|| self.good as f64 / self.total as f64)
    }

    pub fn bad_share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.bad() as f64 / self.total as f64
        }
    }
}

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
/// Minute buckets cover the longest burn-rate window (6 h) with a margin.
pub const MINUTES_KEPT_SECS: f64 = 6.0 * 3_600.0 + 600.0;

/// One minute or hour: its start and its counts (16 bytes, so 800 objectives' 30 days and
/// 6 hours stay near 14 MB).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Bucket {
    start: i64,
    good: u32,
    total: u32,
}

impl Bucket {
    fn add(&mut self, c: Counts) {
        self.good = self
            .good
            .saturating_add(c.good.min(u64::from(u32::MAX)) as u32);
        self.total = self
            .total
            .saturating_add(c.total.min(u64::from(u32::MAX)) as u32);
    }
}

/// Buckets of one objective, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    minutes: VecDeque<Bucket>,
    hours: VecDeque<Bucket>,
}

fn floor_to(unix: f64, width: i64) -> i64 {
    (unix / width as f64).floor() as i64 * width
}

fn add_at(buckets: &mut VecDeque<Bucket>, start: i64, counts: Counts) {
    match buckets.back_mut() {
        Some(last) if last.start == start => last.add(counts),
        Some(last) if last.start > start => {
            match buckets.binary_search_by_key(&start, |b| b.start) {
                Ok(i) => buckets[i].add(counts),
                Err(i) => {
                    let mut b = Bucket {
                        start,
                        ..Bucket::default()
                    };
                    b.add(counts);
                    buckets.insert(i, b);
                }
            }
        }
        _ => {
            let mut b = Bucket {
                start,
                ..Bucket::default()
            };
            b.add(counts);
            buckets.push_back(b);
        }
    }
}

fn sum_from(buckets: &VecDeque<Bucket>, from: i64) -> Counts {
    let mut sum = Counts::default();
    for b in buckets.iter().rev().take_while(|b| b.start >= from) {
        sum.good += u64::from(b.good);
        sum.total += u64::from(b.total);
    }
    sum
}

impl Ledger {
    /// Adds one round (or a stored bucket) at `unix`.
    pub fn record(&mut self, unix: f64, counts: Counts) {
        add_at(&mut self.minutes, floor_to(unix, MINUTE), counts);
        add_at(&mut self.hours, floor_to(unix, HOUR), counts);
    }

    /// Adds a stored minute bucket (only to the minutes).
    pub fn add_minute(&mut self, minute_unix: i64, counts: Counts) {
        add_at(
            &mut self.minutes,
            floor_to(minute_unix as f64, MINUTE),
            counts,
        );
    }

    /// Adds a stored hour bucket (only to the hours).
    pub fn add_hour(&mut self, hour_unix: i64, counts: Counts) {
        add_at(&mut self.hours, floor_to(hour_unix as f64, HOUR), counts);
    }

    /// Rounds from `from` to now: by minute when the minutes reach back that far, else by whole
    /// hours (the hour `from` falls in counts whole).
    pub fn since(&self, from: f64, now: f64) -> Counts {
        if now - from <= MINUTES_KEPT_SECS {
            sum_from(&self.minutes, floor_to(from, MINUTE))
        } else {
            sum_from(&self.hours, floor_to(from, HOUR))
        }
    }

    /// Forgets minutes past the burn windows and hours past `window_secs`.
    pub fn prune(&mut self, now: f64, window_secs: f64) {
        let minutes_from = floor_to(now - MINUTES_KEPT_SECS, MINUTE);
        while self.minutes.front().is_some_and(|b| b.start < minutes_from) {
            self.minutes.pop_front();
        }
        let hours_from = floor_to(now - window_secs, HOUR);
        while self.hours.front().is_some_and(|b| b.start < hours_from) {
            self.hours.pop_front();
        }
    }
}
