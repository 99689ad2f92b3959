//! Settings for admins: tokens, alert channels and their last results, and the audit log.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{
    AUDIT_PAGE, CreateToken, RevokeToken, audit_log, get_console_info, list_tokens,
};
use crate::components::load_error::LoadError;
use crate::model::{AuditRecord, ConsoleInfo, TokenInfo};

/// How this console is set up: configuration source, address and storage.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_console_info());
    // Token changes show up in the audit log below at once.
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
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
        <AlertChannels/>
        <Tokens create revoke/>
        <AuditLog create revoke/>
    }
}

/// The alert channels and their newest delivery: a channel that fails shows here.
#[component]
fn AlertChannels() -> impl IntoView {
    let test = ServerAction::<crate::api::operations::SendTestAlert>::new();
    let data = Resource::new(
        move || test.version().get(),
        |_| crate::api::operations::alerts_overview(),
    );
    view! {
        <section aria-labelledby="channels-heading">
            <h2 id="channels-heading">"Alert channels"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading channels…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <crate::components::alert_channels::ChannelList channels=data.channels admin=true test/>
                            <p><a href="/alerts">"Every message sent, on the Alerts page"</a></p>
                        }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn when(unix: Option<f64>) -> String {
    unix.map_or_else(|| "—".to_string(), domain::time::minute_utc)
}

/// Personal access tokens: create (shown once), list, revoke.
#[component]
fn Tokens(create: ServerAction<CreateToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_string());
    view! {
        <section aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"Access tokens"</h2>
            <form class="token-form" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(CreateToken { name: name.get(), role: role.get() });
            }>
                <label for="token-name">"Name"</label>
                <input id="token-name" bind:value=name required maxlength="100" autocomplete="off"/>
                <label for="token-role">"Role"</label>
                <select id="token-role" on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                    <option value="viewer">"viewer: status and reports"</option>
                    <option value="operator">"operator: + go-live steps and sign-off"</option>
                    <option value="engineer">"engineer: + replays and baselines"</option>
                    <option value="admin">"admin: + settings, tokens, audit log"</option>
                </select>
                <button type="submit" class="button">"Create token"</button>
            </form>
            {move || create.value().get().map(|result| match result {
                Ok(created) => view! {
                    <div class="created-token" role="status">
                        <p>{format!("Token for {} ({}) — copy it now, it is shown only once:", created.info.name, created.info.role)}</p>
                        <p><code class="token">{created.token}</code></p>
                    </div>
                }.into_any(),
                Err(error) => view! { <LoadError error/> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading">"Loading tokens…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => view! { <TokenTable list revoke/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(list: Vec<TokenInfo>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    view! {
        <table class="tokens">
            <thead>
                <tr>
                    <th scope="col">"Id"</th><th scope="col">"Name"</th><th scope="col">"Role"</th>
                    <th scope="col">"Created (UTC)"</th><th scope="col">"Last used"</th><th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|t| {
                    let id = t.id.clone();
                    let label = format!("Revoke token {} ({})", t.id, t.name);
                    view! {
                        <tr>
                            <td><code>{t.id.clone()}</code></td>
                            <td>{t.name.clone()}</td>
                            <td>{t.role.as_str()}</td>
                            <td>{when(Some(t.created_unix))}</td>
                            <td>{when(t.last_used_unix)}</td>
                            <td>
                                {match t.revoked_unix {
                                    Some(at) => view! { <span class="tag tag-bad">{format!("revoked {}", when(Some(at)))}</span> }.into_any(),
                                    None => view! {
                                        <button type="button" class="button button-danger" aria-label=label
                                            on:click=move |_| { revoke.dispatch(RevokeToken { id: id.clone() }); }>
                                            "Revoke"
                                        </button>
                                    }.into_any(),
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

const AUDIT_ACTIONS: [&str; 9] = [
    "sign_in",
    "sign_out",
    "token_created",
    "token_revoked",
    "replay_started",
    "replay_cancelled",
    "baseline_changed",
    "golive_step",
    "golive_signoff",
];

/// The append-only audit log, filterable, exportable as JSON lines.
#[component]
fn AuditLog(create: ServerAction<CreateToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    // The page shown: `None` the newest entries, `Some(id)` those older than entry `id`.
    let before = RwSignal::new(None::<i64>);
    let entries = Resource::new(
        move || {
            (
                action.get(),
                actor.get(),
                before.get(),
                create.version().get(),
                revoke.version().get(),
            )
        },
        |(action, actor, before, _, _)| audit_log(Some(action), Some(actor), before),
    );
    view! {
        <section aria-labelledby="audit-heading">
            <h2 id="audit-heading">"Audit log"</h2>
            <div class="filters">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" on:change=move |ev| { before.set(None); action.set(event_target_value(&ev)); }>
                    <option value="">"all"</option>
                    {AUDIT_ACTIONS.into_iter().map(|a| view! { <option value=a>{a.replace('_', " ")}</option> }).collect_view()}
                </select>
                <label for="audit-actor">"Actor contains"</label>
                <input id="audit-actor" type="search" bind:value=actor on:input=move |_| before.set(None) autocomplete="off"/>
                <a class="button button-secondary" href="/api/admin/audit.jsonl" download="greenlight-audit.jsonl">"Export as JSON lines"</a>
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading the audit log…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No matching entries."</p> }.into_any(),
                        Ok(list) => {
                            let older = (list.len() == AUDIT_PAGE).then(|| list.last().map(|e| e.id)).flatten();
                            view! {
                                <AuditTable list/>
                                <nav class="pager" aria-label="Audit log pages">
                                    {move || before.get().is_some().then(|| view! {
                                        <button type="button" class="button button-secondary" on:click=move |_| before.set(None)>"Newest entries"</button>
                                    })}
                                    {older.map(|id| view! {
                                        <button type="button" class="button button-secondary" on:click=move |_| before.set(Some(id))>"Older entries"</button>
                                    })}
                                </nav>
                            }.into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AuditTable(list: Vec<AuditRecord>) -> impl IntoView {
    view! {
        <table class="audit">
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                    <th scope="col">"Target"</th><th scope="col">"Outcome"</th><th scope="col">"Client"</th><th scope="col">"Detail"</th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|e| view! {
                    <tr>
                        <td>{when(Some(e.at_unix))}</td>
                        <td>{e.actor}</td>
                        <td>{e.action.replace('_', " ")}</td>
                        <td>{e.target}</td>
                        <td>{e.outcome}</td>
                        <td>{e.client}</td>
                        <td><code>{e.detail.to_string()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
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
