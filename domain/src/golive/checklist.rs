//! The whole checklist: ten steps in order. A step opens when every step before it has passed;
//! a step that passed may be checked again at any time, and when it then does not pass, every
//! later step starts over: what they measured was measured on top of it, so once it passes
//! again they are checked again (and the redeploys of steps 3 and 7 confirmed again).

use serde::{Deserialize, Serialize};

use super::steps::{Check, StepError, StepEvent, StepId, StepKind, StepState};
use super::verdict::Finding;

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

    /// Whether a check of `step` would be accepted now (open, and confirmed first when it is a
    /// confirm-then-verify step): asked before measuring, so a refused step measures nothing.
    pub fn may_check(&self, step: StepId) -> Result<(), StepError> {
        let any = StepEvent::Evaluated {
            check: Check::Unknown {
                missing: String::new(),
            },
        };
        self.clone().apply(step, any).map(|_| ())
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
        let passed = next.passed();
        self.states[step.number() - 1] = next;
        if !passed {
            for later in &mut self.states[step.number()..] {
                *later = StepState::NotStarted;
            }
        }
        Ok(self.state(step))
    }

    /// The step to check automatically now that `after` has been acted on: the first step
    /// that has not passed, when it is an automatic one and comes after `after` ("automatic
    /// checks run when the step opens"). Following it repeatedly walks forward and always
    /// ends: every step it names comes after the last.
    pub fn opens_next(&self, after: StepId) -> Option<StepId> {
        let next = self.current()?;
        (next > after && next.kind() == StepKind::Automatic).then_some(next)
    }

    /// The checklist as a Go criterion: met when all ten steps passed; failed when the first
    /// step that has not passed was measured bad; otherwise unmeasured, naming that step and
    /// what it is waiting for. `stability_secs` is step 6's window, for its title.
    pub fn finding(&self, stability_secs: u64) -> Finding {
        let Some(step) = self.current() else {
            return Finding::Met {
                evidence: "All ten go-live steps passed.".into(),
            };
        };
        let name = format!("Step {} ({})", step.number(), step.title(stability_secs));
        match self.state(step) {
            StepState::Checked {
                check: Check::Fail { problem, action },
                ..
            } => Finding::Failed {
                problem: format!("{name} failed: {problem}"),
                action: action.clone(),
            },
            StepState::Checked {
                check: Check::Unknown { missing },
                ..
            } => Finding::Unmeasured {
                missing: format!("{name} could not be measured: {missing}"),
            },
            StepState::Checked {
                check: Check::Waiting { summary, .. },
                ..
            } => Finding::Unmeasured {
                missing: format!("{name} is in progress: {summary}"),
            },
            StepState::Confirmed { .. } => Finding::Unmeasured {
                missing: format!("{name} is confirmed but not verified yet: press Check again."),
            },
            StepState::Checked {
                check: Check::Pass { .. },
                ..
            }
            | StepState::NotStarted => Finding::Unmeasured {
                missing: format!("{name} is not done yet."),
            },
        }
    }
}
