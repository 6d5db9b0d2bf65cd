//! Running corpus scenarios (the `iamspec-format` case files) on the reference evaluator, and
//! comparing the answers with the cases' expectations.
//!
//! STUB: the signatures below are the contract the test runner and the CLI code against.

use iamspec_format::Case;

use crate::explain::Response;
use crate::policy::PolicyError;

/// What the reference evaluator answered for one request of a case.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The request was decided.
    Decided(Response),
    /// A policy of the case was rejected (AWS would refuse the document).
    Rejected {
        /// The id of the rejected policy.
        policy: String,
        /// Why.
        error: PolicyError,
    },
}

/// The verdict on one request of a case.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The answer met every expectation the case states.
    Passed,
    /// The answer broke an expectation; each string says which, with expected and actual.
    Failed(Vec<String>),
    /// The evaluator does not decide this kind of request yet (e.g. a policy type it lacks).
    Skipped(String),
    /// The case itself cannot be run (bad context type, bad expectation...).
    Errored(String),
}

/// The outcome of one request of a case.
#[derive(Debug, Clone)]
pub struct RequestOutcome {
    /// The request's name (unique within its case).
    pub name: String,
    /// What the evaluator answered, when it answered.
    pub answer: Option<Answer>,
    /// The verdict against the expectation.
    pub verdict: Verdict,
}

/// Runs every request of a case (policies are parsed once) and checks each answer.
pub fn run_case(case: &Case) -> Vec<RequestOutcome> {
    case.requests
        .iter()
        .map(|r| RequestOutcome {
            name: r.name.clone(),
            answer: None,
            verdict: Verdict::Skipped("not implemented".into()),
        })
        .collect()
}
