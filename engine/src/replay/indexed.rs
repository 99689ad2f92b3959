//! A JSON object on disk (recorded runs, a baseline file), indexed once by key so any size is
//! used in bounded memory: each entry's value is read back from its byte span when needed.
//! Keys follow Python's dict: the first place of a repeated key, with its last value.
//!
//! The index is as small as it can be, since a run holds two of them (about 35 bytes per key
//! of a dozen characters, against 60 in a hash map of boxed keys): every key in one string,
//! the entries sorted by key and found by binary search.

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
    /// The key's bytes in [`IndexedObject::keys`].
    key_start: u32,
    key_len: u32,
    /// The value's bytes in the file.
    start: u64,
    len: u32,
    /// The key's place in Python's dict order (the item's number of its first occurrence).
    place: u32,
}

#[derive(Debug)]
pub struct IndexedObject {
    path: PathBuf,
    file: File,
    #[cfg(not(unix))]
    seekable: Mutex<File>,
    /// Every key, one after the other.
    key_text: String,
    /// One per distinct key, sorted by key.
    entries: Vec<Entry>,
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
        let too_large = || {
            read_error(std::io::Error::other(
                "too large to index (more than 4 GiB of keys or 4 billion entries)",
            ))
        };
        let mut key_text = String::new();
        let mut entries: Vec<Entry> = Vec::new();
        for item in items {
            let item = item.map_err(IndexError::Json)?;
            let key = item.key.unwrap_or_default();
            let key_start = u32::try_from(key_text.len()).map_err(|_| too_large())?;
            key_text.push_str(&key);
            u32::try_from(key_text.len()).map_err(|_| too_large())?;
            entries.push(Entry {
                key_start,
                key_len: key.len() as u32,
                start: item.span.start,
                len: u32::try_from(item.span.end - item.span.start).unwrap_or(u32::MAX),
                place: u32::try_from(entries.len()).map_err(|_| too_large())?,
            });
        }
        // Sorted by key, a repeated key's occurrences side by side in file order: the first
        // gives the place, the last the value.
        let key_of = |e: &Entry| &key_text[e.key_start as usize..][..e.key_len as usize];
        entries.sort_unstable_by(|a, b| key_of(a).cmp(key_of(b)).then(a.place.cmp(&b.place)));
        entries.dedup_by(|later, kept| {
            let same = key_of(&*later) == key_of(&*kept);
            if same {
                kept.start = later.start;
                kept.len = later.len;
            }
            same
        });
        entries.shrink_to_fit();
        key_text.shrink_to_fit();
        Ok(Self {
            path: path.to_path_buf(),
            #[cfg(not(unix))]
            seekable: Mutex::new(file.try_clone().map_err(read_error)?),
            file,
            key_text,
            entries,
        })
    }

    fn key_of(&self, entry: &Entry) -> &str {
        &self.key_text[entry.key_start as usize..][..entry.key_len as usize]
    }

    fn find(&self, key: &str) -> Option<Entry> {
        self.entries
            .binary_search_by(|e| self.key_of(e).cmp(key))
            .ok()
            .map(|at| self.entries[at])
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn contains(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// Keys in the order Python's dict would list them.
    pub fn keys(&self) -> Vec<&str> {
        let mut in_order: Vec<&Entry> = self.entries.iter().collect();
        in_order.sort_unstable_by_key(|e| e.place);
        in_order.into_iter().map(|e| self.key_of(e)).collect()
    }

    /// The value under `key`, read back from the file. An error means the file changed or
    /// became unreadable since it was indexed.
    pub fn get(&self, key: &str) -> Option<Result<PyValue, String>> {
        let entry = self.find(key)?;
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
        std::fs::write(
            &path,
            r#"{"b": {"x": [1, NaN]}, "a": "é", "": 0, "b": 2, "ab": 3, "b": [4]}"#,
        )
        .unwrap();
        let index = IndexedObject::open(&path).unwrap();
        assert_eq!(index.keys(), ["b", "a", "", "ab"]);
        assert_eq!(
            index.get("b").unwrap().unwrap(),
            PyValue::List(vec![PyValue::Int(4)])
        );
        assert_eq!(index.get("a").unwrap().unwrap(), PyValue::Str("é".into()));
        assert_eq!(index.get("").unwrap().unwrap(), PyValue::Int(0));
        assert_eq!(index.get("ab").unwrap().unwrap(), PyValue::Int(3));
        assert!(index.get("c").is_none() && !index.contains("c"));
        assert!(index.contains("ab"));
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
