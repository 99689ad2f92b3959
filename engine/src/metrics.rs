//! What the console exposes to Prometheus (`GET /metrics`), kept current as rounds are stored
//! and replays finish, and encoded with `prometheus-client` in the OpenMetrics text format.
//!
//! Counters start at zero with each console start, as Prometheus expects of counters.

use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::probe::EnvironmentReport;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EnvironmentLabel {
    environment: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProbeLabel {
    environment: String,
    probe: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReplayLabel {
    suite: String,
    /// `passed` (the gate held), `blocked` (below the minimum pass rate) or `cancelled`.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SloLabel {
    environment: String,
    slo: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabel {
    channel: String,
    /// `delivered` or `failed` (after every attempt).
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SuiteLabel {
    suite: String,
}

type Ratio = Gauge<f64, std::sync::atomic::AtomicU64>;

/// How a replay run ended, for the `outcome` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayOutcome {
    Passed,
    Blocked,
    Cancelled,
}

impl ReplayOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Blocked => "blocked",
            Self::Cancelled => "cancelled",
        }
    }
}

/// Probe latency buckets, in seconds: 1 ms to 10 s (a probe's timeout).
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

pub struct Metrics {
    registry: Registry,
    ready: Family<EnvironmentLabel, Gauge>,
    rounds: Family<EnvironmentLabel, Counter>,
    rounds_not_ready: Family<EnvironmentLabel, Counter>,
    latency: Family<ProbeLabel, Histogram, fn() -> Histogram>,
    replays: Family<ReplayLabel, Counter>,
    slo_budget: Family<SloLabel, Ratio>,
    slo_value: Family<SloLabel, Ratio>,
    deliveries: Family<DeliveryLabel, Counter>,
    canary: Family<SuiteLabel, Ratio>,
    /// Encoding borrows the registry; one scrape at a time is plenty.
    encoding: Mutex<()>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let ready = Family::<EnvironmentLabel, Gauge>::default();
        let rounds = Family::<EnvironmentLabel, Counter>::default();
        let rounds_not_ready = Family::<EnvironmentLabel, Counter>::default();
        let latency = Family::<ProbeLabel, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let replays = Family::<ReplayLabel, Counter>::default();
        registry.register(
            "greenlight_environment_ready",
            "1 when the environment's latest probe round was ready, 0 when not",
            ready.clone(),
        );
        registry.register(
            "greenlight_probe_rounds",
            "Probe rounds stored",
            rounds.clone(),
        );
        registry.register(
            "greenlight_probe_rounds_not_ready",
            "Probe rounds stored whose verdict was not ready",
            rounds_not_ready.clone(),
        );
        registry.register(
            "greenlight_probe_latency_seconds",
            "Latency of each measured probe (Redis PING, readiness, dependencies, Inngest, custom checks)",
            latency.clone(),
        );
        registry.register(
            "greenlight_replay_runs",
            "Replay runs finished in the console, by suite and outcome",
            replays.clone(),
        );
        let slo_budget = Family::<SloLabel, Ratio>::default();
        let slo_value = Family::<SloLabel, Ratio>::default();
        let deliveries = Family::<DeliveryLabel, Counter>::default();
        let canary = Family::<SuiteLabel, Ratio>::default();
        registry.register(
            "greenlight_slo_budget_remaining_ratio",
            "Share of the SLO's error budget left over its window (negative once overspent)",
            slo_budget.clone(),
        );
        registry.register(
            "greenlight_slo_good_ratio",
            "Share of the SLO's counted rounds that were good over its window",
            slo_value.clone(),
        );
        registry.register(
            "greenlight_alert_deliveries",
            "Alert messages finished per channel: delivered, or failed after every attempt",
            deliveries.clone(),
        );
        registry.register(
            "greenlight_canary_pass_rate_ratio",
            "Pass rate of the suite's latest canary run",
            canary.clone(),
        );
        Self {
            slo_budget,
            slo_value,
            deliveries,
            canary,
            registry,
            ready,
            rounds,
            rounds_not_ready,
            latency,
            replays,
            encoding: Mutex::new(()),
        }
    }
}

impl Metrics {
    /// Counts a stored round of `report`.
    pub fn observe_round(&self, report: &EnvironmentReport) {
        let env = EnvironmentLabel {
            environment: report.environment.clone(),
        };
        let ready = report.readiness == domain::probe::Readiness::Ready;
        self.ready.get_or_create(&env).set(i64::from(ready));
        self.rounds.get_or_create(&env).inc();
        if !ready {
            self.rounds_not_ready.get_or_create(&env).inc();
        }
        for probe in &report.probes {
            if let Some(ms) = probe.latency_ms {
                self.latency
                    .get_or_create(&ProbeLabel {
                        environment: report.environment.clone(),
                        probe: probe.probe.to_string(),
                    })
                    .observe(ms / 1000.0);
            }
        }
    }

    /// Counts a finished replay run of `suite`.
    pub fn observe_replay(&self, suite: &str, outcome: ReplayOutcome) {
        self.replays
            .get_or_create(&ReplayLabel {
                suite: suite.to_string(),
                outcome: outcome.label().to_string(),
            })
            .inc();
    }

    /// The state of `environment`'s SLOs.
    pub fn observe_slos(&self, environment: &str, evaluations: &[domain::slo::Evaluation]) {
        for e in evaluations {
            let label = SloLabel {
                environment: environment.to_string(),
                slo: e.name.clone(),
            };
            if let Some(left) = e.budget_left {
                self.slo_budget.get_or_create(&label).set(left);
            }
            if let Some(value) = e.value {
                self.slo_value.get_or_create(&label).set(value);
            }
        }
    }

    /// Counts a finished alert delivery.
    pub fn observe_alert_delivery(&self, channel: &str, delivered: bool) {
        self.deliveries
            .get_or_create(&DeliveryLabel {
                channel: channel.to_string(),
                outcome: if delivered { "delivered" } else { "failed" }.to_string(),
            })
            .inc();
    }

    /// The pass rate of a suite's newest canary run.
    pub fn observe_canary(&self, suite: &str, pass_rate: f64) {
        self.canary
            .get_or_create(&SuiteLabel {
                suite: suite.to_string(),
            })
            .set(pass_rate);
    }

    /// Everything, in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        let _one = self.encoding.lock().unwrap_or_else(|p| p.into_inner());
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::probe::{ProbeOutcome, ProbeStatus, Readiness};

    #[test]
    fn a_round_sets_readiness_counts_and_latency() {
        let metrics = Metrics::default();
        let mut redis = ProbeOutcome::new("redis", ProbeStatus::Healthy, "ok");
        redis.latency_ms = Some(3.0);
        let mut report = EnvironmentReport {
            environment: "staging".into(),
            mode: domain::Mode::Staging,
            readiness: Readiness::Ready,
            checked_at: String::new(),
            probes: vec![redis],
        };
        metrics.observe_round(&report);
        report.readiness = Readiness::NotReady;
        metrics.observe_round(&report);
        metrics.observe_replay("gate", ReplayOutcome::Blocked);
        let text = metrics.encode();
        assert!(
            text.contains("greenlight_environment_ready{environment=\"staging\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("greenlight_probe_rounds_total{environment=\"staging\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("greenlight_probe_rounds_not_ready_total{environment=\"staging\"} 1"),
            "{text}"
        );
        assert!(text.contains("greenlight_probe_latency_seconds_bucket{le=\"0.005\",environment=\"staging\",probe=\"redis\"} 2"), "{text}");
        assert!(
            text.contains("greenlight_replay_runs_total{suite=\"gate\",outcome=\"blocked\"} 1"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn slo_budgets_canary_rates_and_deliveries_are_exposed() {
        let metrics = Metrics::default();
        let slo = domain::slo::Objective {
            name: "uptime".into(),
            indicator: domain::slo::Indicator::Readiness,
            target: 0.99,
            window_secs: 86_400.0,
        };
        let mut ledger = domain::slo::Ledger::default();
        for k in 0..100 {
            ledger.record(
                1_800_000_000.0 - k as f64 * 60.0,
                domain::slo::Counts::of(k != 0),
            );
        }
        let eval = slo.evaluate(&ledger, 1_800_000_000.0, 60.0);
        metrics.observe_slos("production", &[eval]);
        metrics.observe_canary("gate", 0.5);
        metrics.observe_alert_delivery("ops", true);
        metrics.observe_alert_delivery("ops", false);
        let text = metrics.encode();
        // 1 bad minute of a 14.4 min budget: 93 % left.
        assert!(text.contains("greenlight_slo_budget_remaining_ratio{environment=\"production\",slo=\"uptime\"} 0.93"), "{text}");
        assert!(
            text.contains(
                "greenlight_slo_good_ratio{environment=\"production\",slo=\"uptime\"} 0.99"
            ),
            "{text}"
        );
        assert!(
            text.contains("greenlight_canary_pass_rate_ratio{suite=\"gate\"} 0.5"),
            "{text}"
        );
        assert!(
            text.contains(
                "greenlight_alert_deliveries_total{channel=\"ops\",outcome=\"failed\"} 1"
            ),
            "{text}"
        );
    }
}
