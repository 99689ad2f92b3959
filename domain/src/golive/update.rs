//! The plain-text leadership update, in the shape the reference team sends: a one-line
//! headline, a "Status:" list, and a "Next action:" line. Built from live facts only.

use serde::{Deserialize, Serialize};

use super::steps::StepId;
use super::verdict::{Finding, ReplayFact, Verdict};

/// The live facts the update is written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateFacts {
    pub staging: String,
    pub production: String,
    /// REDIS_REQUIRED and INNGEST_REQUIRED both true, as each deployed service reports them;
    /// `None` when the service did not say.
    pub staging_strict: Option<bool>,
    pub production_strict: Option<bool>,
    /// Production readiness, dependencies and Inngest together.
    pub production_endpoints: Finding,
    pub replay: Option<ReplayFact>,
    pub min_pass_rate: f64,
    /// The first step that has not passed (`None` when all have).
    pub current_step: Option<StepId>,
    /// Step 6's window, for its title.
    pub stability_secs: u64,
    pub verdict: Verdict,
    /// A rehearsal on practice mode's services: the update says so first, so nobody forwards
    /// it as a real release's.
    #[serde(default)]
    pub practice: bool,
}

/// What a practice go-live's update starts with.
pub const PRACTICE_MARK: &str =
    "PRACTICE RUN on Greenlight's practice services, not a real release. ";

fn strict_words(env: &str, strict: Option<bool>) -> String {
    match strict {
        Some(true) => format!("enforced in {env}"),
        Some(false) => format!("not yet enforced in {env}"),
        None => format!("not reported by {env}"),
    }
}

/// The reference team's short form: "24 h", "30 min".
fn short_window(secs: u64) -> String {
    match secs {
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

pub fn leadership_update(f: &UpdateFacts) -> String {
    let (staging, production) = (&f.staging, &f.production);
    let mark = if f.practice { PRACTICE_MARK } else { "" };
    let headline = match &f.verdict {
        Verdict::Go => format!(
            "{mark}Go-live readiness for {production}: reviewed and validated. Backend reliability wiring is confirmed and every go-live criterion holds."
        ),
        Verdict::NoGo { failing } => format!(
            "{mark}Go-live readiness for {production}: reviewed, not validated ({} {} failing).",
            failing.len(),
            if failing.len() == 1 {
                "criterion"
            } else {
                "criteria"
            }
        ),
        Verdict::Hold { missing } => format!(
            "{mark}Go-live readiness for {production}: reviewed, validation on hold ({} item{} not measured yet).",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        ),
    };
    let wiring = match (f.staging_strict, f.production_strict) {
        (Some(true), Some(true)) => format!(
            "Backend reliability wiring confirmed: Redis and Inngest are required dependencies in {staging} and {production}."
        ),
        (s, p) => format!(
            "Backend reliability wiring not yet confirmed: strict dependency policy {}; {}.",
            strict_words(staging, s),
            strict_words(production, p)
        ),
    };
    let endpoints = match &f.production_endpoints {
        Finding::Met { evidence } => format!("Production endpoints healthy: {evidence}"),
        Finding::Failed { problem, .. } => format!("Production endpoints not healthy: {problem}"),
        Finding::Unmeasured { missing } => {
            format!("Production endpoints not verified: {missing}")
        }
    };
    let replay = match &f.replay {
        Some(r) => format!(
            "Replay harness: {}/{} passed ({:.1} %, minimum {:.1} %), run {}.",
            r.passed,
            r.total,
            r.pass_rate * 100.0,
            f.min_pass_rate * 100.0,
            r.run_id
        ),
        None => "Replay harness: no run yet.".to_string(),
    };
    let gap = match (f.staging_strict, f.current_step) {
        (Some(true), None) => "Remaining gap: none.".to_string(),
        (Some(true), Some(step)) => format!(
            "Remaining gap: step {} of 10, {}.",
            step.number(),
            step.title(f.stability_secs).to_lowercase()
        ),
        _ => "Remaining gap: strict dependency policy not yet enforced in staging.".to_string(),
    };
    let next = match (f.staging_strict, f.current_step, &f.verdict) {
        (_, None, Verdict::Go) => format!("Next action: sign off and release to {production}."),
        (Some(true), _, Verdict::NoGo { failing }) => format!(
            "Next action: {}",
            failing.first().map_or(String::new(), |c| match &c.finding {
                Finding::Failed { action, .. } => action.clone(),
                _ => String::new(),
            })
        ),
        (Some(true), Some(step), _) => format!(
            "Next action: complete step {} ({}), then promote to {production}.",
            step.number(),
            step.title(f.stability_secs).to_lowercase()
        ),
        (Some(true), None, _) => "Next action: measure what is missing, then decide.".to_string(),
        _ => format!(
            "Next action: enable both required flags in {staging}, validate for {}, then promote to {production}.",
            short_window(f.stability_secs)
        ),
    };
    format!("{headline}\n\nStatus:\n- {wiring}\n- {endpoints}\n- {replay}\n- {gap}\n\n{next}\n")
}
