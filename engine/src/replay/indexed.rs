//! A JSON object on disk (recorded runs, a baseline file), indexed once by key so any size is
//! used in bounded memory: each entry's value is read back from its byte span when needed.
//! Keys follow Python's dict: the first place of a repeated key, with its last value.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
#[cfg(not(unix))]
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
#[cfg(not(unix))]
use std::sync::Mutex;

use domain::python::PyValue;
use domain::python::json::stream::{Opened, open};
use domain::python::json::{LoadError, loads};

/// Why a file could not be indexed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Python's `json.loads` would refuse the text; the message is its own.
    #[error("{0}")]
    Json(LoadError),
    /// Valid JSON, but not an object.
    #[error("the top level is {found}, not an object")]
    NotAnObject { found: &'static str },
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u64,
    len: u32,
    /// The key's place in Python's dict order.
    place: u32,
}

#[derive(Debug)]
pub struct IndexedObject {
    path: PathBuf,
    file: File,
    #[cfg(not(unix))]
    seekable: Mutex<File>,
    entries: HashMap<Box<str>, Entry>,
}

impl IndexedObject {
    /// Reads `path` through once, checking it as `json.loads` would and noting where each
    /// value is.
    pub fn open(path: &Path) -> Result<Self, IndexError> {
        let read_error = |source| IndexError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(read_error)?;
        let mut reader = BufReader::new(file.try_clone().map_err(read_error)?);
        let items = match open(&mut reader).map_err(IndexError::Json)? {
            Opened::Items(items) if items.is_object() => items.skipping_values(),
            Opened::Items(_) => return Err(IndexError::NotAnObject { found: "a list" }),
            Opened::Scalar(value) => {
                return Err(IndexError::NotAnObject {
                    found: value.json_kind(),
                });
            }
        };
        let mut entries: HashMap<Box<str>, Entry> = HashMap::new();
        for item in items {
            let item = item.map_err(IndexError::Json)?;
            let key: Box<str> = item.key.unwrap_or_default().into();
            let place = u32::try_from(entries.len()).unwrap_or(u32::MAX);
            let len = u32::try_from(item.span.end - item.span.start).unwrap_or(u32::MAX);
            let start = item.span.start;
            entries
                .entry(key)
                .and_modify(|e| {
                    e.start = start;
                    e.len = len;
                })
                .or_insert(Entry { start, len, place });
        }
        entries.shrink_to_fit();
        Ok(Self {
            path: path.to_path_buf(),
            #[cfg(not(unix))]
            seekable: Mutex::new(file.try_clone().map_err(read_error)?),
            file,
            entries,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Keys in the order Python's dict would list them.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<(&str, u32)> =
            self.entries.iter().map(|(k, e)| (&**k, e.place)).collect();
        keys.sort_unstable_by_key(|(_, place)| *place);
        keys.into_iter().map(|(k, _)| k).collect()
    }

    /// The value under `key`, read back from the file. An error means the file changed or
    /// became unreadable since it was indexed.
    pub fn get(&self, key: &str) -> Option<Result<PyValue, String>> {
        let entry = *self.entries.get(key)?;
        Some(self.read(entry))
    }

    fn read(&self, entry: Entry) -> Result<PyValue, String> {
        let mut bytes = vec![0; entry.len as usize];
        self.read_at(&mut bytes, entry.start)
            .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| format!("{} changed while in use", self.path.display()))?;
        loads(text).map_err(|_| format!("{} changed while in use", self.path.display()))
    }
}

impl IndexedObject {
    /// A positioned read: threads reading values at once neither seek nor wait for each other.
    #[cfg(unix)]
    fn read_at(&self, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.file.read_exact_at(bytes, at)
    }

    #[cfg(not(unix))]
    fn read_at(&self, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
        let mut file = self.seekable.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_back_by_key_in_python_dict_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.json");
        std::fs::write(&path, r#"{"b": {"x": [1, NaN]}, "a": "é", "b": 2}"#).unwrap();
        let index = IndexedObject::open(&path).unwrap();
        assert_eq!(index.keys(), ["b", "a"]);
        assert_eq!(index.get("b").unwrap().unwrap(), PyValue::Int(2));
        assert_eq!(index.get("a").unwrap().unwrap(), PyValue::Str("é".into()));
        assert!(index.get("c").is_none());
    }

    #[test]
    fn files_python_would_refuse_are_refused_with_its_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        for (text, message) in [
            ("", "Expecting value: line 1 column 1 (char 0)"),
            ("[1]", "the top level is a list, not an object"),
            ("3", "the top level is a number, not an object"),
            (r#"{"a": 1} x"#, "Extra data: line 1 column 10 (char 9)"),
        ] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(IndexedObject::open(&path).unwrap_err().to_string(), message);
        }
    }
}
