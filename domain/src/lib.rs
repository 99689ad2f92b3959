//! Greenlight's pure domain logic.
//!
//! Everything here is a plain function or a type whose only constructor validates its
//! input ("parse once, at the edge"). Nothing performs I/O, so the same code runs in the
//! server, the CLI and the browser.

pub mod alert;
pub mod auth;
pub mod base_url;
pub mod canary;
pub mod conditions;
pub mod day_strip;
pub mod dependency;
pub mod difflib;
pub mod env_file;
pub mod environment;
pub mod golden_set;
pub mod golive;
pub mod health_formats;
pub mod history;
pub mod inngest;
pub mod inngest_serve;
pub mod judge;
pub mod maintenance;
pub mod parity;
pub mod practice;
pub mod probe;
pub mod python;
pub mod redis_url;
pub mod replay_run;
pub mod run_diff;
pub mod run_output;
pub mod secret;
pub mod shell_words;
pub mod slo;
pub mod summary;
pub mod text;
pub mod time;
pub mod validator;

pub use base_url::BaseUrl;
pub use dependency::{DependencyCheck, DependencyStatus, RuntimeReport};
pub use environment::{EnvironmentName, Mode};
pub use golden_set::{Case, DuplicateId, GoldenSet, GoldenSetError};
pub use judge::{JudgeResult, judge};
pub use redis_url::RedisUrl;
pub use run_output::RunOutput;
pub use summary::{
    CaseOutcome, RunSummary, SummaryRow, critical_failure, summarize, summarize_rows,
};
