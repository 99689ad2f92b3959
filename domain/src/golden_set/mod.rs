//! The reference team's golden set: a JSON array of cases.
//!
//! Read as the reference harness reads it, so a set it runs runs here too: the file is parsed
//! as Python's `json.loads` parses it; each case needs the fields `id`, `input_query`,
//! `expected_tools`, `positive_constraints` and `negative_constraints`. The id and the tool
//! names may be any JSON value and are used as Python's `str()` of it (`1.5`, `True`); the
//! query may be any value and is echoed as it is; repeated ids are allowed (every case runs)
//! and reported by [`GoldenSet::duplicate_ids`] so the caller can warn or refuse. What the
//! reference cannot run (a missing field, a constraint that is not a string, a tool list that
//! is not a list) is refused here, naming the case and the field.

use serde::ser::{Serialize, Serializer};

mod reader;

use reader::fnv1a_64_hex;
pub use reader::{CaseReader, Fingerprinted, read_cases};

use crate::python::PyValue;
use crate::python::json::{LoadError, loads};

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// `str(id)`: what the record, the file name and the summary use.
    pub id: String,
    /// `str(input_query)`, for people to read.
    pub input_query: String,
    /// `str()` of each expected tool, as the judge compares them.
    pub expected_tools: Vec<String>,
    pub positive_constraints: Vec<String>,
    pub negative_constraints: Vec<String>,
    /// The case exactly as the golden set wrote it (its keys in document order, its values
    /// with their own types): what the runner is sent and what the case record echoes.
    pub source: PyValue,
}

impl Case {
    /// A field of the case as written, e.g. `input_query` or a field beyond the five.
    pub fn field(&self, name: &str) -> Option<&PyValue> {
        match &self.source {
            PyValue::Dict(pairs) => pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The case as the golden set wrote it.
impl Serialize for Case {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.source.serialize(serializer)
    }
}

/// Reads a case back from what [`Serialize`] wrote, checked as the golden set is.
impl<'de> serde::Deserialize<'de> for Case {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = PyValue::deserialize(deserializer)?;
        parse_case(0, source).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldenSet {
    cases: Vec<Case>,
    duplicates: Vec<DuplicateId>,
    version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoldenSetError {
    #[error("the golden set is not valid JSON: {0}")]
    Json(String),
    #[error("the golden set must be a JSON array of cases, found {found}")]
    NotAnArray { found: &'static str },
    #[error("case #{index} must be an object, found {found}")]
    NotAnObject { index: usize, found: &'static str },
    #[error("{}", field_message(*index, id.as_deref(), field, problem))]
    Field {
        index: usize,
        id: Option<String>,
        field: &'static str,
        problem: FieldProblem,
    },
}

/// Two cases with the same `str(id)`: both run, and the later one's case file replaces the
/// earlier one's, as in the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateId {
    pub id: String,
    pub first: usize,
    pub second: usize,
}

/// Finds the repeated ids among cases given one at a time. A golden set of any size is
/// checked with it, so it keeps the ids in one string and their cases in a list (24 bytes
/// per case besides the id's own bytes) and compares them once, sorted, at the end.
#[derive(Debug, Default)]
pub struct DuplicateFinder {
    ids: String,
    /// Per case: where its id starts in `ids`, where it ends, and the case's index.
    seen: Vec<(usize, usize, usize)>,
}

impl DuplicateFinder {
    /// Case `index` has this id.
    pub fn note(&mut self, index: usize, id: &str) {
        let start = self.ids.len();
        self.ids.push_str(id);
        self.seen.push((start, self.ids.len(), index));
    }

    /// Each case whose id an earlier case already had, with the nearest earlier one, in the
    /// order of the later cases.
    pub fn finish(mut self) -> Vec<DuplicateId> {
        let ids = &self.ids;
        let id_of = |&(start, end, _): &(usize, usize, usize)| &ids[start..end];
        self.seen
            .sort_unstable_by(|a, b| id_of(a).cmp(id_of(b)).then(a.2.cmp(&b.2)));
        let mut found: Vec<DuplicateId> = self
            .seen
            .windows(2)
            .filter(|pair| id_of(&pair[0]) == id_of(&pair[1]))
            .map(|pair| DuplicateId {
                id: id_of(&pair[1]).to_string(),
                first: pair[0].2,
                second: pair[1].2,
            })
            .collect();
        found.sort_unstable_by_key(|d| d.second);
        found
    }
}

impl std::fmt::Display for DuplicateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cases #{} and #{} both have the id {:?}",
            self.first, self.second, self.id
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    Missing,
    NotAList { found: &'static str },
    ItemNotAString { item: usize, found: &'static str },
}

fn field_message(index: usize, id: Option<&str>, field: &str, problem: &FieldProblem) -> String {
    let case = match id {
        Some(id) => format!("case #{index} (id {id:?})"),
        None => format!("case #{index}"),
    };
    match problem {
        FieldProblem::Missing => format!("{case}: missing field {field:?}"),
        FieldProblem::NotAList { found } => {
            format!("{case}: field {field:?} must be a list of strings, found {found}")
        }
        FieldProblem::ItemNotAString { item, found } => format!(
            "{case}: field {field:?} must be a list of strings, found {found} at item #{item}"
        ),
    }
}

impl GoldenSet {
    pub fn parse(json_text: &str) -> Result<Self, GoldenSetError> {
        let top = loads(json_text).map_err(|e: LoadError| GoldenSetError::Json(e.to_string()))?;
        let PyValue::List(items) = top else {
            return Err(GoldenSetError::NotAnArray {
                found: top.json_kind(),
            });
        };
        let mut cases = Vec::with_capacity(items.len());
        let mut duplicates = DuplicateFinder::default();
        for (index, item) in items.into_iter().enumerate() {
            let case = parse_case(index, item)?;
            duplicates.note(index, &case.id);
            cases.push(case);
        }
        Ok(Self {
            cases,
            duplicates: duplicates.finish(),
            version: fnv1a_64_hex(json_text.as_bytes()),
        })
    }

    /// Each case whose id an earlier case already had, with the nearest earlier one.
    pub fn duplicate_ids(&self) -> &[DuplicateId] {
        &self.duplicates
    }

    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    pub fn into_cases(self) -> Vec<Case> {
        self.cases
    }

    pub fn get(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// A fingerprint of the exact file contents, to tell golden-set revisions apart in reports.
    ///
    /// FNV-1a 64-bit, as 16 lowercase hex digits. A cryptographic hash would be the usual choice
    /// but no SHA implementation is among this crate's dependencies; the fingerprint only has to
    /// change when the file changes, not resist deliberate collisions.
    pub fn version(&self) -> &str {
        &self.version
    }
}

pub(crate) fn parse_case(index: usize, item: PyValue) -> Result<Case, GoldenSetError> {
    let PyValue::Dict(fields) = &item else {
        return Err(GoldenSetError::NotAnObject {
            index,
            found: item.json_kind(),
        });
    };
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let error = |id: Option<&str>, field: &'static str, problem| GoldenSetError::Field {
        index,
        id: id.map(str::to_string),
        field,
        problem,
    };
    let Some(id) = get("id") else {
        return Err(error(None, "id", FieldProblem::Missing));
    };
    let id = id.py_str();
    let Some(input_query) = get("input_query") else {
        return Err(error(Some(&id), "input_query", FieldProblem::Missing));
    };
    let input_query = input_query.py_str();
    let list = |field: &'static str, strings_only: bool| match get(field) {
        None => Err(error(Some(&id), field, FieldProblem::Missing)),
        Some(value) => {
            string_list(value, strings_only).map_err(|problem| error(Some(&id), field, problem))
        }
    };
    let expected_tools = list("expected_tools", false)?;
    let positive_constraints = list("positive_constraints", true)?;
    let negative_constraints = list("negative_constraints", true)?;
    Ok(Case {
        id,
        input_query,
        expected_tools,
        positive_constraints,
        negative_constraints,
        source: item,
    })
}

/// A list's items as strings: `str()` of each, or only strings when `strings_only`.
fn string_list(value: &PyValue, strings_only: bool) -> Result<Vec<String>, FieldProblem> {
    let PyValue::List(items) = value else {
        return Err(FieldProblem::NotAList {
            found: value.json_kind(),
        });
    };
    items
        .iter()
        .enumerate()
        .map(|(item, value)| match value {
            PyValue::Str(s) => Ok(s.clone()),
            other if !strings_only => Ok(other.py_str()),
            other => Err(FieldProblem::ItemNotAString {
                item,
                found: other.json_kind(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests;
