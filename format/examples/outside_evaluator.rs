//! An evaluator that is not ours runs the whole corpus with `iamspec-format` alone: the loader
//! reads the case files, the evaluator answers through the [`Oracle`] trait, and the checker
//! judges each answer. Nothing of the reference evaluator is used.
//!
//! The evaluator here is a toy that denies everything (it never reads a policy) and says so
//! with `decision_mode: class`, so it is judged on allowed vs not allowed: it passes exactly the
//! requests the corpus expects to be denied. `format/tests/outside_evaluator.rs` checks that.
//!
//! ```sh
//! cargo run -p iamspec-format --example outside_evaluator [CORPUS_DIR]
//! ```

use std::path::PathBuf;

use iamspec_format::protocol::{DecisionMode, DecisionResult};
use iamspec_format::run::run_dir;
use iamspec_format::{Answer, Case, CaseAnswers, ComparisonMode, Decision, Oracle, OracleInfo};

/// A toy evaluator: every request is implicitly denied.
pub struct DenyEverything;

impl Oracle for DenyEverything {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            decision_mode: DecisionMode::Class,
            ..OracleInfo::new("deny-everything", "0.1.0")
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        Ok(case
            .requests
            .iter()
            .map(|_| Answer::Decided(DecisionResult::new(Decision::ImplicitDeny)))
            .collect())
    }
}

/// The bundled corpus, beside this crate.
pub fn bundled_corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(bundled_corpus);
    let (run, finished) = run_dir(&dir, &mut DenyEverything, ComparisonMode::Decision);
    if let Err(e) = finished {
        eprintln!("warning: {e}");
    }
    for r in run.results.iter().filter(|r| !r.triage) {
        if let Err(e) = &r.verdict {
            eprintln!("{}: {e}", r.name());
        }
    }
    println!("conformance: {}", run.counts().summary());
    println!("triage:      {}", run.triage_counts().summary());
}
