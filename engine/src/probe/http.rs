//! A bounded HTTP GET for probes: timeout, size limit, and errors sorted into "could not
//! measure" with a cause an operator can act on.

use std::time::Instant;

use reqwest::header::HeaderMap;

use super::{MAX_BODY, Prober};
use crate::clients::inngest::root_cause;

pub(super) struct Fetched {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub latency_ms: f64,
}

impl Fetched {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }
}

/// GETs `url`; `Err` is a sentence saying why nothing could be measured.
pub(super) async fn get(
    prober: &Prober,
    url: &str,
    headers: &[(String, String)],
) -> Result<Fetched, String> {
    let shown = domain::secret::mask_url(url);
    let started = Instant::now();
    let mut request = prober.client.get(url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| describe(&shown, prober, &e))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if let Some(refused) = crate::redirects::refused(&shown, status, &headers) {
        return Err(refused);
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(format!(
                        "{shown} answered more than {} KiB; the answer was not read further",
                        MAX_BODY / 1024
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(describe(&shown, prober, &e)),
        }
    }
    Ok(Fetched {
        status,
        headers,
        body,
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

fn describe(shown: &str, prober: &Prober, e: &reqwest::Error) -> String {
    let cause = root_cause(e);
    if e.is_timeout() {
        format!(
            "{shown} did not answer within {} s",
            prober.timeout.as_secs_f64()
        )
    } else if e.is_connect() {
        let lower = cause.to_lowercase();
        if lower.contains("dns") || lower.contains("lookup") || lower.contains("resolve") {
            format!("the name in {shown} could not be resolved (DNS): {cause}")
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            format!("the TLS connection to {shown} failed: {cause}")
        } else {
            format!("could not connect to {shown}: {cause}")
        }
    } else {
        format!("the request to {shown} failed: {cause}")
    }
}
