//! Practice mode: with no configuration of the user's own, the console also runs a staging and
//! a production service on loopback (each with its own real redis-server when one is
//! installed), so a go-live can be rehearsed end to end. [`Practice::start`] starts them and
//! gives the configuration lines that watch them; the practice panel's actions act on them for
//! real; [`Practice::shutdown`] stops everything it started.

mod answers;
mod config_lines;
mod env_file;
mod redis_server;
mod service;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use domain::practice::{Action, RedisState, Service as ServiceView, Side, Status};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

use redis_server::{RedisServer, free_port, start_redis};
use service::Service;
pub use service::http_answer;

/// The practice pair's stability window unless `--practice-stability-minutes` says otherwise.
pub const DEFAULT_STABILITY: Duration = Duration::from_secs(3 * 60);
/// How often the practice services are probed.
pub const PROBE_INTERVAL_SECS: u64 = 5;
/// The two cases the practice runner answers wrongly when told to.
pub const FAILING_CASES: [&str; 2] = ["EX_002", "EX_006"];

#[derive(Debug, Clone)]
pub struct Options {
    pub data_dir: PathBuf,
    pub stability: Duration,
    /// How long a slowed service waits before answering: past the probe timeout.
    pub slow_delay: Duration,
}

struct Slot {
    service: Service,
    /// `Err`: why this service has no Redis.
    redis: Result<Mutex<RedisServer>, String>,
}

/// Takes `dir`'s lock, or says which console holds it.
fn lock(dir: &Path) -> Result<std::fs::File, String> {
    let path = dir.join("console.lock");
    let file = std::fs::File::create(&path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive).map_err(|_| {
        format!(
            "another console already runs practice mode with the data directory {}; its services are left alone",
            dir.parent().unwrap_or(dir).display()
        )
    })?;
    Ok(file)
}

/// Does `action` on `state`'s practice services and forgets the go-live verdicts measured
/// before it (they measured services that have just changed).
pub async fn act(
    state: &crate::state::AppState,
    practice: &Arc<Practice>,
    action: Action,
) -> Result<String, String> {
    let done = practice.act(action).await;
    state.verdicts.forget_all().await;
    done
}

/// The running practice services.
pub struct Practice {
    dir: PathBuf,
    slots: Vec<Slot>,
    runner_failures: PathBuf,
    stability: Duration,
    ca: tokio_rustls::rustls::pki_types::CertificateDer<'static>,
    notice: Option<String>,
    /// One action at a time: a redeploy and a Redis restart must not interleave. Shutdown
    /// takes it too, and then refuses every later action.
    acting: Mutex<bool>,
    /// Held while this console runs practice mode in this data directory (see `lock`).
    _lock: std::fs::File,
}

impl Practice {
    /// Starts both services and their Redis servers. Only a failure that leaves nothing to
    /// practise on is an error; a missing redis-server is a notice.
    pub async fn start(options: Options) -> Result<Self, String> {
        let dir = options.data_dir.join("practice");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // Before anything in the directory is touched: another console's services are not
        // orphans, and its env files are not ours to rewrite.
        let lock = lock(&dir)?;
        let tls = tls::PracticeTls::generate()?;
        let _ = std::fs::write(dir.join("ca.pem"), &tls.ca_pem);
        let binary = redis_server::find_binary();
        let mut slots = Vec::new();
        for side in Side::BOTH {
            let redis_dir = dir.join(format!("redis-{}", side.name()));
            redis_server::stop_orphan(&redis_dir);
            let (redis, redis_port) = match &binary {
                Err(why) => (Err(why.clone()), free_port()?),
                Ok(binary) => start_redis(binary, redis_dir, side).await?,
            };
            let listener = TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| format!("cannot listen on loopback: {e}"))?;
            let port = listener.local_addr().map_err(|e| e.to_string())?.port();
            let (scheme, acceptor) = match side {
                Side::Staging => ("http", None),
                Side::Production => ("https", Some(tls.acceptor.clone())),
            };
            let env_path = dir.join(format!("{}.env", side.name()));
            env_file::prepare(
                &env_path,
                side,
                &format!("redis://127.0.0.1:{redis_port}/0"),
                &format!("{scheme}://127.0.0.1:{port}/api/inngest"),
            )?;
            let service =
                Service::start(side, listener, acceptor, env_path, options.slow_delay).await?;
            slots.push(Slot { service, redis });
        }
        let notice = slots.iter().find_map(|s| s.redis.as_ref().err().cloned());
        if let Some(notice) = &notice {
            tracing::warn!("practice mode: {notice}");
        }
        let practice = Self {
            runner_failures: dir.join("runner-failures.txt"),
            dir,
            slots,
            stability: options.stability,
            ca: tls.ca,
            notice,
            acting: Mutex::new(false),
            _lock: lock,
        };
        for slot in &practice.slots {
            tracing::info!(
                environment = slot.service.side.name(),
                url = %slot.service.base_url(),
                redis = ?slot.redis.as_ref().ok().map(|_| "running"),
                "practice service started"
            );
        }
        Ok(practice)
    }

    fn slot(&self, side: Side) -> &Slot {
        self.slots
            .iter()
            .find(|s| s.service.side == side)
            .expect("both sides are started")
    }

    /// Why practice mode runs without Redis, when it does.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The practice CA, for the console's outbound TLS trust.
    pub fn ca(&self) -> tokio_rustls::rustls::pki_types::CertificateDer<'static> {
        self.ca.clone()
    }

    /// The configuration lines that watch the practice services and replay their suite,
    /// appended to the embedded example workspace's text.
    pub fn config_lines(&self) -> String {
        config_lines::lines(
            self.slots.iter().map(|s| &s.service),
            &self.runner_failures,
            self.stability,
        )
    }

    /// Practice mode now, as the panel shows it.
    pub async fn status(&self) -> Status {
        let mut services = Vec::new();
        for slot in &self.slots {
            let s = &slot.service;
            let deployed = s.deployed().await;
            let in_file = crate::env_files::read(&s.env_file)
                .await
                .is_ok_and(|f| env_file::STRICT_FLAGS.iter().all(|k| f.flag(k)));
            let redis = match &slot.redis {
                Err(reason) => RedisState::Unavailable {
                    reason: reason.clone(),
                },
                Ok(server) => {
                    let mut server = server.lock().await;
                    let port = server.port();
                    if server.is_running() {
                        RedisState::Running { port }
                    } else {
                        RedisState::Stopped { port }
                    }
                }
            };
            services.push(ServiceView {
                side: s.side,
                base_url: s.base_url(),
                running: s.is_running().await,
                redis,
                strict_in_file: in_file,
                strict_deployed: deployed.strict(),
                slow: s.is_slow(),
                deployed_unix: deployed.at_unix,
            });
        }
        Status {
            services,
            runner_failures: self.runner_failures.exists(),
            stability_secs: self.stability.as_secs(),
            notice: self.notice.clone(),
        }
    }

    /// Does `action` for real, to its end even when the caller goes away (a redeploy cut off
    /// between stop and start would leave the service down). The error is a sentence for the
    /// operator.
    pub async fn act(self: &Arc<Self>, action: Action) -> Result<String, String> {
        let practice = Arc::clone(self);
        tokio::spawn(async move { practice.act_now(action).await })
            .await
            .map_err(|e| format!("the practice action stopped: {e}"))?
    }

    async fn act_now(&self, action: Action) -> Result<String, String> {
        let stopped = self.acting.lock().await;
        if *stopped {
            return Err("the console is stopping; practice mode is being shut down".into());
        }
        match action {
            Action::SetStrictFlags { side } => {
                env_file::set_strict(&self.slot(side).service.env_file, true)?;
            }
            Action::Redeploy { side } => self.slot(side).service.redeploy().await?,
            Action::StopRedis { side } => self.redis(side)?.lock().await.stop().await,
            Action::StartRedis { side } => self.redis(side)?.lock().await.start().await?,
            Action::SlowAnswers { side, on } => self.slot(side).service.set_slow(on),
            Action::RunnerFailures { on } => self.set_runner_failures(on)?,
            Action::Reset => {
                self.set_runner_failures(false)?;
                for slot in &self.slots {
                    env_file::set_strict(&slot.service.env_file, false)?;
                    slot.service.set_slow(false);
                    if let Ok(redis) = &slot.redis {
                        redis.lock().await.start().await?;
                    }
                    slot.service.redeploy().await?;
                }
            }
        }
        Ok(action.done())
    }

    fn redis(&self, side: Side) -> Result<&Mutex<RedisServer>, String> {
        self.slot(side).redis.as_ref().map_err(Clone::clone)
    }

    fn set_runner_failures(&self, on: bool) -> Result<(), String> {
        let path = &self.runner_failures;
        let done = if on {
            std::fs::write(path, format!("{}\n", FAILING_CASES.join("\n")))
        } else {
            match std::fs::remove_file(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            }
        };
        done.map_err(|e| format!("cannot change {}: {e}", path.display()))
    }

    /// Stops both services and both Redis servers, and waits until the servers have exited.
    /// An action under way finishes first; later ones are refused.
    pub async fn shutdown(&self) {
        let mut stopped = self.acting.lock().await;
        *stopped = true;
        for slot in &self.slots {
            slot.service.stop().await;
            if let Ok(redis) = &slot.redis {
                redis.lock().await.stop().await;
            }
        }
        tracing::info!(dir = %self.dir.display(), "practice services stopped");
    }
}
