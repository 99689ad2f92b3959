//! Service-level objectives over probe rounds: which rounds are good, the error budget a target
//! leaves over its window, and how fast that budget burns.
//!
//! Every objective is "at least `target` of the rounds are good over `window`". A latency goal
//! such as "Redis PING p95 < 50 ms" is the same thing said differently: at least 95 % of rounds
//! answer PING in under 50 ms. Alerts follow the multi-window, multi-burn-rate rules of the
//! Google SRE workbook (chapter "Alerting on SLOs"): page when both the 1 h and 5 min burn rates
//! exceed 14.4 (2 % of a 30-day budget in one hour), open a ticket when both the 6 h and 30 min
//! burn rates exceed 6 (5 % in six hours). The short window makes the alert stop soon after the
//! problem does. A window with fewer rounds than the probe interval fills (a young console, a
//! gap) counts the missing rounds as good, so one early blip does not page.

mod ledger;

pub use ledger::{Counts, Ledger, MINUTES_KEPT_SECS};

use serde::{Deserialize, Serialize};

use crate::probe::{ProbeKind, ProbeOutcome, ProbeStatus, Readiness};

/// What makes one round good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Indicator {
    /// The round's verdict was Ready.
    Readiness,
    /// Probe `probe` (`redis`, `readiness`, ...) answered in under `below_ms`.
    Latency { probe: ProbeKind, below_ms: f64 },
    /// Custom check `check` held (every condition passed).
    Check { check: String },
}

/// One objective of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Unique within its environment; names the SLO in pages, alerts and metrics.
    pub name: String,
    pub indicator: Indicator,
    /// Share of rounds that must be good, strictly between 0 and 1 (0.999 = 99.9 %).
    pub target: f64,
    pub window_secs: f64,
}

/// The burn-rate thresholds and their windows (seconds): (long, short, factor).
pub const FAST_BURN: (f64, f64, f64) = (3_600.0, 300.0, 14.4);
pub const SLOW_BURN: (f64, f64, f64) = (21_600.0, 1_800.0, 6.0);

impl Objective {
    /// Whether a round counts as good, bad, or not at all (`None`: the probe the objective
    /// reads was not part of the round, or is not configured for the environment).
    pub fn judge(&self, readiness: Readiness, outcomes: &[ProbeOutcome]) -> Option<bool> {
        match &self.indicator {
            Indicator::Readiness => Some(readiness == Readiness::Ready),
            Indicator::Latency { probe, below_ms } => {
                let outcome = outcomes.iter().find(|o| &o.probe == probe)?;
                match outcome.status {
                    ProbeStatus::NotConfigured => None,
                    // An answer that never came, or a failed one, did not meet the goal.
                    ProbeStatus::Unverified | ProbeStatus::Unhealthy => Some(false),
                    ProbeStatus::Healthy | ProbeStatus::Degraded => {
                        Some(outcome.latency_ms.is_some_and(|ms| ms < *below_ms))
                    }
                }
            }
            Indicator::Check { check } => {
                let outcome = outcomes
                    .iter()
                    .find(|o| matches!(&o.probe, ProbeKind::Check(name) if name == check))?;
                match outcome.status {
                    ProbeStatus::NotConfigured => None,
                    ProbeStatus::Healthy | ProbeStatus::Degraded => Some(true),
                    ProbeStatus::Unhealthy | ProbeStatus::Unverified => Some(false),
                }
            }
        }
    }

    /// The objective in words: "Ready in 99.9 % of rounds over 30 days".
    pub fn describe(&self) -> String {
        let share = percent(self.target);
        let days = crate::time::window_words(self.window_secs as u64);
        match &self.indicator {
            Indicator::Readiness => format!("Ready in {share} of rounds over {days}"),
            Indicator::Latency { probe, below_ms } => format!(
                "{probe} answers in under {} ms in {share} of rounds over {days} (p{} < {} ms)",
                trim(*below_ms),
                trim(self.target * 100.0),
                trim(*below_ms)
            ),
            Indicator::Check { check } => {
                format!("check {check} holds in {share} of rounds over {days}")
            }
        }
    }

    /// The whole budget as time: the share of the window that may be bad.
    pub fn budget_secs(&self) -> f64 {
        (1.0 - self.target) * self.window_secs
    }

    /// How fast the budget burns in a window with `counts`: 1.0 spends exactly the budget
    /// over the objective's window. `None` without rounds.
    pub fn burn_rate(&self, counts: Counts) -> Option<f64> {
        (counts.total > 0).then(|| counts.bad_share() / (1.0 - self.target))
    }

    /// Evaluates the objective from its ledger at `now`. `round_secs` is how long one round
    /// stands for (the environment's probe interval): a bad round spends that much budget.
    pub fn evaluate(&self, ledger: &Ledger, now: f64, round_secs: f64) -> Evaluation {
        let whole = ledger.since(now - self.window_secs, now);
        // A window counts at least the rounds the probe interval fills: on a young console (or
        // after a gap) a single bad round does not look like a whole window burning.
        let burn = |secs: f64| {
            let mut counts = ledger.since(now - secs, now);
            let expected = (secs / round_secs.max(1.0)).floor() as u64;
            if counts.total > 0 && counts.total < expected {
                counts.good += expected - counts.total;
                counts.total = expected;
            }
            self.burn_rate(counts)
        };
        let burn_5m = burn(FAST_BURN.1);
        let burn_1h = burn(FAST_BURN.0);
        let burn_30m = burn(SLOW_BURN.1);
        let burn_6h = burn(SLOW_BURN.0);
        let over = |a: Option<f64>, b: Option<f64>, factor: f64| {
            a.is_some_and(|a| a > factor) && b.is_some_and(|b| b > factor)
        };
        let alert = if over(burn_1h, burn_5m, FAST_BURN.2) {
            Some(Burn::Fast)
        } else if over(burn_6h, burn_30m, SLOW_BURN.2) {
            Some(Burn::Slow)
        } else {
            None
        };
        let budget_secs = self.budget_secs();
        let spent_secs = whole.bad() as f64 * round_secs;
        Evaluation {
            name: self.name.clone(),
            description: self.describe(),
            target: self.target,
            window_secs: self.window_secs,
            rounds: whole,
            value: whole.good_share(),
            budget_secs,
            spent_secs,
            budget_left: (budget_secs > 0.0).then(|| 1.0 - spent_secs / budget_secs),
            burn_5m,
            burn_1h,
            burn_30m,
            burn_6h,
            alert,
        }
    }
}

/// Which burn-rate alert an objective is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Burn {
    /// Page: 1 h and 5 min burn rates over 14.4.
    Fast,
    /// Ticket: 6 h and 30 min burn rates over 6.
    Slow,
}

/// An objective's state at one moment, as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub name: String,
    pub description: String,
    pub target: f64,
    pub window_secs: f64,
    /// Rounds counted over the window (rounds in maintenance windows are not).
    pub rounds: Counts,
    /// Share of good rounds over the window; `None` before the first round.
    pub value: Option<f64>,
    pub budget_secs: f64,
    pub spent_secs: f64,
    /// Share of the budget left (negative once it is overspent).
    pub budget_left: Option<f64>,
    pub burn_5m: Option<f64>,
    pub burn_1h: Option<f64>,
    pub burn_30m: Option<f64>,
    pub burn_6h: Option<f64>,
    pub alert: Option<Burn>,
}

impl Evaluation {
    /// "31 min of 43 min left this 30 days", or "overspent by 12 min".
    pub fn budget_words(&self) -> String {
        let budget = crate::time::human_duration(self.budget_secs);
        let left = self.budget_secs - self.spent_secs;
        let days = crate::time::window_words(self.window_secs as u64);
        if left >= 0.0 {
            format!(
                "{} of {budget} left this {days}",
                crate::time::human_duration(left)
            )
        } else {
            format!(
                "overspent by {} (budget {budget} this {days})",
                crate::time::human_duration(-left)
            )
        }
    }
}

/// 0.999 → "99.9 %".
pub fn percent(share: f64) -> String {
    format!("{} %", trim(share * 100.0))
}

/// A number without trailing zeros, at most three decimals.
fn trim(x: f64) -> String {
    let s = format!("{:.3}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests;
