//! `greenlight`: wires the CLI to the library. Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};

/// mimalloc instead of the system allocator: a replay allocates and frees small strings and
/// values on two threads at once, where glibc's arenas spent about a sixth of the run in
/// malloc, free and their locks (measured with `perf`; `scripts/bench.sh` shows the result).
/// Without transparent huge pages (`no_thp`), as with them the resident memory of a 10,000-case
/// replay went from 17 MB to 57 MB.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
