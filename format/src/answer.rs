//! What an evaluator answered for one request: [`Answer`] — decided, rejected (a policy of the
//! case), or could not answer ([`CouldNotAnswer`], with its [`NoAnswer`] reason).
//!
//! Every evaluator's answer takes this one shape, the reference evaluator's (in process) as
//! much as a protocol process's or a recording's: the checker ([`crate::check`]) judges it
//! against the case's expectation. "Could not answer" is a value of its own, never a wrong
//! answer: it becomes an outcome of its own (skipped, errored, crashed, timed out).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::outcome::Outcome;
use crate::protocol::{DecisionResult, Rejection, RequestAnswer};
use crate::terms::Decision;

/// Why an evaluator gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoAnswer {
    /// The evaluator said it cannot express the case or request (a protocol skip).
    Skipped,
    /// The reference evaluator does not decide this kind of request yet.
    Unsupported,
    /// The evaluator failed on the case and said so (or the case itself could not be run).
    Errored,
    /// The evaluator died (a process that exited, a panic) without answering.
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
    /// Every reason.
    pub const ALL: &'static [NoAnswer] = &[
        NoAnswer::Skipped,
        NoAnswer::Unsupported,
        NoAnswer::Errored,
        NoAnswer::Crashed,
        NoAnswer::TimedOut,
        NoAnswer::Garbage,
        NoAnswer::Unavailable,
        NoAnswer::NotRecorded,
    ];

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

    /// The outcome a request gets when its evaluator could not answer for this reason: a skip
    /// (skipped, unsupported, not recorded), an error (errored, garbage, unavailable), a crash
    /// or a timeout.
    pub fn outcome(self) -> Outcome {
        match self {
            NoAnswer::Skipped | NoAnswer::Unsupported | NoAnswer::NotRecorded => Outcome::Skipped,
            NoAnswer::Errored | NoAnswer::Garbage | NoAnswer::Unavailable => Outcome::Errored,
            NoAnswer::Crashed => Outcome::Crashed,
            NoAnswer::TimedOut => Outcome::TimedOut,
        }
    }
}

/// An evaluator's "could not answer", with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouldNotAnswer {
    /// The kind of non-answer.
    pub why: NoAnswer,
    /// The evaluator's message (the skip reason, the error, the exit status...).
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

/// An evaluator's answer for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The request was decided (matched statements, missing context and per-resource results
    /// when the evaluator tells).
    Decided(DecisionResult),
    /// A policy of the case was rejected.
    Rejected(Rejection),
    /// No answer for this request.
    CouldNot(CouldNotAnswer),
}

/// An evaluator's answers for one case: one [`Answer`] per request in order, or one
/// [`CouldNotAnswer`] for the whole case.
pub type CaseAnswers = Result<Vec<Answer>, CouldNotAnswer>;

impl Answer {
    /// The decision, when decided.
    pub fn decision(&self) -> Option<Decision> {
        match self {
            Answer::Decided(d) => Some(d.decision),
            _ => None,
        }
    }

    /// A short label: the decision, ``error `kind` ``, or the reason there is none.
    pub fn label(&self) -> String {
        match self {
            Answer::Decided(d) => d.decision.name().to_string(),
            Answer::Rejected(r) => format!("error `{}`", r.error),
            Answer::CouldNot(c) => c.why.name().to_string(),
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
        RequestAnswer::from_value(value).map(Answer::from_protocol)
    }

    /// The answer for one protocol result (a protocol skip is a [`NoAnswer::Skipped`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_json() {
        for a in [
            Answer::Decided(DecisionResult::new(Decision::ExplicitDeny)),
            Answer::Rejected(Rejection {
                error: "invalid-effect".into(),
                policy: Some("P".into()),
                message: None,
                error_position: None,
            }),
            Answer::CouldNot(CouldNotAnswer::new(NoAnswer::TimedOut, "slow")),
        ] {
            assert_eq!(Answer::from_value(a.to_value()).unwrap(), a);
        }
    }

    #[test]
    fn every_reason_has_an_outcome() {
        let outcomes: Vec<Outcome> = NoAnswer::ALL.iter().map(|r| r.outcome()).collect();
        assert!(!outcomes.contains(&Outcome::Passed));
        assert!(!outcomes.contains(&Outcome::Failed));
        assert_eq!(NoAnswer::TimedOut.outcome(), Outcome::TimedOut);
        assert_eq!(NoAnswer::Unsupported.outcome(), Outcome::Skipped);
    }
}
