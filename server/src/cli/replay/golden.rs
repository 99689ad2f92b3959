//! The golden set's two passes: every case checked and counted before anything runs (as the
//! reference parses the whole file first), then the cases again, one at a time, for the run.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::{Arc, Mutex};

use domain::golden_set::{DuplicateFinder, Fingerprinted, read_cases};
use domain::{Case, DuplicateId};
use engine::replay::output::case_file_name;

/// What the first pass over the golden set found.
pub struct Checked {
    pub total: usize,
    pub version: String,
    pub duplicates: Vec<DuplicateId>,
}

/// Reads every case once: each must parse and name a file; counts them (up to `limit`).
pub fn check_golden_set(path: &Path, limit: Option<usize>) -> Result<Checked, String> {
    let cannot_read =
        |e: std::io::Error| format!("cannot read the golden set {}: {e}", path.display());
    let mut file = BufReader::new(File::open(path).map_err(cannot_read)?);
    let mut reader = Fingerprinted::new(&mut file);
    let mut duplicates = DuplicateFinder::default();
    let mut total = 0;
    // As the reference, which parses the whole file before it looks at a case: a JSON error
    // anywhere wins over a case that is wrong.
    let mut first_problem = None;
    for (index, case) in read_cases(&mut reader)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .enumerate()
    {
        let case = match case {
            Ok(case) => case,
            Err(e @ domain::GoldenSetError::Json(_)) => {
                return Err(format!("{}: {e}", path.display()));
            }
            Err(e) => {
                first_problem.get_or_insert_with(|| format!("{}: {e}", path.display()));
                continue;
            }
        };
        if first_problem.is_some() || limit.is_some_and(|limit| total >= limit) {
            continue; // still read, as the reference parses the whole file
        }
        if let Err(e) = case_file_name(&case.id) {
            first_problem = Some(format!("{}: case #{index}: {e}", path.display()));
            continue;
        }
        duplicates.note(total, &case.id);
        total += 1;
    }
    if let Some(problem) = first_problem {
        return Err(problem);
    }
    reader.drain().map_err(cannot_read)?;
    Ok(Checked {
        total,
        version: reader.version(),
        duplicates: duplicates.finish(),
    })
}

/// The cases again, for the run; a read error (the file changed since it was checked) is kept
/// in `failure` and ends the cases early.
pub fn stream_cases(
    path: &Path,
    limit: usize,
    failure: Arc<Mutex<Option<String>>>,
) -> Result<Box<dyn Iterator<Item = Case> + Send>, String> {
    let file = File::open(path)
        .map_err(|e| format!("cannot read the golden set {}: {e}", path.display()))?;
    let cases = read_cases(BufReader::new(file)).map_err(|e| e.to_string())?;
    let shown = path.display().to_string();
    Ok(Box::new(cases.take(limit).map_while(
        move |case| match case {
            Ok(case) => Some(case),
            Err(e) => {
                *failure.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(format!("{shown} changed during the run: {e}"));
                None
            }
        },
    )))
}
