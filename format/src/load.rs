//! Loading case files from disk.
//!
//! STUB: the signatures below are the contract the test runner and the CLI code against.

use std::path::{Path, PathBuf};

use crate::Case;

/// A case file read from disk.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The file's path as given/found.
    pub path: PathBuf,
    /// The file's path relative to the directory it was found under, with `/` separators (the
    /// test-name prefix, e.g. `seeds/ec2/tagged-ami.json`).
    pub name: String,
    /// The parsed case.
    pub case: Case,
}

/// Why a case file could not be loaded: always names the file, and the position when known.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid case (JSON syntax, unknown field, wrong type, broken rule).
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when the problem is not at one place).
        line: usize,
        /// 1-based column (0 when the problem is not at one place).
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Loads one case file.
pub fn load_case_file(path: &Path) -> Result<LoadedCase, LoadError> {
    Err(LoadError::Invalid {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: "not implemented".into(),
    })
}

/// Finds every `*.json` case file under `dir` (recursively, sorted, skipping `schema/` and
/// non-case files such as `features.json` and `error-kinds.json`) and loads each.
pub fn load_dir(dir: &Path) -> Vec<Result<LoadedCase, LoadError>> {
    let _ = dir;
    Vec::new()
}
