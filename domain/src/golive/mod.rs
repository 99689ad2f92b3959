//! The guided go-live as pure logic: the ten steps and their state machine, the checklist that
//! orders them, the staging stability window, the Go / No-Go / Hold verdict, and the leadership
//! update. The engine feeds it measurements; nothing here performs I/O.

pub mod checklist;
pub mod decision;
pub mod refusal;
pub mod stability;
pub mod steps;
pub mod update;
pub mod verdict;

pub use checklist::Checklist;
pub use decision::Decision;
pub use refusal::Refusal;
pub use stability::{Reset, Round, Stability, stability};
pub use steps::{Check, StepError, StepEvent, StepGuide, StepId, StepKind, StepState};
pub use update::{UpdateFacts, leadership_update};
pub use verdict::{
    Criterion, CriterionFinding, Finding, ReplayFact, Verdict, VerdictReport, release_gate, verdict,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod walk_tests;
