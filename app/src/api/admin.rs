//! Settings: how this console is set up.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ConsoleInfo;

#[server(prefix = "/api", endpoint = "admin/console")]
pub async fn get_console_info() -> Result<ConsoleInfo, AppError> {
    let state = super::state()?;
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
