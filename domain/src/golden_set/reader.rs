//! A golden set read case by case from a file, in memory bounded by the largest case: for
//! sets of any size (`greenlight replay` reads the file twice, once to check every case and
//! count them, once to run them).

use std::io::Read;

use super::{Case, GoldenSetError, parse_case};
use crate::python::json::stream::{Items, Opened, open};

/// The cases of a golden set, in order. The first error ends the iteration.
pub struct CaseReader<R> {
    items: Items<R>,
    index: usize,
}

/// Opens a golden set; fails at once when the text does not start as an array.
pub fn read_cases<R: Read>(reader: R) -> Result<CaseReader<R>, GoldenSetError> {
    match open(reader).map_err(|e| GoldenSetError::Json(e.to_string()))? {
        Opened::Items(items) if !items.is_object() => Ok(CaseReader { items, index: 0 }),
        Opened::Items(_) => Err(GoldenSetError::NotAnArray { found: "an object" }),
        Opened::Scalar(value) => Err(GoldenSetError::NotAnArray {
            found: value.json_kind(),
        }),
    }
}

impl<R: Read> Iterator for CaseReader<R> {
    type Item = Result<Case, GoldenSetError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.items.next()? {
            Ok(item) => item,
            Err(e) => return Some(Err(GoldenSetError::Json(e.to_string()))),
        };
        let index = self.index;
        self.index += 1;
        Some(parse_case(index, item.value))
    }
}

/// FNV-1a 64 over the bytes read through it: the golden set's version, computed on the way.
pub struct Fingerprinted<R> {
    inner: R,
    hash: u64,
}

impl<R> Fingerprinted<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            hash: FNV_OFFSET,
        }
    }

    /// The fingerprint of everything read so far, as [`super::GoldenSet::version`] writes it.
    pub fn version(&self) -> String {
        format!("{:016x}", self.hash)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub(super) fn fnv1a_64(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

pub(super) fn fnv1a_64_hex(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a_64(FNV_OFFSET, bytes))
}

impl<R: Read> Read for Fingerprinted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash = fnv1a_64(self.hash, &buf[..n]);
        Ok(n)
    }
}

impl<R: Read> Fingerprinted<&mut R> {
    /// Reads to the end, so the fingerprint covers the whole file.
    pub fn drain(&mut self) -> std::io::Result<()> {
        std::io::copy(self, &mut std::io::sink()).map(|_| ())
    }
}
