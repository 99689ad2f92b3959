use super::*;

fn pass() -> Check {
    Check::Pass {
        summary: "ok".into(),
    }
}
fn fail() -> Check {
    Check::Fail {
        problem: "REDIS_URL is missing".into(),
        action: "add it".into(),
    }
}
fn unknown() -> Check {
    Check::Unknown {
        missing: "the probe timed out".into(),
    }
}
fn confirm(by: &str) -> StepEvent {
    StepEvent::Confirm {
        by: by.into(),
        note: Some("redeployed at 14:02".into()),
    }
}

// --- one step ------------------------------------------------------------------------------

#[test]
fn automatic_step_transitions() {
    let step = StepId::ConfirmInputs;
    let s0 = StepState::NotStarted;
    // not started → pass / fail / unknown
    let passed = s0
        .apply(step, StepEvent::Evaluated { check: pass() })
        .unwrap();
    assert!(passed.passed());
    let failed = s0
        .apply(step, StepEvent::Evaluated { check: fail() })
        .unwrap();
    assert!(!failed.passed());
    let unknown_state = s0
        .apply(step, StepEvent::Evaluated { check: unknown() })
        .unwrap();
    assert!(!unknown_state.passed());
    // pass → fail → pass
    let refailed = passed
        .apply(step, StepEvent::Evaluated { check: fail() })
        .unwrap();
    assert!(matches!(
        refailed,
        StepState::Checked {
            check: Check::Fail { .. },
            ..
        }
    ));
    assert!(
        refailed
            .apply(step, StepEvent::Evaluated { check: pass() })
            .unwrap()
            .passed()
    );
    // unknown → pass
    assert!(
        unknown_state
            .apply(step, StepEvent::Evaluated { check: pass() })
            .unwrap()
            .passed()
    );
    // waiting is not passed
    let waiting = s0
        .apply(
            StepId::StagingStable,
            StepEvent::Evaluated {
                check: Check::Waiting {
                    summary: "ready for 3 h".into(),
                    remaining_secs: 75_600.0,
                    replay_run: None,
                },
            },
        )
        .unwrap();
    assert!(!waiting.passed());
    // nothing to confirm on an automatic step
    assert_eq!(
        s0.apply(step, confirm("ana")),
        Err(StepError::NothingToConfirm(1))
    );
}

#[test]
fn confirm_then_verify_step_transitions() {
    let step = StepId::UpdateStaging;
    let s0 = StepState::NotStarted;
    // verify before confirming is refused
    assert_eq!(
        s0.apply(step, StepEvent::Evaluated { check: pass() }),
        Err(StepError::ConfirmFirst(3))
    );
    // not started → confirmed → verified pass, keeping who confirmed
    let confirmed = s0.apply(step, confirm("ana")).unwrap();
    assert!(matches!(&confirmed, StepState::Confirmed { by, .. } if by == "ana"));
    assert!(!confirmed.passed());
    let verified = confirmed
        .apply(step, StepEvent::Evaluated { check: pass() })
        .unwrap();
    assert!(verified.passed());
    assert!(matches!(&verified, StepState::Checked { confirmed_by: Some(by), .. } if by == "ana"));
    // confirmed → verified fail → check again (still confirmed) → pass
    let failed = confirmed
        .apply(step, StepEvent::Evaluated { check: fail() })
        .unwrap();
    assert!(!failed.passed());
    assert!(
        failed
            .apply(step, StepEvent::Evaluated { check: pass() })
            .unwrap()
            .passed()
    );
    // passed → fail later → pass again
    let later_fail = verified
        .apply(step, StepEvent::Evaluated { check: fail() })
        .unwrap();
    assert!(!later_fail.passed());
    // confirming again starts a new verification
    let again = later_fail.apply(step, confirm("ben")).unwrap();
    assert!(matches!(&again, StepState::Confirmed { by, .. } if by == "ben"));
}

// --- the checklist -----------------------------------------------------------------------------

#[test]
fn steps_open_in_order_and_a_later_failure_blocks_again() {
    let mut list = Checklist::default();
    assert_eq!(list.current(), Some(StepId::ConfirmInputs));
    assert!(list.is_open(StepId::ConfirmInputs));
    assert_eq!(
        list.apply(
            StepId::PolicyDecision,
            StepEvent::Evaluated { check: pass() }
        ),
        Err(StepError::NotOpenYet {
            step: 2,
            blocking: 1
        })
    );
    list.apply(
        StepId::ConfirmInputs,
        StepEvent::Evaluated { check: pass() },
    )
    .unwrap();
    list.apply(
        StepId::PolicyDecision,
        StepEvent::Evaluated { check: pass() },
    )
    .unwrap();
    list.apply(StepId::UpdateStaging, confirm("ana")).unwrap();
    list.apply(
        StepId::UpdateStaging,
        StepEvent::Evaluated { check: pass() },
    )
    .unwrap();
    assert_eq!(list.current(), Some(StepId::ValidateStaging));
    assert_eq!(list.passed_count(), 3);
    // Step 1 is checked again and now fails: step 4 is blocked until it passes.
    list.apply(
        StepId::ConfirmInputs,
        StepEvent::Evaluated { check: fail() },
    )
    .unwrap();
    assert_eq!(list.current(), Some(StepId::ConfirmInputs));
    assert!(!list.is_open(StepId::ValidateStaging));
    assert!(
        list.apply(
            StepId::ValidateStaging,
            StepEvent::Evaluated { check: pass() }
        )
        .is_err()
    );
    list.apply(
        StepId::ConfirmInputs,
        StepEvent::Evaluated { check: pass() },
    )
    .unwrap();
    // Steps 2 and 3 start over: they were measured on top of the failed step.
    assert_eq!(list.current(), Some(StepId::PolicyDecision));
    assert_eq!(list.state(StepId::UpdateStaging), &StepState::NotStarted);
    // Walk the rest.
    for step in &StepId::ALL[1..] {
        if step.kind() == StepKind::ConfirmThenVerify {
            list.apply(*step, confirm("ana")).unwrap();
        }
        list.apply(*step, StepEvent::Evaluated { check: pass() })
            .unwrap();
    }
    assert_eq!(list.current(), None);
    assert_eq!(list.passed_count(), 10);
}

#[test]
fn every_step_has_plain_guidance_and_a_number() {
    for (k, step) in StepId::ALL.into_iter().enumerate() {
        assert_eq!(step.number(), k + 1);
        let g = step.guide();
        for text in [g.title, g.means, g.good, g.if_it_fails] {
            assert!(text.len() > 10, "{step:?}");
        }
    }
    assert_eq!(StepId::UpdateProduction.kind(), StepKind::ConfirmThenVerify);
    assert_eq!(StepId::ReleaseGate.kind(), StepKind::Automatic);
}

// --- the verdict ------------------------------------------------------------------------------------

fn met(criterion: Criterion) -> CriterionFinding {
    CriterionFinding {
        criterion,
        finding: Finding::Met {
            evidence: "ok".into(),
        },
    }
}

#[test]
fn go_only_when_every_criterion_is_met() {
    let all: Vec<_> = Criterion::ALL.into_iter().map(met).collect();
    assert_eq!(verdict(&all), Verdict::Go);
}

#[test]
fn a_failed_criterion_is_no_go_even_with_unknowns() {
    let mut findings: Vec<_> = Criterion::ALL.into_iter().map(met).collect();
    findings[1].finding = Finding::Failed {
        problem: "Readiness answers 503: Redis is down.".into(),
        action: "Ask an engineer to restore Redis.".into(),
    };
    findings[3].finding = Finding::Unmeasured {
        missing: "no replay".into(),
    };
    match verdict(&findings) {
        Verdict::NoGo { failing } => {
            assert_eq!(failing.len(), 1);
            assert_eq!(failing[0].criterion, Criterion::Readiness);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_is_hold_never_go() {
    let mut findings: Vec<_> = Criterion::ALL.into_iter().map(met).collect();
    findings[4].finding = Finding::Unmeasured {
        missing: "the Inngest probe timed out".into(),
    };
    let v = verdict(&findings);
    assert_eq!(v.word(), "Hold");
    // A criterion with no finding at all is unmeasured too.
    let partial: Vec<_> = Criterion::ALL[..4].iter().copied().map(met).collect();
    match verdict(&partial) {
        Verdict::Hold { missing } => assert_eq!(missing[0].criterion, Criterion::InngestCloud),
        other => panic!("{other:?}"),
    }
    assert_eq!(verdict(&[]).word(), "Hold");
}

#[test]
fn verdict_follows_a_criterion_from_pass_to_fail_and_back() {
    let mut findings: Vec<_> = Criterion::ALL.into_iter().map(met).collect();
    assert_eq!(verdict(&findings).word(), "Go");
    findings[2].finding = Finding::Failed {
        problem: "redis down".into(),
        action: "fix".into(),
    };
    assert_eq!(verdict(&findings).word(), "No-Go");
    findings[2] = met(Criterion::RuntimeDependencies);
    assert_eq!(verdict(&findings).word(), "Go");
}

fn replay(age_secs: f64, passed: u64, version: &str) -> ReplayFact {
    ReplayFact {
        run_id: 7,
        finished_unix: 1_000_000.0 - age_secs,
        suite_version: version.into(),
        passed,
        total: 50,
        pass_rate: passed as f64 / 50.0,
    }
}

#[test]
fn release_gate_fresh_stale_other_version_and_below_minimum() {
    let now = 1_000_000.0;
    assert!(matches!(
        release_gate(None, "v1", 0.95, now),
        Finding::Unmeasured { .. }
    ));
    assert!(matches!(
        release_gate(Some(&replay(3_600.0, 50, "v1")), "v1", 0.95, now),
        Finding::Met { evidence } if evidence.contains("50/50")
    ));
    // exactly at the minimum passes
    assert!(matches!(
        release_gate(
            Some(&ReplayFact {
                pass_rate: 0.95,
                ..replay(0.0, 48, "v1")
            }),
            "v1",
            0.95,
            now
        ),
        Finding::Met { .. }
    ));
    // stale: more than 24 h old → unmeasured (Hold), not Go
    assert!(matches!(
        release_gate(Some(&replay(25.0 * 3_600.0, 50, "v1")), "v1", 0.95, now),
        Finding::Unmeasured { missing } if missing.contains("25 hours ago")
    ));
    // another suite version → unmeasured
    assert!(matches!(
        release_gate(Some(&replay(60.0, 50, "v0")), "v1", 0.95, now),
        Finding::Unmeasured { .. }
    ));
    // below the minimum → failed (No-Go)
    assert!(matches!(
        release_gate(Some(&replay(60.0, 40, "v1")), "v1", 0.95, now),
        Finding::Failed { problem, .. } if problem.contains("40/50") && problem.contains("80.0 %")
    ));
}

// --- stability -----------------------------------------------------------------------------------

fn rounds(spec: &[(f64, bool)]) -> Vec<Round> {
    spec.iter()
        .map(|&(unix, ready)| Round { unix, ready })
        .collect()
}

#[test]
fn stability_waiting_stable_reset_by_failure_and_by_gap() {
    let interval = 15.0;
    let window = 3_600.0;
    assert_eq!(stability(&[], 0.0, window, interval), Stability::NoHistory);
    // Ready every 15 s for 30 min: waiting, 30 min to go.
    let half: Vec<(f64, bool)> = (0..=120).map(|k| (f64::from(k) * 15.0, true)).collect();
    match stability(&rounds(&half), 1_800.0, window, interval) {
        Stability::Waiting {
            since_unix,
            remaining_secs,
            reset: None,
        } => {
            assert_eq!(since_unix, 0.0);
            assert!((remaining_secs - 1_800.0).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    // A full hour: stable.
    let full: Vec<(f64, bool)> = (0..=240).map(|k| (f64::from(k) * 15.0, true)).collect();
    assert_eq!(
        stability(&rounds(&full), 3_600.0, window, interval),
        Stability::Stable { since_unix: 0.0 }
    );
    // A failed round 20 min ago restarts the clock, visibly.
    let mut failed = full.clone();
    failed[160].1 = false; // at 2,400 s
    match stability(&rounds(&failed), 3_600.0, window, interval) {
        Stability::Waiting {
            since_unix, reset, ..
        } => {
            assert_eq!(since_unix, 2_415.0);
            assert_eq!(reset, Some(Reset::FailedRound { at_unix: 2_400.0 }));
        }
        other => panic!("{other:?}"),
    }
    // Failing now: not ready.
    let mut now_bad = full.clone();
    now_bad.last_mut().unwrap().1 = false;
    assert!(matches!(
        stability(&rounds(&now_bad), 3_600.0, window, interval),
        Stability::NotReady {
            reset: Reset::FailedRound { .. }
        }
    ));
    // A gap longer than three intervals (probing stopped for 2 min) restarts the clock.
    let gap: Vec<(f64, bool)> = full
        .iter()
        .copied()
        .filter(|&(t, _)| !(1_000.0..1_120.0).contains(&t))
        .collect();
    match stability(&rounds(&gap), 3_600.0, window, interval) {
        Stability::Waiting {
            since_unix,
            reset: Some(Reset::Gap { from_unix, to_unix }),
            ..
        } => {
            assert_eq!((from_unix, to_unix, since_unix), (990.0, 1_125.0, 1_125.0));
        }
        other => panic!("{other:?}"),
    }
    // No round for longer than three intervals up to now: not ready (could not measure).
    assert!(matches!(
        stability(&rounds(&full), 3_600.0 + 46.0, window, interval),
        Stability::NotReady {
            reset: Reset::Gap { .. }
        }
    ));
    // Exactly three intervals is not a gap.
    let edge = rounds(&[(0.0, true), (45.0, true)]);
    assert!(matches!(
        stability(&edge, 45.0, 30.0, interval),
        Stability::Stable { since_unix } if since_unix == 0.0
    ));
}

// --- the leadership update ------------------------------------------------------------------------

fn facts() -> UpdateFacts {
    UpdateFacts {
        staging: "staging".into(),
        production: "production".into(),
        staging_strict: Some(false),
        production_strict: Some(false),
        production_endpoints: Finding::Met {
            evidence: "ready (200), dependencies healthy, Inngest cloud with 4 functions.".into(),
        },
        replay: Some(replay(60.0, 50, "v1")),
        min_pass_rate: 0.95,
        current_step: Some(StepId::PolicyDecision),
        stability_secs: 86_400,
        verdict: Verdict::NoGo { failing: vec![] },
        practice: false,
    }
}

#[test]
fn update_before_the_policy_is_enforced() {
    let text = leadership_update(&facts());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Go-live readiness for production: reviewed, not validated"));
    assert_eq!(lines[2], "Status:");
    assert!(text.contains("- Backend reliability wiring not yet confirmed: strict dependency policy not yet enforced in staging; not yet enforced in production."));
    assert!(text.contains("- Production endpoints healthy: ready (200)"));
    assert!(text.contains("- Replay harness: 50/50 passed (100.0 %, minimum 95.0 %), run 7."));
    assert!(
        text.contains("- Remaining gap: strict dependency policy not yet enforced in staging.")
    );
    assert!(text.ends_with("Next action: enable both required flags in staging, validate for 24 h, then promote to production.\n"));
}

#[test]
fn update_when_everything_holds() {
    let f = UpdateFacts {
        staging_strict: Some(true),
        production_strict: Some(true),
        current_step: None,
        verdict: Verdict::Go,
        ..facts()
    };
    let text = leadership_update(&f);
    assert!(text.starts_with("Go-live readiness for production: reviewed and validated."));
    assert!(text.contains("- Backend reliability wiring confirmed: Redis and Inngest are required dependencies in staging and production."));
    assert!(text.contains("- Remaining gap: none."));
    assert!(text.ends_with("Next action: sign off and release to production.\n"));
    // A rehearsal says so before anything else.
    let practice = leadership_update(&UpdateFacts {
        practice: true,
        ..f
    });
    assert!(practice.starts_with(
        "PRACTICE RUN on Greenlight's practice services, not a real release. Go-live readiness for production: reviewed and validated."
    ));
}

#[test]
fn update_while_waiting_for_stability_and_on_hold() {
    let f = UpdateFacts {
        staging_strict: Some(true),
        production_strict: None,
        current_step: Some(StepId::StagingStable),
        replay: None,
        production_endpoints: Finding::Unmeasured {
            missing: "the readiness probe timed out".into(),
        },
        verdict: Verdict::Hold { missing: vec![] },
        ..facts()
    };
    let text = leadership_update(&f);
    assert!(text.contains("validation on hold"));
    assert!(
        text.contains("strict dependency policy enforced in staging; not reported by production.")
    );
    assert!(text.contains("- Production endpoints not verified: the readiness probe timed out"));
    assert!(text.contains("- Replay harness: no run yet."));
    assert!(text.contains("- Remaining gap: step 6 of 10, staging stays ready for 24 hours."));
    assert!(text.contains("Next action: complete step 6 (staging stays ready for 24 hours), then promote to production."));
}

#[test]
fn step_keys_and_outcome_words_are_their_serde_forms() {
    for step in StepId::ALL {
        assert_eq!(serde_json::to_value(step).unwrap(), step.key());
        assert_eq!(StepId::parse(step.key()), Some(step));
    }
    assert_eq!(StepId::parse("deploy_everything"), None);
    let check = Check::Unknown {
        missing: "x".into(),
    };
    assert_eq!(
        serde_json::to_value(&check).unwrap()["outcome"],
        check.outcome()
    );
}
