//! The reference team's golden set: a JSON array of cases.
//!
//! Each case needs `id` (a non-empty string), `input_query` (a string) and `expected_tools`,
//! `positive_constraints`, `negative_constraints` (lists of strings). The reference loader only
//! checks that the fields exist and converts with `str()` later; Greenlight rejects the wrong
//! types up front, naming the case and the field. Other fields are kept, in document order.

use std::collections::HashMap;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::python::PyValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub input_query: String,
    pub expected_tools: Vec<String>,
    pub positive_constraints: Vec<String>,
    pub negative_constraints: Vec<String>,
    /// Fields beyond the five above, in document order. A list of pairs rather than a
    /// `serde_json::Map`, which sorts its keys in this workspace. Nested objects do sort.
    pub extra: Vec<(String, Value)>,
}

impl Case {
    pub fn extra_field(&self, name: &str) -> Option<&Value> {
        self.extra.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// The case as JSON with its original field names: the five known fields, then the extra ones.
impl Serialize for Case {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5 + self.extra.len()))?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("input_query", &self.input_query)?;
        map.serialize_entry("expected_tools", &self.expected_tools)?;
        map.serialize_entry("positive_constraints", &self.positive_constraints)?;
        map.serialize_entry("negative_constraints", &self.negative_constraints)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldenSet {
    cases: Vec<Case>,
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
    #[error("cases #{first} and #{second} both have the id {id:?}")]
    DuplicateId {
        id: String,
        first: usize,
        second: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    Missing,
    EmptyId,
    NotAString { found: &'static str },
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
        FieldProblem::EmptyId => format!("{case}: field {field:?} must not be empty"),
        FieldProblem::NotAString { found } => {
            format!("{case}: field {field:?} must be a string, found {found}")
        }
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
        let top: PyValue =
            serde_json::from_str(json_text).map_err(|e| GoldenSetError::Json(e.to_string()))?;
        let PyValue::List(items) = top else {
            return Err(GoldenSetError::NotAnArray {
                found: top.json_kind(),
            });
        };
        let mut cases = Vec::with_capacity(items.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, item) in items.into_iter().enumerate() {
            let case = parse_case(index, item)?;
            if let Some(&first) = seen.get(&case.id) {
                return Err(GoldenSetError::DuplicateId {
                    id: case.id,
                    first,
                    second: index,
                });
            }
            seen.insert(case.id.clone(), index);
            cases.push(case);
        }
        Ok(Self {
            cases,
            version: fnv1a_64_hex(json_text.as_bytes()),
        })
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

fn fnv1a_64_hex(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn parse_case(index: usize, item: PyValue) -> Result<Case, GoldenSetError> {
    let PyValue::Dict(pairs) = item else {
        return Err(GoldenSetError::NotAnObject {
            index,
            found: item.json_kind(),
        });
    };
    let mut fields: Vec<(String, PyValue)> = pairs;
    let mut take = |name: &str| {
        fields
            .iter()
            .position(|(k, _)| k == name)
            .map(|at| fields.remove(at).1)
    };
    let error = |id: Option<&str>, field: &'static str, problem| GoldenSetError::Field {
        index,
        id: id.map(str::to_string),
        field,
        problem,
    };
    let id = match take("id") {
        None => return Err(error(None, "id", FieldProblem::Missing)),
        Some(PyValue::Str(s)) if s.is_empty() => {
            return Err(error(None, "id", FieldProblem::EmptyId));
        }
        Some(PyValue::Str(s)) => s,
        Some(other) => {
            let found = other.json_kind();
            return Err(error(None, "id", FieldProblem::NotAString { found }));
        }
    };
    let input_query = match take("input_query") {
        None => return Err(error(Some(&id), "input_query", FieldProblem::Missing)),
        Some(PyValue::Str(s)) => s,
        Some(other) => {
            let found = other.json_kind();
            let problem = FieldProblem::NotAString { found };
            return Err(error(Some(&id), "input_query", problem));
        }
    };
    let mut list = |field: &'static str| match take(field) {
        None => Err(error(Some(&id), field, FieldProblem::Missing)),
        Some(value) => string_list(value).map_err(|problem| error(Some(&id), field, problem)),
    };
    let expected_tools = list("expected_tools")?;
    let positive_constraints = list("positive_constraints")?;
    let negative_constraints = list("negative_constraints")?;
    let extra = fields.into_iter().map(|(k, v)| (k, v.to_json())).collect();
    Ok(Case {
        id,
        input_query,
        expected_tools,
        positive_constraints,
        negative_constraints,
        extra,
    })
}

fn string_list(value: PyValue) -> Result<Vec<String>, FieldProblem> {
    let PyValue::List(items) = value else {
        return Err(FieldProblem::NotAList {
            found: value.json_kind(),
        });
    };
    items
        .into_iter()
        .enumerate()
        .map(|(item, value)| match value {
            PyValue::Str(s) => Ok(s),
            other => Err(FieldProblem::ItemNotAString {
                item,
                found: other.json_kind(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests;
