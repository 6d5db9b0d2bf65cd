//! Answers recorded earlier, replayed by case hash ([`ReplayOracle`]); the recording's line
//! format ([`RecordedLine`]) and the hash ([`case_hash`]). Writing recordings is
//! [`crate::oracle::recorder`]'s job.
//!
//! Every line names the implementation that answered ([`RecordedImplementation`]: name,
//! version, `decision_mode`), so a replay is judged like the live run: an evaluator in `class`
//! mode is compared in `decision-class` and its findings are filed under its own name.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use iamspec_format::protocol::DecisionMode;
use iamspec_format::Case;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer, Oracle, OracleInfo};

/// The content hash of a case: SHA-256 (hex) of what an evaluator decides on — the principal,
/// the policies, and each request's action, resources and context — without the description,
/// source, features, request names and expectations.
pub fn case_hash(case: &Case) -> String {
    let requests: Vec<Value> = case
        .requests
        .iter()
        .map(|r| {
            let resource = |res: &iamspec_format::CaseResource| {
                serde_json::json!({ "arn": res.arn, "owner": res.owner, "context": res.context })
            };
            serde_json::json!({
                "action": r.action,
                "resource": r.resource.as_ref().map(resource),
                "resources": r.resources.as_ref().map(|rs| rs.iter().map(resource).collect::<Vec<_>>()),
                "context": r.context,
            })
        })
        .collect();
    let key = serde_json::json!({
        "principal": case.principal,
        "policies": case.policies,
        "requests": requests,
    });
    let digest = Sha256::digest(key.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Who answered a recorded case: what [`OracleInfo`] says of the live oracle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedImplementation {
    /// Its name (`pmapper`, `iam-simulate`...).
    pub name: String,
    /// Its version.
    pub version: String,
    /// How it tells denials apart.
    pub decision_mode: DecisionMode,
}

impl RecordedImplementation {
    /// What `info` says of the oracle.
    pub fn of(info: &OracleInfo) -> RecordedImplementation {
        RecordedImplementation {
            name: info.name.clone(),
            version: info.version.clone(),
            decision_mode: info.decision_mode,
        }
    }
}

/// One line of a recording: a case's hash and its answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedLine {
    /// [`case_hash`] of the case.
    pub case: String,
    /// Who answered; absent in recordings made before it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<RecordedImplementation>,
    /// One answer per request ([`Answer::to_value`]); absent when the whole case was not
    /// answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<Value>>,
    /// Why the whole case was not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub could_not_answer: Option<CouldNotAnswer>,
}

/// A recording that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The file cannot be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a recorded answer.
    #[error("{}:{line}: not a recorded answer: {message}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Why.
        message: String,
    },
    /// The file cannot be written (`--record`).
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Answers recorded earlier (a JSON-lines file of [`RecordedLine`]s), replayed by case hash.
#[derive(Debug, Clone)]
pub struct ReplayOracle {
    info: OracleInfo,
    answers: HashMap<String, CaseAnswers>,
}

impl ReplayOracle {
    /// Reads a recording. The last line for a hash wins. Who answered is what the lines say
    /// ([`RecordedImplementation`]); `fallback` is used only for a recording whose lines do not
    /// say it (written before they did). Lines naming different implementations (or decision
    /// modes) are an error: their answers cannot be judged as one evaluator's.
    pub fn open(path: &Path, fallback: OracleInfo) -> Result<ReplayOracle, ReplayError> {
        let file = File::open(path).map_err(|source| ReplayError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut answers = HashMap::new();
        let mut recorded_by: Option<(usize, RecordedImplementation)> = None;
        for (i, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|source| ReplayError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let bad = |message: String| ReplayError::Line {
                path: path.to_path_buf(),
                line: i + 1,
                message,
            };
            let recorded: RecordedLine =
                serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
            if let Some(implementation) = recorded.implementation {
                match &mut recorded_by {
                    None => recorded_by = Some((i + 1, implementation)),
                    Some((first, known))
                        if known.name != implementation.name
                            || known.decision_mode != implementation.decision_mode =>
                    {
                        return Err(bad(format!(
                            "answered by {} ({:?} mode), but line {first} by {} ({:?} mode): \
                             record each evaluator in its own file",
                            implementation.name,
                            implementation.decision_mode,
                            known.name,
                            known.decision_mode
                        )));
                    }
                    // A later version of the same evaluator: the latest names the replay.
                    Some((_, known)) => *known = implementation,
                }
            }
            let entry = match (recorded.answers, recorded.could_not_answer) {
                (Some(list), None) => Ok(list
                    .into_iter()
                    .map(Answer::from_value)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad)?),
                (None, Some(c)) => Err(c),
                _ => {
                    return Err(bad(
                        "holds neither or both of `answers` and `could_not_answer`".to_string(),
                    ))
                }
            };
            answers.insert(recorded.case, entry);
        }
        let info = match recorded_by {
            Some((_, implementation)) => OracleInfo {
                name: implementation.name,
                version: implementation.version,
                decision_mode: implementation.decision_mode,
                implementation: None,
            },
            None => fallback,
        };
        Ok(ReplayOracle { info, answers })
    }

    /// How many cases the recording answers.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// True when the recording is empty.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

impl Oracle for ReplayOracle {
    fn info(&self) -> OracleInfo {
        self.info.clone()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let hash = case_hash(case);
        match self.answers.get(&hash) {
            Some(Ok(list)) if list.len() == case.requests.len() => Ok(list.clone()),
            Some(Ok(list)) => Err(CouldNotAnswer::new(
                NoAnswer::NotRecorded,
                format!(
                    "the recording holds {} answers for case {hash}, which has {} requests",
                    list.len(),
                    case.requests.len()
                ),
            )),
            Some(Err(c)) => Err(c.clone()),
            None => Err(CouldNotAnswer::new(
                NoAnswer::NotRecorded,
                format!("no recorded answer for case {hash}"),
            )),
        }
    }
}
