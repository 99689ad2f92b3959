//! Failed sign-ins per client over a sliding minute, and how many of them reach the audit log.
//!
//! A loop of bad sign-ins must neither fill the audit log nor crowd out the single database
//! writer: the first failure of a client in a minute is written at once (admins see an attack
//! start), every further one (refused with 429 or not) is only counted here, and the count is
//! written as one row when that client's minute is over ([`SignInLimiter::take_tallies`],
//! called by a background task). So a client costs at most two rows a minute. New clients
//! write their first row only while fewer than [`IMMEDIATE_ROWS_PER_MINUTE`] have been
//! written this minute; past that (many addresses at once) they are counted in one
//! "various clients" tally.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered at most; past it, failures are counted under "various clients".
const MAX_CLIENTS: usize = 10_000;
/// First-failure rows written at once per minute, all clients together.
pub const IMMEDIATE_ROWS_PER_MINUTE: u32 = 60;

/// One client's failures in its current minute.
struct Client {
    /// Failures of the last minute (for the 429 decision).
    recent: Vec<Instant>,
    /// When the counted minute started (its first failure).
    since: Instant,
    /// Failures in the counted minute not yet written, and how many of them were refused.
    unwritten: u64,
    refused: u64,
}

#[derive(Default)]
struct Tally {
    since: Option<Instant>,
    failures: u64,
    refused: u64,
}

#[derive(Default)]
struct State {
    clients: HashMap<IpAddr, Client>,
    /// Failures of clients past the limits above.
    various: Tally,
    /// Immediate rows written in the minute that started at `.0`.
    immediate: (Option<Instant>, u32),
}

#[derive(Default)]
pub struct SignInLimiter {
    state: Mutex<State>,
}

/// What to write for a failure that was just recorded.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
    /// The client's first failure this minute: write it now.
    Write,
    /// Counted; it reaches the audit log in the client's tally.
    Counted,
}

/// Failures counted but not yet written: one audit row each.
#[derive(Debug, PartialEq, Eq)]
pub struct Unwritten {
    /// `None`: clients past the limits, together.
    pub client: Option<IpAddr>,
    pub failures: u64,
    pub refused: u64,
    /// How long ago the counted minute started.
    pub age: Duration,
}

impl SignInLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True when `client` has used up its failed attempts for the last minute.
    pub fn is_blocked(&self, client: IpAddr, allowed: u32, now: Instant) -> bool {
        let mut state = self.lock();
        let Some(entry) = state.clients.get_mut(&client) else {
            return false;
        };
        entry.recent.retain(|t| now.duration_since(*t) < WINDOW);
        entry.recent.len() >= allowed as usize
    }

    /// Counts a failed sign-in (`refused`: answered 429 without checking the token) and says
    /// whether to write it now.
    pub fn record_failure(&self, client: IpAddr, refused: bool, now: Instant) -> Record {
        let mut state = self.lock();
        let state = &mut *state;
        if let Some(entry) = state.clients.get_mut(&client) {
            if !refused {
                entry.recent.push(now);
            }
            entry.unwritten += 1;
            entry.refused += u64::from(refused);
            return Record::Counted;
        }
        let immediate = match state.immediate {
            (Some(start), n) if now.duration_since(start) < WINDOW => n,
            _ => {
                state.immediate = (Some(now), 0);
                0
            }
        };
        if state.clients.len() >= MAX_CLIENTS || immediate >= IMMEDIATE_ROWS_PER_MINUTE {
            let various = &mut state.various;
            various.since.get_or_insert(now);
            various.failures += 1;
            various.refused += u64::from(refused);
            return Record::Counted;
        }
        state.immediate.1 += 1;
        state.clients.insert(
            client,
            Client {
                recent: if refused { Vec::new() } else { vec![now] },
                since: now,
                unwritten: 0,
                refused: 0,
            },
        );
        Record::Write
    }

    /// A good sign-in: the client's slate is clean (what it failed before is still tallied).
    pub fn clear(&self, client: IpAddr) {
        if let Some(entry) = self.lock().clients.get_mut(&client) {
            entry.recent.clear();
        }
    }

    /// The counts of every minute that is over (or all of them, with `all`, at shutdown),
    /// forgetting those clients; one audit row each.
    pub fn take_tallies(&self, now: Instant, all: bool) -> Vec<Unwritten> {
        let mut state = self.lock();
        let state = &mut *state;
        let mut out = Vec::new();
        state.clients.retain(|ip, entry| {
            let age = now.duration_since(entry.since);
            if !all && age < WINDOW {
                return true;
            }
            if entry.unwritten > 0 {
                out.push(Unwritten {
                    client: Some(*ip),
                    failures: entry.unwritten,
                    refused: entry.refused,
                    age,
                });
            }
            false
        });
        if let Some(since) = state.various.since
            && (all || now.duration_since(since) >= WINDOW)
        {
            out.push(Unwritten {
                client: None,
                failures: state.various.failures,
                refused: state.various.refused,
                age: now.duration_since(since),
            });
            state.various = Tally::default();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowed_failures_for_a_minute() {
        let limiter = SignInLimiter::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(!limiter.is_blocked(a, 3, t0));
            limiter.record_failure(a, false, t0);
        }
        assert!(limiter.is_blocked(a, 3, t0));
        assert!(!limiter.is_blocked(b, 3, t0), "per client");
        assert!(!limiter.is_blocked(a, 3, t0 + WINDOW), "a minute later");
        limiter.record_failure(a, false, t0 + WINDOW);
        limiter.clear(a);
        assert!(!limiter.is_blocked(a, 1, t0 + WINDOW));
    }

    #[test]
    fn a_client_writes_its_first_failure_and_one_tally_a_minute() {
        let limiter = SignInLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        assert_eq!(limiter.record_failure(a, false, t0), Record::Write);
        for i in 0..299 {
            assert_eq!(limiter.record_failure(a, i >= 9, t0), Record::Counted);
        }
        assert!(limiter.take_tallies(t0 + WINDOW / 2, false).is_empty());
        let tallies = limiter.take_tallies(t0 + WINDOW, false);
        assert_eq!(tallies.len(), 1);
        assert_eq!(
            (tallies[0].client, tallies[0].failures, tallies[0].refused),
            (Some(a), 299, 290)
        );
        assert_eq!(
            limiter.record_failure(a, false, t0 + WINDOW),
            Record::Write,
            "a new minute"
        );
    }

    #[test]
    fn many_new_clients_share_one_tally_past_the_immediate_rows() {
        let limiter = SignInLimiter::default();
        let t0 = Instant::now();
        let written = (0..1_000u32)
            .map(|i| IpAddr::from([10, 1, (i >> 8) as u8, i as u8]))
            .filter(|ip| limiter.record_failure(*ip, false, t0) == Record::Write)
            .count();
        assert_eq!(written as u32, IMMEDIATE_ROWS_PER_MINUTE);
        let tallies = limiter.take_tallies(t0 + WINDOW, false);
        assert_eq!(
            tallies.len(),
            1,
            "the first 60 have nothing more to say: {tallies:?}"
        );
        assert_eq!((tallies[0].client, tallies[0].failures), (None, 940));
    }
}
