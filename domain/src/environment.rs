//! Names and modes of the environments Greenlight watches.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How strict the rules for an environment are. Mirrors the reference validator's
/// `--mode development|staging|production`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Staging,
    Production,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Development, Mode::Staging, Mode::Production];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Development => "development",
            Mode::Staging => "staging",
            Mode::Production => "production",
        }
    }

    /// Staging and production are held to the release rules (cloud Inngest, full key set).
    pub fn is_release_mode(self) -> bool {
        matches!(self, Mode::Staging | Mode::Production)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mode `{0}`: expected development, staging or production")]
pub struct ModeError(String);

impl FromStr for Mode {
    type Err = ModeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| ModeError(s.to_string()))
    }
}

/// The name of an environment: short, lower-case, URL-safe, so it can appear in paths
/// (`/environments/staging`) and CLI flags (`--env staging`) unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnvironmentName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvironmentNameError {
    #[error("environment name is empty")]
    Empty,
    #[error("environment name `{0}` is longer than 64 characters")]
    TooLong(String),
    #[error(
        "environment name `{0}` may only hold lower-case letters, digits, `-` and `_`, and must start with a letter"
    )]
    BadCharacters(String),
}

impl EnvironmentName {
    pub fn parse(raw: &str) -> Result<Self, EnvironmentNameError> {
        if raw.is_empty() {
            return Err(EnvironmentNameError::Empty);
        }
        if raw.chars().count() > 64 {
            return Err(EnvironmentNameError::TooLong(raw.to_string()));
        }
        let mut chars = raw.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok =
            chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !(first_ok && rest_ok) {
            return Err(EnvironmentNameError::BadCharacters(raw.to_string()));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EnvironmentName {
    type Error = EnvironmentNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EnvironmentName> for String {
    fn from(value: EnvironmentName) -> Self {
        value.0
    }
}

impl fmt::Display for EnvironmentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_parses_the_three_reference_modes_and_nothing_else() {
        assert_eq!("staging".parse::<Mode>(), Ok(Mode::Staging));
        assert_eq!("production".parse::<Mode>(), Ok(Mode::Production));
        assert_eq!("development".parse::<Mode>(), Ok(Mode::Development));
        let err = "prod".parse::<Mode>().unwrap_err();
        assert!(
            err.to_string()
                .contains("expected development, staging or production")
        );
    }

    #[test]
    fn only_staging_and_production_are_release_modes() {
        assert!(!Mode::Development.is_release_mode());
        assert!(Mode::Staging.is_release_mode());
        assert!(Mode::Production.is_release_mode());
    }

    #[test]
    fn environment_names_are_lowercase_slugs() {
        assert!(EnvironmentName::parse("staging").is_ok());
        assert!(EnvironmentName::parse("eu-prod_2").is_ok());
        assert_eq!(EnvironmentName::parse(""), Err(EnvironmentNameError::Empty));
        assert!(matches!(
            EnvironmentName::parse("Prod"),
            Err(EnvironmentNameError::BadCharacters(_))
        ));
        assert!(matches!(
            EnvironmentName::parse("2prod"),
            Err(EnvironmentNameError::BadCharacters(_))
        ));
        assert!(matches!(
            EnvironmentName::parse("a b"),
            Err(EnvironmentNameError::BadCharacters(_))
        ));
        assert!(matches!(
            EnvironmentName::parse(&"a".repeat(65)),
            Err(EnvironmentNameError::TooLong(_))
        ));
    }

    #[test]
    fn environment_name_deserializes_through_its_parser() {
        let ok: EnvironmentName = serde_json::from_str("\"staging\"").unwrap();
        assert_eq!(ok.as_str(), "staging");
        assert!(serde_json::from_str::<EnvironmentName>("\"Staging\"").is_err());
    }
}
