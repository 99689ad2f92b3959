//! A practice service's own redis-server: a real one, a child of the console on a free
//! loopback port, without persistence. Its pid is written beside its working directory so a
//! console that was killed outright (SIGKILL, power loss) stops the orphan at its next start.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use domain::RedisUrl;
use domain::practice::Side;
use tokio::process::{Child, Command};
use tokio::sync::Mutex;

use crate::tls::TrustedRoots;

/// How long a starting redis-server gets to answer PING.
const START_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a stopping one gets to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);

/// `redis-server` on PATH, or why practice mode runs without Redis.
pub fn find_binary() -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("redis-server"))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            "redis-server is not installed, so the practice services run without Redis and cannot reach Go. Install it (scripts/setup.sh run does, or: apt-get install redis-server) and start the console again.".to_string()
        })
}

/// A free loopback port: bound and let go (redis-server binds it itself a moment later).
pub fn free_port() -> Result<u16, String> {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free loopback port: {e}"))
}

/// A redis-server for `side` on a free port; a port taken between choosing it and binding it
/// is tried again with another.
pub async fn start_redis(
    binary: &Path,
    dir: PathBuf,
    side: Side,
) -> Result<(Result<Mutex<RedisServer>, String>, u16), String> {
    let mut failure = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let mut server = RedisServer::new(binary.to_path_buf(), port, dir.clone());
        match server.start().await {
            Ok(()) => return Ok((Ok(Mutex::new(server)), port)),
            Err(e) => failure = e,
        }
    }
    let why = format!(
        "{}'s Redis could not be started: {failure}. The practice services run without it.",
        side.name()
    );
    Ok((Err(why), free_port()?))
}

/// One redis-server, running or stopped, always on the same port.
pub struct RedisServer {
    binary: PathBuf,
    port: u16,
    /// Its working directory (also in its command line, which is how its pid file is checked).
    dir: PathBuf,
    child: Option<Child>,
}

impl RedisServer {
    pub fn new(binary: PathBuf, port: u16, dir: PathBuf) -> Self {
        Self {
            binary,
            port,
            dir,
            child: None,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.with_extension("pid")
    }

    /// Starts it (when it is not running) and waits until it answers PING.
    pub async fn start(&mut self) -> Result<(), String> {
        if self.is_running() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let child = Command::new(&self.binary)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            // Keep the command line (with --dir) as it was: it is how an orphan is recognised.
            .args(["--set-proc-title", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        if let Some(pid) = child.id() {
            let _ = std::fs::write(self.pid_file(), pid.to_string());
        }
        self.child = Some(child);
        let url = RedisUrl::parse(&format!("redis://127.0.0.1:{}/0", self.port))
            .map_err(|e| e.to_string())?;
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        let roots = TrustedRoots::default();
        loop {
            let ping = crate::clients::redis_ping::ping(&url, Duration::from_millis(300), &roots);
            if ping.await.is_ok() {
                return Ok(());
            }
            if !self.is_running() || tokio::time::Instant::now() > deadline {
                self.stop().await;
                return Err(format!(
                    "redis-server did not start on port {} (is the port taken?)",
                    self.port
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it: SIGTERM, then SIGKILL when it has not exited within [`STOP_TIMEOUT`].
    pub async fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Some(pid) = child
            .id()
            .and_then(|p| rustix::process::Pid::from_raw(p as i32))
        {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        if tokio::time::timeout(STOP_TIMEOUT, child.wait())
            .await
            .is_err()
        {
            let _ = child.kill().await;
        }
        let _ = std::fs::remove_file(self.pid_file());
    }
}

/// Stops a redis-server a previous console left running: the pid in `dir`'s pid file, when
/// that process is a redis-server working in `dir`.
pub fn stop_orphan(dir: &Path) {
    let pid_file = dir.with_extension("pid");
    let Some(pid) = std::fs::read_to_string(&pid_file)
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok())
    else {
        return;
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let cmdline = String::from_utf8_lossy(&cmdline);
    let ours = cmdline.contains("redis-server") && cmdline.contains(&*dir.to_string_lossy());
    if ours && let Some(pid) = rustix::process::Pid::from_raw(pid) {
        tracing::warn!(pid = pid.as_raw_nonzero().get(), dir = %dir.display(), "stopping a practice redis-server left running by an earlier console");
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
    let _ = std::fs::remove_file(pid_file);
}
