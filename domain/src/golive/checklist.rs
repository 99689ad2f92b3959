//! The whole checklist: ten steps in order. A step opens when every step before it has passed;
//! a step that passed may be checked again at any time, and when it then fails every later
//! step is blocked again until it passes.

use serde::{Deserialize, Serialize};

use super::steps::{StepError, StepEvent, StepId, StepState};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    states: Vec<StepState>,
}

impl Default for Checklist {
    fn default() -> Self {
        Self {
            states: vec![StepState::NotStarted; StepId::ALL.len()],
        }
    }
}

impl Checklist {
    pub fn state(&self, step: StepId) -> &StepState {
        &self.states[step.number() - 1]
    }

    /// The first step that has not passed, or `None` when all ten have.
    pub fn current(&self) -> Option<StepId> {
        StepId::ALL.into_iter().find(|s| !self.state(*s).passed())
    }

    /// True when `step` may be acted on now: every earlier step has passed.
    pub fn is_open(&self, step: StepId) -> bool {
        StepId::ALL
            .into_iter()
            .take_while(|s| *s != step)
            .all(|s| self.state(s).passed())
    }

    pub fn passed_count(&self) -> usize {
        self.states.iter().filter(|s| s.passed()).count()
    }

    /// Applies `event` to `step`, refusing steps that are not open yet.
    pub fn apply(&mut self, step: StepId, event: StepEvent) -> Result<&StepState, StepError> {
        if !self.is_open(step) {
            let blocking = self.current().map_or(0, StepId::number);
            return Err(StepError::NotOpenYet {
                step: step.number(),
                blocking,
            });
        }
        let next = self.state(step).apply(step, event)?;
        self.states[step.number() - 1] = next;
        Ok(self.state(step))
    }
}
