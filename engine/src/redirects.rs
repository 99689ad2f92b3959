//! Greenlight never follows an HTTP redirect: probes and runners send secret headers
//! (`X-Dashboard-Token`, a runner's `secret_headers`, Inngest signatures), and a `302` would
//! carry them to whatever address it names, https→http included, and store what came back
//! there as evidence. A redirect is reported instead, with where it pointed.

use reqwest::header::{HeaderMap, LOCATION};

/// The client policy every outbound HTTP client uses.
pub fn policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::none()
}

/// For a 3xx answer from `shown` (a URL already fit to show): the sentence that says it was
/// not followed. `None` for any other status.
pub fn refused(shown: &str, status: u16, headers: &HeaderMap) -> Option<String> {
    if !(300..400).contains(&status) {
        return None;
    }
    let target = headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(location_to_show)
        .unwrap_or_else(|| "nowhere (no Location header)".to_string());
    Some(format!(
        "{shown} answered HTTP {status}, a redirect to {target}; Greenlight does not follow redirects (they would carry its secret headers to another address): configure the final URL instead"
    ))
}

/// Where a redirect points, without what may hold a secret: user-info, query and fragment
/// are dropped, and the rest is cut to 200 characters.
fn location_to_show(location: &str) -> String {
    let end = location.find(['?', '#']).unwrap_or(location.len());
    let mut shown = domain::secret::mask_url_credentials(&location[..end]);
    if shown.chars().count() > 200 {
        shown = shown.chars().take(200).collect::<String>() + "…";
    }
    if end < location.len() {
        shown.push_str(" (query not shown)");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_is_described_without_its_secrets() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LOCATION,
            "http://u:hunter2@evil.example:81/x?token=abc"
                .parse()
                .unwrap(),
        );
        let text = refused("http://svc/ready", 302, &headers).unwrap();
        assert!(
            text.contains("HTTP 302") && text.contains("evil.example:81/x"),
            "{text}"
        );
        assert!(!text.contains("hunter2") && !text.contains("abc"), "{text}");
        assert!(refused("http://svc/ready", 200, &headers).is_none());
    }
}
