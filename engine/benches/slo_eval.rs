//! SLO evaluation benchmark (`cargo bench -p engine --bench slo_eval`, or `scripts/bench.sh`).
//!
//! 200 environments × 4 SLOs, each with 30 days of 15-second rounds (240 a hour, 4 a minute)
//! stored in a real SQLite file as the console stores them (hourly and minute counts). Measures
//! loading the SLO book at start and evaluating every objective (value, budget, four burn
//! rates), the median of 21 evaluations; and, as the reference in the same run, the same
//! window sums read from SQLite with one indexed SUM per objective and window.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use domain::slo::Counts;
use engine::config::ConfigSource;
use engine::slo_book::SloBook;
use engine::{Config, Overrides, Store};

const ENVIRONMENTS: usize = 200;
const NOW: f64 = 1_800_000_000.0;

fn config_text() -> String {
    let mut text = String::new();
    for k in 0..ENVIRONMENTS {
        text.push_str(&format!(
            "[[environments]]\nname = \"env-{k}\"\nmode = \"production\"\nbase_url = \"http://127.0.0.1:9\"\n\
             [[environments.checks]]\nname = \"queue\"\npath = \"/q\"\nconditions = [\"[STATUS] == 200\"]\n\
             [[environments.slos]]\nname = \"uptime\"\nkind = \"readiness\"\ntarget_percent = 99.9\n\
             [[environments.slos]]\nname = \"redis-ping\"\nkind = \"latency\"\nprobe = \"redis\"\nbelow_ms = 50\ntarget_percent = 95\n\
             [[environments.slos]]\nname = \"scheduler\"\nkind = \"check\"\ncheck = \"queue\"\ntarget_percent = 99\n\
             [[environments.slos]]\nname = \"readiness-latency\"\nkind = \"latency\"\nprobe = \"readiness\"\nbelow_ms = 300\ntarget_percent = 99\n"
        ));
    }
    text
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(bench());
}

async fn bench() {
    let dir = tempfile::tempdir().unwrap();
    let overrides = Overrides {
        addr: None,
        data_dir: Some(dir.path().to_path_buf()),
    };
    let config = Config::parse(
        &config_text(),
        ConfigSource::File(dir.path().join("greenlight.toml")),
        dir.path(),
        &overrides,
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();

    // 30 days of hours and the last 6 h 10 min of minutes per objective; one bad round in
    // every 500.
    let seeded = Instant::now();
    let mut hours = Vec::new();
    let mut minutes = Vec::new();
    let first_hour = (NOW as i64 - 30 * 86_400) / 3_600 * 3_600;
    for env in &config.environments {
        for slo in &env.slos {
            for h in 0..720 {
                let bad = u64::from(h % 2 == 0);
                hours.push((
                    env.name.to_string(),
                    slo.name.clone(),
                    first_hour + h * 3_600,
                    Counts {
                        good: 240 - bad,
                        total: 240,
                    },
                ));
            }
            let first_minute = (NOW as i64 - 22_200) / 60 * 60;
            for m in 0..370 {
                let bad = u64::from(m % 125 == 0);
                minutes.push((
                    env.name.to_string(),
                    slo.name.clone(),
                    first_minute + m * 60,
                    Counts {
                        good: 4 - bad,
                        total: 4,
                    },
                ));
            }
        }
    }
    let rows = hours.len() + minutes.len();
    store.insert_slo_buckets(hours, minutes).await.unwrap();
    println!(
        "seeded {rows} SLO buckets ({} objectives) in {:.1} s",
        ENVIRONMENTS * 4,
        seeded.elapsed().as_secs_f64()
    );

    let rss_before = status_kib("VmRSS");
    let book = SloBook::default();
    let started = Instant::now();
    book.load(&store, &config, NOW).await.unwrap();
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let rss_after = status_kib("VmRSS");

    let mut times = Vec::new();
    let mut checksum = 0u64;
    for _ in 0..21 {
        let started = Instant::now();
        for env in &config.environments {
            for e in book.evaluate(env, NOW) {
                checksum += e.rounds.total;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let eval_ms = times[times.len() / 2];

    // Reference: the same five window sums per objective, read from SQLite.
    let reference_ms = reference(&store, &config).await;

    println!(
        "SLO book load (800 objectives, 30 days): {load_ms:.1} ms; resident memory {:.1} MiB before, {:.1} MiB after (the book and what the allocator kept from reading)",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    println!(
        "evaluate all 800 objectives (value, budget, 5 min/30 min/1 h/6 h burn): median {eval_ms:.2} ms of 21 (goal < 50 ms); checksum {checksum}"
    );
    println!(
        "reference, the same sums as indexed SQL queries: {reference_ms:.1} ms; the book is {:.0}x faster",
        reference_ms / eval_ms
    );
    println!(
        "peak memory (VmHWM, the seeding's 872,000 rows in memory included): {:.1} MiB",
        status_kib("VmHWM") as f64 / 1024.0
    );
}

async fn reference(store: &Store, config: &Config) -> f64 {
    let path = store.path().to_path_buf();
    let pairs: Vec<(String, String)> = config
        .environments
        .iter()
        .flat_map(|e| {
            e.slos
                .iter()
                .map(move |s| (e.name.to_string(), s.name.clone()))
        })
        .collect();
    tokio::task::spawn_blocking(move || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let started = Instant::now();
        let mut total = 0i64;
        for (env, slo) in &pairs {
            let sum = |table: &str, column: &str, from: f64| -> i64 {
                conn.prepare_cached(&format!(
                    "SELECT COALESCE(SUM(total), 0) FROM {table} WHERE environment = ?1 AND slo = ?2 AND {column} >= ?3"
                ))
                .unwrap()
                .query_row(rusqlite::params![env, slo, from as i64], |r| r.get(0))
                .unwrap()
            };
            total += sum("slo_hours", "hour_unix", NOW - 30.0 * 86_400.0);
            for secs in [300.0, 1_800.0, 3_600.0, 21_600.0] {
                total += sum("slo_minutes", "minute_unix", NOW - secs);
            }
        }
        assert!(total > 0);
        started.elapsed().as_secs_f64() * 1e3
    })
    .await
    .unwrap()
}

/// A `/proc/self/status` field in KiB (0 where there is none).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
