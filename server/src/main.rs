//! `greenlight`: wires the CLI to the library. Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(cli.log_format, &cli.log_level);
    match cli.command {
        Command::Serve(args) => server::cli::serve(args),
        Command::Replay(args) => server::cli::replay::run(args),
        Command::Diff(args) => server::cli::diff::run(args),
        Command::Validate(args) => server::cli::validate::run(args),
        Command::Probe(args) => server::cli::probe::run(args),
        Command::Parity(args) => server::cli::parity::run(args),
        Command::Token(args) => server::cli::token::run(args),
    }
}
