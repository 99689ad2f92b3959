//! Prior outputs for the reliability criterion, by case id: the console's stored baseline run,
//! or a baseline file read as the reference harness reads it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::indexed::{IndexError, IndexedObject};

#[derive(Debug, Clone, Default)]
pub enum Baselines {
    #[default]
    None,
    /// Outputs held in memory (the console's baseline run).
    Outputs(Arc<HashMap<String, String>>),
    /// A baseline file, indexed: each value is read back when its case is judged and used as
    /// Python's `str()` of it, whatever its type.
    File(Arc<IndexedObject>),
}

/// How reading a baseline file went, for the caller to say or refuse.
#[derive(Debug)]
pub enum BaselineFile {
    Read(Baselines),
    /// No such file: no baselines, as on the reference's first run.
    Missing,
    /// The reference ignores a file it cannot use; this says why.
    Unusable(IndexError),
}

impl Baselines {
    pub fn from_outputs(outputs: HashMap<String, String>) -> Self {
        Baselines::Outputs(Arc::new(outputs))
    }

    /// Reads `path` the reference's way: missing or unusable means no baselines.
    pub fn read_file(path: &Path) -> BaselineFile {
        if !path.exists() {
            return BaselineFile::Missing;
        }
        match IndexedObject::open(path) {
            Ok(index) => BaselineFile::Read(Baselines::File(Arc::new(index))),
            Err(e) => BaselineFile::Unusable(e),
        }
    }

    /// The prior output of case `id`, if any.
    pub fn get(&self, id: &str) -> Option<String> {
        match self {
            Baselines::None => None,
            Baselines::Outputs(map) => map.get(id).cloned(),
            Baselines::File(index) => match index.get(id)? {
                Ok(value) => Some(value.py_str()),
                Err(e) => {
                    tracing::warn!(case = id, error = %e, "baseline unreadable; judged without it");
                    None
                }
            },
        }
    }

    /// The file behind these baselines, when they came from one.
    pub fn file(&self) -> Option<&IndexedObject> {
        match self {
            Baselines::File(index) => Some(index),
            _ => None,
        }
    }
}
