//! Small leaf components shared by pages.

pub mod alert_channels;
pub mod environment_card;
pub mod first_run;
pub mod gate_progress;
pub mod history_chart;
pub mod load_error;
pub mod maintenance_control;
pub mod nav;
pub mod practice_panel;
pub mod progress_bar;
pub mod slo_panel;
pub mod sparkline;
pub mod status_badge;
pub mod step_card;
pub mod timeline;
pub mod trend_chart;
pub mod verdict_panel;
