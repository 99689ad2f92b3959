use leptos::prelude::*;

use crate::model::EnvironmentSummary;

/// One environment: its verdict first (big words), then what Greenlight knows about it.
#[component]
pub fn EnvironmentCard(env: EnvironmentSummary) -> impl IntoView {
    let heading_id = format!("env-{}", env.name);
    let labelled_by = heading_id.clone();
    let interval = format!("every {} s", env.probe_interval_secs);
    view! {
        <article class="env-card" aria-labelledby=labelled_by>
            <header class="env-card-head">
                <h3 id=heading_id>{env.name.clone()}</h3>
                <span class="mode-tag">{env.mode.as_str()}</span>
            </header>
            <p class="verdict verdict-unknown">
                <span class="verdict-word">"Unknown"</span>
                <span class="verdict-why">"No probe round has finished for this environment."</span>
            </p>
            <dl class="facts">
                <dt>"Service"</dt>
                <dd><code>{env.base_url}</code></dd>
                <dt>"Env file"</dt>
                <dd>{env.env_file.unwrap_or_else(|| "none configured".into())}</dd>
                <dt>"Probe interval"</dt>
                <dd>{interval}</dd>
                <dt>"Inngest functions expected"</dt>
                <dd>{env.expected_inngest_functions.map_or_else(|| "not set".to_string(), |n| n.to_string())}</dd>
                <dt>"Dependencies auth"</dt>
                <dd>{env.dependencies_auth.unwrap_or_else(|| "none".into())}</dd>
            </dl>
        </article>
    }
}
