//! Why the record of a go-live refused a change: the go-live's own state, not a failure.

use super::StepError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("a go-live of {staging} → {production} is already in progress (#{id})")]
    AlreadyActive {
        id: i64,
        staging: String,
        production: String,
    },
    #[error("there is no go-live #{0}")]
    NotFound(i64),
    #[error("go-live #{0} is finished; start a new one")]
    Finished(i64),
    #[error(transparent)]
    Step(#[from] StepError),
}
