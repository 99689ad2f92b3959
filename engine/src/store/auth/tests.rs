//! Tokens, sessions and the audit log against a real SQLite file.

use domain::auth::{Role, SessionPolicy};

use super::key::KEY_FILE;
use crate::clock::now_unix;
use crate::error::Error;
use crate::store::{AuditQuery, Store};

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

#[tokio::test]
async fn tokens_authenticate_until_revoked_and_only_a_hash_is_stored() {
    let (dir, store) = store().await;
    assert!(!store.has_admin().await.unwrap());
    let (row, text) = store.create_token("ana", Role::Admin).await.unwrap();
    assert!(store.has_admin().await.unwrap());
    let who = store.authenticate_token(&text).await.unwrap().unwrap();
    assert_eq!((who.name.as_str(), who.role), ("ana", Role::Admin));
    assert_eq!(who.token_id, row.id);
    // Neither the secret nor the whole token is in the database file.
    let secret = text.rsplit('_').next().unwrap();
    let bytes = std::fs::read(store.path()).unwrap();
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(!haystack.contains(secret));
    // Wrong secret, malformed text: refused.
    let mut wrong = text.clone();
    wrong.replace_range(
        wrong.len() - 1..,
        if text.ends_with('0') { "1" } else { "0" },
    );
    assert!(store.authenticate_token(&wrong).await.unwrap().is_none());
    assert!(
        store
            .authenticate_token("glt_nope")
            .await
            .unwrap()
            .is_none()
    );
    // The key file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Sessions die with their token.
    let session = store.create_session(&row.id).await.unwrap();
    let policy = SessionPolicy::default();
    assert!(
        store
            .session_principal(&session, policy, now_unix())
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.revoke_token(&row.id).await.unwrap());
    assert!(
        !store.revoke_token(&row.id).await.unwrap(),
        "already revoked"
    );
    assert!(store.authenticate_token(&text).await.unwrap().is_none());
    assert!(
        store
            .session_principal(&session, policy, now_unix())
            .await
            .unwrap()
            .is_none()
    );
    assert!(!store.has_admin().await.unwrap());
}

#[tokio::test]
async fn sessions_expire_and_end() {
    let (_dir, store) = store().await;
    let (row, _) = store.create_token("op", Role::Operator).await.unwrap();
    let policy = SessionPolicy {
        idle_secs: 120.0,
        absolute_secs: 3_600.0,
    };
    let s = store.create_session(&row.id).await.unwrap();
    let t0 = now_unix();
    let live = |at: f64| {
        let (store, s) = (store.clone(), s.clone());
        async move {
            store
                .session_principal(&s, policy, t0 + at)
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(live(30.0).await);
    // The idle timer moves in steps of a minute: refreshed at +90 (not at +30), so still
    // live at +200, and gone after 120 s more of silence.
    assert!(live(90.0).await);
    assert!(live(200.0).await, "refreshed at +90");
    assert!(!live(400.0).await);
    assert!(!live(201.0).await, "deleted once expired");
    // The absolute lifetime ends a session however active it is.
    let busy = store.create_session(&row.id).await.unwrap();
    for at in (100..3_600).step_by(100) {
        assert!(
            store
                .session_principal(&busy, policy, t0 + f64::from(at))
                .await
                .unwrap()
                .is_some()
        );
    }
    assert!(
        store
            .session_principal(&busy, policy, t0 + 3_650.0)
            .await
            .unwrap()
            .is_none()
    );
    let s2 = store.create_session(&row.id).await.unwrap();
    store.end_session(&s2).await.unwrap();
    assert!(
        store
            .session_principal(&s2, policy, t0)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_filterable() {
    let (_dir, store) = store().await;
    store
        .audit(
            "token a (ana)",
            "sign_in",
            "",
            "success",
            "127.0.0.1",
            serde_json::json!({}),
        )
        .await
        .unwrap();
    store
        .audit(
            "anonymous",
            "sign_in",
            "",
            "failure",
            "127.0.0.1",
            serde_json::json!({"reason": "unknown token"}),
        )
        .await
        .unwrap();
    store
        .audit(
            "token a (ana)",
            "replay_started",
            "example",
            "success",
            "",
            serde_json::json!({"run": 1}),
        )
        .await
        .unwrap();
    let all = store.audit_entries(AuditQuery::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].action, "replay_started", "newest first");
    let sign_ins = store
        .audit_entries(AuditQuery {
            action: Some("sign_in".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sign_ins.len(), 2);
    let ana = store
        .audit_entries(AuditQuery {
            actor: Some("ana".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ana.len(), 2);
    for sql in [
        "UPDATE audit_log SET outcome = 'success'",
        "DELETE FROM audit_log",
    ] {
        let err = store
            .write(move |c| c.execute(sql, []).map_err(|e| Error::db("tamper", e)))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
}
