//! A JSON value as Python's `json.loads` sees it: objects keep their key order.
//!
//! `str()` of a dict prints keys in insertion order, and `json.loads` inserts them in document
//! order (a repeated key keeps its first place and takes its last value). serde_json's `Value`
//! sorts keys in this workspace (no `preserve_order` feature), so text whose `str()` matters is
//! parsed into this type instead.
//!
//! Parse text with [`super::json::loads`], which accepts what Python's `json` does (`NaN`,
//! `Infinity`, integers of any size). The serde `Deserialize` impl (for values stored by
//! Greenlight itself) goes through serde_json's parser, which does not.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    Int(i128),
    /// An integer beyond `i128`, as its decimal digits (with a leading `-` when negative).
    BigInt(String),
    Float(f64),
    Str(String),
    List(Vec<PyValue>),
    /// Keys in document order, without repeats.
    Dict(Vec<(String, PyValue)>),
}

impl PyValue {
    /// Python's name for the value's type, as in `'list' object has no attribute 'get'`.
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "NoneType",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) | PyValue::BigInt(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::List(_) => "list",
            PyValue::Dict(_) => "dict",
        }
    }

    /// The JSON kind with an article, for error messages: "a string", "an object", "null".
    pub fn json_kind(&self) -> &'static str {
        match self {
            PyValue::None => "null",
            PyValue::Bool(_) => "a boolean",
            PyValue::Int(_) | PyValue::BigInt(_) | PyValue::Float(_) => "a number",
            PyValue::Str(_) => "a string",
            PyValue::List(_) => "a list",
            PyValue::Dict(_) => "an object",
        }
    }
}

impl From<&serde_json::Value> for PyValue {
    fn from(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => PyValue::None,
            Value::Bool(b) => PyValue::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    PyValue::Int(i128::from(i))
                } else if let Some(u) = n.as_u64() {
                    PyValue::Int(i128::from(u))
                } else {
                    PyValue::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => PyValue::Str(s.clone()),
            Value::Array(items) => PyValue::List(items.iter().map(PyValue::from).collect()),
            Value::Object(map) => PyValue::Dict(
                map.iter()
                    .map(|(k, v)| (k.clone(), PyValue::from(v)))
                    .collect(),
            ),
        }
    }
}

/// As JSON through serde (stored records, API answers). What JSON proper cannot hold becomes
/// its nearest JSON: an integer beyond 64 bits a float, a non-finite float null.
impl Serialize for PyValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PyValue::None => serializer.serialize_unit(),
            PyValue::Bool(b) => serializer.serialize_bool(*b),
            PyValue::Int(i) => match i64::try_from(*i) {
                Ok(n) => serializer.serialize_i64(n),
                Err(_) => match u64::try_from(*i) {
                    Ok(n) => serializer.serialize_u64(n),
                    Err(_) => serializer.serialize_f64(*i as f64),
                },
            },
            PyValue::BigInt(digits) => {
                serializer.serialize_f64(digits.parse::<f64>().unwrap_or(f64::NAN))
            }
            PyValue::Float(x) => serializer.serialize_f64(*x),
            PyValue::Str(s) => serializer.serialize_str(s),
            PyValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            PyValue::Dict(pairs) => {
                let mut map = serializer.serialize_map(Some(pairs.len()))?;
                for (key, value) in pairs {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for PyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PyValueVisitor)
    }
}

struct PyValueVisitor;

impl<'de> Visitor<'de> for PyValueVisitor {
    type Value = PyValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<PyValue, E> {
        Ok(PyValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PyValue, E> {
        Ok(PyValue::Int(i128::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PyValue, E> {
        Ok(PyValue::Int(i128::from(v)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<PyValue, E> {
        Ok(PyValue::Int(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PyValue, E> {
        Ok(PyValue::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PyValue, E> {
        Ok(PyValue::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<PyValue, E> {
        Ok(PyValue::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<PyValue, E> {
        Ok(PyValue::None)
    }
    fn visit_none<E: de::Error>(self) -> Result<PyValue, E> {
        Ok(PyValue::None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<PyValue, D::Error> {
        PyValue::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PyValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(PyValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PyValue, A::Error> {
        let mut pairs: Vec<(String, PyValue)> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        while let Some((key, value)) = map.next_entry::<String, PyValue>()? {
            // Like a Python dict: a repeated key keeps its first place, with the last value.
            match seen.get(&key) {
                Some(&at) => pairs[at].1 = value,
                None => {
                    seen.insert(key.clone(), pairs.len());
                    pairs.push((key, value));
                }
            }
        }
        Ok(PyValue::Dict(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_document_order_and_the_last_value_of_a_repeated_key() {
        let v: PyValue = serde_json::from_str(r#"{"b": 1, "a": [true, null], "b": 2.5}"#).unwrap();
        assert_eq!(v.py_str(), "{'b': 2.5, 'a': [True, None]}");
    }

    #[test]
    fn conversion_from_serde_json_sorts_keys() {
        let v = serde_json::json!({"b": 1, "a": "x"});
        assert_eq!(PyValue::from(&v).py_str(), "{'a': 'x', 'b': 1}");
        assert_eq!(serde_json::to_value(PyValue::from(&v)).unwrap(), v);
    }

    #[test]
    fn type_names_are_pythons() {
        let names: Vec<&str> = [
            PyValue::None,
            PyValue::Bool(true),
            PyValue::Int(1),
            PyValue::Float(1.0),
            PyValue::Str(String::new()),
            PyValue::List(vec![]),
            PyValue::Dict(vec![]),
        ]
        .iter()
        .map(PyValue::type_name)
        .collect();
        assert_eq!(
            names,
            ["NoneType", "bool", "int", "float", "str", "list", "dict"]
        );
    }
}
