//! The pages a browser loads only when it first opens them.
//!
//! Leadership's Status page, sign-in and "not found" are in the first download; every other
//! page is a lazy route: with `cargo leptos build --split` its code (and whatever only it
//! uses) is cut into its own wasm chunk, fetched when the page is first opened or, for a
//! page the server renders, preloaded with it (Leptos writes the `modulepreload` hints).
//! Without `--split` the same code is one bundle and the routes behave the same.
//!
//! A route's `data()` would start loading its data while the chunk downloads; the pages
//! create their own resources, so `data()` carries nothing and `view` renders the page.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages::{
    AlertsPage, EnvironmentPage, GoLivePage, GoLiveReportPage, GoLiveRunPage, ReplayDiffPage,
    ReplayRunPage, ReplaysPage, SettingsPage,
};

/// One lazy route per page: a unit struct whose view renders the page component.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(EnvironmentRoute, EnvironmentPage);
lazy_page!(ReplaysRoute, ReplaysPage);
lazy_page!(ReplayRunRoute, ReplayRunPage);
lazy_page!(ReplayDiffRoute, ReplayDiffPage);
lazy_page!(GoLiveRoute, GoLivePage);
lazy_page!(GoLiveRunRoute, GoLiveRunPage);
lazy_page!(GoLiveReportRoute, GoLiveReportPage);
lazy_page!(SettingsRoute, SettingsPage);
lazy_page!(AlertsRoute, AlertsPage);
