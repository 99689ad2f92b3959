//! `greenlight probe`: one probe round of the configured environments.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use domain::probe::{ProbeStatus, Readiness};
use engine::probe::{EnvironmentReport, Prober};
use engine::{Config, Overrides};

use super::EXIT_USAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// greenlight.toml to use (GREENLIGHT_CONFIG); without it, the example workspace.
    #[arg(long, env = "GREENLIGHT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Probe only this environment (repeatable); default: all configured environments.
    #[arg(long = "env", value_name = "NAME")]
    pub envs: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Seconds each probe may take.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub timeout: f64,
}

pub fn run(args: ProbeArgs) -> ExitCode {
    let config = match Config::load(args.config.as_deref(), &Overrides::default()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("greenlight probe: configuration refused\n{e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if !(args.timeout > 0.0 && args.timeout <= 300.0) {
        eprintln!("greenlight probe: --timeout must be between 0 and 300 seconds");
        return ExitCode::from(EXIT_USAGE);
    }
    for name in &args.envs {
        if config.environment(name).is_none() {
            let known: Vec<String> = config
                .environments
                .iter()
                .map(|e| e.name.to_string())
                .collect();
            eprintln!(
                "greenlight probe: no environment named `{name}`; configured: {}",
                known.join(", ")
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let selected: Vec<_> = config
        .environments
        .iter()
        .filter(|e| args.envs.is_empty() || args.envs.iter().any(|n| n == e.name.as_str()))
        .cloned()
        .collect();
    if selected.is_empty() {
        eprintln!("greenlight probe: no environments are configured");
        return ExitCode::from(EXIT_USAGE);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("greenlight probe: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let prober = Prober::new(Duration::from_secs_f64(args.timeout), &config.server.roots);
    let reports: Vec<EnvironmentReport> = runtime.block_on(async {
        let tasks: Vec<_> = selected
            .into_iter()
            .map(|env| {
                let prober = prober.clone();
                tokio::spawn(async move { prober.probe(&env).await })
            })
            .collect();
        let mut reports = Vec::new();
        for task in tasks {
            if let Ok(report) = task.await {
                reports.push(report);
            }
        }
        reports
    });
    let all_ready = reports.iter().all(|r| r.readiness == Readiness::Ready);
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "environments": reports }))
                .unwrap_or_default()
        }
        Format::Text => render(&reports),
    };
    print_out(&text);
    if all_ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[allow(clippy::print_stdout)] // the report on stdout is this command's output
fn print_out(text: &str) {
    println!("{text}");
}

fn render(reports: &[EnvironmentReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let verdict = match report.readiness {
            Readiness::Ready => "READY",
            Readiness::NotReady => "NOT READY",
            Readiness::Unknown => "UNKNOWN (something could not be measured)",
        };
        let _ = writeln!(
            out,
            "{} ({}): {verdict}  [{}]",
            report.environment, report.mode, report.checked_at
        );
        for probe in &report.probes {
            let mark = match probe.status {
                ProbeStatus::Healthy => "ok  ",
                ProbeStatus::Degraded => "warn",
                ProbeStatus::Unhealthy => "FAIL",
                ProbeStatus::NotConfigured => "-   ",
                ProbeStatus::Unverified => "??  ",
            };
            let latency = probe
                .latency_ms
                .map(|ms| format!(" ({ms:.1} ms)"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {mark} {:<13}{}{latency}",
                probe.probe, probe.message
            );
        }
    }
    out
}
