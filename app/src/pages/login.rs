//! The sign-in page: paste an API token to start a browser session.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Sign-in with a personal access token. A plain form: it works before (and without) the
/// WebAssembly bundle, and the token never touches script.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_string());
    let message = move || {
        let q = query.read();
        if q.get("error").as_deref() == Some("invalid") {
            Some((
                "error",
                "That token was not accepted: it is unknown, revoked or mistyped. Check it and try again, or ask an admin for a new one.",
            ))
        } else if q.get("signed_out").is_some() {
            Some(("good", "You are signed out."))
        } else {
            None
        }
    };
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        {move || message().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <form method="post" action="/api/auth/login" class="login-form">
            <input type="hidden" name="next" value=next/>
            <label for="token">"Access token"</label>
            <input id="token" name="token" type="password" required autocomplete="off" spellcheck="false" placeholder="glt_…"/>
            <button type="submit" class="button">"Sign in"</button>
        </form>
        <p class="hint">
            "Tokens are created by an admin on the Settings page or with "
            <code>"greenlight token create --name NAME --role viewer"</code>
            ". On a new console the server's log shows a one-time link that creates the first admin."
        </p>
    }
}
