//! `greenlight token`: personal access tokens. The token text is printed once, at creation;
//! the console keeps only a keyed hash.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use domain::auth::Role;
use engine::{Config, Overrides, Store};

use super::EXIT_USAGE;

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// greenlight.toml whose data directory holds the tokens (GREENLIGHT_CONFIG); without it,
    /// the example workspace.
    #[arg(long, global = true, env = "GREENLIGHT_CONFIG")]
    pub config: Option<PathBuf>,
    /// The console's data directory; overrides the configuration's (GREENLIGHT_DATA_DIR).
    #[arg(long, global = true, env = "GREENLIGHT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once.
    Create {
        /// Who or what holds it (a person, a CI job).
        #[arg(long)]
        name: String,
        /// viewer, operator, engineer or admin.
        #[arg(long)]
        role: Role,
    },
    /// List tokens: id, name, role, created, last used, revoked. Never secrets.
    List,
    /// Revoke a token by id; its browser sessions end at once.
    Revoke {
        /// The token's id (the 12 characters after `glt_`).
        id: String,
    },
}

fn usage(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("greenlight token: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn when(unix: Option<f64>) -> String {
    unix.map_or_else(|| "-".to_string(), domain::time::minute_utc)
}

#[allow(clippy::print_stdout)] // the token and the list on stdout are this command's output
pub fn run(args: TokenArgs) -> ExitCode {
    let overrides = Overrides {
        addr: None,
        data_dir: args.data_dir.clone(),
    };
    let config = match Config::load(args.config.as_deref(), &overrides) {
        Ok(config) => config,
        Err(e) => return usage(format!("configuration refused\n{e}")),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return usage(format!("cannot start: {e}")),
    };
    runtime.block_on(async move {
        let store = match Store::open(&config.server.data_dir) {
            Ok(store) => store,
            Err(e) => return usage(e),
        };
        match args.command {
            TokenCommand::Create { name, role } => {
                let name = name.trim().to_string();
                if name.is_empty() || name.chars().count() > 100 {
                    return usage("--name must be 1 to 100 characters");
                }
                match store.create_token(&name, role).await {
                    Ok((row, token)) => {
                        let _ = store
                            .audit("cli", "token_created", &row.id, "success", "", serde_json::json!({"name": row.name, "role": row.role}))
                            .await;
                        println!("{token}");
                        eprintln!(
                            "Created token {} for {} ({}). It is shown only this once; Greenlight keeps only a hash.",
                            row.id, row.name, row.role
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => usage(e),
                }
            }
            TokenCommand::List => match store.list_tokens().await {
                Ok(rows) => {
                    println!("{:<12}  {:<8}  {:<20}  {:<20}  {:<20}  NAME", "ID", "ROLE", "CREATED", "LAST USED", "REVOKED");
                    for r in rows {
                        println!(
                            "{:<12}  {:<8}  {:<20}  {:<20}  {:<20}  {}",
                            r.id,
                            r.role,
                            when(Some(r.created_unix)),
                            when(r.last_used_unix),
                            when(r.revoked_unix),
                            r.name
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => usage(e),
            },
            TokenCommand::Revoke { id } => match store.revoke_token(&id).await {
                Ok(true) => {
                    let _ = store
                        .audit("cli", "token_revoked", &id, "success", "", serde_json::json!({}))
                        .await;
                    eprintln!("Revoked token {id}; its sessions have ended.");
                    ExitCode::SUCCESS
                }
                Ok(false) => usage(format!("there is no live token with id {id}")),
                Err(e) => usage(e),
            },
        }
    })
}
