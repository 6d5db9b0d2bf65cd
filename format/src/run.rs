//! Running every case file of a directory through an [`Oracle`] and counting the outcomes —
//! what an evaluator outside this project needs to run the whole corpus with this crate alone
//! (see `examples/outside_evaluator.rs`). The `iamspec` harness does the same with parallel
//! instances, known failures and reports.

use std::path::Path;

use crate::answer::Answer;
use crate::check::{ComparisonMode, Verdict};
use crate::load::{is_triage_name, load_dir};
use crate::oracle::{judge_case, Oracle};
use crate::outcome::{Counts, Outcome};

/// How one request (or one case file that did not load) went.
#[derive(Debug, Clone)]
pub struct RequestRun {
    /// The case file's name relative to the directory (`docs/actions/action-list.json`).
    pub file: String,
    /// The request's name; `None` for a file that did not load.
    pub request: Option<String>,
    /// True for triage cases: never counted as conformance.
    pub triage: bool,
    /// The case's feature tags.
    pub features: Vec<String>,
    /// What the oracle answered (`None` for a file that did not load).
    pub answer: Option<Answer>,
    /// The checker's verdict, or the load error for a file that did not load.
    pub verdict: Result<Verdict, String>,
}

impl RequestRun {
    /// The outcome: the verdict's, or errored for a file that did not load.
    pub fn outcome(&self) -> Outcome {
        match &self.verdict {
            Ok(v) => v.outcome(),
            Err(_) => Outcome::Errored,
        }
    }

    /// The test name: `<file>::<request>`, or `<file>`.
    pub fn name(&self) -> String {
        match &self.request {
            Some(r) => format!("{}::{r}", self.file),
            None => self.file.clone(),
        }
    }
}

/// Every result of a directory run, in file order.
#[derive(Debug, Clone, Default)]
pub struct DirRun {
    /// One entry per request (and per file that did not load).
    pub results: Vec<RequestRun>,
}

impl DirRun {
    /// Counts of the conformance results (triage left out).
    pub fn counts(&self) -> Counts {
        self.count(false)
    }

    /// Counts of the triage results.
    pub fn triage_counts(&self) -> Counts {
        self.count(true)
    }

    fn count(&self, triage: bool) -> Counts {
        let mut counts = Counts::default();
        for r in self.results.iter().filter(|r| r.triage == triage) {
            counts.add(r.outcome());
        }
        counts
    }
}

/// Loads every case file under `dir` and judges `oracle`'s answers under `mode`, one case at a
/// time; then calls [`Oracle::finish`] (whose error, if any, is returned beside the run).
pub fn run_dir(
    dir: &Path,
    oracle: &mut dyn Oracle,
    mode: ComparisonMode,
) -> (DirRun, Result<(), String>) {
    let mut run = DirRun::default();
    for loaded in load_dir(dir) {
        match loaded {
            Ok(loaded) => {
                let triage = loaded.is_triage();
                let judged = judge_case(oracle, &loaded.case, mode);
                for ((answer, verdict), request) in judged.into_iter().zip(&loaded.case.requests) {
                    run.results.push(RequestRun {
                        file: loaded.name.clone(),
                        request: Some(request.name.clone()),
                        triage,
                        features: loaded.case.features.clone(),
                        answer: Some(answer),
                        verdict: Ok(verdict),
                    });
                }
            }
            Err(error) => {
                let file = crate::load::relative_name(dir, error.path());
                run.results.push(RequestRun {
                    triage: is_triage_name(&file),
                    file,
                    request: None,
                    features: Vec::new(),
                    answer: None,
                    verdict: Err(error.to_string()),
                });
            }
        }
    }
    let finished = oracle.finish();
    (run, finished)
}
