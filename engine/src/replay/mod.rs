//! The replay harness: a golden set through the team's runner, every output judged, the run
//! gated on its pass rate, stored and written out in the reference harness's format.

pub mod background;
pub mod baselines;
pub mod canary;
pub mod harness;
pub mod indexed;
pub mod output;
pub mod recorder;
pub mod regressions;
pub mod runner;

pub use baselines::{BaselineFile, Baselines};
pub use harness::{CaseRecord, CaseStatus, ReplayOutcome, ReplaySpec, run_replay};
pub use runner::{Runner, RunnerSetupError};
