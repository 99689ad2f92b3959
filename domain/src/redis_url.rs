//! `redis://` and `rediss://` URLs, parsed once.
//!
//! Accepts what redis-py's `from_url` accepts for TCP connections: optional user and password
//! (percent-encoded), host (IPv6 in brackets), port (default 6379), and the database index either
//! as the path (`/2`) or as `?db=2`.
//!
//! Errors describe what is wrong in words and never quote the URL: a malformed URL may hold its
//! password where the port or the database index is expected (issue 14, item 8).
//!
//! A password holding a raw `/`, `?` or `#` (`redis://:Ab3/xYz9@cache:6379/0`, common with
//! base64 passwords) is refused, as redis-py refuses it: `from_url` goes through
//! `urllib.parse.urlparse`, whose host part ends at the first `/`, `?` or `#`, so it reads
//! `:Ab3` as host and port and raises "Port could not be cast to integer value". The reference
//! service cannot connect with such a URL; Greenlight says so (and how to fix it: percent-encode)
//! instead of pinging successfully a Redis the service will never reach.
//!
//! Hand-written on purpose: a URL the reference service's redis-py connects with must be
//! accepted and one it refuses refused; the `url` crate's rules differ (a raw `/` in a password).

use std::fmt;

use crate::secret::MASK;

/// Deserializes through [`RedisUrl::parse`]. There is deliberately no `Serialize`: the password
/// must not travel anywhere by accident; use `Display` (masked) to show it.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct RedisUrl {
    tls: bool,
    host: String,
    port: u16,
    username: Option<String>,
    password: Option<String>,
    db: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedisUrlError {
    #[error("the Redis URL must start with redis:// or rediss:// (TLS)")]
    Scheme,
    #[error("the Redis URL has no host")]
    NoHost,
    #[error("the Redis URL's port is not a number from 1 to 65535")]
    Port,
    #[error("the Redis URL's database index is not a whole number")]
    Db,
    #[error("the Redis URL's user or password holds a malformed %-escape")]
    Escape,
    /// An `@` after the host part: the user-info most likely holds a raw `/`, `?` or `#`, which
    /// ends the host part early (for redis-py too).
    #[error(
        "the Redis URL has an `@` after its host part: a password holding `/`, `?` or `#` must be percent-encoded (%2F, %3F, %23)"
    )]
    UnencodedUserInfo,
}

impl RedisUrl {
    pub fn parse(raw: &str) -> Result<Self, RedisUrlError> {
        let raw = raw.trim();
        let (tls, rest) = if let Some(rest) = raw.strip_prefix("rediss://") {
            (true, rest)
        } else if let Some(rest) = raw.strip_prefix("redis://") {
            (false, rest)
        } else {
            return Err(RedisUrlError::Scheme);
        };
        Self::parse_after_scheme(tls, rest).map_err(|error| {
            // The host part ends at the first `/`, `?` or `#`, as in `urllib.parse`. An `@`
            // after it, with none before, is a user-info cut short: say that rather than the
            // symptom (a "port" or "database index" that is really part of the password). A
            // bad `?db=` beside an `@` elsewhere in the query is just a bad index.
            let host_part_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (host_part, after) = rest.split_at(host_part_end);
            let path = &after[..after.find(['?', '#']).unwrap_or(after.len())];
            let cut_short = !host_part.contains('@')
                && match error {
                    RedisUrlError::Db => path.contains('@'),
                    _ => after.contains('@'),
                };
            if cut_short {
                RedisUrlError::UnencodedUserInfo
            } else {
                error
            }
        })
    }

    fn parse_after_scheme(tls: bool, rest: &str) -> Result<Self, RedisUrlError> {
        // `urlsplit` drops the fragment first; `from_url` never reads it.
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (before_query, query) = match rest.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i + 1..]),
            None => (before_query, ""),
        };
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let (username, password) = match userinfo {
            None => (None, None),
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (non_empty(percent_decode(u)?), non_empty(percent_decode(p)?)),
                None => (non_empty(percent_decode(info)?), None),
            },
        };
        let (host, port) = split_host_port(hostport)?;
        if host.is_empty() {
            return Err(RedisUrlError::NoHost);
        }
        let mut db = parse_db(path.trim_end_matches('/'))?;
        if let Some(query) = query {
            for pair in query.split('&') {
                if let Some(value) = pair.strip_prefix("db=") {
                    db = parse_db(value)?;
                }
            }
        }
        Ok(Self {
            tls,
            host,
            port,
            username,
            password,
            db,
        })
    }

    pub fn tls(&self) -> bool {
        self.tls
    }
    pub fn host(&self) -> &str {
        &self.host
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }
    /// The password, for the connection only. Never log or render it.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
    pub fn db(&self) -> u32 {
        self.db
    }
    /// `host:port`, with IPv6 hosts bracketed, for socket connects.
    pub fn socket_addr(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Displays the URL with any password masked: safe for logs, pages and API answers.
impl fmt::Display for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "rediss" } else { "redis" };
        write!(f, "{scheme}://")?;
        match (&self.username, &self.password) {
            (Some(u), Some(_)) => write!(f, "{u}:{MASK}@")?,
            (None, Some(_)) => write!(f, ":{MASK}@")?,
            (Some(u), None) => write!(f, "{u}@")?,
            (None, None) => {}
        }
        write!(f, "{}/{}", self.socket_addr(), self.db)
    }
}

/// Debug output is masked too, so a `{:?}` in a log line cannot leak the password.
impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({self})")
    }
}

impl TryFrom<String> for RedisUrl {
    type Error = RedisUrlError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn split_host_port(hostport: &str) -> Result<(String, u16), RedisUrlError> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let end = rest.find(']').ok_or(RedisUrlError::NoHost)?;
        let host = &rest[..end];
        let after = &rest[end + 1..];
        (host, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = match port {
        None | Some("") => 6379,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(RedisUrlError::Port),
        },
    };
    Ok((host.to_string(), port))
}

fn parse_db(raw: &str) -> Result<u32, RedisUrlError> {
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse().map_err(|_| RedisUrlError::Db)
}

fn percent_decode(raw: &str) -> Result<String, RedisUrlError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3).ok_or(RedisUrlError::Escape)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| RedisUrlError::Escape)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| RedisUrlError::Escape)
}

#[cfg(test)]
mod tests;
