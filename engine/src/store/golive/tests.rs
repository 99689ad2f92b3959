use domain::golive::{Check, Refusal, StepError, StepEvent, StepId};

use super::*;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn pass() -> StepEvent {
    StepEvent::Evaluated {
        check: Check::Pass {
            summary: "all four inputs present".into(),
        },
    }
}

#[tokio::test]
async fn one_active_go_live_per_pair_events_replay_into_the_checklist() {
    let (dir, store) = store().await;
    let g = store
        .start_golive("staging", "production", "token a (ana)")
        .await
        .unwrap();
    assert!(matches!(
        store.start_golive("staging", "production", "ben").await,
        Err(GoLiveStoreError::Refused(Refusal::AlreadyActive { id, .. })) if id == g.id
    ));
    // Another pair may run at the same time.
    store
        .start_golive("eu-staging", "eu-production", "ben")
        .await
        .unwrap();

    let checklist = store
        .record_step(
            g.id,
            StepId::ConfirmInputs,
            pass(),
            "token a (ana)",
            serde_json::json!({"REDIS_URL": "redis://***@h:6379/0"}),
        )
        .await
        .unwrap();
    assert_eq!(checklist.current(), Some(StepId::PolicyDecision));
    // Refused by the checklist: not stored.
    assert!(matches!(
        store
            .record_step(
                g.id,
                StepId::ValidateStaging,
                pass(),
                "ana",
                serde_json::json!({})
            )
            .await,
        Err(GoLiveStoreError::Refused(Refusal::Step(
            StepError::NotOpenYet {
                step: 4,
                blocking: 2
            }
        )))
    ));
    assert!(matches!(
        store
            .record_step(
                g.id,
                StepId::PolicyDecision,
                StepEvent::Confirm {
                    by: "ana".into(),
                    note: None
                },
                "ana",
                serde_json::json!({})
            )
            .await,
        Err(GoLiveStoreError::Refused(Refusal::Step(
            StepError::NothingToConfirm(2)
        )))
    ));
    store
        .record_step(
            g.id,
            StepId::PolicyDecision,
            pass(),
            "ana",
            serde_json::json!({}),
        )
        .await
        .unwrap();
    store
        .record_step(
            g.id,
            StepId::UpdateStaging,
            StepEvent::Confirm {
                by: "ana".into(),
                note: Some("redeployed 14:02".into()),
            },
            "ana",
            serde_json::json!({}),
        )
        .await
        .unwrap();

    // Reopened from the file, the events replay to the same checklist.
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let (row, records, checklist) = store.golive(g.id).await.unwrap();
    assert_eq!(row.started_by, "token a (ana)");
    assert_eq!(records.len(), 3, "refused events were not stored");
    assert_eq!(records[0].evidence["REDIS_URL"], "redis://***@h:6379/0");
    assert_eq!(records[2].step, StepId::UpdateStaging);
    assert_eq!(checklist.current(), Some(StepId::UpdateStaging));
    assert_eq!(checklist.passed_count(), 2);
    assert_eq!(store.list_golives().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_finished_go_live_is_kept_unchanged_and_frees_the_pair() {
    let (_dir, store) = store().await;
    let g = store
        .start_golive("staging", "production", "ana")
        .await
        .unwrap();
    store
        .record_step(
            g.id,
            StepId::ConfirmInputs,
            pass(),
            "ana",
            serde_json::json!({}),
        )
        .await
        .unwrap();
    let ended = store
        .end_golive(
            g.id,
            Decision::NoGo,
            "Ana Operator",
            Some("Redis down in production"),
            &report(domain::golive::Verdict::NoGo { failing: vec![] }),
        )
        .await
        .unwrap();
    assert_eq!(ended.decision, Some(Decision::NoGo));
    assert_eq!(ended.report.as_ref().unwrap().verdict.word(), "No-Go");
    assert!(matches!(
        store
            .end_golive(
                g.id,
                Decision::Go,
                "x",
                None,
                &report(domain::golive::Verdict::Go)
            )
            .await,
        Err(GoLiveStoreError::Refused(Refusal::Finished(_)))
    ));
    assert!(matches!(
        store
            .record_step(
                g.id,
                StepId::PolicyDecision,
                pass(),
                "ana",
                serde_json::json!({})
            )
            .await,
        Err(GoLiveStoreError::Refused(Refusal::Finished(_)))
    ));
    // The pair is free again; the old record stays.
    let next = store
        .start_golive("staging", "production", "ana")
        .await
        .unwrap();
    assert_ne!(next.id, g.id);
    assert_eq!(store.list_golives().await.unwrap().len(), 2);
    // Nothing recorded can be edited or deleted, even with SQL.
    for sql in [
        "UPDATE golive_events SET actor = 'mallory'",
        "DELETE FROM golive_events",
        "UPDATE golives SET decision = 'go' WHERE ended_unix IS NOT NULL",
        "DELETE FROM golives",
    ] {
        let err = store
            .write(move |c| c.execute(sql, []).map_err(|e| Error::db("tamper", e)))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("go-live"), "{sql}: {err}");
    }
    assert!(matches!(
        store.golive(999).await,
        Err(GoLiveStoreError::Refused(Refusal::NotFound(999)))
    ));
}

fn report(verdict: domain::golive::Verdict) -> domain::golive::VerdictReport {
    domain::golive::VerdictReport {
        verdict,
        findings: vec![],
        update: String::new(),
        measured_unix: 1.0,
    }
}
