//! `greenlight parity`: compare two environments' env files — keys set in one only, ordinary
//! values that differ where they should not, and secrets that are the same in both (compared
//! by hash, never printed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use engine::{Config, Overrides};

use super::EXIT_USAGE;
use super::validate::Format;

#[derive(Debug, Args)]
pub struct ParityArgs {
    /// Two env files to compare, A then B (e.g. staging.env production.env). Their names in
    /// the report are the file names.
    #[arg(
        long = "env-file",
        value_name = "FILE",
        num_args = 1,
        conflicts_with = "env"
    )]
    pub env_files: Vec<PathBuf>,
    /// Or two configured environments by name, A then B (their `env_file`s are compared).
    #[arg(long, value_name = "NAME")]
    pub env: Vec<String>,
    /// greenlight.toml for --env (GREENLIGHT_CONFIG); without it, the example workspace.
    #[arg(long, value_name = "FILE", env = "GREENLIGHT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Output format: a readable report, or the report as one JSON object.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("greenlight parity: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// Exit 0 when clean, 1 when anything differs unexpectedly or a credential is shared, 2 on
/// bad input.
#[allow(clippy::print_stdout)] // the report on stdout is this command's output
pub fn run(args: ParityArgs) -> ExitCode {
    let (a, b) = match (args.env_files.as_slice(), args.env.as_slice()) {
        ([a, b], []) => (
            (engine::env_files::display_name(a), a.clone()),
            (engine::env_files::display_name(b), b.clone()),
        ),
        ([], [a, b]) => {
            let config = match Config::load(args.config.as_deref(), &Overrides::default()) {
                Ok(config) => config,
                Err(e) => return usage(format!("configuration refused\n{e}")),
            };
            let file = |name: &str| -> Result<(String, PathBuf), String> {
                let env = config
                    .environment(name)
                    .ok_or_else(|| format!("no environment named `{name}`"))?;
                let path = env
                    .env_file
                    .clone()
                    .ok_or_else(|| format!("environment `{name}` has no env_file configured"))?;
                Ok((name.to_string(), path))
            };
            match (file(a), file(b)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return usage(e),
            }
        }
        _ => return usage("give two --env-file FILE, or two --env NAME with a configuration"),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return usage(format!("cannot start: {e}")),
    };
    let read = |path: &Path| runtime.block_on(engine::env_files::read(path));
    let (file_a, file_b) = match (read(&a.1), read(&b.1)) {
        (Ok(fa), Ok(fb)) => (fa, fb),
        (Err(e), _) | (_, Err(e)) => return usage(e),
    };
    let report = domain::parity::parity(&a.0, &file_a, &b.0, &file_b);
    match args.format {
        Format::Text => print!("{}", domain::parity::render_text(&report)),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return usage(format!("cannot encode the report: {e}")),
        },
    }
    if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
