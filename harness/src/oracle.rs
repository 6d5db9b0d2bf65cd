//! The oracles of the harness: a third-party evaluator program speaking the protocol
//! ([`ProcessOracle`]), a replay of recorded answers ([`ReplayOracle`], written by
//! [`RecordingOracle`]), beside the reference evaluator ([`ReferenceOracle`], in process).
//!
//! The trait they implement ([`Oracle`], "decide this case", answered per request), the answer
//! type ([`Answer`]: decided, rejected, or [`CouldNotAnswer`] with its [`NoAnswer`] reason) and
//! the checker that judges answers live in `iamspec-format`, so that an evaluator outside this
//! project uses the same ones.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use iamspec::scenario::ReferenceOracle;
pub use iamspec_format::answer::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer};
pub use iamspec_format::oracle::{Oracle, OracleInfo};
use iamspec_format::protocol::RunAnswer;
use iamspec_format::Case;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::process::{CaseOutcome, FailureKind, ProcessEvaluator, ProcessOptions, StartError};
use crate::schemas::ProtocolSchemas;

impl From<FailureKind> for NoAnswer {
    fn from(kind: FailureKind) -> Self {
        match kind {
            FailureKind::Timeout => NoAnswer::TimedOut,
            FailureKind::Crash => NoAnswer::Crashed,
            FailureKind::Garbage => NoAnswer::Garbage,
            FailureKind::Unavailable => NoAnswer::Unavailable,
        }
    }
}

/// A third-party evaluator program as an oracle.
#[derive(Debug)]
pub struct ProcessOracle {
    evaluator: Option<ProcessEvaluator>,
    info: OracleInfo,
}

impl ProcessOracle {
    /// Starts `sh -c command` and does the handshake.
    pub fn start(
        command: &str,
        options: ProcessOptions,
        schemas: Option<Arc<ProtocolSchemas>>,
    ) -> Result<ProcessOracle, StartError> {
        let evaluator = ProcessEvaluator::start(command, options, schemas)?;
        let implementation = evaluator.implementation().clone();
        Ok(ProcessOracle {
            info: OracleInfo {
                name: implementation.name.clone(),
                version: implementation.version.clone(),
                decision_mode: implementation.decision_mode(),
                implementation: Some(implementation),
            },
            evaluator: Some(evaluator),
        })
    }

    /// How many times the process was restarted.
    pub fn restarts(&self) -> usize {
        self.evaluator.as_ref().map_or(0, |e| e.restarts())
    }
}

impl Oracle for ProcessOracle {
    fn info(&self) -> OracleInfo {
        self.info.clone()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let Some(evaluator) = self.evaluator.as_mut() else {
            return Err(CouldNotAnswer::new(
                NoAnswer::Unavailable,
                "the evaluator was stopped",
            ));
        };
        match evaluator.run(case) {
            CaseOutcome::Answered(RunAnswer::Results(r)) => {
                Ok(r.results.into_iter().map(Answer::from_protocol).collect())
            }
            CaseOutcome::Answered(RunAnswer::Skipped(s)) => Err(CouldNotAnswer {
                why: NoAnswer::Skipped,
                message: s.message,
                detail: None,
                issue_url: s.issue_url,
            }),
            CaseOutcome::Answered(RunAnswer::Errored(e)) => {
                let context = e.context.unwrap_or_default();
                let detail = [context.traceback, context.stderr]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n");
                Err(CouldNotAnswer {
                    why: NoAnswer::Errored,
                    message: context
                        .message
                        .unwrap_or_else(|| "the evaluator errored (no message)".to_string()),
                    detail: (!detail.is_empty()).then_some(detail),
                    issue_url: None,
                })
            }
            CaseOutcome::Failed(f) => Err(CouldNotAnswer {
                why: f.kind.into(),
                message: f.message,
                detail: (!f.stderr.trim().is_empty()).then_some(f.stderr),
                issue_url: None,
            }),
        }
    }

    fn finish(&mut self) -> Result<(), String> {
        let Some(evaluator) = self.evaluator.take() else {
            return Ok(());
        };
        match evaluator.stop() {
            (Some(status), _) if status.success() => Ok(()),
            (Some(status), stderr) => Err(format!(
                "the evaluator exited with {status} after stop{}",
                tail_note(&stderr)
            )),
            (None, stderr) => Err(format!(
                "the evaluator did not exit after stop and was killed{}",
                tail_note(&stderr)
            )),
        }
    }
}

impl Drop for ProcessOracle {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

fn tail_note(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    if lines.is_empty() {
        String::new()
    } else {
        let from = lines.len().saturating_sub(5);
        format!("; stderr ends:\n{}", lines[from..].join("\n"))
    }
}

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

/// One line of a recording: a case's hash and its answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedLine {
    /// [`case_hash`] of the case.
    pub case: String,
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
}

/// Answers recorded earlier (a JSON-lines file of [`RecordedLine`]s), replayed by case hash.
#[derive(Debug, Clone)]
pub struct ReplayOracle {
    info: OracleInfo,
    answers: HashMap<String, CaseAnswers>,
}

impl ReplayOracle {
    /// Reads a recording. The last line for a hash wins. `info` says who answered.
    pub fn open(path: &Path, info: OracleInfo) -> Result<ReplayOracle, ReplayError> {
        let file = File::open(path).map_err(|source| ReplayError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut answers = HashMap::new();
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

/// Wraps an oracle and appends every answer it gives to a JSON-lines recording that
/// [`ReplayOracle`] reads. Each line is written with one `write` on a file opened for
/// appending, so several recorders (parallel instances) can share one file.
pub struct RecordingOracle<O> {
    inner: O,
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
            .map_err(|source| ReplayError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(RecordingOracle {
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
    use iamspec_format::Decision;

    fn case(policy: &str) -> Case {
        serde_json::from_str(&format!(
            r#"{{"description":"d","source":{{"kind":"seeds","ref":"r"}},"features":[],
                "principal":{{"arn":"arn:aws:iam::111122223333:user/a"}},
                "policies":{{"identity":[{{"id":"P","document":{policy}}}]}},
                "requests":[
                  {{"name":"get","action":"s3:GetObject","resource":{{"arn":"arn:aws:s3:::b/k"}},"expect":{{"decision":"allowed"}}}},
                  {{"name":"put","action":"s3:PutObject","resource":{{"arn":"arn:aws:s3:::b/k"}},"expect":{{"decision":"implicitDeny"}}}}
                ]}}"#
        ))
        .unwrap()
    }

    const ALLOW_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

    #[test]
    fn the_reference_oracle_answers_in_protocol_terms() {
        let answers = ReferenceOracle.decide(&case(ALLOW_GET)).unwrap();
        let Answer::Decided(d) = &answers[0] else {
            panic!("{answers:?}")
        };
        assert_eq!(d.decision, Decision::Allowed);
        assert_eq!(d.matched.as_ref().unwrap()[0].policy, "P");
        assert_eq!(answers[1].decision(), Some(Decision::ImplicitDeny));
        let rejected = ReferenceOracle
            .decide(&case(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#))
            .unwrap();
        assert!(matches!(&rejected[0], Answer::Rejected(r) if r.error == "invalid-effect"));
    }

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
        renamed.requests[0].expect = iamspec_format::Expect::decision(Decision::ExplicitDeny);
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
