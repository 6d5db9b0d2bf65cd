//! Known failures: an evaluator's expected disagreements with the corpus, each with a reason
//! (`harness/adapters/<name>/known-failures.json`).
//!
//! The file is a JSON array of `{"test": "<corpus path>::<request name>", "reason": "..",
//! "link"?: ".."}`, test ids written from the repository root (`corpus/docs/...`). This module
//! reads and checks the list; deciding what a listed result means (still failing, now passing,
//! stale) is [`crate::run::suite`]'s (`attach_known`) and [`crate::run::results`]'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One known failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFailure {
    /// `<corpus path from the repository root>::<request name>`.
    pub test: String,
    /// Why the evaluator disagrees (required, not empty).
    pub reason: String,
    /// An issue or document about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A known-failures file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KnownFailuresError {
    /// The file cannot be read.
    #[error("{}: cannot read the known failures: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a list of known failures.
    #[error("{}: not a list of known failures ([{{\"test\", \"reason\", \"link\"?}}]): {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A list of known failures, by test id.
#[derive(Debug, Clone, Default)]
pub struct KnownFailures {
    /// Where the list was read from.
    pub path: Option<PathBuf>,
    entries: BTreeMap<String, KnownFailure>,
}

impl KnownFailures {
    /// Reads and checks a known-failures file: every entry needs a test id with `::` and a
    /// reason; a test may be listed once.
    pub fn load(path: &Path) -> Result<KnownFailures, KnownFailuresError> {
        let text = std::fs::read_to_string(path).map_err(|source| KnownFailuresError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| KnownFailuresError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let list: Vec<KnownFailure> =
            serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let mut entries = BTreeMap::new();
        for (i, entry) in list.into_iter().enumerate() {
            if !entry.test.contains("::") {
                return Err(invalid(format!(
                    "entry {i}: test `{}` is not `<file>::<request>`",
                    entry.test
                )));
            }
            if entry.reason.trim().is_empty() {
                return Err(invalid(format!(
                    "entry {i} (`{}`) has no reason",
                    entry.test
                )));
            }
            if entries.contains_key(&entry.test) {
                return Err(invalid(format!("`{}` is listed twice", entry.test)));
            }
            entries.insert(entry.test.clone(), entry);
        }
        Ok(KnownFailures {
            path: Some(path.to_path_buf()),
            entries,
        })
    }

    /// The entry for a test id, if listed.
    pub fn get(&self, test: &str) -> Option<&KnownFailure> {
        self.entries.get(test)
    }

    /// Every entry, sorted by test id.
    pub fn entries(&self) -> impl Iterator<Item = &KnownFailure> {
        self.entries.values()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<KnownFailures, KnownFailuresError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known-failures.json");
        std::fs::write(&path, text).unwrap();
        KnownFailures::load(&path)
    }

    #[test]
    fn a_list_is_read_and_checked() {
        let k = load(r#"[{"test":"corpus/a.json::r","reason":"why","link":"https://x"}]"#).unwrap();
        assert_eq!(k.len(), 1);
        assert_eq!(k.get("corpus/a.json::r").unwrap().reason, "why");
        for (text, needle) in [
            (r#"[{"test":"corpus/a.json","reason":"why"}]"#, "is not"),
            (r#"[{"test":"a::r","reason":" "}]"#, "no reason"),
            (
                r#"[{"test":"a::r","reason":"x"},{"test":"a::r","reason":"y"}]"#,
                "twice",
            ),
            (r#"[{"test":"a::r"}]"#, "reason"),
            (r#"{}"#, "known-failures.json"),
        ] {
            let err = load(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
