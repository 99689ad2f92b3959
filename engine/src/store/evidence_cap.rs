//! How much of a probe's evidence a stored round keeps. A probe may read up to 1 MiB of an
//! answer, and a round is stored every 15 s: a service answering large bodies would add
//! gigabytes a day. Each probe's evidence is kept whole up to [`MAX_STORED_EVIDENCE`] bytes of
//! JSON; past that, its head is kept as text with how much was cut.

use std::borrow::Cow;

use crate::probe::EnvironmentReport;

/// Bytes of JSON evidence a stored round keeps per probe.
pub const MAX_STORED_EVIDENCE: usize = 16 * 1024;

/// `report` as it is stored: unchanged when every probe's evidence fits.
pub(super) fn capped(report: &EnvironmentReport) -> Cow<'_, EnvironmentReport> {
    let sizes: Vec<usize> = report
        .probes
        .iter()
        .map(|p| serde_json::to_string(&p.evidence).map_or(0, |t| t.len()))
        .collect();
    if sizes.iter().all(|n| *n <= MAX_STORED_EVIDENCE) {
        return Cow::Borrowed(report);
    }
    let mut report = report.clone();
    for (probe, size) in report.probes.iter_mut().zip(sizes) {
        if size <= MAX_STORED_EVIDENCE {
            continue;
        }
        let text = serde_json::to_string(&probe.evidence).unwrap_or_default();
        probe.evidence = cut(&text, size);
    }
    Cow::Owned(report)
}

/// The head of `text` (evidence of `size` bytes) as a JSON value that is itself at most
/// [`MAX_STORED_EVIDENCE`] bytes: quotes and escapes in the head grow when it is written as
/// a string, so the head shrinks until the whole fits.
fn cut(text: &str, size: usize) -> serde_json::Value {
    let mut end = MAX_STORED_EVIDENCE.min(text.len());
    loop {
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let value = serde_json::json!({
            "cut": format!("the evidence was {size} bytes of JSON; the first {end} are kept, as text"),
            "head": &text[..end],
        });
        let written = serde_json::to_string(&value).map_or(0, |t| t.len());
        if written <= MAX_STORED_EVIDENCE || end == 0 {
            return value;
        }
        end = end.saturating_sub(written - MAX_STORED_EVIDENCE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::probe::{ProbeOutcome, ProbeStatus};

    #[test]
    fn large_evidence_keeps_its_head_and_says_how_much_was_cut() {
        let mut big = ProbeOutcome::new("dependencies", ProbeStatus::Healthy, "ok");
        big.evidence = serde_json::json!({ "body": "x".repeat(200_000) });
        let small = ProbeOutcome::new("redis", ProbeStatus::Healthy, "ok");
        let report = EnvironmentReport {
            environment: "svc".into(),
            mode: domain::Mode::Development,
            readiness: domain::probe::Readiness::Ready,
            checked_at: String::new(),
            probes: vec![big, small.clone()],
        };
        let stored = capped(&report);
        let text = serde_json::to_string(&stored.probes[0].evidence).unwrap();
        assert!(text.len() <= MAX_STORED_EVIDENCE, "{}", text.len());
        assert!(text.contains("200011 bytes"), "{text:.200}");
        assert_eq!(stored.probes[1], small);
        assert!(
            matches!(capped(&stored), Cow::Borrowed(_)),
            "capped once is small"
        );
    }
}
