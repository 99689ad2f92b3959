//! Probe-round benchmark (`cargo bench -p server --bench probe_round`, or `scripts/bench.sh`).
//!
//! One round over 200 environments, each with its readiness, runtime-dependencies, Inngest and
//! one custom check probe, against a loopback HTTP server that answers every request after
//! 50 ms. The floor is 50 ms (every probe runs concurrently); the figure is the round's wall
//! time as a multiple of that floor, the median of 5 rounds, plus the process's peak memory.
#![allow(clippy::print_stdout)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use engine::config::ConfigSource;
use engine::probe::Prober;
use engine::{Config, Overrides};

const ENVIRONMENTS: usize = 200;
const DELAY: Duration = Duration::from_millis(50);
const ROUNDS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let served = Arc::new(AtomicUsize::new(0));
    let base = support::spawn_target(DELAY, Arc::clone(&served)).await;

    let mut text = String::new();
    for k in 0..ENVIRONMENTS {
        text.push_str(&format!(
            "[[environments]]\nname = \"env-{k}\"\nmode = \"development\"\nbase_url = \"{base}\"\n\
             inngest_path = \"/api/inngest\"\n\
             [[environments.checks]]\nname = \"queue\"\npath = \"/api/queue/health\"\n\
             conditions = [\"[STATUS] == 200\", \"[BODY].queue.p95_age_seconds < 900\"]\n\n"
        ));
    }
    let config = Config::parse(
        &text,
        ConfigSource::File("bench.toml".into()),
        std::path::Path::new("."),
        &Overrides::default(),
    )
    .expect("bench config is valid");
    let prober = Prober::default();

    let mut times = Vec::with_capacity(ROUNDS);
    let mut ready = 0;
    let mut per_round = 0;
    for _ in 0..ROUNDS {
        let before = served.load(Ordering::Relaxed);
        let started = Instant::now();
        let reports =
            futures::future::join_all(config.environments.iter().map(|env| prober.probe(env)))
                .await;
        times.push(started.elapsed().as_secs_f64());
        per_round = served.load(Ordering::Relaxed) - before;
        ready = reports
            .iter()
            .filter(|r| r.readiness == domain::probe::Readiness::Ready)
            .count();
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    let median = times[ROUNDS / 2];
    let floor = DELAY.as_secs_f64();
    println!(
        "probe round: {ENVIRONMENTS} environments, {per_round} HTTP probes per round ({:.1} per environment), server answers after {} ms",
        per_round as f64 / ENVIRONMENTS as f64,
        DELAY.as_millis()
    );
    println!(
        "  round wall time: median {:.1} ms of {ROUNDS} = {:.2}x the {:.0} ms floor (first round, with connection set-up: {:.1} ms = {:.2}x); {ready}/{ENVIRONMENTS} ready",
        median * 1e3,
        median / floor,
        floor * 1e3,
        first * 1e3,
        first / floor
    );
    if let Some(kib) = support::peak_rss_kib() {
        println!(
            "  peak memory (VmHWM) of the benchmark process: {:.1} MiB",
            kib as f64 / 1024.0
        );
    }
}
