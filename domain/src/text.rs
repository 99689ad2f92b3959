//! Messages for people: sentences joined from parts written elsewhere (probe messages, engine
//! errors) read as sentences.

/// `text` as a sentence: trimmed, first letter upper-cased, ending in `.`, `!` or `?`.
pub fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Sentences joined with single spaces, each made a sentence first.
pub fn sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(sentence)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_become_sentences() {
        assert_eq!(sentence("  finish step 1 first "), "Finish step 1 first.");
        assert_eq!(sentence("Ready (200)."), "Ready (200).");
        assert_eq!(sentence("Is it up?"), "Is it up?");
        assert_eq!(sentence(""), "");
        assert_eq!(
            sentences([
                "/api/health/ready answered 200 (ready).",
                "All 2 dependencies healthy",
                ""
            ]),
            "/api/health/ready answered 200 (ready). All 2 dependencies healthy."
        );
    }
}
