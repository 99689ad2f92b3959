//! Server functions, one file per area. Each is thin: take the state from context, call the
//! engine, map the error. They have fixed endpoints so tests and scripts have stable URLs.

pub mod admin;
pub mod golive;
pub mod operations;
pub mod practice;
pub mod replay;
pub mod status;

/// The caller of a server function, checked against the role it needs.
#[cfg(feature = "ssr")]
pub(crate) struct Caller {
    pub state: engine::AppState,
    pub who: domain::auth::Principal,
}

#[cfg(feature = "ssr")]
impl Caller {
    /// Appends a success to the audit log; a failure to write it is logged, not shown.
    pub async fn audit(&self, action: &str, target: &str, detail: serde_json::Value) {
        self.audit_outcome(action, target, "success", detail).await;
    }

    /// Appends to the audit log with `outcome` ("success" or "failure").
    pub async fn audit_outcome(
        &self,
        action: &str,
        target: &str,
        outcome: &str,
        detail: serde_json::Value,
    ) {
        let actor = format!("token {} ({})", self.who.token_id, self.who.name);
        if let Err(e) = self
            .state
            .store
            .audit(&actor, action, target, outcome, "", detail)
            .await
        {
            tracing::error!(error = %e, action, "cannot append to the audit log");
        }
    }
}

/// Every server function starts here: the signed-in caller (set by the server's guard) must
/// hold `needed`. Refusals answer 401 / 403 (see `AppError::status`).
#[cfg(feature = "ssr")]
pub(crate) fn authorize(needed: domain::auth::Role) -> Result<Caller, crate::AppError> {
    use leptos::prelude::use_context;
    // Set here too (not only on the way out of a server function): a page rendered on the
    // server answers 401 / 403 when its data is refused.
    let refuse = |error: crate::AppError| {
        error.set_response_status();
        Err(error)
    };
    let Some(who) = use_context::<domain::auth::Principal>() else {
        return refuse(crate::AppError::Unauthenticated("Sign in first.".into()));
    };
    if !who.role.allows(needed) {
        return refuse(crate::AppError::Forbidden(format!(
            "Your role ({}) may not do this; it needs {needed}.",
            who.role
        )));
    }
    Ok(Caller {
        state: state()?,
        who,
    })
}

#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<engine::AppState, crate::AppError> {
    leptos::prelude::use_context::<engine::AppState>().ok_or_else(|| {
        crate::AppError::Unavailable("The console is still starting; try again in a moment.".into())
    })
}

/// A file's name without its directory: pages show which file, not where it lives.
#[cfg(feature = "ssr")]
pub(crate) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
