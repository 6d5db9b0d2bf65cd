//! The [`Oracle`] trait: "decide this case", answered per request, by whoever can: the
//! reference evaluator ([`ReferenceOracle`]), a third-party evaluator program speaking the
//! protocol ([`ProcessOracle`]), or a replay of recorded answers ([`ReplayOracle`], written by
//! [`RecordingOracle`]).
//!
//! An answer is a decision, a rejection of a policy, or [`CouldNotAnswer`]: skipped,
//! unsupported, errored, crashed, timed out, garbage, unavailable, not recorded. "The other side
//! could not answer" is a value of its own and is never a disagreement; comparing answers is
//! [`crate::compare`]'s job.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iamspec::explain::{MatchedStatement, Response};
use iamspec::scenario::{run_case, Answer as ScenarioAnswer, Verdict};
use iamspec_format::protocol::{
    Decision, DecisionMode, DecisionResult, Implementation, Position, Rejection, RequestAnswer,
    RunAnswer, Statement,
};
use iamspec_format::Case;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::process::{CaseOutcome, FailureKind, ProcessEvaluator, ProcessOptions, StartError};
use crate::schemas::ProtocolSchemas;

/// Why an oracle gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoAnswer {
    /// The evaluator said it cannot express the case or request (a protocol skip).
    Skipped,
    /// The reference evaluator does not decide this kind of request yet.
    Unsupported,
    /// The evaluator failed on the case and said so (or the case itself could not be run).
    Errored,
    /// The evaluator process died without answering.
    Crashed,
    /// No answer within the per-case timeout.
    TimedOut,
    /// The evaluator answered something that is not a valid answer.
    Garbage,
    /// The evaluator could not be (re)started.
    Unavailable,
    /// A replay holds no answer for this case.
    NotRecorded,
}

impl NoAnswer {
    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            NoAnswer::Skipped => "skipped",
            NoAnswer::Unsupported => "unsupported",
            NoAnswer::Errored => "errored",
            NoAnswer::Crashed => "crashed",
            NoAnswer::TimedOut => "timed-out",
            NoAnswer::Garbage => "garbage",
            NoAnswer::Unavailable => "unavailable",
            NoAnswer::NotRecorded => "not-recorded",
        }
    }
}

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

/// An oracle's "could not answer", with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouldNotAnswer {
    /// The kind of non-answer.
    pub why: NoAnswer,
    /// The oracle's message (the skip reason, the error, the exit status...).
    pub message: String,
    /// More detail: the evaluator's stderr tail or traceback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// An issue about it, when the evaluator gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_url: Option<String>,
}

impl CouldNotAnswer {
    /// A non-answer without detail.
    pub fn new(why: NoAnswer, message: impl Into<String>) -> CouldNotAnswer {
        CouldNotAnswer {
            why,
            message: message.into(),
            detail: None,
            issue_url: None,
        }
    }
}

impl std::fmt::Display for CouldNotAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.why.name(), self.message)
    }
}

/// An oracle's answer for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The request was decided (matched statements and missing context when the oracle tells).
    Decided(DecisionResult),
    /// A policy of the case was rejected.
    Rejected(Rejection),
    /// No answer for this request.
    CouldNot(CouldNotAnswer),
}

impl Answer {
    /// The decision, when decided.
    pub fn decision(&self) -> Option<Decision> {
        match self {
            Answer::Decided(d) => Some(d.decision),
            _ => None,
        }
    }

    /// The answer as JSON: a protocol result (decision or `error`), or
    /// `{"could_not_answer": {...}}`.
    pub fn to_value(&self) -> Value {
        let value = match self {
            Answer::Decided(d) => serde_json::to_value(d),
            Answer::Rejected(r) => serde_json::to_value(r),
            Answer::CouldNot(c) => {
                serde_json::to_value(c).map(|c| serde_json::json!({ "could_not_answer": c }))
            }
        };
        value.unwrap_or_else(|e| serde_json::json!({ "unserialisable": e.to_string() }))
    }

    /// Reads an answer written by [`Answer::to_value`].
    pub fn from_value(value: Value) -> Result<Answer, String> {
        if let Some(c) = value.get("could_not_answer") {
            return serde_json::from_value(c.clone())
                .map(Answer::CouldNot)
                .map_err(|e| format!("could_not_answer: {e}"));
        }
        match RequestAnswer::from_value(value)? {
            RequestAnswer::Decision(d) => Ok(Answer::Decided(d)),
            RequestAnswer::Error(r) => Ok(Answer::Rejected(r)),
            RequestAnswer::Skipped(s) => Ok(Answer::CouldNot(CouldNotAnswer {
                why: NoAnswer::Skipped,
                message: s.message,
                detail: None,
                issue_url: s.issue_url,
            })),
        }
    }

    /// The answer for one protocol result.
    pub fn from_protocol(result: RequestAnswer) -> Answer {
        match result {
            RequestAnswer::Decision(d) => Answer::Decided(d),
            RequestAnswer::Error(r) => Answer::Rejected(r),
            RequestAnswer::Skipped(s) => Answer::CouldNot(CouldNotAnswer {
                why: NoAnswer::Skipped,
                message: s.message,
                detail: None,
                issue_url: s.issue_url,
            }),
        }
    }
}

/// An oracle's answers for one case: one [`Answer`] per request in order, or one
/// [`CouldNotAnswer`] for the whole case.
pub type CaseAnswers = Result<Vec<Answer>, CouldNotAnswer>;

/// Who an oracle is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OracleInfo {
    /// A short name (`iamspec`, `iam-simulate`...).
    pub name: String,
    /// Its version.
    pub version: String,
    /// How it tells denials apart.
    pub decision_mode: DecisionMode,
    /// What the evaluator said about itself in `start`, for a protocol evaluator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation: Option<Implementation>,
}

/// Something that decides cases.
pub trait Oracle: Send {
    /// Who it is.
    fn info(&self) -> OracleInfo;

    /// Decides every request of `case`. Must not panic, and must return one answer per request
    /// when it returns `Ok`.
    fn decide(&mut self, case: &Case) -> CaseAnswers;

    /// Ends the oracle's work (stops a process, flushes a recording). The default does nothing.
    fn finish(&mut self) -> Result<(), String> {
        Ok(())
    }
}

impl<O: Oracle + ?Sized> Oracle for Box<O> {
    fn info(&self) -> OracleInfo {
        (**self).info()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        (**self).decide(case)
    }

    fn finish(&mut self) -> Result<(), String> {
        (**self).finish()
    }
}

/// The reference evaluator as an oracle.
#[derive(Debug, Clone, Default)]
pub struct ReferenceOracle;

impl Oracle for ReferenceOracle {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "iamspec".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let outcomes = run_catching_panics(case).map_err(|panic| {
            CouldNotAnswer::new(
                NoAnswer::Crashed,
                format!("the reference evaluator panicked: {panic}"),
            )
        })?;
        Ok(case
            .requests
            .iter()
            .enumerate()
            .map(|(i, request)| {
                let outcome = outcomes
                    .iter()
                    .find(|o| o.name == request.name)
                    .or_else(|| outcomes.get(i));
                match outcome {
                    None => Answer::CouldNot(CouldNotAnswer::new(
                        NoAnswer::Errored,
                        "the scenario runner gave no outcome for this request",
                    )),
                    Some(o) => match (&o.answer, &o.verdict) {
                        (Some(answer), _) => reference_answer(answer, request.resources.is_some()),
                        (None, Verdict::Skipped(why)) => {
                            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Unsupported, why))
                        }
                        (None, Verdict::Errored(why)) => {
                            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::Errored, why))
                        }
                        (None, other) => Answer::CouldNot(CouldNotAnswer::new(
                            NoAnswer::Errored,
                            format!("no answer ({other})"),
                        )),
                    },
                }
            })
            .collect())
    }
}

/// Runs a case on the reference evaluator, turning a panic into its message.
pub fn run_catching_panics(case: &Case) -> Result<Vec<iamspec::scenario::RequestOutcome>, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_case(case)));
    panic::set_hook(previous);
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string())
    })
}

fn statement(m: &MatchedStatement) -> Statement {
    Statement {
        policy: m.policy.clone(),
        statement: m.statement,
        sid: m.sid.clone(),
        start: Some(Position {
            line: m.start.line,
            column: m.start.column,
        }),
        end: Some(Position {
            line: m.end.line,
            column: m.end.column,
        }),
    }
}

fn decision(d: iamspec::explain::Decision) -> Decision {
    match d {
        iamspec::explain::Decision::Allowed => Decision::Allowed,
        iamspec::explain::Decision::ExplicitDeny => Decision::ExplicitDeny,
        iamspec::explain::Decision::ImplicitDeny => Decision::ImplicitDeny,
    }
}

/// The reference evaluator's answer in protocol terms; per-resource results only for a request
/// with a `resources` list.
pub fn reference_answer(answer: &ScenarioAnswer, several_resources: bool) -> Answer {
    match answer {
        ScenarioAnswer::Decided(response) => Answer::Decided(decided(response, several_resources)),
        ScenarioAnswer::Rejected { policy, error } => Answer::Rejected(Rejection {
            error: error.kind.name().to_string(),
            message: Some(format!("policy `{policy}`: {}", error.message)),
            error_position: Some(Position {
                line: error.position.line,
                column: error.position.column,
            }),
        }),
    }
}

fn decided(response: &Response, several_resources: bool) -> DecisionResult {
    DecisionResult {
        decision: decision(response.decision),
        matched: Some(response.matched.iter().map(statement).collect()),
        missing_context: Some(response.missing_context.clone()),
        resources: several_resources.then(|| {
            response
                .resources
                .iter()
                .map(|r| {
                    RequestAnswer::Decision(DecisionResult {
                        decision: decision(r.decision),
                        matched: Some(r.matched.iter().map(statement).collect()),
                        missing_context: Some(r.missing_context.clone()),
                        resources: None,
                        message: None,
                    })
                })
                .collect()
        }),
        message: None,
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
        renamed.requests[0].expect.decision = Some("explicitDeny".into());
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

    #[test]
    fn answers_round_trip_through_json() {
        for a in [
            Answer::Decided(DecisionResult::new(Decision::ExplicitDeny)),
            Answer::Rejected(Rejection {
                error: "invalid-effect".into(),
                message: None,
                error_position: None,
            }),
            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::TimedOut, "slow")),
        ] {
            assert_eq!(Answer::from_value(a.to_value()).unwrap(), a);
        }
    }
}
