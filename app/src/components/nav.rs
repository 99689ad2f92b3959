//! The top navigation: the pages this role may open, and who is signed in.

use domain::auth::Role;
use leptos::prelude::*;
use leptos_router::components::A;

/// Site header with the primary navigation and who is signed in. `A` marks the current page
/// with `aria-current="page"`, which the stylesheet also uses for the visual state. Settings
/// is shown to admins only.
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
                    <li><A href="/alerts">"Alerts"</A></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            crate::session::may(Role::Admin)
                                .await
                                .then(|| view! { <li><A href="/settings">"Settings"</A></li> })
                        })}
                    </Transition>
                </ul>
            </nav>
            <div class="who">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match crate::session::caller().await {
                            Ok(who) => view! {
                                <span class="who-name">{who.name}</span>
                                " "
                                <span class="tag">{who.role.as_str()}</span>
                                <form method="post" action="/api/auth/logout" class="sign-out">
                                    <button type="submit" class="button button-secondary">"Sign out"</button>
                                </form>
                            }
                                .into_any(),
                            Err(_) => view! { <a href="/login">"Sign in"</a> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
    }
}
