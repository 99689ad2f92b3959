//! One file per route.

mod alerts;
mod environment;
mod golive;
mod golive_report;
mod golive_run;
mod login;
mod not_found;
mod replay_diff;
mod replay_run;
mod replays;
mod settings;
mod status;

pub use alerts::AlertsPage;
pub use environment::EnvironmentPage;
pub use golive::GoLivePage;
pub use golive_report::GoLiveReportPage;
pub use golive_run::GoLiveRunPage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use replay_diff::ReplayDiffPage;
pub use replay_run::ReplayRunPage;
pub use replays::ReplaysPage;
pub use settings::SettingsPage;
pub use status::StatusPage;
