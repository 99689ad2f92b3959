//! Step 6: staging ready in every round, with no gap longer than three probe intervals, for the
//! whole window (24 h unless configured otherwise).

use serde::{Deserialize, Serialize};

/// One stored probe round: when, and whether it was ready.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub unix: f64,
    pub ready: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stability", rename_all = "snake_case")]
pub enum Stability {
    /// Ready throughout the window.
    Stable { since_unix: f64 },
    /// Ready since `since_unix`; `remaining_secs` to go. `reset` names what restarted the
    /// clock, if anything did within the go-live.
    Waiting {
        since_unix: f64,
        remaining_secs: f64,
        reset: Option<Reset>,
    },
    /// Not ready now (or no recent round): the clock is stopped.
    NotReady { reset: Reset },
    /// No rounds at all yet.
    NoHistory,
}

/// Why the clock restarted: a failed round, or a gap in probing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reset {
    FailedRound { at_unix: f64 },
    Gap { from_unix: f64, to_unix: f64 },
}

/// Rounds oldest first. A gap counts when longer than three intervals, including the time
/// since the newest round.
pub fn stability(
    rounds: &[Round],
    now_unix: f64,
    window_secs: f64,
    interval_secs: f64,
) -> Stability {
    let max_gap = 3.0 * interval_secs;
    let Some(newest) = rounds.last() else {
        return Stability::NoHistory;
    };
    if now_unix - newest.unix > max_gap {
        return Stability::NotReady {
            reset: Reset::Gap {
                from_unix: newest.unix,
                to_unix: now_unix,
            },
        };
    }
    if !newest.ready {
        return Stability::NotReady {
            reset: Reset::FailedRound {
                at_unix: newest.unix,
            },
        };
    }
    // Walk back over the unbroken ready streak.
    let mut since = newest.unix;
    let mut reset = None;
    for pair in rounds.windows(2).rev() {
        let (older, newer) = (pair[0], pair[1]);
        if !older.ready {
            reset = Some(Reset::FailedRound {
                at_unix: older.unix,
            });
            break;
        }
        if newer.unix - older.unix > max_gap {
            reset = Some(Reset::Gap {
                from_unix: older.unix,
                to_unix: newer.unix,
            });
            break;
        }
        since = older.unix;
    }
    let held = now_unix - since;
    if held >= window_secs {
        Stability::Stable { since_unix: since }
    } else {
        Stability::Waiting {
            since_unix: since,
            remaining_secs: window_secs - held,
            reset,
        }
    }
}
