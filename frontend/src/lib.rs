// Leptos views are deeply nested types; the run page's layout needs more than the default 128.
#![recursion_limit = "256"]
//! The browser entry point: hydrate the server-rendered page.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy`, written out: a lazy route (app::routes) fetches its chunk before it
    // hydrates the page it renders, so the page is interactive only when the whole hydration
    // has finished. Then <body> is marked, so tests (and people debugging) can tell a
    // hydrated page from server-rendered HTML.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        let mounted = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        let _ = body.set_attribute("data-hydrated", "true");
        // The app lives as long as the page.
        mounted.forget();
    });
}
