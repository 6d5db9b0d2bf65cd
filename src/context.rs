//! Typed request context: the condition keys a request carries, with the simulator's twelve
//! `ContextKeyType`s, single- and multi-valued.
//!
//! Keys are looked up case-insensitively (IAM condition key names are not case-sensitive).
//! Values are kept as the strings the request gave; each condition operator reads them as its
//! family says (numbers, dates, IPs, base64...). This module does not evaluate conditions.
//!
//! A value that does not read as its declared type (`0x100` as a `numeric`, `999.1.1.1` as an
//! `ip`) makes the request malformed: AWS's simulator answers such input with `InvalidInput`
//! ("an invalid or out-of-range value was supplied for an input parameter", IAM API reference).
//! Front ends reject it with [`ContextEntry::check`] before deciding; a context built anyway
//! remembers which keys are unreadable ([`ContextView::lookup`]) so that conditions on them
//! fail closed (see [`crate::condition::evaluate_for`]).

use std::collections::HashMap;

pub use iamspec_format::ContextKeyType;

/// One context key with its type and values.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContextEntry {
    /// The key as the request spelled it (e.g. `ec2:ResourceTag/Environment`).
    pub key: String,
    /// The declared type.
    #[serde(rename = "type")]
    pub key_type: ContextKeyType,
    /// The values, as strings. A single-valued type carries exactly one.
    pub values: Vec<String>,
}

/// A context value that does not read as its key's declared type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("context key `{key}` (`{key_type}`): {problem}")]
pub struct ContextValueError {
    /// The key as spelled.
    pub key: String,
    /// Its declared type.
    pub key_type: ContextKeyType,
    /// The 0-based index of the unreadable value among the key's values.
    pub index: usize,
    /// The value and what a value of the type looks like.
    pub problem: iamspec_format::values::ValueError,
}

/// True when `value` reads as a value of `key_type`, as the condition operators of its family
/// read it (any text for `string`; see [`iamspec_format::values`] for the grammars).
pub fn reads(key_type: ContextKeyType, value: &str) -> bool {
    crate::values::reads_as(key_type, value)
}

impl ContextEntry {
    /// Checks that every value reads as the declared type; the error names the key, the type,
    /// the value and its index.
    pub fn check(&self) -> Result<(), ContextValueError> {
        for (index, value) in self.values.iter().enumerate() {
            if !reads(self.key_type, value) {
                let problem = iamspec_format::values::check_value(self.key_type.name(), value)
                    .err()
                    .unwrap_or_else(|| iamspec_format::values::ValueError {
                        value: value.clone(),
                        expected: "a value of its type",
                    });
                return Err(ContextValueError {
                    key: self.key.clone(),
                    key_type: self.key_type,
                    index,
                    problem,
                });
            }
        }
        Ok(())
    }

    /// True when every value reads as the declared type.
    pub fn is_readable(&self) -> bool {
        self.values.iter().all(|v| reads(self.key_type, v))
    }
}

/// Up to how many keys a context is searched one by one rather than through its index.
const SCAN_LIMIT: usize = 8;

/// The set of context keys a request (or one resource of it) carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: Vec<ContextEntry>,
    /// Per entry: does every value read as the declared type?
    readable: Vec<bool>,
    /// Lower-cased key to entry index, once there are more than [`SCAN_LIMIT`] entries (empty
    /// before: a few keys are scanned).
    by_lowercase_key: HashMap<String, usize>,
}

impl RequestContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a key.
    pub fn insert(&mut self, entry: ContextEntry) {
        let readable = entry.is_readable();
        match self.index_of(&entry.key) {
            Some(i) => {
                if let (Some(old), Some(flag)) = (self.entries.get_mut(i), self.readable.get_mut(i))
                {
                    *old = entry;
                    *flag = readable;
                }
            }
            None => {
                self.entries.push(entry);
                self.readable.push(readable);
                // The index is built when the context outgrows a scan, then kept up to date.
                if self.entries.len() > SCAN_LIMIT {
                    if self.by_lowercase_key.is_empty() {
                        self.by_lowercase_key = self
                            .entries
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (e.key.to_ascii_lowercase(), i))
                            .collect();
                    } else if let Some(e) = self.entries.last() {
                        self.by_lowercase_key
                            .insert(e.key.to_ascii_lowercase(), self.entries.len() - 1);
                    }
                }
            }
        }
    }

    /// Adds a key built from its parts; convenient in tests and examples.
    pub fn with(mut self, key: &str, key_type: ContextKeyType, values: &[&str]) -> Self {
        self.insert(ContextEntry {
            key: key.to_string(),
            key_type,
            values: values.iter().map(|v| v.to_string()).collect(),
        });
        self
    }

    /// Looks a key up case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        self.index_of(key).and_then(|i| self.entries.get(i))
    }

    /// Looks a key up case-insensitively, with whether its values read as its type.
    pub fn lookup(&self, key: &str) -> Option<(&ContextEntry, bool)> {
        let i = self.index_of(key)?;
        Some((
            self.entries.get(i)?,
            self.readable.get(i).copied().unwrap_or(false),
        ))
    }

    /// Checks every entry ([`ContextEntry::check`]); the first unreadable value is the error.
    pub fn check(&self) -> Result<(), ContextValueError> {
        self.entries.iter().try_for_each(ContextEntry::check)
    }

    fn index_of(&self, key: &str) -> Option<usize> {
        if self.entries.len() <= SCAN_LIMIT {
            // A few keys: comparing them costs less than hashing one (keys are unique ignoring
            // ASCII case, so the first equal one is the one the map would give).
            return self
                .entries
                .iter()
                .position(|e| e.key.eq_ignore_ascii_case(key));
        }
        let index = if !key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_lowercase_key.get(key)
        } else {
            // Lower-case short keys on the stack: this lookup runs for every condition.
            let mut buffer = [0u8; 128];
            match buffer.get_mut(..key.len()) {
                Some(slot) => {
                    slot.copy_from_slice(key.as_bytes());
                    slot.make_ascii_lowercase();
                    // ASCII lower-casing keeps UTF-8 valid, so the fallback never runs.
                    match std::str::from_utf8(slot) {
                        Ok(lower) => self.by_lowercase_key.get(lower),
                        Err(_) => self.by_lowercase_key.get(&key.to_ascii_lowercase()),
                    }
                }
                None => self.by_lowercase_key.get(&key.to_ascii_lowercase()),
            }
        };
        index.copied()
    }

    /// All entries in insertion order.
    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }

    /// True when no key is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromIterator<ContextEntry> for RequestContext {
    fn from_iter<T: IntoIterator<Item = ContextEntry>>(iter: T) -> Self {
        let mut context = RequestContext::new();
        for entry in iter {
            context.insert(entry);
        }
        context
    }
}

/// The context seen while deciding one resource of a request: the resource's own keys first,
/// then the request's.
#[derive(Debug, Clone, Copy)]
pub struct ContextView<'a> {
    /// Keys that belong to the resource being decided (e.g. `ec2:ResourceTag/...` of an AMI).
    pub resource: Option<&'a RequestContext>,
    /// Keys of the whole request.
    pub request: &'a RequestContext,
}

impl<'a> ContextView<'a> {
    /// A view of the request context alone.
    pub fn request_only(request: &'a RequestContext) -> Self {
        Self {
            resource: None,
            request,
        }
    }

    /// Looks a key up case-insensitively, the resource's keys first.
    pub fn get(&self, key: &str) -> Option<&'a ContextEntry> {
        self.resource
            .and_then(|r| r.get(key))
            .or_else(|| self.request.get(key))
    }

    /// Looks a key up as [`ContextView::get`] does, with whether its values read as its
    /// declared type.
    pub fn lookup(&self, key: &str) -> Option<(&'a ContextEntry, bool)> {
        self.resource
            .and_then(|r| r.lookup(key))
            .or_else(|| self.request.lookup(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_resource_keys_win() {
        let request =
            RequestContext::new().with("aws:PrincipalTag/Team", ContextKeyType::String, &["a"]);
        let resource =
            RequestContext::new().with("aws:principaltag/team", ContextKeyType::String, &["b"]);
        assert_eq!(
            request
                .get("AWS:PRINCIPALTAG/TEAM")
                .map(|e| e.values[0].as_str()),
            Some("a")
        );
        let view = ContextView {
            resource: Some(&resource),
            request: &request,
        };
        assert_eq!(
            view.get("aws:PrincipalTag/team")
                .map(|e| e.values[0].as_str()),
            Some("b")
        );
        assert!(view.get("aws:PrincipalTag/other").is_none());
    }

    #[test]
    fn lookups_and_replacements_agree_below_and_above_the_scan_limit() {
        let mut context = RequestContext::new();
        for i in 0..20 {
            context.insert(ContextEntry {
                key: format!("test:Key{i}"),
                key_type: ContextKeyType::String,
                values: vec![format!("v{i}")],
            });
            // Replacing a key (spelled in another case) keeps one entry per key.
            context.insert(ContextEntry {
                key: format!("TEST:key{i}"),
                key_type: ContextKeyType::String,
                values: vec![format!("w{i}")],
            });
            assert_eq!(context.entries().len(), i + 1);
            for j in 0..=i {
                let entry = context.get(&format!("Test:KEY{j}")).expect("present");
                assert_eq!(entry.values, vec![format!("w{j}")]);
            }
            assert!(context.get("test:Key99").is_none());
        }
    }

    #[test]
    fn type_names_round_trip() {
        for &t in ContextKeyType::ALL {
            assert_eq!(ContextKeyType::from_name(t.name()), Some(t));
        }
        assert_eq!(ContextKeyType::from_name("String"), None);
    }
}
