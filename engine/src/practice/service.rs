//! One practice service: an HTTP (production: HTTPS) server on its own loopback port that
//! reads its env file when it starts, like the reference service. "Redeploy" stops it and
//! starts it again on the same port with the file as it is now.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::inngest_serve::ServedApp;
use domain::practice::Side;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, RwLock, oneshot};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use super::answers::{self, Deployed};
use super::tls::TlsListener;

/// The Inngest functions the practice app serves (the reference service serves four).
pub const FUNCTION_COUNT: u64 = 4;
/// How long a redeploy may wait for the old process's port to be free again.
const REBIND_TIMEOUT: Duration = Duration::from_secs(3);

struct Shared {
    deployed: RwLock<Deployed>,
    slow: AtomicBool,
    slow_delay: Duration,
}

pub struct Service {
    pub side: Side,
    pub port: u16,
    pub env_file: PathBuf,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    running: Mutex<Option<(oneshot::Sender<()>, JoinHandle<()>)>>,
}

impl Service {
    /// Starts the service on `listener` (production with `tls`).
    pub async fn start(
        side: Side,
        listener: TcpListener,
        tls: Option<TlsAcceptor>,
        env_file: PathBuf,
        slow_delay: Duration,
    ) -> Result<Self, String> {
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let deployed = read(&env_file).await?;
        let service = Self {
            side,
            port,
            env_file,
            tls,
            shared: Arc::new(Shared {
                deployed: RwLock::new(deployed),
                slow: AtomicBool::new(false),
                slow_delay,
            }),
            running: Mutex::new(None),
        };
        service.spawn(listener).await;
        Ok(service)
    }

    pub fn base_url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    async fn spawn(&self, listener: TcpListener) {
        let (stop, stopped) = oneshot::channel::<()>();
        let router = router(Arc::clone(&self.shared));
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = match &self.tls {
            Some(acceptor) => {
                let listener = TlsListener::new(listener, acceptor.clone());
                tokio::spawn(async move {
                    let _ = axum::serve(listener, router)
                        .with_graceful_shutdown(shutdown)
                        .await;
                })
            }
            None => tokio::spawn(async move {
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await;
            }),
        };
        *self.running.lock().await = Some((stop, task));
    }

    /// Stops serving (open connections are cut off: a stopped process answers nothing).
    pub async fn stop(&self) {
        if let Some((stop, task)) = self.running.lock().await.take() {
            let _ = stop.send(());
            task.abort();
            let _ = task.await;
        }
    }

    /// Restarts with the env file as it is now. When the file cannot be read, the running
    /// service is left as it was.
    pub async fn redeploy(&self) -> Result<(), String> {
        let deployed = read(&self.env_file).await?;
        self.stop().await;
        let deadline = Instant::now() + REBIND_TIMEOUT;
        let listener = loop {
            match TcpListener::bind(("127.0.0.1", self.port)).await {
                Ok(listener) => break listener,
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("cannot listen on port {} again: {e}", self.port));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        *self.shared.deployed.write().await = deployed;
        self.spawn(listener).await;
        Ok(())
    }

    pub fn set_slow(&self, on: bool) {
        self.shared.slow.store(on, Ordering::SeqCst);
    }

    pub fn is_slow(&self) -> bool {
        self.shared.slow.load(Ordering::SeqCst)
    }

    pub async fn deployed(&self) -> Deployed {
        self.shared.deployed.read().await.clone()
    }

    /// Serving now (a redeploy whose restart failed leaves it stopped).
    pub async fn is_running(&self) -> bool {
        self.running
            .lock()
            .await
            .as_ref()
            .is_some_and(|(_, task)| !task.is_finished())
    }
}

impl Drop for Service {
    /// A service dropped without `stop` (a start that failed half way) stops serving too.
    fn drop(&mut self) {
        if let Some((_, task)) = self.running.get_mut().take() {
            task.abort();
        }
    }
}

async fn read(path: &std::path::Path) -> Result<Deployed, String> {
    crate::env_files::read(path)
        .await
        .map(|file| Deployed::from_file(&file))
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/health/ready", get(readiness))
        .route("/api/runtime/dependencies", get(dependencies))
        .route("/api/queue/health", get(queue))
        .route("/api/inngest", get(inngest))
        .with_state(shared)
}

async fn readiness(State(shared): State<Arc<Shared>>) -> Response {
    json_or_unavailable(answers::readiness(&settle(&shared).await).await)
}

async fn dependencies(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let deployed = settle(&shared).await;
    let presented = headers.get("x-dashboard-token").map(|v| v.as_bytes());
    if let Some(token) = &deployed.dashboard_token
        && presented != Some(token.as_bytes())
    {
        return detail_answer(StatusCode::UNAUTHORIZED, "Unauthorized".into());
    }
    axum::Json(answers::dependencies(&deployed).await).into_response()
}

async fn queue(State(shared): State<Arc<Shared>>) -> Response {
    json_or_unavailable(answers::queue(&settle(&shared).await).await)
}

async fn inngest(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let started = Instant::now();
    let deployed = settle(&shared).await;
    let app = ServedApp {
        app_id: deployed.app_id.clone(),
        signing_key: deployed.signing_key.clone(),
        event_key: deployed.event_key.clone(),
        dev: deployed.dev,
        function_count: FUNCTION_COUNT,
    };
    let signature = headers
        .get("x-inngest-signature")
        .and_then(|v| v.to_str().ok());
    let now = crate::clock::since_epoch().as_secs() as i64;
    let ms = started.elapsed().as_millis() as u64;
    http_answer(app.answer_get(uri.path(), signature, now, ms))
}

/// 200 with the answer, or 503 with the reference's `detail`.
fn json_or_unavailable(answer: Result<impl serde::Serialize, String>) -> Response {
    match answer {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(detail) => detail_answer(StatusCode::SERVICE_UNAVAILABLE, detail),
    }
}

/// An answer of the SDK's serve endpoint as an HTTP response.
pub fn http_answer(answer: domain::inngest_serve::Answer) -> Response {
    let mut response = (
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK),
        answer.body,
    )
        .into_response();
    for (name, value) in answer.headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// The deployed settings, after the slow-answer delay when it is on.
async fn settle(shared: &Shared) -> Deployed {
    if shared.slow.load(Ordering::SeqCst) {
        tokio::time::sleep(shared.slow_delay).await;
    }
    shared.deployed.read().await.clone()
}

fn detail_answer(status: StatusCode, detail: String) -> Response {
    (status, axum::Json(serde_json::json!({ "detail": detail }))).into_response()
}
