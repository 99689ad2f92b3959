//! The Status page's first-run guide, for a console on its embedded example workspace: what
//! Greenlight does, and the three ways on from here.

use leptos::prelude::*;

use crate::api::practice::first_run;

/// The exact lines for a service of the user's own, to paste into a greenlight.toml.
const OWN_ENVIRONMENTS: &str = r#"[[environments]]
name = "staging"
mode = "staging"
base_url = "https://staging.your-service.example.com"
env_file = "env/staging.env"
probe_interval_secs = 30
readiness_path = "/api/health/ready"
dependencies_path = "/api/runtime/dependencies"
inngest_path = "/api/inngest"
dependencies_auth = { header = "X-Dashboard-Token", from_env_file = "DASHBOARD_AUTH_TOKEN" }

[[environments]]
name = "production"
mode = "production"
base_url = "https://your-service.example.com"
env_file = "env/production.env"
probe_interval_secs = 30
expected_inngest_functions = 4
dependencies_auth = { header = "X-Dashboard-Token", from_env_file = "DASHBOARD_AUTH_TOKEN" }"#;

const CHECK_THEM: &str = "greenlight validate --mode staging --env-file env/staging.env --check-connections\n\
greenlight probe --config greenlight.toml\n\
greenlight serve --config greenlight.toml";

#[component]
pub fn FirstRunGuide() -> impl IntoView {
    let guide = Resource::new(|| (), |_| first_run());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(guide)) = guide.await else { return ().into_any() };
                let practise = match guide.practice {
                    true => view! {
                        <li>
                            <a class="button" href="/go-live">"Practise a go-live"</a>
                            " on the practice staging and production this console runs on your machine, with their own Redis servers; nothing real is touched."
                        </li>
                    }.into_any(),
                    false => view! {
                        <li>"Practice mode is not running, so there is no go-live to practise."</li>
                    }.into_any(),
                };
                view! {
                    <section class="first-run" aria-labelledby="first-run-heading">
                        <h2 id="first-run-heading">"New here? Start with these"</h2>
                        <p>
                            "Greenlight says, with evidence, whether an environment may go live, and keeps watching it afterwards. "
                            "It probes each environment's Redis, readiness, runtime dependencies, Inngest endpoint and env file, replays your test questions through your agent and scores the answers, "
                            "and walks an operator through a go-live in ten plain steps that end in Go, No-Go or Hold. "
                            "This console runs the built-in example workspace, so everything below is safe to try."
                        </p>
                        {guide.notice.map(|n| view! { <p class="notice" role="note">{n}</p> })}
                        <ul class="first-run-links">
                            {practise}
                            {guide.example_suite.map(|suite| view! {
                                <li>
                                    <a class="button button-secondary" href="/replays">"Run the example replay"</a>
                                    {format!(" of the “{suite}” suite: six test questions through the example runner, each scored by the rubric judge.")}
                                </li>
                            })}
                            <li>
                                <details class="own-environments">
                                    <summary>"Add your own environments"</summary>
                                    <p>"Put these lines in a greenlight.toml beside your env files, with your service's addresses:"</p>
                                    <pre><code>{OWN_ENVIRONMENTS}</code></pre>
                                    <p>"Check the env file and the endpoints from a terminal, then start the console with it (practice mode then stays off):"</p>
                                    <pre><code>{CHECK_THEM}</code></pre>
                                </details>
                            </li>
                        </ul>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
