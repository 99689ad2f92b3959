//! Python's `json` module, as far as the reference harness uses it: `json.loads` (what it
//! accepts and the words of its errors) and `json.dumps` (with and without `indent=2`).
//!
//! Hand-written on purpose: `summary.json` and the case files must be the reference's byte for
//! byte, and `serde_json` neither writes `json.dumps`'s spacing and escapes nor reads what
//! Python's decoder reads (NaN, its error words).

mod decode;
mod encode;
pub mod stream;
mod to_value;

pub use decode::{LoadError, loads};
pub use encode::{dumps, dumps_indented, float_text, write_indented, write_str};
pub use to_value::{ToValueError, to_py_value};
