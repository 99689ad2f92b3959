//! The server's integration tests, in one test binary (one link instead of one per file):
//! `cargo test -p server --test integration`, or one module of it with
//! `cargo test -p server --test integration health::`. Each module is one former test file;
//! `support` holds what they share (the real application on port 0, a real redis-server, stub
//! HTTP services).

mod support;

mod access;
mod cli;
mod golive;
mod hardening_access;
mod hardening_services;
mod health;
mod history;
mod inngest_sdk;
mod metrics;
mod operations;
mod pages;
mod parity_cli;
mod practice;
mod practice_processes;
mod probe_cli;
mod replay_cli;
mod replay_parity;
mod secret_scan;
mod status_history;
mod validate_cli;
