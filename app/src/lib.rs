//! Greenlight's user interface and server functions.
//!
//! `ssr` builds the server half (server functions call into `engine`); `hydrate` builds the
//! browser half. Pages and components are shared by both.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod live;
pub mod model;
pub mod pages;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::nav::AppHeader;
use crate::pages::{LoginPage, NotFound, StatusPage};
use crate::routes::{
    AlertsRoute, EnvironmentRoute, GoLiveReportRoute, GoLiveRoute, GoLiveRunRoute, ReplayDiffRoute,
    ReplayRunRoute, ReplaysRoute, SettingsRoute,
};

pub use error::AppError;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Hashed names (`/pkg/greenlight.<hash>.css`) when the build wrote its hash file.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    session::provide_caller();
    view! {
        <Title formatter=|page: String| format!("{page} · Greenlight")/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <AppHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // Leadership's page is in the first download; the others load on first use.
                    <Route path=path!("/") view=StatusPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/environments/:name") view={Lazy::<EnvironmentRoute>::new()}/>
                    <Route path=path!("/replays") view={Lazy::<ReplaysRoute>::new()}/>
                    <Route path=path!("/replays/run/:id") view={Lazy::<ReplayRunRoute>::new()}/>
                    <Route path=path!("/replays/diff") view={Lazy::<ReplayDiffRoute>::new()}/>
                    <Route path=path!("/go-live") view={Lazy::<GoLiveRoute>::new()}/>
                    <Route path=path!("/go-live/:id") view={Lazy::<GoLiveRunRoute>::new()}/>
                    <Route path=path!("/go-live/:id/report") view={Lazy::<GoLiveReportRoute>::new()}/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("/alerts") view={Lazy::<AlertsRoute>::new()}/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Greenlight " {env!("CARGO_PKG_VERSION")} " · release-readiness console"</p>
            </footer>
        </Router>
    }
}
