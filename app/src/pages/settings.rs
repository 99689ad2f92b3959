use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::get_console_info;
use crate::components::load_error::LoadError;
use crate::model::ConsoleInfo;

/// How this console is set up: configuration source, address and storage.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_console_info());
    view! {
        <Title text="Settings"/>
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! { <InfoList info/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

#[component]
fn InfoList(info: ConsoleInfo) -> impl IntoView {
    view! {
        <dl class="facts facts-wide">
            <dt>"Version"</dt><dd>{info.version}</dd>
            <dt>"Configuration"</dt><dd>{info.config_source}</dd>
            <dt>"Listening on"</dt><dd><code>{info.listen_addr}</code></dd>
            <dt>"Data directory"</dt><dd><code>{info.data_dir}</code></dd>
            <dt>"Database"</dt>
            <dd>
                <code>{info.database_file}</code>
                {format!(" — schema version {}, {}, created {}", info.schema_version, human_bytes(info.database_size_bytes), info.database_created_at)}
            </dd>
            <dt>"Console Redis"</dt><dd>{info.console_redis.unwrap_or_else(|| "not configured".into())}</dd>
            <dt>"Up for"</dt><dd>{format!("{} s", info.uptime_secs)}</dd>
        </dl>
    }
}
