//! Running case files on the reference evaluator directly: each case through
//! [`iamspec::scenario::run_case`] (which parses the policies and compares answers with
//! expectations), one [`RequestResult`] per request. A file that does not load is one errored
//! result; a case from `triage/` is kept apart and never fails the run; an evaluator panic is
//! caught and reported as an error of that case's requests.

use std::path::{Path, PathBuf};

use iamspec::scenario::{Answer, RequestOutcome, Verdict};
use iamspec_format::load::{load_dir, LoadError, LoadedCase};
use iamspec_format::SourceKind;

use crate::oracle::reference::run_catching_panics;
use crate::paths::{
    built_in_corpus, in_bundled_corpus, load_error_path, relative_name, selected_file,
};
use crate::run::results::{CheckRun, RejectedPolicy, RequestResult, Status};

/// Loads and runs every case under `dirs`, keeping only requests whose test name contains
/// `filter` (when given).
pub fn check_dirs(dirs: &[PathBuf], filter: Option<&str>) -> CheckRun {
    let bundled_corpus = built_in_corpus().canonicalize().ok();
    let mut run = CheckRun {
        dirs: dirs.to_vec(),
        ..CheckRun::default()
    };
    for dir in dirs {
        // A directory inside the bundled corpus keeps the corpus test names, so the corpus
        // test runner reproduces its results too.
        let bundled = in_bundled_corpus(dir, bundled_corpus.as_deref());
        for loaded in load_dir(dir) {
            match loaded {
                Ok(loaded) => run_loaded(dir, bundled, &loaded, filter, &mut run.results),
                Err(error) => {
                    let file = relative_name(dir, load_error_path(&error));
                    if selected_file(&file, filter) {
                        run.results.push(load_failure(dir, bundled, file, &error));
                    }
                }
            }
        }
    }
    run
}

fn run_loaded(
    dir: &Path,
    bundled: bool,
    loaded: &LoadedCase,
    filter: Option<&str>,
    results: &mut Vec<RequestResult>,
) {
    let mut case = loaded.case.clone();
    case.requests
        .retain(|r| selected(&format!("{}::{}", loaded.name, r.name), filter));
    if case.requests.is_empty() {
        return;
    }
    let triage = case.source.kind == SourceKind::Triage || loaded.name.starts_with("triage/");
    let outcomes = run_catching_panics(&case);
    for (index, request) in case.requests.iter().enumerate() {
        let outcome = outcomes.as_ref().ok().and_then(|o| {
            o.iter()
                .find(|o| o.name == request.name)
                .or_else(|| o.get(index))
        });
        let mut result = RequestResult {
            dir: dir.to_path_buf(),
            bundled,
            file: loaded.name.clone(),
            request: Some(request.name.clone()),
            triage,
            features: case.features.clone(),
            status: Status::Errored,
            messages: Vec::new(),
            decision: None,
            rejected: None,
            expected: Some(request.expect.clone()),
            known: None,
            evaluator_flag: None,
            answer: None,
            detail: None,
        };
        match (&outcomes, outcome) {
            (Err(panic), _) => result
                .messages
                .push(format!("the evaluator panicked: {panic}")),
            (Ok(_), None) => result
                .messages
                .push("the scenario runner gave no outcome for this request".to_string()),
            (Ok(_), Some(outcome)) => fill_from_outcome(&mut result, outcome),
        }
        results.push(result);
    }
}

fn fill_from_outcome(result: &mut RequestResult, outcome: &RequestOutcome) {
    let (status, messages) = match &outcome.verdict {
        Verdict::Passed => (Status::Passed, Vec::new()),
        Verdict::Failed(messages) => (Status::Failed, messages.clone()),
        Verdict::Skipped(reason) => (Status::Skipped, vec![reason.clone()]),
        Verdict::Errored(message) => (Status::Errored, vec![message.clone()]),
    };
    result.status = status;
    result.messages = messages;
    match &outcome.answer {
        Some(Answer::Decided(response)) => {
            result.decision = Some(response.decision.name().to_string());
        }
        Some(Answer::Rejected { policy, error }) => {
            result.rejected = Some(RejectedPolicy {
                policy: policy.clone(),
                kind: error.kind.name().to_string(),
                message: error.message.clone(),
                line: error.position.line,
                column: error.position.column,
            });
        }
        None => {}
    }
}

/// The result that stands for a case file that did not load: one error, named after the file.
pub(crate) fn load_failure(
    dir: &Path,
    bundled: bool,
    file: String,
    error: &LoadError,
) -> RequestResult {
    RequestResult {
        dir: dir.to_path_buf(),
        bundled,
        triage: file.starts_with("triage/"),
        file,
        request: None,
        features: Vec::new(),
        status: Status::Errored,
        messages: vec![error.to_string()],
        decision: None,
        rejected: None,
        expected: None,
        known: None,
        evaluator_flag: None,
        answer: None,
        detail: None,
    }
}

fn selected(test_name: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| test_name.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_select_by_test_name() {
        assert!(selected("docs/a.json::r", None));
        assert!(selected("docs/a.json::r", Some("a.json::")));
        assert!(!selected("docs/a.json::r", Some("b.json")));
    }
}
