//! The [`Oracle`] trait: "decide this case", answered per request, by whoever can: the
//! reference evaluator ([`reference::ReferenceOracle`]), a third-party evaluator program speaking the
//! protocol ([`process::ProcessOracle`]), or a replay of recorded answers ([`replay::ReplayOracle`], written by
//! [`recorder::RecordingOracle`]).
//!
//! An answer is a decision, a rejection of a policy, or [`CouldNotAnswer`]: skipped,
//! unsupported, errored, crashed, timed out, garbage, unavailable, not recorded. "The other side
//! could not answer" is a value of its own and is never a disagreement; comparing answers is
//! [`crate::run::compare`]'s job.
//!
//! - `reference`: the reference evaluator, in process;
//! - `process`: a program speaking the protocol (the client, its JSON Schemas);
//! - `replay`, `recorder`: answers recorded with `--record`, read back by case hash;
//! - `adapters`: the bundled adapters, found by name;
//! - `spec`: the `--oracle` value (`adapter:NAME`, `command:CMD`, `replay:FILE`).

pub mod adapters;
#[cfg(feature = "aws")]
pub mod aws;
pub mod process;
pub mod recorder;
pub mod reference;
pub mod replay;
pub mod spec;

use iamspec_format::protocol::{
    Decision, DecisionMode, DecisionResult, Implementation, Rejection, RequestAnswer,
};
use iamspec_format::Case;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::oracle::process::client::FailureKind;

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

    /// For an oracle that pays per API call (AWS): the calls made so far. `None` for the
    /// others, whose cost is the number of `decide` calls.
    fn api_calls(&self) -> Option<usize> {
        None
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

    fn api_calls(&self) -> Option<usize> {
        (**self).api_calls()
    }
}

/// Cases the oracles' tests share.
#[cfg(test)]
pub(crate) mod test_cases {
    use iamspec_format::Case;

    /// A case with one identity policy and two requests (GetObject expected allowed, PutObject
    /// expected implicitly denied).
    pub(crate) fn case(policy: &str) -> Case {
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

    /// An identity policy allowing `s3:GetObject` on everything.
    pub(crate) const ALLOW_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
}

#[cfg(test)]
mod tests {
    use super::*;

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
