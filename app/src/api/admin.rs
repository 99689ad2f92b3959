//! Settings: how this console is set up.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ConsoleInfo;

#[server(prefix = "/api", endpoint = "admin/console")]
pub async fn get_console_info() -> Result<ConsoleInfo, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    let state = caller.state;
    let store = state.store.info().await?;
    let config = &state.config;
    Ok(ConsoleInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        config_source: config.source.describe(),
        listen_addr: config.server.addr.to_string(),
        data_dir: config.server.data_dir.display().to_string(),
        database_file: store.path.display().to_string(),
        database_created_at: store.created_at,
        schema_version: store.schema_version,
        database_size_bytes: store.size_bytes,
        uptime_secs: state.started.elapsed().as_secs(),
        console_redis: config.server.redis.as_ref().map(|r| {
            format!(
                "{} ({})",
                r.url,
                if r.required { "required" } else { "optional" }
            )
        }),
    })
}

/// The signed-in caller (any role): name and role, for the header and to hide what the role
/// cannot do.
#[server(prefix = "/api", endpoint = "auth/whoami")]
pub async fn whoami() -> Result<domain::auth::Principal, AppError> {
    // No status change here: the sign-in page asks too, and must still answer 200.
    use_context::<domain::auth::Principal>()
        .ok_or_else(|| AppError::Unauthenticated("Nobody is signed in.".into()))
}

#[server(prefix = "/api", endpoint = "admin/tokens")]
pub async fn list_tokens() -> Result<Vec<crate::model::TokenInfo>, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    Ok(caller.state.store.list_tokens().await?)
}

#[server(prefix = "/api", endpoint = "admin/tokens/create")]
pub async fn create_token(
    name: String,
    role: String,
) -> Result<crate::model::CreatedToken, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Give the token a name of 1 to 100 characters.".into(),
        ));
    }
    let role: domain::auth::Role = role.parse().map_err(AppError::BadRequest)?;
    let (row, token) = caller.state.store.create_token(&name, role).await?;
    caller
        .audit(
            "token_created",
            &row.id,
            serde_json::json!({ "name": row.name, "role": row.role }),
        )
        .await;
    Ok(crate::model::CreatedToken { info: row, token })
}

#[server(prefix = "/api", endpoint = "admin/tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<bool, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    let revoked = caller.state.store.revoke_token(&id).await?;
    if revoked {
        caller
            .audit("token_revoked", &id, serde_json::json!({}))
            .await;
    }
    Ok(revoked)
}

/// Entries of the audit log on one page of the Settings page.
pub const AUDIT_PAGE: usize = 200;

/// One page of the audit log, newest first, filtered by action and actor (substring);
/// `before_id` pages back from the oldest entry shown.
#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn audit_log(
    action: Option<String>,
    actor: Option<String>,
    before_id: Option<i64>,
) -> Result<Vec<crate::model::AuditRecord>, AppError> {
    let caller = super::authorize(domain::auth::Role::Admin)?;
    let query = engine::store::AuditQuery {
        action: action.filter(|a| !a.is_empty()),
        actor: actor.filter(|a| !a.is_empty()),
        limit: Some(AUDIT_PAGE as u32),
        before_id,
        ..Default::default()
    };
    Ok(caller.state.store.audit_entries(query).await?)
}
