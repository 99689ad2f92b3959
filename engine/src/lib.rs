//! Server-only I/O for Greenlight: configuration loading, the SQLite store, the console's own
//! health checks and the shared application state. No Leptos here, so the CLI can use it alone.

pub mod alerts;
pub mod clients;
pub mod clock;
pub mod config;
pub mod env_files;
pub mod error;
pub mod golive;
pub mod health;
pub mod maintenance;
pub mod metrics;
pub mod practice;
pub mod probe;
pub mod random;
pub mod redirects;
pub mod replay;
pub mod scheduler;
pub mod slo_book;
pub mod state;
pub mod status_board;
pub mod store;
pub mod tls;
pub mod validation;

pub use config::{Config, Overrides};
pub use error::{Error, Result};
pub use state::AppState;
pub use store::Store;
