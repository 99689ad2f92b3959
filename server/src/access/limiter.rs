//! Failed sign-ins per client over a sliding minute, and how many of them reach the audit log.
//!
//! Blocking: [`SignInLimiter::attempt`] checks and reserves an attempt in one step (so parallel
//! guesses cannot all pass the check before any is counted); a good sign-in gives the
//! reservation back. Clients are keyed by address (IPv6 by its /64, which one host usually
//! owns whole); when [`MAX_CLIENTS`] are being watched, further ones share one key and one
//! limit, so rotating addresses buys nothing.
//!
//! The audit log: a loop of bad sign-ins must neither fill it nor crowd out the single
//! database writer. The first failure of a client in a minute is written at once (admins see
//! an attack start), every further one (refused with 429 or not) is only counted here, and
//! the count is written as one row when that client's minute is over
//! ([`SignInLimiter::take_tallies`], called by a background task, and with `all` at
//! shutdown). So a client costs at most two rows a minute. New clients write their first row
//! only while fewer than [`IMMEDIATE_ROWS_PER_MINUTE`] have been written this minute; past
//! that (many addresses at once) they are counted in one "various clients" tally.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(60);
/// Clients watched (and tallied) at most.
const MAX_CLIENTS: usize = 10_000;
/// First-failure rows written at once per minute, all clients together.
pub const IMMEDIATE_ROWS_PER_MINUTE: u32 = 60;

/// The key clients past [`MAX_CLIENTS`] share.
const OVERFLOW: IpAddr = IpAddr::V6(Ipv6Addr::UNSPECIFIED);

/// One client's failures in its counted minute, not yet written.
struct Tally {
    since: Instant,
    unwritten: u64,
    refused: u64,
}

#[derive(Default)]
struct State {
    /// Attempts of the last minute per client key (for the 429 decision).
    attempts: HashMap<IpAddr, Vec<Instant>>,
    /// Counted failures per client (for the audit log).
    tallies: HashMap<IpAddr, Tally>,
    /// Failures of clients past the limits above.
    various: Option<Tally>,
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

/// The address a client is limited by: IPv4 (or an IPv4-mapped IPv6) as it is, IPv6 by /64.
fn key_of(client: IpAddr) -> IpAddr {
    match client.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl SignInLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One sign-in attempt by `client`: `true` when it has used up its `allowed` attempts of
    /// the last minute (answer 429); otherwise the attempt is counted now, before the token
    /// is checked, and given back by [`Self::clear`] if the token verifies.
    pub fn attempt(&self, client: IpAddr, allowed: u32, now: Instant) -> bool {
        let mut state = self.lock();
        let mut key = key_of(client);
        if !state.attempts.contains_key(&key) && state.attempts.len() >= MAX_CLIENTS {
            state.attempts.retain(|_, times| {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                !times.is_empty()
            });
            if state.attempts.len() >= MAX_CLIENTS {
                key = OVERFLOW;
            }
        }
        let times = state.attempts.entry(key).or_default();
        times.retain(|t| now.duration_since(*t) < WINDOW);
        if times.len() >= allowed as usize {
            return true;
        }
        times.push(now);
        false
    }

    /// A good sign-in: the client's attempts no longer count (what it failed before is still
    /// tallied for the audit log).
    pub fn clear(&self, client: IpAddr) {
        self.lock().attempts.remove(&key_of(client));
    }

    /// Counts a failed sign-in (`refused`: answered 429 without checking the token) for the
    /// audit log and says whether to write it now.
    pub fn record_failure(&self, client: IpAddr, refused: bool, now: Instant) -> Record {
        let mut state = self.lock();
        let state = &mut *state;
        if let Some(tally) = state.tallies.get_mut(&client) {
            tally.unwritten += 1;
            tally.refused += u64::from(refused);
            return Record::Counted;
        }
        let immediate = match state.immediate {
            (Some(start), n) if now.duration_since(start) < WINDOW => n,
            _ => {
                state.immediate = (Some(now), 0);
                0
            }
        };
        if state.tallies.len() >= MAX_CLIENTS || immediate >= IMMEDIATE_ROWS_PER_MINUTE {
            let various = state.various.get_or_insert(Tally {
                since: now,
                unwritten: 0,
                refused: 0,
            });
            various.unwritten += 1;
            various.refused += u64::from(refused);
            return Record::Counted;
        }
        state.immediate.1 += 1;
        state.tallies.insert(
            client,
            Tally {
                since: now,
                unwritten: 0,
                refused: 0,
            },
        );
        Record::Write
    }

    /// The counts of every minute that is over (or all of them, with `all`, at shutdown),
    /// forgetting those tallies; one audit row each. Attempts older than a minute are
    /// forgotten too.
    pub fn take_tallies(&self, now: Instant, all: bool) -> Vec<Unwritten> {
        let mut state = self.lock();
        let state = &mut *state;
        let mut out = Vec::new();
        state.tallies.retain(|ip, tally| {
            let age = now.duration_since(tally.since);
            if !all && age < WINDOW {
                return true;
            }
            if tally.unwritten > 0 {
                out.push(Unwritten {
                    client: Some(*ip),
                    failures: tally.unwritten,
                    refused: tally.refused,
                    age,
                });
            }
            false
        });
        if let Some(various) = &state.various
            && (all || now.duration_since(various.since) >= WINDOW)
        {
            out.push(Unwritten {
                client: None,
                failures: various.unwritten,
                refused: various.refused,
                age: now.duration_since(various.since),
            });
            state.various = None;
        }
        state.attempts.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < WINDOW);
            !times.is_empty()
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowed_attempts_for_a_minute() {
        let limiter = SignInLimiter::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(
                !limiter.attempt(a, 3, t0),
                "reserved before the token is checked"
            );
        }
        assert!(limiter.attempt(a, 3, t0));
        assert!(!limiter.attempt(b, 3, t0), "per client");
        assert!(!limiter.attempt(a, 3, t0 + WINDOW), "a minute later");
        limiter.clear(a);
        assert!(!limiter.attempt(a, 1, t0 + WINDOW));
    }

    #[test]
    fn an_ipv6_host_is_limited_by_its_64_and_a_mapped_ipv4_as_ipv4() {
        let limiter = SignInLimiter::default();
        let t0 = Instant::now();
        for i in 0..3u16 {
            let ip = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 1, 0, 0, 0, i + 1));
            assert!(!limiter.attempt(ip, 3, t0));
        }
        let other_in_64: IpAddr = "2001:db8:1:1::99".parse().unwrap();
        assert!(limiter.attempt(other_in_64, 3, t0));
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert!(!limiter.attempt(mapped, 1, t0));
        assert!(limiter.attempt("10.0.0.7".parse().unwrap(), 1, t0));
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
        limiter.record_failure(a, false, t0 + WINDOW);
        let at_shutdown = limiter.take_tallies(t0 + WINDOW, true);
        assert_eq!(at_shutdown.len(), 1, "nothing counted is lost at shutdown");
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

    #[test]
    fn clients_past_the_watched_number_share_one_limit() {
        let limiter = SignInLimiter::default();
        let t0 = Instant::now();
        for i in 0..MAX_CLIENTS as u32 {
            limiter.attempt(IpAddr::from(i.to_be_bytes()), 3, t0);
        }
        let fresh = |n: u32| IpAddr::from((u32::MAX - n).to_be_bytes());
        assert!(!limiter.attempt(fresh(1), 2, t0));
        assert!(!limiter.attempt(fresh(2), 2, t0));
        assert!(
            limiter.attempt(fresh(3), 2, t0),
            "rotating addresses buys nothing"
        );
    }
}
