//! The Status page under load, as leadership meets it (`cargo bench -p server --bench
//! status_page`, or `scripts/bench.sh`).
//!
//! The release binary (`target/release/greenlight`, from `cargo leptos build --release`)
//! serves 20 environments whose history was seeded into a real SQLite file at a 15 s
//! interval: first 1 day, then 30 days (48 h of raw rounds, hourly rollups before, as the
//! console keeps them). While it probes those environments for real (a loopback service), the
//! benchmark measures one request's size and time for `GET /` and the overview, then 50
//! concurrent viewers for 20 s, each on its own keep-alive connection alternating `GET /` and
//! the overview (p50/p95/p99, requests/s, errors), first all signed with one viewer token (a
//! wall display, a shared leadership link), then each with a token of its own (fifty people,
//! each with their own rendered page), the server's CPU per request and its peak
//! memory. The reference, measured in the same run against the same server: the same viewers
//! on `/api/health/live`, the cheapest route through the same guard.
//!
//! `GREENLIGHT_BENCH_SECS` (default 20) and `GREENLIGHT_BENCH_VIEWERS` (default 50) change the
//! load; `GREENLIGHT_BENCH_ENCODING` (default `br, gzip`, what browsers send) the
//! Accept-Encoding of every request (`identity` for none).
#![allow(clippy::print_stdout)]

#[path = "../tests/integration/support/history.rs"]
mod history;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use engine::config::ConfigSource;
use engine::probe::Prober;
use engine::{Config, Overrides, Store};

const ENVIRONMENTS: usize = 20;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn proc_field(&self, file: &str, key: &str) -> Option<u64> {
        let text = std::fs::read_to_string(format!("/proc/{}/{file}", self.child.id())).ok()?;
        let line = text.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// The server's peak resident memory (VmHWM), in MiB.
    fn peak_mib(&self) -> Option<f64> {
        Some(self.proc_field("status", "VmHWM:")? as f64 / 1024.0)
    }

    /// User + system CPU time the server has used, in seconds.
    fn cpu_secs(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        let after_name = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of /proc/PID/stat; 12 and 13 after the name.
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

async fn start_server(config: &Path, data_dir: &Path) -> Server {
    let binary = workspace().join("target/release/greenlight");
    assert!(
        binary.is_file(),
        "{} is missing: build it first with `cargo leptos build --release` (scripts/bench.sh does)",
        binary.display()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&binary)
        .args(["serve", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--site-root")
        .arg(workspace().join("target/site"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start greenlight serve");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let live = client
            .get(format!("{}/api/health/live", server.base))
            .send()
            .await;
        if live.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        assert!(Instant::now() < deadline, "the console did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[derive(Clone, Copy)]
enum Request {
    Page,
    Overview,
    Live,
}

impl Request {
    fn send(self, client: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
        match self {
            Request::Page => client.get(format!("{base}/")),
            Request::Overview => client.post(format!("{base}/api/status/overview")),
            Request::Live => client.get(format!("{base}/api/health/live")),
        }
    }
}

fn viewer_client(token: &str, encoding: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    headers.insert(reqwest::header::ACCEPT_ENCODING, encoding.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// One request: its status, body size on the wire and time.
async fn once(client: &reqwest::Client, base: &str, request: Request) -> (u16, usize, f64) {
    let started = Instant::now();
    let response = request.send(client, base).send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, body.len(), started.elapsed().as_secs_f64() * 1e3)
}

struct Load {
    requests: usize,
    errors: usize,
    secs: f64,
    latencies_ms: Vec<f64>,
}

impl Load {
    fn quantile(&self, q: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return f64::NAN;
        }
        let rank = ((q * self.latencies_ms.len() as f64).ceil() as usize).max(1);
        self.latencies_ms[rank - 1]
    }

    fn line(&self) -> String {
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {:.0} requests/s, {} errors of {}",
            self.quantile(0.50),
            self.quantile(0.95),
            self.quantile(0.99),
            self.requests as f64 / self.secs,
            self.errors,
            self.requests
        )
    }
}

/// `viewers` concurrent viewers for `secs`, each cycling through `mix` on its own connection;
/// viewer `v` signs with `tokens[v % tokens.len()]`.
async fn load(base: &str, tokens: &[String], encoding: &str, mix: &'static [Request]) -> Load {
    let viewers = env_number("GREENLIGHT_BENCH_VIEWERS", 50) as usize;
    let secs = env_number("GREENLIGHT_BENCH_SECS", 20) as f64;
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(secs);
    let tasks: Vec<_> = (0..viewers)
        .map(|v| {
            let client = viewer_client(&tokens[v % tokens.len()], encoding);
            let base = base.to_string();
            tokio::spawn(async move {
                let (mut latencies, mut errors) = (Vec::new(), 0usize);
                let mut k = v;
                while Instant::now() < until {
                    let request = mix[k % mix.len()];
                    k += 1;
                    let t = Instant::now();
                    let ok = match request.send(&client, &base).send().await {
                        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                        _ => false,
                    };
                    latencies.push(t.elapsed().as_secs_f64() * 1e3);
                    errors += usize::from(!ok);
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut out = Load {
        requests: 0,
        errors: 0,
        secs: 0.0,
        latencies_ms: Vec::new(),
    };
    for task in tasks {
        let (latencies, errors) = task.await.unwrap();
        out.requests += latencies.len();
        out.errors += errors;
        out.latencies_ms.extend(latencies);
    }
    out.secs = started.elapsed().as_secs_f64();
    out.latencies_ms.sort_by(f64::total_cmp);
    out
}

async fn scenario(days: f64, target: &str, encoding: &str) {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let mut text = String::new();
    for k in 0..ENVIRONMENTS {
        let mode = ["development", "staging", "production"][k % 3];
        text.push_str(&format!(
            "[[environments]]\nname = \"env-{k:02}\"\nmode = \"{mode}\"\nbase_url = \"{target}\"\n\
             probe_interval_secs = 15\ninngest_path = \"/api/inngest\"\n\
             [[environments.checks]]\nname = \"queue\"\npath = \"/api/queue/health\"\n\
             conditions = [\"[STATUS] == 200\", \"[BODY].queue.p95_age_seconds < 900\"]\n\n"
        ));
    }
    let config_path = dir.path().join("greenlight.toml");
    std::fs::write(&config_path, &text).unwrap();
    let config = Config::parse(
        &text,
        ConfigSource::File(config_path.clone()),
        dir.path(),
        &Overrides::default(),
    )
    .expect("bench config is valid");

    // A real round is the template of every seeded one.
    let template = Prober::default().probe(&config.environments[0]).await;
    let names: Vec<String> = config
        .environments
        .iter()
        .map(|e| e.name.to_string())
        .collect();
    let store = Store::open(&data_dir).unwrap();
    let seeding = Instant::now();
    let now = engine::clock::now_unix();
    let seeded = history::seed(&store, &template, &names, days, now).await;
    let token = store
        .create_token("bench viewer", domain::auth::Role::Viewer)
        .await
        .unwrap()
        .1;
    // Fifty people, each signed in with their own token: each gets their own rendered page.
    let mut people = Vec::new();
    for k in 0..env_number("GREENLIGHT_BENCH_VIEWERS", 50) {
        let (_, token) = store
            .create_token(&format!("bench person {k}"), domain::auth::Role::Viewer)
            .await
            .unwrap();
        people.push(token);
    }
    let db_mib = std::fs::metadata(store.path()).map_or(0.0, |m| m.len() as f64 / 1048576.0);
    drop(store);
    println!(
        "\n{days} day(s) of history: {ENVIRONMENTS} environments x ({} raw rounds + {} hourly rollups), database {db_mib:.0} MiB, seeded in {:.1} s",
        seeded.raw_rounds,
        seeded.rollup_hours,
        seeding.elapsed().as_secs_f64()
    );

    let server = start_server(&config_path, &data_dir).await;
    let client = viewer_client(&token, encoding);
    // Warm-up: the first request computes every card.
    for _ in 0..3 {
        once(&client, &server.base, Request::Page).await;
    }
    for (label, request) in [("GET /", Request::Page), ("overview", Request::Overview)] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..21 {
            let (status, bytes, ms) = once(&client, &server.base, request).await;
            assert_eq!(status, 200, "{label}");
            size = bytes;
            times.push(ms);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  one request, {label}: {size} bytes on the wire ({encoding}), median {:.2} ms of 21",
            times[10]
        );
    }
    let cpu_before = server.cpu_secs();
    let shared = std::slice::from_ref(&token);
    let status = load(
        &server.base,
        shared,
        encoding,
        &[Request::Page, Request::Overview],
    )
    .await;
    let cpu_after = server.cpu_secs();
    println!(
        "  viewers on GET / and the overview, one viewer token: {}",
        status.line()
    );
    if let (Some(a), Some(b)) = (cpu_before, cpu_after) {
        println!(
            "  server CPU: {:.2} ms per request ({:.0} % of one core)",
            (b - a) * 1e3 / status.requests.max(1) as f64,
            (b - a) / status.secs * 100.0
        );
    }
    let distinct = load(
        &server.base,
        &people,
        encoding,
        &[Request::Page, Request::Overview],
    )
    .await;
    println!(
        "  the same, each viewer with a token of their own: {}",
        distinct.line()
    );
    let reference = load(&server.base, shared, encoding, &[Request::Live]).await;
    println!(
        "  reference, the same viewers on /api/health/live: {}",
        reference.line()
    );
    println!(
        "  ratio: Status p95 = {:.2}x the reference's p95; throughput {:.2}x",
        status.quantile(0.95) / reference.quantile(0.95),
        status.requests as f64 / status.secs / (reference.requests as f64 / reference.secs)
    );
    if let Some(mib) = server.peak_mib() {
        println!("  server peak memory (VmHWM): {mib:.1} MiB");
    }
}

async fn bench() {
    let served = Arc::new(AtomicUsize::new(0));
    let target = support::spawn_target(Duration::from_millis(2), served).await;
    let encoding = std::env::var("GREENLIGHT_BENCH_ENCODING").unwrap_or_else(|_| "br, gzip".into());
    for days in [1.0, 30.0] {
        scenario(days, &target, &encoding).await;
    }
}
