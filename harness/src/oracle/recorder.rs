//! Recording an oracle's answers (`--record`): [`RecordingOracle`] wraps any oracle and appends
//! what it answers to a JSON-lines file that [`crate::oracle::replay::ReplayOracle`] reads back.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use iamspec_format::Case;

use crate::oracle::replay::{case_hash, RecordedImplementation, RecordedLine, ReplayError};
use crate::oracle::{Answer, CaseAnswers, Oracle, OracleInfo};

/// An error when the recording `path` cannot be opened for appending (it is created if
/// needed): a run checks it before starting any evaluator.
pub fn check_writable(path: &Path) -> Result<(), ReplayError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
        .map_err(|source| ReplayError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Wraps an oracle and appends every answer it gives to a JSON-lines recording that
/// [`ReplayOracle`] reads. Each line is written with one `write` on a file opened for
/// appending, so several recorders (parallel instances) can share one file. Each line names
/// the implementation that answered (name, version, decision mode), so that the replay is
/// judged like the live run.
///
/// [`ReplayOracle`]: crate::oracle::replay::ReplayOracle
pub struct RecordingOracle<O> {
    inner: O,
    implementation: RecordedImplementation,
    out: File,
    path: PathBuf,
    failed: Option<String>,
}

impl<O: Oracle> RecordingOracle<O> {
    /// Appends to `path` (created if needed).
    pub fn new(inner: O, path: &Path) -> Result<RecordingOracle<O>, ReplayError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| ReplayError::Write {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(RecordingOracle {
            implementation: RecordedImplementation::of(&inner.info()),
            inner,
            out: file,
            path: path.to_path_buf(),
            failed: None,
        })
    }

    /// The wrapped oracle.
    pub fn into_inner(self) -> O {
        self.inner
    }
}

impl<O: Oracle> Oracle for RecordingOracle<O> {
    fn info(&self) -> OracleInfo {
        self.inner.info()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let answers = self.inner.decide(case);
        let line = RecordedLine {
            case: case_hash(case),
            implementation: Some(self.implementation.clone()),
            answers: answers
                .as_ref()
                .ok()
                .map(|list| list.iter().map(Answer::to_value).collect()),
            could_not_answer: answers.as_ref().err().cloned(),
        };
        match serde_json::to_string(&line) {
            Ok(mut text) => {
                text.push('\n');
                if let Err(e) = self.out.write_all(text.as_bytes()) {
                    self.failed.get_or_insert(e.to_string());
                }
            }
            Err(e) => {
                self.failed.get_or_insert(e.to_string());
            }
        }
        answers
    }

    fn api_calls(&self) -> Option<usize> {
        self.inner.api_calls()
    }

    fn finish(&mut self) -> Result<(), String> {
        let written = match self.failed.take() {
            Some(e) => Err(format!(
                "{}: cannot write the recording: {e}",
                self.path.display()
            )),
            None => Ok(()),
        };
        let inner = self.inner.finish();
        written.and(inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::reference::ReferenceOracle;
    use crate::oracle::replay::ReplayOracle;
    use crate::oracle::test_cases::{case, ALLOW_GET};
    use crate::oracle::NoAnswer;

    #[test]
    fn a_recording_replays_by_case_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec.jsonl");
        let c = case(ALLOW_GET);
        let mut rec = RecordingOracle::new(ReferenceOracle, &path).unwrap();
        let live = rec.decide(&c).unwrap();
        rec.finish().unwrap();
        let mut replay = ReplayOracle::open(&path, ReferenceOracle.info()).unwrap();
        assert_eq!(replay.len(), 1);
        // The description and expectations are not part of the hash.
        let mut renamed = c.clone();
        renamed.description = "other".into();
        renamed.requests[0].expect =
            iamspec_format::Expect::decision(iamspec_format::Decision::ExplicitDeny);
        assert_eq!(replay.decide(&renamed).unwrap(), live);
        let other = case(r#"{"Version":"2012-10-17","Statement":[]}"#);
        assert_eq!(
            replay.decide(&other).unwrap_err().why,
            NoAnswer::NotRecorded
        );
        std::fs::write(&path, "{\"case\":\"x\"}\n").unwrap();
        let err = ReplayOracle::open(&path, ReferenceOracle.info()).unwrap_err();
        assert!(err.to_string().contains("rec.jsonl:1"), "{err}");
    }
}
