//! Who may use the console, in SQLite: tokens (`tokens`), browser sessions (`sessions`), the
//! audit log (`audit`) and the instance's token key file (`key`).

mod audit;
pub(super) mod key;
mod sessions;
mod tokens;

#[cfg(test)]
mod tests;

pub use audit::{AuditEntry, AuditQuery};
pub use tokens::TokenRow;
