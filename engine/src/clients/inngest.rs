//! One GET of an Inngest serve endpoint, signed when the signing key is known, bounded in time
//! and size, and classified by what the SDK answered.

use std::time::Duration;

use domain::inngest::{Inspection, signature_header, verify_signature_header};

/// An inspection answer is a few hundred bytes; anything past this is not an Inngest SDK.
pub const MAX_BODY: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum InngestAnswer {
    /// A signed request got the authenticated inspection; `signature_valid` says whether the
    /// SDK's own signature on the answer checks out with our key.
    Authenticated {
        inspection: Inspection,
        signature_valid: bool,
    },
    /// 200 without authentication (dev mode, or an SDK that does not check signatures).
    Unauthenticated { inspection: Inspection },
    /// 401 from the SDK itself (`x-inngest-sdk-handled: true`): mounted, cloud mode, unsigned.
    CloudUnsigned,
    /// Anything else: the route is not an Inngest serve endpoint, or it rejected our key.
    Unexpected { status: u16, detail: String },
}

impl InngestAnswer {
    /// The route answers as a mounted Inngest endpoint.
    pub fn mounted(&self) -> bool {
        !matches!(self, InngestAnswer::Unexpected { .. })
    }
}

/// GETs `url`. `Err` is "could not measure" (refused, timeout, TLS, DNS, oversized body).
pub async fn inspect(
    client: &reqwest::Client,
    url: &str,
    signing_key: Option<&str>,
    timeout: Duration,
) -> Result<InngestAnswer, String> {
    let shown = domain::secret::mask_url(url);
    let mut request = client.get(url).timeout(timeout);
    if let Some(key) = signing_key {
        let now = crate::clock::since_epoch().as_secs() as i64;
        request = request.header("X-Inngest-Signature", signature_header(key, b"", now));
    }
    let mut response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            format!("{shown} did not answer within {} ms", timeout.as_millis())
        } else if e.is_connect() {
            format!("could not connect to {shown}: {}", root_cause(&e))
        } else {
            format!("request to {shown} failed: {}", root_cause(&e))
        }
    })?;
    let status = response.status().as_u16();
    if let Some(refused) = crate::redirects::refused(&shown, status, response.headers()) {
        return Err(refused);
    }
    let sdk_handled = response
        .headers()
        .get("x-inngest-sdk-handled")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let signature = response
        .headers()
        .get("x-inngest-signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("{shown} broke off its answer: {e}"))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(format!(
                "{shown} answered more than {} KiB; not an Inngest inspection",
                MAX_BODY / 1024
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&body);
    match status {
        200 => match serde_json::from_slice::<Inspection>(&body) {
            Ok(inspection) if inspection.is_authenticated() => {
                let signature_valid = match (signing_key, &signature) {
                    (Some(key), Some(header)) => verify_signature_header(key, &body, header),
                    _ => false,
                };
                Ok(InngestAnswer::Authenticated {
                    inspection,
                    signature_valid,
                })
            }
            Ok(inspection) if inspection.function_count.is_some() || inspection.mode.is_some() => {
                Ok(InngestAnswer::Unauthenticated { inspection })
            }
            _ => Ok(InngestAnswer::Unexpected {
                status,
                detail: format!("200 but not an Inngest inspection: {}", snippet(&text)),
            }),
        },
        401 if sdk_handled => Ok(InngestAnswer::CloudUnsigned),
        _ => Ok(InngestAnswer::Unexpected {
            status,
            detail: format!("HTTP {status}: {}", snippet(&text)),
        }),
    }
}

fn snippet(text: &str) -> String {
    let t: String = text.trim().chars().take(200).collect();
    if t.is_empty() {
        "(empty body)".into()
    } else {
        t
    }
}

/// The innermost cause of an error chain: the sentence an operator can act on.
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
