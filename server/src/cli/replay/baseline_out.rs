//! `--update-baseline`: the baseline file rewritten as the reference rewrites it,
//! `json.dumps(baseline, indent=2)` of its baselines (each as `str()` of the value, in the
//! file's order) updated with this run's outputs (a case id already there keeps its place;
//! new ones follow in case order; of cases sharing an id, the later one's output wins).
//!
//! This run's outputs wait in an anonymous temporary file, not in memory, so a run of any
//! size rewrites the file in bounded memory; so are the old values, read back one by one.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use domain::python::json::write_str;
use engine::replay::indexed::IndexedObject;

#[derive(Debug, Clone, Copy)]
struct Spooled {
    /// The first case with this id that produced an output: where a new key goes.
    first_index: usize,
    /// The last such case: whose output is kept.
    last_index: usize,
    start: u64,
    len: u64,
}

pub struct NewOutputs {
    spool: File,
    end: u64,
    by_id: HashMap<Box<str>, Spooled>,
}

impl NewOutputs {
    pub fn new() -> std::io::Result<Self> {
        Ok(Self {
            spool: tempfile::tempfile()?,
            end: 0,
            by_id: HashMap::new(),
        })
    }

    /// This run's output of case `index`.
    pub fn add(&mut self, index: usize, id: &str, output: &str) -> std::io::Result<()> {
        if let Some(known) = self.by_id.get(id)
            && known.last_index > index
        {
            if index < known.first_index {
                self.by_id.get_mut(id).expect("present").first_index = index;
            }
            return Ok(());
        }
        self.spool.seek(SeekFrom::Start(self.end))?;
        self.spool.write_all(output.as_bytes())?;
        let len = output.len() as u64;
        let first_index = self
            .by_id
            .get(id)
            .map_or(index, |k| k.first_index.min(index));
        self.by_id.insert(
            id.into(),
            Spooled {
                first_index,
                last_index: index,
                start: self.end,
                len,
            },
        );
        self.end += len;
        Ok(())
    }

    fn read(&mut self, entry: Spooled) -> std::io::Result<String> {
        let mut bytes = vec![0; entry.len as usize];
        self.spool.seek(SeekFrom::Start(entry.start))?;
        self.spool.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }
}

/// Writes the updated baseline to `path` (through a temporary file beside it, renamed into
/// place, so a failure never leaves half a file).
pub fn write(path: &Path, old: Option<&IndexedObject>, new: &NewOutputs) -> Result<(), String> {
    let failed =
        |e: std::io::Error| format!("cannot write the baseline file {}: {e}", path.display());
    let mut new = NewOutputs {
        spool: new.spool.try_clone().map_err(failed)?,
        end: new.end,
        by_id: new.by_id.clone(),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let mut out = BufWriter::new(File::create(&tmp).map_err(failed)?);
    let mut first = true;
    let mut entry = |out: &mut BufWriter<File>, key: &str, value: &str| -> std::io::Result<()> {
        let mut text = String::with_capacity(key.len() + value.len() + 16);
        text.push_str(if first { "{\n  " } else { ",\n  " });
        first = false;
        write_str(&mut text, key);
        text.push_str(": ");
        write_str(&mut text, value);
        out.write_all(text.as_bytes())
    };
    let mut written = 0usize;
    if let Some(old) = old {
        for key in old.keys() {
            let value = match new.by_id.get(key).copied() {
                Some(spooled) => new.read(spooled).map_err(failed)?,
                None => match old.get(key) {
                    Some(Ok(value)) => value.py_str(),
                    Some(Err(e)) => return Err(e),
                    None => continue,
                },
            };
            entry(&mut out, key, &value).map_err(failed)?;
            written += 1;
        }
    }
    let mut fresh: Vec<(&str, Spooled)> = new
        .by_id
        .iter()
        .filter(|(id, _)| old.is_none_or(|old| !old.contains(id)))
        .map(|(id, s)| (&**id, *s))
        .collect();
    fresh.sort_by_key(|(_, s)| s.first_index);
    let fresh: Vec<(String, Spooled)> = fresh
        .into_iter()
        .map(|(id, s)| (id.to_string(), s))
        .collect();
    for (id, spooled) in fresh {
        let value = new.read(spooled).map_err(failed)?;
        entry(&mut out, &id, &value).map_err(failed)?;
        written += 1;
    }
    out.write_all(if written == 0 { b"{}" } else { b"\n}" })
        .and_then(|()| out.flush())
        .map_err(failed)?;
    drop(out);
    std::fs::rename(&tmp, path).map_err(failed)
}
