//! How much of a probe's evidence a stored round keeps. A probe may read up to 1 MiB of an
//! answer, and a round is stored every 15 s: a service answering large bodies would add
//! gigabytes a day. Each probe's evidence is kept whole up to [`MAX_STORED_EVIDENCE`] bytes of
//! JSON. Past that, long strings and arrays inside it are shortened first, so its structure
//! stays (the Status card reads the deployed strict flags from a stored answer's `body`);
//! only when that is not enough is its head kept as text, with how much was cut.

use std::borrow::Cow;

use domain::probe::EnvironmentReport;

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
        let shortened = shorten(probe.evidence.take());
        let fits = serde_json::to_string(&shortened).map_or(0, |t| t.len()) <= MAX_STORED_EVIDENCE;
        probe.evidence = if fits {
            shortened
        } else {
            cut(&serde_json::to_string(&shortened).unwrap_or_default(), size)
        };
    }
    Cow::Owned(report)
}

/// Strings past [`LONG_STRING`] bytes keep their head and say how much was cut; arrays past
/// [`LONG_ARRAY`] items keep their first ones and say how many more there were.
fn shorten(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if s.len() > LONG_STRING => {
            let mut end = LONG_STRING;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Value::String(format!("{}… ({} bytes cut)", &s[..end], s.len() - end))
        }
        Value::Array(items) if items.len() > LONG_ARRAY => {
            let more = items.len() - LONG_ARRAY;
            let mut kept: Vec<Value> = items.into_iter().take(LONG_ARRAY).map(shorten).collect();
            kept.push(Value::String(format!("… {more} more items cut")));
            Value::Array(kept)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(shorten).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, shorten(v))).collect())
        }
        other => other,
    }
}

/// Strings longer than this are shortened in stored evidence.
const LONG_STRING: usize = 1024;
/// Arrays longer than this are shortened in stored evidence.
const LONG_ARRAY: usize = 50;

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
        let body = stored.probes[0].evidence["body"].as_str().unwrap();
        assert!(
            body.ends_with("(198976 bytes cut)"),
            "structure kept: {body:.80}"
        );
        // A body of many short values cannot be shortened enough: its head is kept as text.
        let mut many = ProbeOutcome::new("dependencies", ProbeStatus::Healthy, "ok");
        many.evidence = serde_json::json!({ "rows": (0..40).map(|i| serde_json::json!({"id": i, "text": "y".repeat(1000)})).collect::<Vec<_>>() });
        let report2 = EnvironmentReport {
            probes: vec![many],
            ..report.clone()
        };
        let stored2 = capped(&report2);
        let text = serde_json::to_string(&stored2.probes[0].evidence).unwrap();
        assert!(text.len() <= MAX_STORED_EVIDENCE, "{}", text.len());
        assert!(text.contains("bytes of JSON"), "{text:.200}");
        assert_eq!(stored.probes[1], small);
        assert!(
            matches!(capped(&stored), Cow::Borrowed(_)),
            "capped once is small"
        );
    }
}
