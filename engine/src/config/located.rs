//! Errors that point into the configuration text (file, line, column, the key and its table),
//! and the value checks several sections share.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;

use crate::error::{Error, Result};

/// The configuration text with its file name, for located errors.
pub(super) struct Located<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

impl Located<'_> {
    pub(super) fn error(&self, span: Range<usize>, message: String) -> Error {
        self.error_hiding(span, message, "")
    }

    /// An error about the URL `url`, its text built by `message` from the URL as it may be
    /// shown: masked as [`domain::secret::mask_url`] masks it, or whole (here and in the echoed
    /// line) when it holds `@`, `?` or `#` but no `://`, where that masking finds no parts.
    pub(super) fn url_error(
        &self,
        span: Range<usize>,
        url: &str,
        message: impl FnOnce(&str) -> String,
    ) -> Error {
        let url = url.trim();
        let hidden = if !url.contains("://") && url.contains(['@', '?', '#']) {
            url
        } else {
            ""
        };
        let shown = if hidden.is_empty() {
            domain::secret::mask_url(url)
        } else {
            domain::secret::MASK.to_string()
        };
        self.error_hiding(span, message(&shown), hidden)
    }

    /// As `error`, with `hidden` (a secret someone wrote into the config) masked in the echoed
    /// line.
    pub(super) fn error_hiding(&self, span: Range<usize>, message: String, hidden: &str) -> Error {
        let offset = span.start.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        // The echoed line is masked: a config error must not print a credential someone pasted.
        let mut line_text =
            domain::secret::mask_urls(self.text[line_start..].lines().next().unwrap_or(""));
        if !hidden.is_empty() {
            line_text = line_text.replace(hidden, domain::secret::MASK);
        }
        let key = key_context(self.text, line_start, &line_text);
        let message = match key {
            Some(key) if !message.contains(&key) => format!("{key}: {message}"),
            _ => message,
        };
        Error::Config {
            file: self.file.to_string(),
            line,
            column,
            message: format!("{message}\n    {line} | {line_text}"),
        }
    }
}

/// Names the key on the error's line with its table: "key `mode` in [[environments]] #2".
fn key_context(text: &str, line_start: usize, line_text: &str) -> Option<String> {
    let key = line_text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['))?;
    let mut table: Option<(String, usize)> = None;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in text[..line_start].lines() {
        let t = l.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
            let n = counts.entry(name.trim().to_string()).or_default();
            *n += 1;
            table = Some((format!("[[{}]]", name.trim()), *n));
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            table = Some((format!("[{}]", name.trim()), 0));
        }
    }
    Some(match table {
        Some((t, 0)) => format!("key `{key}` in {t}"),
        Some((t, n)) => format!("key `{key}` in {t} #{n}"),
        None => format!("key `{key}`"),
    })
}

/// `file` resolved against the config directory; refused when there is no such file.
pub(super) fn existing_file(
    at: &Located<'_>,
    base: &Path,
    file: Spanned<PathBuf>,
    what: &str,
) -> Result<PathBuf> {
    let path = base.join(file.get_ref());
    if path.is_file() {
        Ok(path)
    } else {
        Err(at.error(
            file.span(),
            format!("{what} {} does not exist", path.display()),
        ))
    }
}

pub(super) use crate::clients::http_url;

/// Whether a parsed URL carries a user name or password.
pub(super) fn has_credentials(url: &reqwest::Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}
