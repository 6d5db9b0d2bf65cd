//! Where a differential run keeps what it finds, on disk.
//!
//! Under the output directory `OUT` (the corpus by default), for an oracle named `NAME`:
//!
//! - `OUT/triage/NAME/<signature>.json`: the shrunk, confirmed disagreements, as corpus case
//!   files (`source.kind = "triage"`); their file stems are the signatures already written;
//! - `OUT/.diff/NAME/raw/<signature>-<seed>-<index>.json`: every disagreement as found (the
//!   signature of the unshrunk case), written before shrinking, so that a killed run loses
//!   nothing it found;
//! - `OUT/.diff/NAME/state.json`: the run's settings and the index reached, for `--resume`;
//! - `OUT/.diff/NAME/summary.json`: the last run's summary.
//!
//! The raw cases and the state live in a dot-folder because the corpus loader skips those:
//! with `OUT = corpus/`, `corpus/raw/` would otherwise be read as conformance cases. The folder
//! holds a `.gitignore` of its own. Every file is written to a temporary name and renamed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iamspec_format::Case;
use serde::{de::DeserializeOwned, Serialize};

/// A file the store could not read or write.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// `read`, `write`, `create`, `list`...
        action: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not what the store wrote.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The folders of one oracle's findings.
#[derive(Debug, Clone)]
pub struct Store {
    triage: PathBuf,
    work: PathBuf,
}

impl Store {
    /// The store for oracle `name` under `out`; creates its folders.
    pub fn open(out: &Path, name: &str) -> Result<Store, StoreError> {
        Store::open_filing_in(out, name, &out.join("triage").join(name))
    }

    /// The store for oracle `name` under `out` whose findings go to `findings` instead of
    /// `OUT/triage/NAME` (AWS: `OUT/regressions`); creates its folders.
    pub fn open_filing_in(out: &Path, name: &str, findings: &Path) -> Result<Store, StoreError> {
        let store = Store {
            triage: findings.to_path_buf(),
            work: out.join(".diff").join(name),
        };
        for dir in [&store.triage, &store.raw_dir()] {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                action: "create",
                source,
            })?;
        }
        let ignore = out.join(".diff").join(".gitignore");
        if !ignore.exists() {
            write_atomically(&ignore, "# iamspec diff: raw cases and run state\n*\n")?;
        }
        Ok(store)
    }

    /// `OUT/triage/NAME`.
    pub fn triage_dir(&self) -> &Path {
        &self.triage
    }

    /// `OUT/.diff/NAME/raw`.
    pub fn raw_dir(&self) -> PathBuf {
        self.work.join("raw")
    }

    /// `OUT/.diff/NAME/state.json`.
    pub fn state_path(&self) -> PathBuf {
        self.work.join("state.json")
    }

    /// `OUT/.diff/NAME/summary.json`.
    pub fn summary_path(&self) -> PathBuf {
        self.work.join("summary.json")
    }

    /// The signatures already written under `OUT/triage/NAME`.
    pub fn known_signatures(&self) -> Result<BTreeSet<String>, StoreError> {
        let entries = std::fs::read_dir(&self.triage).map_err(|source| StoreError::Io {
            path: self.triage.clone(),
            action: "list",
            source,
        })?;
        Ok(entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect())
    }

    /// The path of the triage case of `signature`.
    pub fn triage_path(&self, signature: &str) -> PathBuf {
        self.triage.join(format!("{signature}.json"))
    }

    /// Writes a raw case as `raw/<name>.json`; returns its path. An existing file of that name
    /// is left alone.
    pub fn write_raw(&self, name: &str, case: &Case) -> Result<PathBuf, StoreError> {
        let path = self.raw_dir().join(format!("{name}.json"));
        if !path.exists() {
            write_case(&path, case)?;
        }
        Ok(path)
    }

    /// Writes the triage case of `signature`; returns its path.
    pub fn write_triage(&self, signature: &str, case: &Case) -> Result<PathBuf, StoreError> {
        let path = self.triage_path(signature);
        write_case(&path, case)?;
        Ok(path)
    }

    /// Removes a triage case that did not reproduce.
    pub fn remove(&self, path: &Path) -> Result<(), StoreError> {
        std::fs::remove_file(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            action: "remove",
            source,
        })
    }

    /// Writes a JSON document (the state, the summary).
    pub fn write_json<T: Serialize>(&self, path: &Path, value: &T) -> Result<(), StoreError> {
        let text = serde_json::to_string_pretty(value).map_err(|e| StoreError::Format {
            path: path.to_path_buf(),
            message: format!("cannot serialise: {e}"),
        })?;
        write_atomically(path, &(text + "\n"))
    }

    /// Reads a JSON document, `None` when the file does not exist.
    pub fn read_json<T: DeserializeOwned>(&self, path: &Path) -> Result<Option<T>, StoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    action: "read",
                    source,
                })
            }
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Format {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
    }
}

fn write_case(path: &Path, case: &Case) -> Result<(), StoreError> {
    let text = iamspec_generators::serialise::case_json(case).map_err(|e| StoreError::Format {
        path: path.to_path_buf(),
        message: format!("cannot serialise the case: {e}"),
    })?;
    write_atomically(path, &text)
}

/// Writes `text` to a temporary file beside `path`, then renames it.
fn write_atomically(path: &Path, text: &str) -> Result<(), StoreError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|source| StoreError::Io {
        path: tmp.clone(),
        action: "write",
        source,
    })?;
    std::fs::rename(&tmp, path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        action: "write",
        source,
    })
}
