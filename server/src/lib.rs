//! The `greenlight` binary as a library, so integration tests can start the real application
//! on port 0 with a temporary data directory.

pub mod access;
pub mod answer_cache;
pub mod cli;
pub mod events;
pub mod health_routes;
pub mod practice;
pub mod serve;
pub mod site;
pub mod startup;
pub mod telemetry;
