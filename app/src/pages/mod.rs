//! One file per route.

mod golive;
mod not_found;
mod replays;
mod settings;
mod status;

pub use golive::GoLivePage;
pub use not_found::NotFound;
pub use replays::ReplaysPage;
pub use settings::SettingsPage;
pub use status::StatusPage;
