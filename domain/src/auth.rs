//! Who may do what: roles, the personal-access-token format, keyed token hashing with a
//! constant-time comparison, and session lifetimes. Pure: randomness and storage live in the
//! engine.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Roles, each including everything the one before it may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Leadership: status and reports.
    Viewer,
    /// Viewer, plus go-live steps and sign-off, and "Probe now".
    Operator,
    /// Operator, plus replays and baselines.
    Engineer,
    /// Engineer, plus settings, tokens and the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Operator, Role::Engineer, Role::Admin];

    /// True when this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Engineer => "engineer",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`: use viewer, operator, engineer or admin"))
    }
}

/// Prefix of every personal access token, so scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "glt_";
/// Hex characters of the token id (public: shown in lists and logs).
pub const TOKEN_ID_LEN: usize = 12;
/// Hex characters of the token secret (192 bits).
pub const TOKEN_SECRET_LEN: usize = 48;

/// A token as presented: `glt_<12 hex id>_<48 hex secret>`.
#[derive(Clone, PartialEq, Eq)]
pub struct PresentedToken {
    pub id: String,
    secret: String,
}

impl fmt::Debug for PresentedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PresentedToken({TOKEN_PREFIX}{}_…)", self.id)
    }
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl PresentedToken {
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix(TOKEN_PREFIX)?;
        let (id, secret) = rest.split_once('_')?;
        (is_lower_hex(id, TOKEN_ID_LEN) && is_lower_hex(secret, TOKEN_SECRET_LEN)).then(|| Self {
            id: id.to_string(),
            secret: secret.to_string(),
        })
    }

    /// Builds the token text from random bytes (the engine supplies them).
    pub fn from_random(id: [u8; TOKEN_ID_LEN / 2], secret: [u8; TOKEN_SECRET_LEN / 2]) -> Self {
        Self {
            id: hex(&id),
            secret: hex(&secret),
        }
    }

    /// The whole token: shown once, at creation, and never stored.
    pub fn reveal(&self) -> String {
        format!("{TOKEN_PREFIX}{}_{}", self.id, self.secret)
    }

    /// The stored form: HMAC-SHA256 of the secret under the instance's key, hex.
    pub fn keyed_hash(&self, key: &[u8]) -> String {
        hex(&hmac(key, self.secret.as_bytes()))
    }

    /// Constant-time check of this token against a stored keyed hash.
    pub fn matches(&self, key: &[u8], stored_hash: &str) -> bool {
        let Ok(expected) = hex::decode(stored_hash) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
            return false;
        };
        mac.update(self.secret.as_bytes());
        mac.verify_slice(&expected).is_ok()
    }
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex of `bytes`, as ids, hashes and codes are written.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Sessions are looked up by the SHA-256 of their random id, so a copy of the database does
/// not hold usable cookies.
pub fn session_key(session_id: &str) -> String {
    hex(&Sha256::digest(session_id.as_bytes()))
}

/// How long a browser session lives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SessionPolicy {
    /// Ends after this long without a request.
    pub idle_secs: f64,
    /// Ends this long after sign-in, however active.
    pub absolute_secs: f64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_secs: 8.0 * 3_600.0,
            absolute_secs: 7.0 * 86_400.0,
        }
    }
}

impl SessionPolicy {
    pub fn is_live(&self, created_unix: f64, last_seen_unix: f64, now_unix: f64) -> bool {
        now_unix - last_seen_unix <= self.idle_secs && now_unix - created_unix <= self.absolute_secs
    }
}

/// A token as listed: never its secret or hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub created_unix: f64,
    pub revoked_unix: Option<f64>,
    pub last_used_unix: Option<f64>,
}

/// One audit-log record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at_unix: f64,
    /// `token <id> (<name>)`, `anonymous`, `cli` or `setup link`.
    pub actor: String,
    /// `sign_in`, `token_created`, `replay_started`, ...
    pub action: String,
    pub target: String,
    /// `success` or `failure`.
    pub outcome: String,
    pub client: String,
    /// Never holds a secret.
    pub detail: serde_json::Value,
}

/// The signed-in caller, as every handler sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub token_id: String,
    pub name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_parse() {
        assert!(Role::Admin.allows(Role::Viewer));
        assert!(Role::Engineer.allows(Role::Operator));
        assert!(!Role::Operator.allows(Role::Engineer));
        assert!(!Role::Viewer.allows(Role::Operator));
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
            assert!(r.allows(r));
        }
        assert!(
            "root"
                .parse::<Role>()
                .unwrap_err()
                .contains("viewer, operator")
        );
    }

    #[test]
    fn tokens_round_trip_hash_and_compare() {
        let token = PresentedToken::from_random([0xab; 6], [0x01; 24]);
        let text = token.reveal();
        assert!(text.starts_with("glt_abababababab_0101"));
        assert_eq!(text.len(), 4 + 12 + 1 + 48);
        let parsed = PresentedToken::parse(&format!(" {text}\n")).unwrap();
        assert_eq!(parsed, token);
        let key = b"instance key";
        let stored = token.keyed_hash(key);
        assert_eq!(stored.len(), 64);
        assert!(!stored.contains(&text[17..]), "the secret is not stored");
        assert!(parsed.matches(key, &stored));
        assert!(!parsed.matches(b"another key", &stored));
        let other = PresentedToken::from_random([0xab; 6], [0x02; 24]);
        assert!(!other.matches(key, &stored));
        assert!(!parsed.matches(key, "not hex"));
        assert!(
            !format!("{parsed:?}").contains("0101"),
            "Debug hides the secret"
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "glt_",
            "glt_abc_def",
            "xyz_abababababab_010101010101010101010101010101010101010101010101",
            "glt_ABABABABABAB_010101010101010101010101010101010101010101010101",
            "glt_abababababab_01010101010101010101010101010101010101010101010",
            "glt_abababababab-010101010101010101010101010101010101010101010101",
        ] {
            assert!(PresentedToken::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let p = SessionPolicy {
            idle_secs: 60.0,
            absolute_secs: 600.0,
        };
        assert!(p.is_live(0.0, 0.0, 60.0));
        assert!(!p.is_live(0.0, 0.0, 61.0), "idle");
        assert!(p.is_live(0.0, 590.0, 600.0));
        assert!(!p.is_live(0.0, 599.0, 601.0), "absolute");
        assert_eq!(session_key("abc").len(), 64);
    }
}
