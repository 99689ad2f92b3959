//! Any `Serialize` type as a [`PyValue`], fields in declaration order, so typed records (a
//! judge result, a summary) can be written with [`super::dumps_indented`] in the order Python
//! inserted them, without passing through `serde_json::Value`, which sorts keys here.

use serde::ser::{self, Serialize};

use super::super::PyValue;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ToValueError(String);

impl ser::Error for ToValueError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ToValueError(msg.to_string())
    }
}

/// `value` as a [`PyValue`]. Fails only for map keys that are not strings.
pub fn to_py_value<T: Serialize + ?Sized>(value: &T) -> Result<PyValue, ToValueError> {
    value.serialize(ValueSerializer)
}

struct ValueSerializer;

type R = Result<PyValue, ToValueError>;

impl ser::Serializer for ValueSerializer {
    type Ok = PyValue;
    type Error = ToValueError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> R {
        Ok(PyValue::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_i128(self, v: i128) -> R {
        Ok(PyValue::Int(v))
    }
    fn serialize_u8(self, v: u8) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> R {
        Ok(PyValue::Int(v.into()))
    }
    fn serialize_f32(self, v: f32) -> R {
        Ok(PyValue::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> R {
        Ok(PyValue::Float(v))
    }
    fn serialize_char(self, v: char) -> R {
        Ok(PyValue::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(PyValue::Str(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(PyValue::List(
            v.iter().map(|&b| PyValue::Int(b.into())).collect(),
        ))
    }
    fn serialize_none(self) -> R {
        Ok(PyValue::None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(PyValue::None)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R {
        Ok(PyValue::None)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        Ok(PyValue::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        Ok(PyValue::Dict(vec![(
            variant.to_string(),
            to_py_value(value)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, ToValueError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, ToValueError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, ToValueError> {
        Ok(SeqBuilder {
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, ToValueError> {
        Ok(MapBuilder {
            pairs: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, ToValueError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapBuilder, ToValueError> {
        Ok(MapBuilder {
            pairs: Vec::with_capacity(len),
            key: None,
            variant: Some(variant),
        })
    }
}

struct SeqBuilder {
    items: Vec<PyValue>,
    variant: Option<&'static str>,
}

impl SeqBuilder {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        self.items.push(to_py_value(value)?);
        Ok(())
    }
    fn finish(self) -> R {
        let list = PyValue::List(self.items);
        Ok(match self.variant {
            Some(name) => PyValue::Dict(vec![(name.to_string(), list)]),
            None => list,
        })
    }
}

/// Serde's four sequence traits, each pushing its elements the same way.
macro_rules! sequence_impls {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for SeqBuilder {
            type Ok = PyValue;
            type Error = ToValueError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
                self.push(value)
            }
            fn end(self) -> R {
                self.finish()
            }
        }
    )*};
}

sequence_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct MapBuilder {
    pairs: Vec<(String, PyValue)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl MapBuilder {
    /// Serde gives each key once (struct fields, map keys), so no lookup is needed.
    fn insert(&mut self, key: String, value: PyValue) {
        self.pairs.push((key, value));
    }
    fn finish(self) -> R {
        let dict = PyValue::Dict(self.pairs);
        Ok(match self.variant {
            Some(name) => PyValue::Dict(vec![(name.to_string(), dict)]),
            None => dict,
        })
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = PyValue;
    type Error = ToValueError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ToValueError> {
        match to_py_value(key)? {
            PyValue::Str(key) => {
                self.key = Some(key);
                Ok(())
            }
            other => Err(ToValueError(format!(
                "a map key must be a string, found {}",
                other.json_kind()
            ))),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ToValueError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ToValueError("a map value came without its key".into()))?;
        let value = to_py_value(value)?;
        self.insert(key, value);
        Ok(())
    }
    fn end(self) -> R {
        self.finish()
    }
}

/// Serde's two struct traits, each inserting its fields the same way.
macro_rules! struct_impls {
    ($($trait:ident),*) => {$(
        impl ser::$trait for MapBuilder {
            type Ok = PyValue;
            type Error = ToValueError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), ToValueError> {
                let value = to_py_value(value)?;
                self.insert(key.to_string(), value);
                Ok(())
            }
            fn end(self) -> R {
                self.finish()
            }
        }
    )*};
}

struct_impls!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Record<'a> {
        zeta: u8,
        alpha: Option<&'a str>,
        #[serde(flatten)]
        inner: Inner,
    }

    #[derive(serde::Serialize)]
    struct Inner {
        middle: Vec<f64>,
    }

    #[test]
    fn fields_keep_declaration_order_including_flattened_ones() {
        let value = to_py_value(&Record {
            zeta: 1,
            alpha: None,
            inner: Inner { middle: vec![0.5] },
        })
        .unwrap();
        assert_eq!(
            super::super::dumps(&value),
            r#"{"zeta": 1, "alpha": null, "middle": [0.5]}"#
        );
    }
}
