//! Network clients: they talk to a service and say what it answered, bounded in time and size,
//! and judge nothing. The judgements (healthy, degraded, unverified) are in `crate::probe`.

pub mod inngest;
pub mod redis_ping;

/// `text` as a URL Greenlight may call: parsed, and `http` or `https`. The error says why not
/// in words, without quoting the URL (callers show it masked).
pub fn http_url(text: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("its scheme is `{other}`")),
    }
}
