//! `greenlight validate`: the reference env-file validator's verdict, plus findings it lacks
//! (weak or deny-listed tokens, malformed lines) and an optional Inngest route check.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use domain::env_file::EnvFile;
use domain::validator::{ConnectionFacts, render_text, validate};
use domain::{Mode, RedisUrl};

use super::EXIT_USAGE;

/// The reference validator's PING budget: 2 s to connect and read.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);
const ROUTE_TIMEOUT: Duration = Duration::from_secs(5);

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
    let facts = if args.check_connections {
        match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => Some(rt.block_on(measure(&file, args.verify_inngest_route))),
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

/// Measures what the checks need; the verdicts are decided in `domain::validator`.
async fn measure(file: &EnvFile, verify_route: bool) -> ConnectionFacts {
    let redis_ping = match file.get("REDIS_URL").filter(|v| !v.trim().is_empty()) {
        None => None,
        Some(raw) => Some(match RedisUrl::parse(raw) {
            Err(e) => Err(format!("REDIS_URL is not a valid Redis URL: {e}")),
            Ok(url) => engine::redis_ping::ping(&url, REDIS_TIMEOUT)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }),
    };
    let inngest_route = if verify_route {
        Some(route(file).await)
    } else {
        None
    };
    ConnectionFacts {
        redis_ping,
        inngest_route,
    }
}

async fn route(file: &EnvFile) -> Result<(), String> {
    let url = file
        .get("INNGEST_WEBHOOK_URL")
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            "INNGEST_WEBHOOK_URL is not set, so the route cannot be verified".to_string()
        })?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err("INNGEST_WEBHOOK_URL must start with http:// or https://".into());
    }
    let client = reqwest::Client::builder()
        .connect_timeout(ROUTE_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let key = file
        .get("INNGEST_SIGNING_KEY")
        .filter(|k| !k.trim().is_empty());
    let answer = engine::inngest_probe::inspect(&client, url, key, ROUTE_TIMEOUT).await?;
    if answer.mounted() {
        Ok(())
    } else {
        match answer {
            engine::inngest_probe::InngestAnswer::Unexpected { detail, .. } => Err(format!(
                "the route does not answer as a mounted Inngest endpoint: {detail}"
            )),
            _ => Err("the route does not answer as a mounted Inngest endpoint".into()),
        }
    }
}
