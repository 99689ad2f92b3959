//! The outcome an operator records at sign-off (or `Abandoned`): stored, sent and shown as itself.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Go,
    NoGo,
    Hold,
    Abandoned,
}

impl Decision {
    /// Its one written form, as stored and as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Go => "go",
            Decision::NoGo => "no_go",
            Decision::Hold => "hold",
            Decision::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Go, Self::NoGo, Self::Hold, Self::Abandoned]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    /// As people read it: "go", "no-go", "hold", "abandoned".
    pub fn label(self) -> &'static str {
        match self {
            Decision::NoGo => "no-go",
            other => other.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_decision_reads_back_from_its_word() {
        for d in [
            Decision::Go,
            Decision::NoGo,
            Decision::Hold,
            Decision::Abandoned,
        ] {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        assert_eq!(Decision::parse("maybe"), None);
        assert_eq!(Decision::NoGo.label(), "no-go");
    }
}
