//! What inngest-py 0.5.19's serve endpoint answers to a GET (the inspection), for the practice
//! services. Hand-written because it must equal the SDK's bytes: the body is
//! `json.dumps(...)` of the SDK's inspection model in its field order, and the answer is
//! signed as `CommResponse.sign` signs it. Checked against the captured
//! `inngest.cloud.signed.http` fixture.
//!
//! The SDK's rules (comm_lib/utils.py, comm_lib/handler.py, net.py):
//! - in cloud mode a GET whose `X-Inngest-Signature` is missing, malformed or wrong gets 401
//!   `{"message": "Unauthorized"}` with `content-type` and `x-inngest-sdk-handled` only;
//! - a valid signature gets 200 with the authenticated inspection, signed with the key;
//! - in dev mode nothing is checked and the answer is the short unauthenticated inspection.

use crate::inngest::{event_key_hash, signature_header, signing_key_hash, verify_signature_header};
use crate::python::PyValue;
use crate::python::json::dumps;

pub const SDK_VERSION: &str = "0.5.19";
const SCHEMA_VERSION: &str = "2024-05-24";

/// The app as the SDK was configured with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedApp {
    pub app_id: String,
    pub signing_key: Option<String>,
    pub event_key: Option<String>,
    /// Dev mode (`INNGEST_DEV`); cloud mode otherwise.
    pub dev: bool,
    pub function_count: u64,
}

/// One answer: status, headers in the SDK's order, body bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl ServedApp {
    fn mode(&self) -> &'static str {
        if self.dev { "dev" } else { "cloud" }
    }

    /// The answer to a GET of the serve path `serve_path` carrying `signature` (the
    /// `X-Inngest-Signature` header), at `now_secs`, having taken `handler_ms`.
    pub fn answer_get(
        &self,
        serve_path: &str,
        signature: Option<&str>,
        now_secs: i64,
        handler_ms: u64,
    ) -> Answer {
        let timing = format!("comm_handler;dur={handler_ms}");
        let valid_key = match (self.dev, signature, &self.signing_key) {
            (true, ..) => None,
            (false, Some(header), Some(key)) if verify_signature_header(key, b"", header) => {
                Some(key.as_str())
            }
            (false, ..) => {
                return Answer {
                    status: 401,
                    headers: vec![
                        ("content-type", "application/json".into()),
                        ("x-inngest-sdk-handled", "true".into()),
                        ("server-timing", timing),
                    ],
                    body: dumps(&dict(vec![(
                        "message",
                        PyValue::Str("Unauthorized".into()),
                    )])),
                };
            }
        };
        let body = match valid_key {
            Some(_) => dumps(&self.authenticated(serve_path)),
            None => dumps(&self.unauthenticated()),
        };
        let sdk = format!("inngest-py:v{SDK_VERSION}");
        let mut headers = vec![
            ("content-type", "application/json".to_string()),
            ("x-inngest-sdk", sdk.clone()),
            ("x-inngest-req-version", "2".into()),
            ("user-agent", sdk),
            ("x-inngest-framework", "fast_api".into()),
            ("x-inngest-expected-server-kind", self.mode().into()),
            ("x-inngest-sdk-handled", "true".into()),
            ("server-timing", timing),
        ];
        if let Some(key) = valid_key {
            headers.push((
                "x-inngest-signature",
                signature_header(key, body.as_bytes(), now_secs),
            ));
        }
        Answer {
            status: 200,
            headers,
            body,
        }
    }

    fn unauthenticated(&self) -> PyValue {
        dict(vec![
            ("schema_version", PyValue::Str(SCHEMA_VERSION.into())),
            ("function_count", int(self.function_count)),
            ("has_event_key", PyValue::Bool(self.event_key.is_some())),
            ("has_signing_key", PyValue::Bool(self.signing_key.is_some())),
            ("has_signing_key_fallback", PyValue::Bool(false)),
            ("mode", PyValue::Str(self.mode().into())),
        ])
    }

    fn authenticated(&self, serve_path: &str) -> PyValue {
        let text = |s: &str| PyValue::Str(s.to_string());
        let or_null = |v: Option<String>| v.map_or(PyValue::None, PyValue::Str);
        dict(vec![
            ("schema_version", text(SCHEMA_VERSION)),
            ("api_origin", text("https://api.inngest.com/")),
            ("app_id", text(&self.app_id)),
            ("authentication_succeeded", PyValue::Bool(true)),
            (
                "capabilities",
                dict(vec![
                    ("connect", text("v1")),
                    ("in_band_sync", text("v1")),
                    ("trust_probe", text("v1")),
                ]),
            ),
            ("env", PyValue::None),
            ("event_api_origin", text("https://inn.gs/")),
            (
                "event_key_hash",
                or_null(self.event_key.as_deref().map(event_key_hash)),
            ),
            ("framework", text("fast_api")),
            ("function_count", int(self.function_count)),
            ("has_event_key", PyValue::Bool(self.event_key.is_some())),
            ("has_signing_key", PyValue::Bool(self.signing_key.is_some())),
            ("has_signing_key_fallback", PyValue::Bool(false)),
            ("mode", text(self.mode())),
            ("sdk_language", text("py")),
            ("sdk_version", text(SDK_VERSION)),
            ("serve_origin", PyValue::None),
            ("serve_path", text(serve_path)),
            ("signing_key_fallback_hash", PyValue::None),
            (
                "signing_key_hash",
                or_null(self.signing_key.as_deref().and_then(signing_key_hash)),
            ),
        ])
    }
}

fn dict(pairs: Vec<(&str, PyValue)>) -> PyValue {
    PyValue::Dict(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn int(n: u64) -> PyValue {
    PyValue::Int(i128::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inngest::tests::fixture;

    const KEY: &str = "signkey-prod-0123456789abcdef0123456789abcdef";

    fn app(dev: bool) -> ServedApp {
        ServedApp {
            app_id: "caio-alpha-swarm-production".into(),
            signing_key: Some(KEY.into()),
            event_key: Some("evtkey123".into()),
            dev,
            function_count: 4,
        }
    }

    #[test]
    fn a_signed_get_is_answered_byte_for_byte_as_the_sdk_answered_it() {
        let Some((head, body)) = fixture("inngest.cloud.signed.http") else {
            eprintln!("skipped because ../shared/fixtures is absent");
            return;
        };
        let t = 1_795_966_572;
        let request = signature_header(KEY, b"", t);
        let answer = app(false).answer_get("/inngest", Some(&request), t, 0);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, body);
        // Every header the SDK set is there with the same value (the server's own date,
        // server and content-length lines are not the SDK's).
        for (name, value) in &answer.headers {
            let line = format!("{name}: {value}");
            assert!(head.lines().any(|l| l == line), "{line} not in the fixture");
        }
    }

    #[test]
    fn unsigned_or_wrongly_signed_gets_are_refused_as_the_sdk_refuses_them() {
        let Some((_, body)) = fixture("inngest.cloud.unsigned.http") else {
            eprintln!("skipped because ../shared/fixtures is absent");
            return;
        };
        let wrong = signature_header("signkey-prod-00", b"", 1);
        for signature in [None, Some("t=1&s=zz"), Some(wrong.as_str())] {
            let answer = app(false).answer_get("/api/inngest", signature, 1, 0);
            assert_eq!(answer.status, 401);
            assert_eq!(answer.body, body);
        }
    }

    #[test]
    fn dev_mode_answers_the_short_inspection_unsigned() {
        let Some((_, body)) = fixture("inngest.dev.unsigned.http") else {
            eprintln!("skipped because ../shared/fixtures is absent");
            return;
        };
        let keyless = ServedApp {
            signing_key: None,
            event_key: None,
            ..app(true)
        };
        let answer = keyless.answer_get("/api/inngest", None, 1, 0);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body, body);
        assert!(
            answer
                .headers
                .iter()
                .all(|(n, _)| *n != "x-inngest-signature")
        );
    }
}
