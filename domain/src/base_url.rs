//! The base URL of a monitored service, parsed once.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An `http://` or `https://` URL with a host and no credentials, query or fragment, stored
/// without a trailing slash so paths can be appended (`base.join("/api/health/ready")`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("`{0}` must start with http:// or https://")]
    Scheme(String),
    #[error("`{0}` has no host")]
    NoHost(String),
    #[error(
        "`{0}` holds credentials; put secrets in the environment's env file or an environment variable, never in a URL in the config"
    )]
    Credentials(String),
    #[error("`{0}` must not have a query or fragment")]
    QueryOrFragment(String),
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<Self, BaseUrlError> {
        let raw = raw.trim();
        // Errors quote the URL only as it may be shown: user-info and query values masked.
        let shown = || crate::secret::mask_url(raw);
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
            .ok_or_else(|| BaseUrlError::Scheme(shown()))?;
        if raw.contains(['?', '#']) {
            return Err(BaseUrlError::QueryOrFragment(shown()));
        }
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            // Never echo the credentials back in the error.
            return Err(BaseUrlError::Credentials(shown()));
        }
        if authority.is_empty() || authority.starts_with(':') {
            return Err(BaseUrlError::NoHost(shown()));
        }
        Ok(Self(raw.trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// Appends an absolute path: `http://h:1` + `/api/x` → `http://h:1/api/x`.
    pub fn join(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{}", self.0, path)
        } else {
            format!("{}/{}", self.0, path)
        }
    }
}

impl TryFrom<String> for BaseUrl {
    type Error = BaseUrlError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<BaseUrl> for String {
    fn from(value: BaseUrl) -> Self {
        value.0
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_http_and_https_and_trims_the_trailing_slash() {
        let url = BaseUrl::parse("https://api.example.com/").unwrap();
        assert_eq!(url.as_str(), "https://api.example.com");
        assert!(url.is_https());
        assert_eq!(
            url.join("/api/health/ready"),
            "https://api.example.com/api/health/ready"
        );
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:3000").unwrap().join("x"),
            "http://127.0.0.1:3000/x"
        );
    }

    #[test]
    fn refuses_other_schemes_missing_hosts_credentials_and_queries() {
        assert!(matches!(
            BaseUrl::parse("ftp://h"),
            Err(BaseUrlError::Scheme(_))
        ));
        assert!(matches!(
            BaseUrl::parse("http://"),
            Err(BaseUrlError::NoHost(_))
        ));
        assert!(matches!(
            BaseUrl::parse("http://:80"),
            Err(BaseUrlError::NoHost(_))
        ));
        assert!(matches!(
            BaseUrl::parse("http://h/?a=1"),
            Err(BaseUrlError::QueryOrFragment(_))
        ));
        let err = BaseUrl::parse("https://user:hunter2@h").unwrap_err();
        assert!(matches!(err, BaseUrlError::Credentials(_)));
        assert!(!err.to_string().contains("hunter2"));
    }
}
