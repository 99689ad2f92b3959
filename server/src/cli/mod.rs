//! The command line. Every command here does what its help says.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use engine::{Config, Overrides};

pub mod diff;
pub mod parity;
pub mod probe;
pub mod replay;
pub mod token;
pub mod validate;

use crate::startup::{Application, shutdown_signal};
use crate::telemetry::LogFormat;

/// Exit code for bad input (configuration, flags), as for every Greenlight command.
pub const EXIT_USAGE: u8 = 2;

/// The TLS trust of a command with a `--ca-file` flag: the web roots, plus the file's CAs.
pub fn trusted_roots(
    ca_file: Option<&std::path::Path>,
) -> Result<engine::tls::TrustedRoots, String> {
    ca_file.map_or_else(
        || Ok(engine::tls::TrustedRoots::default()),
        engine::tls::TrustedRoots::load,
    )
}

#[derive(Debug, Parser)]
#[command(
    name = "greenlight",
    version,
    about = "Release-readiness console: says, with evidence, whether an environment may go live.",
    long_about = None
)]
pub struct Cli {
    /// Log line format on stderr.
    #[arg(
        long,
        value_enum,
        default_value = "text",
        global = true,
        env = "GREENLIGHT_LOG_FORMAT"
    )]
    pub log_format: LogFormat,

    /// Log filter (e.g. `info`, `debug`, `server=debug,tower_http=info`); RUST_LOG wins when set.
    #[arg(long, default_value = "info", global = true, env = "GREENLIGHT_LOG")]
    pub log_level: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web console: Status, Replays, Go-live and Settings pages, the server functions
    /// behind them, and the console's own health endpoints (/api/health/live,
    /// /api/health/ready, /api/runtime/dependencies). Stops cleanly on SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Replay a golden set through your runner, judge every output with the reference rubric,
    /// and gate the release: exit 1 when the pass rate is below --min-pass-rate (or, with
    /// --fail-on-critical, when any case fails a critical criterion), 0 when it passes, 2 on
    /// bad input. Writes <output-dir>/<UTC timestamp>/summary.json and cases/<id>.json in the
    /// reference harness's format and prints the summary.
    Replay(replay::ReplayArgs),
    /// Compare two replay runs case by case: regressions (pass → fail), fixes, new and removed
    /// cases, per-criterion score changes, tools added to or removed from the trace, and a
    /// word-level diff of the outputs. A run is a stored run id (with --data-dir) or a run
    /// directory holding summary.json and cases/. Exit 1 when B has regressions, 0 when not,
    /// 2 on bad input.
    Diff(diff::DiffArgs),
    /// Check an env file the way the reference validator does: required keys for the mode
    /// (and REDIS_URL / Inngest keys when REDIS_REQUIRED / INNGEST_REQUIRED are true),
    /// recommended keys, and with --check-connections a Redis PING, the Inngest keys and the
    /// runtime verdict. Also flags weak or deny-listed tokens and malformed lines. Values are
    /// never printed. Exit 0 PASS, 1 FAIL, 2 usage error or unreadable file.
    Validate(validate::ValidateArgs),
    /// Probe the configured environments once: env file, Redis PING, readiness endpoint,
    /// runtime dependencies and Inngest endpoint, each bounded by --timeout. Prints per
    /// environment the verdict and per probe the status, latency, message and evidence
    /// (secrets masked). Exit 0 when every selected environment is ready, 1 otherwise, 2 on
    /// bad input.
    Probe(probe::ProbeArgs),
    /// Compare two env files (or two configured environments' env files): keys set in one
    /// only, ordinary values that differ where they should not (URLs, ids, namespaces and
    /// ENVIRONMENT may differ), and secrets that are the same in both — compared by hash,
    /// never printed. Exit 0 when clean, 1 when anything is flagged, 2 on bad input.
    Parity(parity::ParityArgs),
    /// Personal access tokens: `token create --name NAME --role ROLE` prints a token once
    /// (only its keyed hash is stored), `token list`, `token revoke ID` (its sessions end).
    /// Roles: viewer, operator, engineer, admin.
    Token(token::TokenArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// greenlight.toml to use. Without it the built-in example workspace (examples/) is used.
    #[arg(long, env = "GREENLIGHT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Address to listen on; overrides [server] addr (default 127.0.0.1:3000).
    #[arg(long, env = "GREENLIGHT_ADDR")]
    pub addr: Option<SocketAddr>,

    /// Directory for the SQLite database; overrides [server] data_dir (default ./.greenlight).
    /// Created on first start; migrations are applied automatically.
    #[arg(long, env = "GREENLIGHT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Directory holding the compiled site (pkg/greenlight.js, .wasm, .css). Defaults to
    /// target/site beside the binary, as `cargo leptos build` writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Without --config, practice mode also runs a staging and a production service on
    /// loopback (each with its own redis-server) to rehearse a go-live on. This turns it off
    /// (GREENLIGHT_NO_PRACTICE=1, true, yes or on).
    #[arg(long, env = "GREENLIGHT_NO_PRACTICE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_practice: bool,

    /// How long the practice staging must stay ready in a practice go-live (step 6), in
    /// minutes; a real pair keeps [golive] stability_minutes (24 hours by default).
    #[arg(long, env = "GREENLIGHT_PRACTICE_STABILITY_MINUTES",
          default_value_t = engine::practice::DEFAULT_STABILITY.as_secs() / 60,
          value_parser = clap::value_parser!(u64).range(1..=1440))]
    pub practice_stability_minutes: u64,
}

pub fn serve(args: ServeArgs) -> ExitCode {
    let overrides = Overrides {
        addr: args.addr,
        data_dir: args.data_dir.clone(),
    };
    let config = match Config::load(args.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("greenlight: configuration refused\n{e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let site_root = crate::site::resolve_site_root(args.site_root.as_deref());
    // One thread for the async work: Leptos 0.8's out-of-order SSR streaming can leave a
    // response hanging under a work-stealing scheduler (leptos-rs/leptos#4851, #4578), which we
    // reproduced in our own tests. The console's work is I/O; SQLite runs on the blocking
    // pool and runners are child processes, so one async thread is plenty.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("greenlight: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stability = std::time::Duration::from_secs(args.practice_stability_minutes * 60);
    runtime.block_on(async move {
        // Signals are listened for from here on: one arriving while practice mode starts lets
        // the start finish and then stops everything it started, instead of killing the
        // process with redis-servers left behind.
        let (stop, mut stopping) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        });
        tokio::task::yield_now().await;
        let stopped = async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        };
        let attached =
            crate::practice::attach(config, !args.no_practice, stability, &overrides).await;
        let (config, practice) = match attached {
            Ok(attached) => attached,
            Err(e) => {
                eprintln!("greenlight: {e}");
                return ExitCode::FAILURE;
            }
        };
        let served =
            match Application::build_with_practice(config, site_root, practice.clone()).await {
                Ok(app) => app.run_until_stopped(stopped).await.map_err(|e| {
                    tracing::error!(error = %e, "server failed");
                }),
                Err(e) => {
                    tracing::error!(error = %e, "Greenlight could not start");
                    eprintln!("greenlight: {e}");
                    Err(())
                }
            };
        // The practice services and their Redis servers end with the console, whatever ended it.
        if let Some(practice) = practice {
            practice.shutdown().await;
        }
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(()) => ExitCode::FAILURE,
        }
    })
}
