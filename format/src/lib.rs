//! # iamspec-format — the corpus case format, and how to check an evaluator against it
//!
//! Everything an evaluator needs to run the corpus, without the reference evaluator (the
//! lesson of toml-test-rs, whose verifier ships with the format):
//!
//! - [`terms`]: the shared vocabulary, defined once and re-used by the evaluator and the
//!   protocol — [`Decision`], [`Position`], [`MatchedStatement`], [`ContextKeyType`],
//!   [`PrincipalType`], [`PolicyType`], [`Effect`], [`ErrorKind`];
//! - [`case`] and [`expect`]: the types of a case file, with the typed [`Expect`];
//! - [`load`]: reading and checking case files; [`features`] and [`error_kinds`]: the two
//!   vocabulary files (`corpus/features.json`, `corpus/error-kinds.json`);
//! - [`answer`]: what an evaluator answered ([`Answer`]: decided, rejected, could not answer);
//! - [`oracle`]: the implementation trait ([`Oracle`], "answer this case");
//! - [`check`]: the one checker ([`check()`], [`ComparisonMode`], [`Verdict`]) and
//!   [`outcome`]: the one outcome vocabulary ([`Outcome`], [`Counts`]);
//! - [`run`]: every case file of a directory through an oracle and the checker;
//! - [`protocol`]: the messages of the evaluator protocol, for evaluators in other languages.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answer;
pub mod case;
pub mod check;
pub mod date;
pub mod error_kinds;
pub mod expect;
pub mod features;
pub mod load;
pub mod locate;
pub mod oracle;
pub mod outcome;
pub mod protocol;
pub mod run;
pub mod terms;
pub mod values;
mod vocabulary;

pub use case::*;

pub use answer::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer};
pub use check::{check, ComparisonMode, Verdict};
pub use error_kinds::ErrorKinds;
pub use expect::{Expect, ExpectFields, ExpectShapeError, ExpectedDecision, ExpectedError};
pub use features::Features;
pub use load::{
    find_case_files, load_case_file, load_case_str, load_dir, validate, CaseFile, LoadError,
    LoadedCase, Violation,
};
pub use oracle::{judge_answers, judge_case, Oracle, OracleInfo};
pub use outcome::{Counts, Outcome};
pub use terms::{
    ContextKeyType, Decision, Effect, ErrorKind, MatchedStatement, PolicyType, Position,
    PrincipalType,
};
