//! What server functions send to the browser. Secrets never appear in these types: URLs are
//! masked and env files are named, not read, here.

use domain::Mode;
use domain::day_strip::DayStrip;
use domain::probe::Readiness;
use domain::replay_run::{CaseStatus, RunStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentSummary {
    pub name: String,
    pub mode: Mode,
    pub base_url: String,
    /// The env file's name (not its path or contents).
    pub env_file: Option<String>,
    pub probe_interval_secs: u64,
    pub expected_inngest_functions: Option<u32>,
    /// "X-Dashboard-Token from env file key DASHBOARD_AUTH_TOKEN": where, never what.
    pub dependencies_auth: Option<String>,
    /// One of practice mode's services, not a real environment.
    pub practice: bool,
}

/// What the Status page's first-run guide needs (a console on its embedded example workspace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    /// Practice mode runs (its staging → production pair can be rehearsed).
    pub practice: bool,
    /// Why practice mode runs without Redis (or not at all), in words.
    pub notice: Option<String>,
    /// The example suite's name, for "Run the example replay".
    pub example_suite: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuiteSummary {
    pub name: String,
    /// The golden set's file name.
    pub golden_set: String,
    pub runner_kind: String,
    pub runner: String,
    pub min_pass_rate: f64,
    pub concurrency: usize,
    pub case_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleInfo {
    pub version: String,
    pub config_source: String,
    pub listen_addr: String,
    pub data_dir: String,
    pub database_file: String,
    pub database_created_at: String,
    pub schema_version: i64,
    pub database_size_bytes: u64,
    pub uptime_secs: u64,
    pub console_redis: Option<String>,
}

/// One stored replay run, as the Replays pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayRunInfo {
    pub id: i64,
    pub suite: String,
    pub suite_version: String,
    pub runner: String,
    pub status: RunStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub total_cases: i64,
    pub finished_cases: i64,
    pub passed_cases: Option<i64>,
    pub pass_rate: Option<f64>,
    pub average_score: Option<f64>,
    pub min_pass_rate: f64,
    pub block_build: Option<bool>,
    pub is_baseline: bool,
    /// A task in this console is working on it right now (it can be cancelled).
    pub active: bool,
    /// Started by the suite's canary schedule.
    pub canary: bool,
    /// Which cases, when not the whole suite (only whole-suite runs count for the go-live).
    pub selection: Option<String>,
}

/// A suite's canary replays on the Replays page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CanaryView {
    pub suite: String,
    /// "every 30 minutes".
    pub schedule: String,
    /// "a rotating sample of 10 cases".
    pub selection: String,
    pub min_pass_rate: f64,
    pub max_drop_points: f64,
    /// The last 7 days, newest first.
    pub runs: Vec<ReplayRunInfo>,
}

impl CanaryView {
    /// How many of the newest completed canaries in a row passed (true) or failed the gate.
    pub fn streak(&self) -> Option<(bool, usize)> {
        let mut completed = self
            .runs
            .iter()
            .filter(|r| r.status == RunStatus::Completed);
        let first = completed.next()?.block_build == Some(false);
        let run = 1 + completed
            .take_while(|r| (r.block_build == Some(false)) == first)
            .count();
        Some((first, run))
    }
}

impl ReplayRunInfo {
    /// The gate verdict in words: only a completed run can pass the gate.
    pub fn gate(&self) -> &'static str {
        match (self.status, self.block_build) {
            (RunStatus::Completed, Some(false)) => "Passed",
            (RunStatus::Completed, Some(true)) => "Blocked",
            (RunStatus::Completed, None) | (RunStatus::Interrupted, _) => "Interrupted",
            (RunStatus::Running, _) => "Running",
            (RunStatus::Cancelled, _) => "Cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionInfo {
    pub name: String,
    pub score: u8,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayCaseInfo {
    pub ordinal: i64,
    pub case_id: String,
    pub input_query: String,
    pub status: CaseStatus,
    pub pass: bool,
    pub overall_score: f64,
    pub duration_ms: i64,
    /// Fails a criterion no score makes up for (tool ≤ 2, groundedness ≤ 2, negative violated).
    pub critical: bool,
    pub error: Option<String>,
    pub final_verdict: Option<String>,
    pub criteria: Vec<CriterionInfo>,
    pub expected_tools: Vec<String>,
    pub tools: Vec<String>,
    pub output: String,
    pub negative_violations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDetail {
    pub run: ReplayRunInfo,
    pub cases: Vec<ReplayCaseInfo>,
    /// The suite's baseline run, when there is one other than this run.
    pub baseline_id: Option<i64>,
    /// Cases that passed in the baseline and fail here.
    pub regressed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiffView {
    pub a: ReplayRunInfo,
    pub b: ReplayRunInfo,
    pub diff: domain::run_diff::RunDiff,
}

/// One environment on the Status page: its configuration and what the last probe rounds found.
/// Its size is fixed by the number of probes and buckets, never by the stored history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentStatus {
    pub summary: EnvironmentSummary,
    /// The verdict after hysteresis; `None` before the first probe round.
    pub readiness: Option<Readiness>,
    /// The newest round's own verdict, and how many rounds it has held.
    pub latest_round: Option<(Readiness, usize)>,
    /// Rounds needed to change the shown verdict (to not ready / unknown, and back to ready).
    pub flip_after_rounds: usize,
    pub recover_after_rounds: usize,
    pub checked_at: Option<String>,
    /// The newest round's probes: status, latency and message (raw evidence is on the
    /// environment page).
    pub probes: Vec<domain::probe::ProbeOutcome>,
    /// The newest round's verdict and the seconds it has held.
    pub streak: Option<(Readiness, f64)>,
    /// Share of ready rounds over the last 24 h, 0..1.
    pub uptime_24h: Option<f64>,
    /// The last 24 h in fixed buckets: the readiness timeline and the latency sparkline.
    pub day: DayStrip,
    /// REDIS_REQUIRED / INNGEST_REQUIRED as the deployed service reports them.
    pub redis_required: Option<bool>,
    pub inngest_required: Option<bool>,
    /// Round latency percentiles over the last 24 h.
    pub latency_24h: Option<domain::history::Percentiles>,
    /// Each `[[environments.slos]]` now: value, budget left, burn rates.
    pub slos: Vec<domain::slo::Evaluation>,
    /// The maintenance window the environment is in now.
    pub maintenance: Option<domain::maintenance::MaintenanceWindow>,
}

/// The environment page: the card's status plus history, the last failure and parity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentDetail {
    pub status: EnvironmentStatus,
    pub window: domain::history::Window,
    /// One entry per window (1 h, 24 h, 7 d, 30 d).
    pub stats: Vec<domain::history::WindowStats>,
    /// The chart of `window`.
    pub series: Vec<domain::history::HistoryPoint>,
    pub now_unix: f64,
    pub last_failure: Option<FailureEvidence>,
    /// The other configured environments, for the parity selector.
    pub others: Vec<String>,
    pub compare: Option<String>,
    pub parity: Option<domain::parity::ParityReport>,
    /// Why there is no parity report (no env file, unreadable file).
    pub parity_error: Option<String>,
    /// Maintenance windows overlapping the chart (shaded on it).
    pub maintenance_windows: Vec<domain::maintenance::MaintenanceWindow>,
}

/// The Alerts page: what is wrong now, what was, and every message sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsView {
    pub open: Vec<domain::alert::Incident>,
    /// The newest incidents, open or resolved.
    pub incidents: Vec<domain::alert::Incident>,
    /// The newest deliveries, newest first.
    pub deliveries: Vec<domain::alert::Delivery>,
    pub channels: Vec<ChannelInfo>,
    pub now_unix: f64,
}

/// A configured alert channel: its name and kind (never its URL or key), and how its newest
/// finished delivery went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelInfo {
    pub name: String,
    pub kind: String,
    pub last: Option<domain::alert::Delivery>,
}

/// The newest round that was not ready, with every probe's message and evidence (masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailureEvidence {
    pub secs_ago: f64,
    pub checked_at: String,
    pub probes: Vec<domain::probe::ProbeOutcome>,
}

/// A personal access token as listed: never its secret or hash.
pub type TokenInfo = domain::auth::TokenRecord;

/// A token just created: its text, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: TokenInfo,
    pub token: String,
}

/// One audit-log record.
pub type AuditRecord = domain::auth::AuditRecord;

/// A go-live as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoLiveSummary {
    pub id: i64,
    pub staging: String,
    pub production: String,
    pub started_unix: f64,
    pub started_by: String,
    pub ended_unix: Option<f64>,
    /// go, no_go, hold or abandoned, once signed off.
    pub decision: Option<domain::golive::Decision>,
    pub signed_by: Option<String>,
    pub note: Option<String>,
    /// A rehearsal on practice mode's services, not a real go-live.
    pub practice: bool,
}

/// One step of a go-live as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepView {
    pub step: domain::golive::StepId,
    pub number: usize,
    pub title: String,
    pub means: String,
    pub good: String,
    pub if_it_fails: String,
    pub kind: domain::golive::StepKind,
    pub state: domain::golive::StepState,
    /// Every earlier step has passed.
    pub open: bool,
    pub last_at_unix: Option<f64>,
    pub last_by: Option<String>,
    /// What the last check saw, pretty JSON (secrets masked).
    pub evidence: Option<String>,
    /// Step 10 waiting for a replay that is running now: its run id.
    pub running_replay: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoLiveDetail {
    pub summary: GoLiveSummary,
    pub steps: Vec<StepView>,
    pub current: Option<domain::golive::StepId>,
    pub passed: usize,
    /// The report kept at sign-off.
    pub report: Option<domain::golive::VerdictReport>,
}

/// The verdict measured now, with its findings and the leadership update.
pub use domain::golive::VerdictReport as VerdictView;
