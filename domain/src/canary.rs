//! Canary replays: which cases a scheduled run takes, and when its pass rate calls for an alert.

use crate::golden_set::Case;
use crate::python::PyValue;

/// Which cases a canary run takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    All,
    /// N cases, a different N each run, so that every case runs within ceil(total / N) runs.
    Sample(usize),
    /// The cases whose `tags` list holds the tag (or whose `tag` is it).
    Tag(String),
    Ids(Vec<String>),
}

/// A stable, well-mixed order of case ids (FNV-1a), so a rotating sample is not just the first
/// cases of the file and does not change when cases are appended.
fn mix(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn tagged(case: &Case, tag: &str) -> bool {
    match case.field("tags") {
        Some(PyValue::List(items)) => items
            .iter()
            .any(|v| matches!(v, PyValue::Str(s) if s == tag)),
        Some(PyValue::Str(s)) => s == tag,
        _ => matches!(case.field("tag"), Some(PyValue::Str(s)) if s == tag),
    }
}

/// The cases of run number `round` (0, 1, 2, ... for a suite's successive canaries), in golden
/// set order, and a description when they are not the whole suite. An empty list means nothing
/// matched (the description says why).
pub fn select(cases: Vec<Case>, selection: &Selection, round: u64) -> (Vec<Case>, Option<String>) {
    let total = cases.len();
    let picked: Vec<Case> = match selection {
        Selection::All => return (cases, None),
        Selection::Sample(n) if *n >= total => return (cases, None),
        Selection::Sample(n) => {
            let mut order: Vec<usize> = (0..total).collect();
            order.sort_by_key(|&i| (mix(&cases[i].id), i));
            let start = (round as usize % total) * n % total;
            let mut keep: Vec<usize> = (0..*n).map(|k| order[(start + k) % total]).collect();
            keep.sort_unstable();
            let rotations = total.div_ceil(*n);
            let description = format!(
                "{n} of {total} cases (sample {} of {rotations}; every case runs once in {rotations} canaries)",
                round as usize % rotations + 1
            );
            let mut keep = keep.into_iter().peekable();
            let picked = cases
                .into_iter()
                .enumerate()
                .filter_map(|(i, c)| (keep.next_if_eq(&i).is_some()).then_some(c))
                .collect();
            return (picked, Some(description));
        }
        Selection::Tag(tag) => cases.into_iter().filter(|c| tagged(c, tag)).collect(),
        Selection::Ids(ids) => cases.into_iter().filter(|c| ids.contains(&c.id)).collect(),
    };
    if picked.len() == total {
        return (picked, None);
    }
    let description = match selection {
        Selection::Tag(tag) => format!("the {} of {total} cases tagged {tag:?}", picked.len()),
        Selection::Ids(ids) => {
            let missing = ids.len().saturating_sub(picked.len());
            let mut d = format!("{} listed cases of {total}", picked.len());
            if missing > 0 {
                d.push_str(&format!(
                    " ({missing} listed ids are not in the golden set)"
                ));
            }
            d
        }
        _ => unreachable!("returned above"),
    };
    (picked, Some(description))
}

/// Per canary run (oldest first, pass rates 0..1): whether it dropped by more than
/// `max_drop_points` percentage points against the pass rate before the drop. A run that drops
/// does not become the new reference, so a canary that stays broken stays "dropped" until its
/// rate comes back within the allowance.
pub fn drops(rates: &[f64], max_drop_points: f64) -> Vec<bool> {
    let mut reference: Option<f64> = None;
    rates
        .iter()
        .map(|&rate| match reference {
            Some(r) if (r - rate) * 100.0 > max_drop_points + 1e-9 => true,
            _ => {
                reference = Some(rate);
                false
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden_set::GoldenSet;

    fn cases(n: usize) -> Vec<Case> {
        let items: Vec<String> = (0..n)
            .map(|i| {
                let tags = if i % 3 == 0 { r#", "tags": ["smoke"]"# } else { "" };
                format!(r#"{{"id": "c{i}", "input_query": "q", "expected_tools": [], "positive_constraints": [], "negative_constraints": []{tags}}}"#)
            })
            .collect();
        GoldenSet::parse(&format!("[{}]", items.join(",")))
            .unwrap()
            .into_cases()
    }

    #[test]
    fn a_rotating_sample_covers_every_case_in_ceil_total_over_n_runs() {
        let mut seen = std::collections::HashSet::new();
        for round in 0..4 {
            let (picked, description) = select(cases(10), &Selection::Sample(3), round);
            assert_eq!(picked.len(), 3);
            assert!(description.unwrap().starts_with("3 of 10 cases"));
            let ids: Vec<_> = picked.iter().map(|c| c.id.clone()).collect();
            let mut sorted = ids.clone();
            sorted.sort_by_key(|id| id[1..].parse::<u32>().unwrap());
            assert_eq!(ids, sorted, "kept in golden set order");
            seen.extend(ids);
        }
        assert_eq!(seen.len(), 10);
        // Deterministic.
        assert_eq!(
            select(cases(10), &Selection::Sample(3), 7).0,
            select(cases(10), &Selection::Sample(3), 7).0
        );
    }

    #[test]
    fn tags_ids_and_all() {
        let (picked, d) = select(cases(7), &Selection::Tag("smoke".into()), 0);
        assert_eq!(
            picked.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["c0", "c3", "c6"]
        );
        assert_eq!(d.unwrap(), "the 3 of 7 cases tagged \"smoke\"");
        let (picked, d) = select(cases(4), &Selection::Ids(vec!["c1".into(), "zz".into()]), 0);
        assert_eq!(picked.len(), 1);
        assert!(
            d.unwrap()
                .contains("1 listed ids are not in the golden set")
        );
        assert_eq!(select(cases(4), &Selection::All, 3).1, None);
        assert_eq!(select(cases(4), &Selection::Sample(9), 3).1, None);
    }

    #[test]
    fn a_drop_holds_until_the_rate_recovers() {
        assert_eq!(
            drops(&[1.0, 0.95, 0.6, 0.6, 0.9, 1.0], 10.0),
            [false, false, true, true, false, false]
        );
        assert_eq!(
            drops(&[1.0, 0.9], 10.0),
            [false, false],
            "exactly the allowance is fine"
        );
    }
}
