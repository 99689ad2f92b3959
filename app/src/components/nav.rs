use leptos::prelude::*;
use leptos_router::components::A;

/// Site header with the primary navigation. `A` marks the current page with
/// `aria-current="page"`, which the stylesheet also uses for the visual state.
#[component]
pub fn AppHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                "Greenlight"
            </a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/" exact=true>"Status"</A></li>
                    <li><A href="/replays">"Replays"</A></li>
                    <li><A href="/go-live">"Go-live"</A></li>
                    <li><A href="/settings">"Settings"</A></li>
                </ul>
            </nav>
        </header>
    }
}
