//! The configuration of operations: `[[environments.slos]]` (`slos`), `[[maintenance]]`
//! (`maintenance`) and `[alerts]` (`alerts`) with its channels (`channels`, the model). Channel
//! secrets (webhook URLs, signing secrets, routing keys, SMTP passwords) come from environment
//! variables or env files, never from the config text.

mod alerts;
mod channels;
mod maintenance;
mod slos;

pub use alerts::{RawAlerts, alerts};
pub use channels::{
    AlertsConfig, ChannelConfig, ChannelKind, ChannelSecret, EmailConfig, SmtpSecurity,
};
pub use maintenance::{RawMaintenance, maintenance};
pub use slos::{RawSlo, slos};

#[cfg(test)]
mod tests;
