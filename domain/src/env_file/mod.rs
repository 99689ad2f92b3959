//! `.env` files, read the way python-dotenv 1.x reads them (the reference service loads its
//! configuration with `dotenv_values`, so Greenlight must see the same keys and values).
//!
//! What is supported, each rule checked against python-dotenv 1.2.4 (see `tests.rs`):
//! - blank lines and `#` comment lines; an optional `export ` prefix (it must be followed by
//!   whitespace: `exportFOO=1` is the key `exportFOO`);
//! - `KEY=VALUE`, with whitespace allowed around `=`; single-quoted keys (`'A B'=1`);
//! - `KEY` alone: a key *without a value* (python-dotenv's `None`), kept apart from `KEY=` (the
//!   empty string). Both count as missing for the validator ([`EnvFile::value_present`]);
//! - unquoted values end at the line end, lose an inline comment that starts at whitespace
//!   followed by `#` (`a#b` keeps its `#`), and are right-stripped; `KEY= # c` is empty;
//! - single-quoted values unescape only `\\` and `\'`; double-quoted values unescape `\\ \' \"
//!   \a \b \f \n \r \t \v` and keep any other backslash; both may span lines and may be followed
//!   by a `#` comment, nothing else;
//! - `${NAME}` and `${NAME:-default}` expand from earlier keys of the same file only, never the
//!   process environment (Greenlight judges the file). Like python-dotenv (its default
//!   `interpolate=True`), expansion happens in *every* value, single-quoted ones included, and the
//!   default applies only when NAME is absent from the file (an empty or valueless NAME gives "");
//! - duplicate keys: the last value wins, the key keeps the place where it first appeared.
//!
//! Interpolation is done while parsing, so the file remembers which values expanded a secret
//! (`AUTH_HEADER=Bearer ${API_TOKEN}`): [`EnvFile::interpolates_secret`], used by
//! [`EnvFile::display`] to hide them.
//!
//! A statement python-dotenv cannot parse becomes a [`ParseIssue`] and parsing resumes where
//! python-dotenv resumes (the rest of the line), so later lines are not lost.

mod interpolate;
mod parser;

#[cfg(test)]
mod api_tests;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::python::{py_lower, py_strip};
use crate::secret::{MASK, display_value, is_sensitive_key, is_sensitive_value};

/// A statement that could not be parsed. The message never quotes the line: a malformed line
/// may well hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseIssue {
    /// 1-based line on which the statement starts (its first non-blank character).
    pub line: usize,
    pub message: String,
}

/// A parsed env file: keys in order of first appearance, each with its final value.
///
/// There is deliberately no `Serialize`: values are secrets. `Debug` masks them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    entries: Vec<(String, Option<String>)>,
    index: HashMap<String, usize>,
    issues: Vec<ParseIssue>,
    /// Keys whose (final) value expanded a secret: see [`EnvFile::interpolates_secret`].
    from_secret: HashSet<String>,
}

impl EnvFile {
    /// Parses the whole text. Never fails: malformed statements are collected in [`Self::issues`].
    pub fn parse(text: &str) -> EnvFile {
        let mut file = EnvFile::default();
        for statement in parser::statements(text) {
            match statement {
                parser::Statement::Binding { key, value } => {
                    // python-dotenv's `resolve_variables`: each value sees the keys resolved so far.
                    let mut from_secret = false;
                    let value = value.map(|raw| {
                        let (value, names) = interpolate::expand(&raw, |name| file.lookup(name));
                        from_secret = names.iter().any(|name| file.names_secret(name));
                        value
                    });
                    file.insert(key, value, from_secret);
                }
                parser::Statement::Issue(issue) => file.issues.push(issue),
            }
        }
        file
    }

    fn insert(&mut self, key: String, value: Option<String>, from_secret: bool) {
        if from_secret {
            self.from_secret.insert(key.clone());
        } else {
            self.from_secret.remove(&key);
        }
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }

    /// True when expanding `${name}` brings in a secret, as the file stands so far: the name is
    /// display-sensitive ([`is_sensitive_key`], whether or not the file sets it: a `:-default`
    /// next to a secret's name is one too), or its value looks like a secret or itself
    /// interpolated one.
    fn names_secret(&self, name: &str) -> bool {
        is_sensitive_key(name)
            || self.from_secret.contains(name)
            || self.get(name).is_some_and(is_sensitive_value)
    }

    /// `Some(None)` for a key without a value, `None` for an absent key.
    fn lookup(&self, key: &str) -> Option<Option<&str>> {
        self.index.get(key).map(|&i| self.entries[i].1.as_deref())
    }

    /// Every key with its value (`None` for a bare `KEY` line), in order of first appearance.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }

    /// Every key, in order of first appearance.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// The value of `key`; `None` when the key is absent or has no value (`KEY` alone).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lookup(key).flatten()
    }

    /// True when the file mentions `key`, even without a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// True when `key` has a non-empty value: the reference validator's "present" (fixtures
    /// README: "a key whose value is empty counts as missing"). No trimming: a quoted `" "` is
    /// a value.
    pub fn value_present(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !v.is_empty())
    }

    /// The reference's flag rule: true when the value, stripped and lower-cased (Python's
    /// `strip()` and `lower()`), is `1`, `true`, `yes` or `on`. Absent or valueless is false.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| matches!(py_lower(py_strip(v)).as_str(), "1" | "true" | "yes" | "on"))
    }

    /// How many distinct keys the file holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when the value of `key` expanded a `${NAME}` (or `${NAME:-default}`) that brings in
    /// a secret: NAME is display-sensitive ([`is_sensitive_key`]), or its value looks like a
    /// secret ([`is_sensitive_value`]) or itself interpolated one (so the rule is transitive). Such
    /// a value is a secret whatever its own key is called: `AUTH_HEADER=Bearer ${API_TOKEN}`,
    /// `X=prefix-${DB_PWD}`.
    pub fn interpolates_secret(&self, key: &str) -> bool {
        self.from_secret.contains(key)
    }

    /// The value of `key` as it may be shown: [`MASK`] when it interpolated a secret
    /// ([`Self::interpolates_secret`]), otherwise [`display_value`]. `None` as for [`Self::get`].
    pub fn display(&self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        Some(if self.interpolates_secret(key) && !value.is_empty() {
            MASK.to_string()
        } else {
            display_value(key, value)
        })
    }

    /// The statements that could not be parsed, in file order.
    pub fn issues(&self) -> &[ParseIssue] {
        &self.issues
    }
}

/// Values are shown as [`EnvFile::display`] shows them, so `{:?}` in a log line cannot leak
/// a secret.
impl fmt::Debug for EnvFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Masked<'a>(&'a EnvFile);
        impl fmt::Debug for Masked<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(self.0.keys().map(|k| (k, self.0.display(k))))
                    .finish()
            }
        }
        f.debug_struct("EnvFile")
            .field("entries", &Masked(self))
            .field("issues", &self.issues)
            .finish()
    }
}
