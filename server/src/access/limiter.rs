//! Failed sign-ins per client, over a sliding minute.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered at most; the oldest are forgotten first.
const MAX_CLIENTS: usize = 10_000;

#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl SignInLimiter {
    /// True when `client` has used up its failed attempts for the last minute.
    pub fn is_blocked(&self, client: IpAddr, allowed: u32, now: Instant) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(&client) else {
            return false;
        };
        times.retain(|t| now.duration_since(*t) < WINDOW);
        times.len() >= allowed as usize
    }

    pub fn record_failure(&self, client: IpAddr, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_CLIENTS && !map.contains_key(&client) {
            map.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
            if map.len() >= MAX_CLIENTS {
                return;
            }
        }
        map.entry(client).or_default().push(now);
    }

    pub fn clear(&self, client: IpAddr) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&client);
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
            limiter.record_failure(a, t0);
        }
        assert!(limiter.is_blocked(a, 3, t0));
        assert!(!limiter.is_blocked(b, 3, t0), "per client");
        assert!(!limiter.is_blocked(a, 3, t0 + WINDOW), "a minute later");
        limiter.record_failure(a, t0 + WINDOW);
        limiter.clear(a);
        assert!(!limiter.is_blocked(a, 1, t0 + WINDOW));
    }
}
