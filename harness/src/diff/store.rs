//! Where a differential run keeps what it finds, on disk.
//!
//! Under the output directory `OUT` (the corpus by default), for an oracle named `NAME`:
//!
//! - `OUT/triage/NAME/<signature>.json`: the shrunk, confirmed disagreements, as corpus case
//!   files (`source.kind = "triage"`); their file stems are the signatures already written;
//! - `OUT/.diff/NAME/raw/<signature>-<seed>-<index>.json`: every disagreement as found (the
//!   signature of the unshrunk case), written before shrinking, so that a killed run loses
//!   nothing it found;
//! - `OUT/.diff/NAME/pending/<signature>.json`: shrunk cases written but not yet confirmed
//!   (a run killed before confirming, or a side that could not answer the re-run): every run
//!   confirms these first, and only a confirmed case moves to `triage/`;
//! - `OUT/.diff/NAME/state.json`: the run's settings and the index reached, for `--resume`;
//! - `OUT/.diff/NAME/summary.json`: the last run's summary.
//!
//! The raw cases and the state live in a dot-folder because the corpus loader skips those:
//! with `OUT = corpus/`, `corpus/raw/` would otherwise be read as conformance cases. The folder
//! holds a `.gitignore` of its own. Every file is written to a temporary name (unique to the
//! process) and renamed.
//!
//! One run at a time per `OUT/.diff/NAME`: [`Store::open`] takes `OUT/.diff/NAME/lock` (holding
//! the process id) and a second run on the same output and oracle is refused with
//! [`StoreError::Locked`] instead of interleaving state and losing findings. The lock goes when
//! the store is dropped; a lock whose process no longer runs (a killed run) is taken over, so
//! `--resume` works after `kill -9`.

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
    /// Another live run holds the lock of this output folder and oracle.
    #[error(
        "{}: another `iamspec diff` (process {pid}) is writing findings for this oracle under this \
         output folder; wait for it to finish (or stop it), then run again (with --resume to continue it)",
        path.display()
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// The process holding it.
        pid: u32,
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
    _lock: std::sync::Arc<RunLock>,
}

/// The lock file of a run; removed when dropped.
#[derive(Debug)]
struct RunLock {
    path: PathBuf,
}

impl RunLock {
    /// Creates `path` holding this process's id; refuses when a live process holds it.
    fn take(path: PathBuf) -> Result<RunLock, StoreError> {
        use std::io::Write;
        for _ in 0..3 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(format!("{}\n", std::process::id()).as_bytes())
                        .map_err(|source| StoreError::Io {
                            path: path.clone(),
                            action: "write",
                            source,
                        })?;
                    return Ok(RunLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if process_is_alive(pid) => {
                            return Err(StoreError::Locked { path, pid })
                        }
                        // A killed run's lock (or one being written this instant): take over.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(source) => {
                    return Err(StoreError::Io {
                        path,
                        action: "create",
                        source,
                    })
                }
            }
        }
        Err(StoreError::Io {
            path,
            action: "create",
            source: std::io::Error::other("the lock file keeps reappearing"),
        })
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// True when process `pid` exists (Linux: `/proc/<pid>`; elsewhere a lock is never stale).
fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

impl Store {
    /// The store for oracle `name` under `out`; creates its folders.
    pub fn open(out: &Path, name: &str) -> Result<Store, StoreError> {
        Store::open_filing_in(out, name, &out.join("triage").join(name))
    }

    /// The store for oracle `name` under `out` whose findings go to `findings` instead of
    /// `OUT/triage/NAME` (AWS: `OUT/regressions`); creates its folders.
    pub fn open_filing_in(out: &Path, name: &str, findings: &Path) -> Result<Store, StoreError> {
        let triage = findings.to_path_buf();
        let work = out.join(".diff").join(name);
        for dir in [&triage, &work.join("raw")] {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.clone(),
                action: "create",
                source,
            })?;
        }
        let lock = RunLock::take(work.join("lock"))?;
        let store = Store {
            triage,
            work,
            _lock: std::sync::Arc::new(lock),
        };
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

    /// `OUT/.diff/NAME/pending`: shrunk cases written but not yet confirmed.
    pub fn pending_dir(&self) -> PathBuf {
        self.work.join("pending")
    }

    /// Writes the shrunk case of `signature` under `pending/` (not yet a triage case).
    pub fn write_pending(&self, signature: &str, case: &Case) -> Result<PathBuf, StoreError> {
        let dir = self.pending_dir();
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: dir.clone(),
            action: "create",
            source,
        })?;
        let path = dir.join(format!("{signature}.json"));
        write_case(&path, case)?;
        Ok(path)
    }

    /// The pending cases, by signature.
    pub fn pending(&self) -> Vec<(String, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(self.pending_dir()) else {
            return Vec::new();
        };
        let mut out: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p.clone())))
            .collect();
        out.sort();
        out
    }

    /// Moves a confirmed pending case to `triage/<signature>.json`; returns its new path.
    pub fn publish(&self, signature: &str, pending: &Path) -> Result<PathBuf, StoreError> {
        let path = self.triage_path(signature);
        std::fs::rename(pending, &path).map_err(|source| StoreError::Io {
            path: path.clone(),
            action: "write",
            source,
        })?;
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
    tmp.push(format!(".{}.tmp", std::process::id()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("iamspec-store-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_second_run_on_one_output_and_oracle_is_refused_clearly() {
        let out = scratch("lock");
        let first = Store::open(&out, "moto").expect("first run");
        let clone = first.clone();
        match Store::open(&out, "moto") {
            Err(e @ StoreError::Locked { .. }) => {
                let message = e.to_string();
                assert!(message.contains("another `iamspec diff`"), "{message}");
                assert!(
                    message.contains(&std::process::id().to_string()),
                    "{message}"
                );
            }
            other => panic!("a second run was let in: {other:?}"),
        }
        // Another oracle under the same output is a different folder.
        assert!(Store::open(&out, "pmapper").is_ok());
        drop(first);
        assert!(
            Store::open(&out, "moto").is_err(),
            "a clone still holds the lock"
        );
        drop(clone);
        assert!(
            Store::open(&out, "moto").is_ok(),
            "the lock goes with the store"
        );
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_killed_run_s_lock_is_taken_over() {
        let out = scratch("stale");
        let lock = out.join(".diff").join("moto").join("lock");
        std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
        // A process id that cannot be running (above Linux's pid_max).
        std::fs::write(&lock, "4294967\n").unwrap();
        let store = Store::open(&out, "moto").expect("stale lock taken over");
        assert_eq!(
            std::fs::read_to_string(&lock).unwrap().trim(),
            std::process::id().to_string()
        );
        drop(store);
        assert!(!lock.exists());
        let _ = std::fs::remove_dir_all(&out);
    }
}
