//! Test support: the real application on port 0 with a temporary data directory, and a real
//! redis-server on a free loopback port. Nothing here is a mock.

pub mod history;
pub mod tls;

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use engine::config::ConfigSource;
use engine::{AppState, Config, Overrides};
use server::startup::Application;
use tokio::sync::oneshot;

/// The one runtime every test application runs on (see `TestApp::spawn_with`): a
/// current-thread runtime driven by its own thread, as `greenlight serve` runs (cli::serve says
/// why).
fn app_runtime() -> &'static tokio::runtime::Handle {
    static HANDLE: std::sync::OnceLock<tokio::runtime::Handle> = std::sync::OnceLock::new();
    HANDLE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("test runtime");
        let handle = runtime.handle().clone();
        std::thread::spawn(move || runtime.block_on(std::future::pending::<()>()));
        handle
    })
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub data_dir: tempfile::TempDir,
    /// An admin token created at start; `client()` sends it.
    pub admin_token: String,
    /// Its id (revoke it to have a console without an admin).
    pub admin_token_id: String,
    /// The first-admin setup code the console logged (created before the admin token).
    pub setup_code: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Starts the real application with `config_text` (relative paths resolve against `dir`).
    ///
    /// The application runs on one process-wide runtime, as in production, not on the calling
    /// test's runtime: Leptos keeps a process-wide executor, and tasks it spawned on a test
    /// runtime that has since been dropped would never finish.
    pub async fn spawn_with(config_text: &str, dir: &std::path::Path) -> Self {
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let config = Config::parse(
            config_text,
            ConfigSource::File(dir.join("greenlight.toml")),
            dir,
            &Self::overrides(&data_dir),
        )
        .expect("test config is valid");
        Self::spawn_config(config, data_dir, None).await
    }

    fn overrides(data_dir: &tempfile::TempDir) -> Overrides {
        Overrides {
            addr: Some("127.0.0.1:0".parse().unwrap()),
            data_dir: Some(data_dir.path().to_path_buf()),
        }
    }

    /// The console on its embedded default with practice mode running (a 1-minute window),
    /// as `greenlight serve` without --config starts it. Stop the practice services with
    /// `state.practice` after the console.
    pub async fn spawn_practice() -> Self {
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let overrides = Self::overrides(&data_dir);
        let config = Config::load(None, &overrides).expect("the embedded default loads");
        let (config, practice) =
            server::practice::attach(config, true, Duration::from_secs(60), &overrides)
                .await
                .expect("practice mode attaches");
        assert!(practice.is_some(), "practice mode starts");
        Self::spawn_config(config, data_dir, practice).await
    }

    async fn spawn_config(
        config: Config,
        data_dir: tempfile::TempDir,
        practice: Option<std::sync::Arc<engine::practice::Practice>>,
    ) -> Self {
        let (tx, rx) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = oneshot::channel();
        let handle = app_runtime().spawn(async move {
            let app = Application::build_with_practice(
                config,
                PathBuf::from("target/site-absent"),
                practice,
            )
            .await
            .expect("app builds");
            let _ = ready_tx.send((app.port(), app.state().clone(), app.setup_code()));
            app.run_until_stopped(async move {
                let _ = rx.await;
            })
            .await
        });
        let (port, state, setup_code) = ready_rx.await.expect("app started");
        let base = format!("http://127.0.0.1:{port}");
        let (admin_row, admin_token) = state
            .store
            .create_token("test admin", domain::auth::Role::Admin)
            .await
            .expect("admin token");
        Self {
            base,
            state,
            data_dir,
            admin_token,
            admin_token_id: admin_row.id,
            setup_code,
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    pub async fn spawn(config_text: &str) -> Self {
        let dir = std::env::temp_dir();
        Self::spawn_with(config_text, &dir).await
    }

    /// An HTTP client that signs every request with the admin token.
    pub fn client(&self) -> reqwest::Client {
        self.client_with(&self.admin_token)
    }

    /// An HTTP client that sends `token` as a bearer token.
    pub fn client_with(&self, token: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .default_headers(headers)
            .build()
            .unwrap()
    }

    /// POSTs `form` as the admin and parses the JSON answer.
    pub async fn post_json(&self, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
        self.client()
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// GETs `path` as the admin and parses the JSON answer.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.get_text(path).await).unwrap()
    }

    /// GETs `path` as the admin and returns the body.
    pub async fn get_text(&self, path: &str) -> String {
        self.client()
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Revokes the admin token created at start: a console without an admin (the setup
    /// link's case).
    pub async fn revoke_admin(&self) {
        self.state
            .store
            .revoke_token(&self.admin_token_id)
            .await
            .expect("revoke the test admin");
    }

    /// "Probe now" on `environment` as the admin; the answer's text.
    pub async fn probe(&self, environment: &str) -> String {
        self.client()
            .post(self.url("/api/status/probe"))
            .form(&[("environment", environment)])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Starts a go-live of staging → production as the admin; its id.
    pub async fn start_golive(&self) -> String {
        let started = self
            .client()
            .post(self.url("/api/golive/start"))
            .form(&[("staging", "staging"), ("production", "production")])
            .send()
            .await
            .unwrap();
        assert!(started.status().is_success(), "{}", started.status());
        started.json::<i64>().await.unwrap().to_string()
    }

    /// A token of `role`, created directly in the store.
    pub async fn token(&self, role: domain::auth::Role) -> String {
        self.state
            .store
            .create_token(&format!("test {role}"), role)
            .await
            .expect("token")
            .1
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Asks the server to stop and waits for it to finish in-flight requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let handle = self.handle.take().expect("running");
        tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .expect("stops within 10 s")
            .expect("task")
    }
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real redis-server on a free loopback port, with no persistence; killed on drop.
pub struct RedisServer {
    pub port: u16,
    child: Child,
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Self {
        Self::start_at(free_port(), extra)
    }

    /// A redis-server on `port` again (after `stop`), as a restarted Redis would come back.
    pub fn start_on(port: u16) -> Self {
        Self::start_at(port, &[])
    }

    fn start_at(port: u16, extra: &[&str]) -> Self {
        let mut args = vec![
            "--port".to_string(),
            port.to_string(),
            "--bind".into(),
            "127.0.0.1".into(),
            "--save".into(),
            String::new(),
            "--appendonly".into(),
            "no".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let child = Command::new("redis-server")
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "redis-server must be installed (the test command installs it: scripts/test.sh)",
            );
        let server = Self { port, child };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Answers a GET as inngest-py 0.5.19's serve endpoint in cloud mode answers it (the same
/// answer practice mode's services give): unsigned or wrongly signed gets 401, signed with
/// `signing_key` gets the authenticated inspection, itself signed.
pub fn cloud_sdk_answer(
    headers: &axum::http::HeaderMap,
    signing_key: &str,
    event_key: &str,
    app_id: &str,
) -> axum::response::Response {
    let app = domain::inngest_serve::ServedApp {
        app_id: app_id.to_string(),
        signing_key: Some(signing_key.to_string()),
        event_key: Some(event_key.to_string()),
        dev: false,
        function_count: 4,
    };
    let signature = headers
        .get("x-inngest-signature")
        .and_then(|v| v.to_str().ok());
    engine::practice::http_answer(app.answer_get("/api/inngest", signature, 1_795_966_572, 0))
}

/// A stub HTTP service: an axum `Router` served on a free loopback port by the test's own
/// runtime until the `Stub` is dropped. Keep it alive as long as anything calls it.
pub struct Stub {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    /// The base URL: `http://127.0.0.1:PORT` (`https://localhost:PORT` over TLS), no slash.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    fn spawn<L>(listener: L, router: axum::Router, url: String) -> Self
    where
        L: axum::serve::Listener<Addr = std::net::SocketAddr>,
    {
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("the stub serves");
        });
        Self { url, task }
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router` over plain HTTP on a free loopback port (see `Stub`).
pub async fn serve_stub(router: axum::Router) -> Stub {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    Stub::spawn(listener, router, url)
}

/// Serves `router` over real TLS with `ca`'s server certificate (for `localhost`), on a free
/// loopback port (see `Stub`).
pub async fn serve_stub_tls(ca: &tls::TestCa, router: axum::Router) -> Stub {
    let listener = ca.listener().await;
    let port = axum::serve::Listener::local_addr(&listener)
        .expect("local address")
        .port();
    Stub::spawn(listener, router, format!("https://localhost:{port}"))
}

/// A real HTTP service answering like the reference: readiness 200 and runtime dependencies
/// ready (Redis required and healthy). With `dashboard_token`, the dependencies endpoint
/// answers 401 unless `X-Dashboard-Token` carries it.
pub async fn reference_service(dashboard_token: Option<&'static str>) -> Stub {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/api/health/ready",
            get(|| async { axum::Json(serde_json::json!({"status": "ready"})) }),
        )
        .route(
            "/api/runtime/dependencies",
            get(move |headers: HeaderMap| async move {
                let presented = headers.get("x-dashboard-token").map(|v| v.as_bytes());
                if dashboard_token.is_some_and(|t| presented != Some(t.as_bytes())) {
                    return (
                        StatusCode::UNAUTHORIZED,
                        axum::Json(serde_json::json!({"detail": "bad token"})),
                    );
                }
                (
                    StatusCode::OK,
                    axum::Json(serde_json::json!({"status": "ready", "ready": true, "required_failures": [],
                        "dependencies": {"redis": {"required": true, "ready": true, "status": "healthy", "message": "ok"}}})),
                )
            }),
        );
    serve_stub(app).await
}

/// The last entry of `dir` by name: the newest replay run directory (timestamps sort).
pub fn newest_entry(dir: &std::path::Path) -> PathBuf {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries.pop().expect("a run directory")
}

/// The nonce of a response's Content-Security-Policy (`script-src ... 'nonce-X'`).
pub fn csp_nonce(headers: &reqwest::header::HeaderMap) -> String {
    headers["content-security-policy"]
        .to_str()
        .unwrap()
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_string()
}
