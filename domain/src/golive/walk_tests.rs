//! Walking the checklist forward (automatic steps run when they open) and the checklist as a
//! Go criterion.

use super::*;

const DAY: u64 = 86_400;

fn pass() -> StepEvent {
    StepEvent::Evaluated {
        check: Check::Pass {
            summary: "ok".into(),
        },
    }
}

fn evaluated(check: Check) -> StepEvent {
    StepEvent::Evaluated { check }
}

fn confirm() -> StepEvent {
    StepEvent::Confirm {
        by: "ana".into(),
        note: None,
    }
}

/// Passes every step before `step` (confirming the confirm-then-verify ones first).
fn passed_until(step: StepId) -> Checklist {
    let mut c = Checklist::default();
    for s in StepId::ALL.into_iter().take_while(|s| *s != step) {
        if s.kind() == StepKind::ConfirmThenVerify {
            c.apply(s, confirm()).unwrap();
        }
        c.apply(s, pass()).unwrap();
    }
    c
}

#[test]
fn a_passed_step_opens_the_next_automatic_one() {
    let mut c = Checklist::default();
    c.apply(StepId::ConfirmInputs, pass()).unwrap();
    assert_eq!(
        c.opens_next(StepId::ConfirmInputs),
        Some(StepId::PolicyDecision)
    );
}

#[test]
fn may_check_refuses_what_apply_would_refuse_and_changes_nothing() {
    let c = passed_until(StepId::UpdateStaging);
    assert_eq!(
        c.may_check(StepId::ValidateStaging),
        Err(StepError::NotOpenYet {
            step: 4,
            blocking: 3
        })
    );
    assert_eq!(
        c.may_check(StepId::UpdateStaging),
        Err(StepError::ConfirmFirst(3))
    );
    assert_eq!(c.may_check(StepId::PolicyDecision), Ok(()));
    assert_eq!(c, passed_until(StepId::UpdateStaging));
}

#[test]
fn a_confirm_step_is_never_run_automatically() {
    let c = passed_until(StepId::UpdateStaging);
    assert_eq!(c.opens_next(StepId::PolicyDecision), None);
    let c = passed_until(StepId::UpdateProduction);
    assert_eq!(c.opens_next(StepId::StagingStable), None);
}

#[test]
fn a_step_that_did_not_pass_opens_nothing() {
    let mut c = passed_until(StepId::PolicyDecision);
    c.apply(
        StepId::PolicyDecision,
        evaluated(Check::Fail {
            problem: "REDIS_REQUIRED is not true".into(),
            action: "set it".into(),
        }),
    )
    .unwrap();
    // The current step is the one just checked, not one after it.
    assert_eq!(c.opens_next(StepId::PolicyDecision), None);
}

#[test]
fn walking_forward_ends_at_the_first_confirm_step_or_the_end() {
    // After step 3 passes, 4, 5 and 6 open one after the other.
    let mut c = passed_until(StepId::UpdateStaging);
    c.apply(StepId::UpdateStaging, confirm()).unwrap();
    c.apply(StepId::UpdateStaging, pass()).unwrap();
    let mut after = StepId::UpdateStaging;
    let mut opened = Vec::new();
    while let Some(next) = c.opens_next(after) {
        opened.push(next);
        c.apply(next, pass()).unwrap();
        after = next;
    }
    assert_eq!(
        opened,
        [
            StepId::ValidateStaging,
            StepId::VerifyStagingEndpoints,
            StepId::StagingStable
        ]
    );
    // With every step passed there is nothing left to open.
    let mut c = passed_until(StepId::ReleaseGate);
    c.apply(StepId::ReleaseGate, pass()).unwrap();
    assert_eq!(c.opens_next(StepId::ReleaseGate), None);
}

#[test]
fn an_earlier_step_checked_again_reopens_a_later_automatic_step_only_forward() {
    // Steps 1-9 passed; step 1 checked again and still passing: the next not-passed step (10)
    // comes after it, so it opens.
    let c = passed_until(StepId::ReleaseGate);
    assert_eq!(
        c.opens_next(StepId::ConfirmInputs),
        Some(StepId::ReleaseGate)
    );
    // Never backwards: acting on step 10 opens nothing before it.
    let mut c = passed_until(StepId::ReleaseGate);
    c.apply(
        StepId::ReleaseGate,
        evaluated(Check::Unknown {
            missing: "no replay".into(),
        }),
    )
    .unwrap();
    assert_eq!(c.opens_next(StepId::ReleaseGate), None);
}

#[test]
fn a_step_that_stops_passing_makes_every_later_step_start_over() {
    // All ten passed; step 1 is checked again and fails (REDIS_URL changed, say).
    let mut c = passed_until(StepId::ReleaseGate);
    c.apply(StepId::ReleaseGate, pass()).unwrap();
    c.apply(
        StepId::ConfirmInputs,
        evaluated(Check::Fail {
            problem: "REDIS_URL is missing".into(),
            action: "add it".into(),
        }),
    )
    .unwrap();
    assert_eq!(c.passed_count(), 0);
    assert!(
        StepId::ALL[1..]
            .iter()
            .all(|s| c.state(*s) == &StepState::NotStarted)
    );
    // Once it passes again, the walk goes on from step 2, not from where it was.
    c.apply(StepId::ConfirmInputs, pass()).unwrap();
    assert_eq!(
        c.opens_next(StepId::ConfirmInputs),
        Some(StepId::PolicyDecision)
    );
    // Waiting counts as not passing too: step 6 back in its window sends 7-10 back.
    let mut c = passed_until(StepId::ReleaseGate);
    c.apply(StepId::ReleaseGate, pass()).unwrap();
    c.apply(
        StepId::StagingStable,
        evaluated(Check::Waiting {
            summary: "restarted".into(),
            remaining_secs: 60.0,
            replay_run: None,
        }),
    )
    .unwrap();
    assert_eq!(c.passed_count(), 5);
    assert_eq!(c.state(StepId::UpdateProduction), &StepState::NotStarted);
}

#[test]
fn the_checklist_criterion_is_met_only_when_all_ten_passed() {
    let mut c = passed_until(StepId::ReleaseGate);
    assert!(matches!(
        c.finding(DAY),
        Finding::Unmeasured { missing } if missing == "Step 10 (Release quality gate) is not done yet."
    ));
    c.apply(StepId::ReleaseGate, pass()).unwrap();
    assert!(matches!(c.finding(DAY), Finding::Met { .. }));
}

#[test]
fn the_checklist_criterion_names_the_first_open_step_and_why() {
    let mut c = passed_until(StepId::StagingStable);
    c.apply(
        StepId::StagingStable,
        evaluated(Check::Waiting {
            summary: "Ready so far; 42 min to go.".into(),
            remaining_secs: 2_520.0,
            replay_run: None,
        }),
    )
    .unwrap();
    match c.finding(DAY) {
        Finding::Unmeasured { missing } => assert_eq!(
            missing,
            "Step 6 (Staging stays ready for 24 hours) is in progress: Ready so far; 42 min to go."
        ),
        other => panic!("{other:?}"),
    }
    // History too short is Hold, never Go.
    let findings: Vec<CriterionFinding> = Criterion::ALL
        .into_iter()
        .map(|criterion| CriterionFinding {
            criterion,
            finding: if criterion == Criterion::Checklist {
                c.finding(DAY)
            } else {
                Finding::Met {
                    evidence: "ok".into(),
                }
            },
        })
        .collect();
    assert_eq!(verdict(&findings).word(), "Hold");

    // A step measured bad is No-Go, with the step's own action.
    let mut c = passed_until(StepId::VerifyProductionEndpoints);
    c.apply(
        StepId::VerifyProductionEndpoints,
        evaluated(Check::Fail {
            problem: "Readiness answered 503.".into(),
            action: "Restore Redis in production.".into(),
        }),
    )
    .unwrap();
    match c.finding(DAY) {
        Finding::Failed { problem, action } => {
            assert_eq!(
                problem,
                "Step 9 (Verify production is ready) failed: Readiness answered 503."
            );
            assert_eq!(action, "Restore Redis in production.");
        }
        other => panic!("{other:?}"),
    }

    // Confirmed but not verified, and could not be measured.
    let mut c = passed_until(StepId::UpdateStaging);
    c.apply(StepId::UpdateStaging, confirm()).unwrap();
    assert!(
        matches!(c.finding(DAY), Finding::Unmeasured { missing } if missing.ends_with("confirmed but not verified yet: press Check again."))
    );
    let mut c = Checklist::default();
    c.apply(
        StepId::ConfirmInputs,
        evaluated(Check::Unknown {
            missing: "staging has no env file configured".into(),
        }),
    )
    .unwrap();
    assert!(
        matches!(c.finding(DAY), Finding::Unmeasured { missing } if missing == "Step 1 (Confirm the four inputs) could not be measured: staging has no env file configured")
    );
}
