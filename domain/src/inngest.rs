//! The Inngest serve endpoint: request signing, and what its answers mean.
//!
//! Facts from the reference SDK (inngest-py 0.5.19), checked against the captured fixtures:
//! - a signed request carries `X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256>`, keyed
//!   with the signing key *without* its `signkey-<env>-` prefix, as UTF-8 bytes, over the body
//!   followed by the timestamp in decimal (the SDK signs its answer the same way);
//! - the inspection reports `signing_key_hash` = SHA-256 of the hex-decoded key (prefix removed)
//!   and `event_key_hash` = SHA-256 of the event key's UTF-8 bytes;
//! - in cloud mode an unsigned GET gets 401 with `x-inngest-sdk-handled: true`; dev mode answers
//!   an unsigned GET with 200 and a short inspection (`authentication_succeeded` only before 0.5.14).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The key material: the signing key without its `signkey-<env>-` prefix.
pub fn key_material(signing_key: &str) -> &str {
    let key = signing_key.trim();
    if let Some(rest) = key.strip_prefix("signkey-")
        && let Some(dash) = rest.find('-')
    {
        return &rest[dash + 1..];
    }
    key
}

/// True when the key has the `signkey-<env>-<hex>` shape the SDK expects.
pub fn is_well_formed_signing_key(signing_key: &str) -> bool {
    let key = signing_key.trim();
    let material = key_material(key);
    key.starts_with("signkey-")
        && material.len() != key.len()
        && !material.is_empty()
        && hex_decode(material).is_some()
}

use crate::auth::hex;

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    hex::decode(text).ok()
}

/// `s=` of the signature: hex HMAC-SHA256 of `body ++ timestamp`, keyed with the key material.
pub fn signature(signing_key: &str, body: &[u8], unix_secs: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key_material(signing_key).as_bytes())
        .expect("HMAC takes any key length");
    mac.update(body);
    mac.update(unix_secs.to_string().as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The `X-Inngest-Signature` header value for a request with `body` sent at `unix_secs`.
pub fn signature_header(signing_key: &str, body: &[u8], unix_secs: i64) -> String {
    format!(
        "t={unix_secs}&s={}",
        signature(signing_key, body, unix_secs)
    )
}

/// Checks a signature header (the SDK signs its answers) in constant time.
pub fn verify_signature_header(signing_key: &str, body: &[u8], header: &str) -> bool {
    let mut t = None;
    let mut s = None;
    for part in header.split('&') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("s", v)) => s = hex_decode(v),
            _ => {}
        }
    }
    let (Some(t), Some(s)) = (t, s) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(key_material(signing_key).as_bytes())
        .expect("HMAC takes any key length");
    mac.update(body);
    mac.update(t.to_string().as_bytes());
    mac.verify_slice(&s).is_ok()
}

/// What the SDK reports as `signing_key_hash`; `None` when the key material is not hex.
pub fn signing_key_hash(signing_key: &str) -> Option<String> {
    hex_decode(key_material(signing_key)).map(|bytes| hex(&Sha256::digest(bytes)))
}

/// What the SDK reports as `event_key_hash`.
pub fn event_key_hash(event_key: &str) -> String {
    hex(&Sha256::digest(event_key.as_bytes()))
}

/// The inspection body, parsed once; unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    pub schema_version: Option<String>,
    pub mode: Option<String>,
    pub function_count: Option<u64>,
    pub has_event_key: Option<bool>,
    pub has_signing_key: Option<bool>,
    pub has_signing_key_fallback: Option<bool>,
    /// Sent by SDKs before 0.5.14 and in authenticated answers.
    pub authentication_succeeded: Option<bool>,
    pub app_id: Option<String>,
    pub signing_key_hash: Option<String>,
    pub event_key_hash: Option<String>,
    pub sdk_version: Option<String>,
    pub serve_path: Option<String>,
}

impl Inspection {
    /// An authenticated inspection carries the key hashes (only a signed request gets them).
    pub fn is_authenticated(&self) -> bool {
        self.authentication_succeeded == Some(true) || self.signing_key_hash.is_some()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";

    /// A captured whole response of the reference service: its head and its body.
    pub(crate) fn fixture(name: &str) -> Option<(String, String)> {
        let path = format!(
            "{}/../../shared/fixtures/payloads/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let raw = std::fs::read_to_string(path).ok()?;
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .or_else(|| raw.split_once("\n\n"))?;
        Some((head.to_string(), body.to_string()))
    }

    #[test]
    fn the_prefix_is_removed_from_the_key_material() {
        assert_eq!(key_material(KEY), "0123456789abcdef0123456789abcdef");
        assert_eq!(key_material("signkey-test-abc"), "abc");
        assert_eq!(key_material("no-prefix"), "no-prefix");
        assert!(is_well_formed_signing_key(KEY));
        assert!(!is_well_formed_signing_key("0123456789abcdef"));
        assert!(!is_well_formed_signing_key("signkey-prod-nothex"));
    }

    #[test]
    fn key_hashes_match_what_the_sdk_reported_for_the_fixture_keys() {
        // Values from fixtures/payloads/inngest.cloud.signed.http (dummy keys).
        assert_eq!(
            signing_key_hash(KEY).as_deref(),
            Some("223e0a160af9da0a03e6dd2c4719c56f5d66a633cbe84e78aaa9f3735865522a")
        );
        assert_eq!(
            event_key_hash("evtkey123"),
            "3eeeb678cc4bfee43acfbe1af6e9c5dca480947bee10af9b98108e93bbcd211c"
        );
        assert_eq!(signing_key_hash("signkey-prod-xyz"), None);
    }

    #[test]
    fn our_signature_matches_the_signature_the_sdk_put_on_its_answer() {
        let Some((head, body)) = fixture("inngest.cloud.signed.http") else {
            eprintln!("skipped because ../shared/fixtures is absent");
            return;
        };
        let header = head
            .lines()
            .find_map(|l| l.strip_prefix("x-inngest-signature: "))
            .expect("the fixture carries a signature");
        assert_eq!(
            header,
            signature_header(KEY, body.as_bytes(), 1_795_966_572)
        );
        assert!(verify_signature_header(KEY, body.as_bytes(), header));
        assert!(!verify_signature_header(
            "signkey-prod-00",
            body.as_bytes(),
            header
        ));
        assert!(!verify_signature_header(KEY, b"tampered", header));
    }

    #[test]
    fn inspections_parse_and_tell_authenticated_from_unauthenticated() {
        let Some((_, signed)) = fixture("inngest.cloud.signed.http") else {
            return;
        };
        let signed: Inspection = serde_json::from_str(&signed).unwrap();
        assert!(signed.is_authenticated());
        assert_eq!(signed.function_count, Some(4));
        assert_eq!(signed.mode.as_deref(), Some("cloud"));
        assert_eq!(
            signed.app_id.as_deref(),
            Some("caio-alpha-swarm-production")
        );
        let Some((_, dev)) = fixture("inngest.dev.unsigned.http") else {
            return;
        };
        let dev: Inspection = serde_json::from_str(&dev).unwrap();
        assert!(!dev.is_authenticated());
        assert_eq!(dev.mode.as_deref(), Some("dev"));
        assert_eq!(
            dev.authentication_succeeded, None,
            "0.5.19 no longer sends it"
        );
    }
}
