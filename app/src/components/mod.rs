//! Small leaf components shared by pages.

pub mod environment_card;
pub mod gate_progress;
pub mod history_chart;
pub mod load_error;
pub mod nav;
pub mod progress_bar;
pub mod sparkline;
pub mod status_badge;
pub mod step_card;
pub mod timeline;
pub mod trend_chart;
pub mod verdict_panel;
