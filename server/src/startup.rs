//! Building and running the web console: `Application::build` → `port()` → `run_until_stopped`.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::{App, shell};
use axum::Router;
use axum::http::StatusCode;
use engine::{AppState, Config, Store};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::access::{self, Access};
use crate::answer_cache::{self, AnswerCache};
use crate::{events, health_routes, site};

/// No request to the console carries more than this; larger bodies get 413.
pub const MAX_REQUEST_BODY: usize = 1024 * 1024;
/// No handler may take longer than this; a stuck one answers 503 instead of hanging the client.
pub const HANDLER_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Engine(#[from] engine::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    access: Access,
    site_root: PathBuf,
}

impl Application {
    /// Opens the store (creating and migrating it), binds the listener and builds the routes.
    /// `config.server.addr` may use port 0; `port()` tells the port actually bound.
    pub async fn build(config: Config, site_root: PathBuf) -> Result<Self, StartupError> {
        Self::build_with_practice(config, site_root, None).await
    }

    /// As [`Application::build`], for a console that runs practice mode's services
    /// (`crate::practice::attach` made `config` for them).
    pub async fn build_with_practice(
        config: Config,
        site_root: PathBuf,
        practice: Option<std::sync::Arc<engine::practice::Practice>>,
    ) -> Result<Self, StartupError> {
        let store = Store::open(&config.server.data_dir)?;
        let addr = config.server.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartupError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr, source })?;
        let mut state = AppState::new(config, store);
        if let Some(practice) = practice {
            state = state.with_practice(practice);
        }
        state.load_operations().await?;
        let access = Access::new(state.clone()).await?;
        let router = router(state.clone(), access.clone(), &site_root, bound);
        Ok(Self {
            listener,
            router,
            state,
            access,
            site_root,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The first-admin setup code, while no admin token exists.
    pub fn setup_code(&self) -> Option<String> {
        self.access.setup_code()
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and returns.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let addr = self.listener.local_addr()?;
        tracing::info!(
            %addr,
            config = %self.state.config.source.describe(),
            data_dir = %self.state.config.server.data_dir.display(),
            "Greenlight is listening on http://{addr}"
        );
        if !site::bundle_present(&self.site_root) {
            tracing::warn!(
                site_root = %self.site_root.display(),
                "the browser bundle was not found: pages will render but not become interactive; build it with `cargo leptos build --release`"
            );
        }
        if let Some(code) = self.access.setup_code() {
            tracing::warn!(
                "No admin token exists yet. Open http://{addr}/setup?code={code} once to create the first admin (the link works once, until an admin exists)"
            );
        }
        if !addr.ip().is_loopback() && !self.state.config.server.access.secure_cookies {
            tracing::warn!(
                %addr,
                "listening on a non-loopback address without TLS: put a TLS-terminating proxy in front (and set secure_cookies = true in [auth]), or tokens and session cookies cross the network in clear text"
            );
        }
        // Probing runs while the console serves, and stops with it.
        let mut probes = engine::scheduler::spawn(&self.state);
        probes.push(engine::scheduler::spawn_pruning(&self.state));
        probes.push(engine::alerts::watch::spawn_golive_watch(&self.state));
        probes.extend(engine::replay::canary::spawn(&self.state));
        let stopping = self.state.stopping.clone();
        let shutdown = async move {
            shutdown.await;
            stopping.send_replace(true);
        };
        let served = crate::serve::serve(self.listener, self.router, shutdown).await;
        for task in &probes {
            task.abort();
        }
        served?;
        tracing::info!("Greenlight stopped");
        Ok(())
    }
}

fn router(
    state: AppState,
    access: Access,
    site_root: &std::path::Path,
    addr: SocketAddr,
) -> Router {
    let options = site::leptos_options(site_root, addr);
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = options.clone();
    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(context_state.clone());
                // The signed-in caller and this response's CSP nonce, from the guard.
                if let Some(parts) = use_context::<axum::http::request::Parts>() {
                    if let Some(who) = parts.extensions.get::<domain::auth::Principal>() {
                        provide_context(who.clone());
                    }
                    if let Some(nonce) = parts.extensions.get::<access::CspNonce>() {
                        provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
                    }
                }
            },
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .nest_service("/pkg", site::pkg_service(site_root))
        .merge(events::router(state.clone()))
        .merge(health_routes::router(state.clone()))
        .merge(access::routes(access.clone()))
        .layer(axum::middleware::from_fn_with_state(
            AnswerCache::new(&state),
            answer_cache::serve,
        ))
        .layer(axum::middleware::from_fn(site::no_shared_caching))
        .layer(axum::middleware::from_fn_with_state(access, access::guard))
        // Pages and answers gzip-compressed on the way out (level 4). Not brotli: its
        // encoder's window and tables cost megabytes per response in flight (peak memory
        // under 50 viewers was 70 MB with it, 34 MB uncompressed). The default predicate
        // leaves the live event stream, images and tiny bodies alone, and the precompressed
        // bundle (brotli) already carries its Content-Encoding.
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            HANDLER_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("received SIGINT, shutting down"),
        () = terminate => tracing::info!("received SIGTERM, shutting down"),
    }
}
