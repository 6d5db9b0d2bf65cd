//! The implementation trait: [`Oracle`], "answer this case", one [`Answer`] per request — what
//! cedar-testing calls `CedarTestImplementation`. The reference evaluator implements it in
//! process (`iamspec::scenario::ReferenceOracle`), the harness's protocol process, replay and
//! recorder implement it, and so can any evaluator written in Rust, with this crate alone.
//!
//! [`judge_case`] is the one way from a case to verdicts: the oracle answers, [`crate::check`]
//! judges each answer. [`crate::run`] does it for every case file of a directory.

use serde::Serialize;

use crate::answer::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer};
use crate::case::Case;
use crate::check::{check, ComparisonMode, Verdict};
use crate::protocol::{DecisionMode, Implementation};

/// Who an oracle is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OracleInfo {
    /// A short name (`iamspec`, `iam-simulate`...).
    pub name: String,
    /// Its version.
    pub version: String,
    /// How it tells denials apart (an evaluator in `class` mode is judged in `decision-class`).
    pub decision_mode: DecisionMode,
    /// What the evaluator said about itself in `start`, for a protocol evaluator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation: Option<Implementation>,
}

impl OracleInfo {
    /// An oracle that tells denials apart, by name and version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> OracleInfo {
        OracleInfo {
            name: name.into(),
            version: version.into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }
}

/// Something that decides cases: an evaluator under test, or the reference.
pub trait Oracle: Send {
    /// Who it is.
    fn info(&self) -> OracleInfo;

    /// Decides every request of `case`: one answer per request, in order, or one
    /// [`CouldNotAnswer`] for the whole case. Must not panic.
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

/// One answer per request of `case`: a whole-case non-answer stands for each request, and a
/// request the oracle gave no answer for is [`NoAnswer::Errored`].
pub fn answers_per_request(case: &Case, answers: CaseAnswers) -> Vec<Answer> {
    match answers {
        Ok(mut list) => {
            let given = list.len();
            list.truncate(case.requests.len());
            while list.len() < case.requests.len() {
                list.push(Answer::CouldNot(CouldNotAnswer::new(
                    NoAnswer::Errored,
                    format!(
                        "the oracle gave {given} answers for {} requests",
                        case.requests.len()
                    ),
                )));
            }
            list
        }
        Err(c) => case
            .requests
            .iter()
            .map(|_| Answer::CouldNot(c.clone()))
            .collect(),
    }
}

/// Judges already-given answers: one `(answer, verdict)` per request of `case`, in order.
pub fn judge_answers(
    case: &Case,
    answers: CaseAnswers,
    mode: ComparisonMode,
) -> Vec<(Answer, Verdict)> {
    answers_per_request(case, answers)
        .into_iter()
        .zip(&case.requests)
        .map(|(answer, request)| {
            let verdict = check(request, &answer, mode);
            (answer, verdict)
        })
        .collect()
}

/// Case -> oracle -> answers -> checker -> verdicts: one `(answer, verdict)` per request of
/// `case`, in order. `mode` is narrowed to `decision-class` for an oracle in class mode.
pub fn judge_case(
    oracle: &mut dyn Oracle,
    case: &Case,
    mode: ComparisonMode,
) -> Vec<(Answer, Verdict)> {
    let mode = mode.for_evaluator(oracle.info().decision_mode);
    judge_answers(case, oracle.decide(case), mode)
}
