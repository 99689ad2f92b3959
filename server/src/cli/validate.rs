//! `greenlight validate`: the reference env-file validator's verdict, plus findings it lacks
//! (weak or deny-listed tokens, malformed lines) and an optional Inngest route check.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use domain::Mode;
use domain::env_file::EnvFile;
use domain::validator::{render_text, validate};

use super::EXIT_USAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Development,
    Staging,
    Production,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Development => Mode::Development,
            ModeArg::Staging => Mode::Staging,
            ModeArg::Production => Mode::Production,
        }
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The rules to apply: staging and production require the full key set.
    #[arg(long, value_enum)]
    pub mode: ModeArg,
    /// The env file to check. Only its values count, never the shell's environment.
    #[arg(long, value_name = "FILE")]
    pub env_file: PathBuf,
    /// Also PING Redis at REDIS_URL and check the Inngest keys and the runtime verdict.
    #[arg(long)]
    pub check_connections: bool,
    /// Also GET the Inngest serve endpoint at INNGEST_WEBHOOK_URL (signed when the signing key
    /// is in the file) and fail the Inngest check when it does not answer as mounted.
    #[arg(long, requires = "check_connections")]
    pub verify_inngest_route: bool,
    /// Output format: a readable report, or one JSON object.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// CA certificates (PEM) to trust for rediss:// and an https webhook URL, beside the
    /// public web roots: a team's internal CA.
    #[arg(long, value_name = "FILE", env = "GREENLIGHT_CA_FILE")]
    pub ca_file: Option<PathBuf>,
}

pub fn run(args: ValidateArgs) -> ExitCode {
    let text = match std::fs::read(&args.env_file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!(
                "greenlight validate: cannot read {}: {e}",
                args.env_file.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let file = EnvFile::parse(&text);
    let roots = match super::trusted_roots(args.ca_file.as_deref()) {
        Ok(roots) => roots,
        Err(e) => {
            eprintln!("greenlight validate: --ca-file: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let facts = if args.check_connections {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => Some(rt.block_on(engine::validation::measure(
                &file,
                args.verify_inngest_route,
                &roots,
            ))),
            Err(e) => {
                eprintln!("greenlight validate: cannot start the async runtime: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    let report = validate(&file, args.mode.into(), facts.as_ref());
    let out = match args.format {
        Format::Text => render_text(&report),
        Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default(),
    };
    print_out(&out);
    ExitCode::from(u8::try_from(report.exit_code()).unwrap_or(1))
}

#[allow(clippy::print_stdout)] // the report on stdout is this command's output
fn print_out(text: &str) {
    println!("{text}");
}
