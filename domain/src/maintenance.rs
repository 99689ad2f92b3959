//! Maintenance windows: planned time in which an environment's rounds spend no error budget
//! and raise no alert. Declared in the configuration or started and ended by an operator.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    /// The stored window's id; `None` for one declared in the configuration.
    pub id: Option<i64>,
    pub environment: String,
    pub start_unix: f64,
    /// `None` while an operator's window is open.
    pub end_unix: Option<f64>,
    pub reason: String,
    /// Who started it ("configuration" for a declared one).
    pub started_by: String,
}

impl MaintenanceWindow {
    /// Whether a round of `environment` at `unix` falls inside.
    pub fn covers(&self, environment: &str, unix: f64) -> bool {
        self.environment == environment
            && unix >= self.start_unix
            && self.end_unix.is_none_or(|end| unix < end)
    }

    /// Whether any part of it lies between `from` and `to`.
    pub fn overlaps(&self, from: f64, to: f64) -> bool {
        self.start_unix < to && self.end_unix.is_none_or(|end| end > from)
    }
}

/// The window covering `environment` at `unix`, if any.
pub fn active<'a>(
    windows: &'a [MaintenanceWindow],
    environment: &str,
    unix: f64,
) -> Option<&'a MaintenanceWindow> {
    windows.iter().find(|w| w.covers(environment, unix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_covers_its_environment_from_start_to_end() {
        let w = MaintenanceWindow {
            id: None,
            environment: "production".into(),
            start_unix: 100.0,
            end_unix: Some(200.0),
            reason: "database upgrade".into(),
            started_by: "configuration".into(),
        };
        assert!(w.covers("production", 100.0));
        assert!(w.covers("production", 199.9));
        assert!(!w.covers("production", 200.0));
        assert!(!w.covers("staging", 150.0));
        assert!(w.overlaps(150.0, 300.0));
        assert!(!w.overlaps(200.0, 300.0));
        let open = MaintenanceWindow {
            end_unix: None,
            ..w
        };
        assert!(open.covers("production", 1e12));
        assert_eq!(
            active(std::slice::from_ref(&open), "production", 5e5),
            Some(&open)
        );
    }
}
