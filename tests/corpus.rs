//! The corpus runner: one test per request of every case under `corpus/`, named
//! `<path relative to corpus/>::<request name>`, so `cargo test --test corpus seeds/ec2` runs the
//! EC2 seeds and `cargo test --test corpus 'seeds/ec2/tagged-ami.json::prod-tagged-ami' -- --exact`
//! runs one request.
//!
//! - A case file that does not load is one failing test named after the file, with the loader's
//!   message (file, line, column).
//! - Each request goes case -> oracle -> answer -> checker -> verdict, as in `iamspec check`:
//!   the reference evaluator answers through its [`Oracle`] (`ReferenceOracle`, in process) and
//!   the one checker of `iamspec-format` judges each answer in `full` mode (everything the case
//!   states).
//! - A request the evaluator does not decide yet (a skip) is reported as ignored, with the
//!   reason; one it could not answer otherwise (errored, crashed) fails.
//! - `triage/` cases (differences with a peer, not confirmed against AWS) are run but never fail
//!   the suite: they are reported as ignored with the reason `triage: not conformance` and the
//!   verdict.
//!
//! Each case is run once, when the first of its requests' tests runs; filtered-out cases are not
//! run at all.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use iamspec::scenario::ReferenceOracle;
use iamspec_format::{
    judge_case, load_dir, Answer, ComparisonMode, LoadedCase, Oracle, Outcome, Verdict,
};
use libtest_mimic::{Arguments, Completion, Failed, Trial};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A loaded case shared by the tests of its requests, run once on first use.
struct SharedCase {
    loaded: LoadedCase,
    outcomes: OnceLock<Vec<(Answer, Verdict)>>,
}

fn main() {
    let args = Arguments::from_args();
    let corpus = corpus_dir();
    let mut trials = Vec::new();
    for result in load_dir(&corpus) {
        match result {
            Ok(loaded) => trials.extend(case_trials(loaded)),
            Err(error) => {
                let name = error
                    .path()
                    .strip_prefix(&corpus)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| error.path().display().to_string());
                let message = format!(
                    "case file does not load: {error}\nreproduce: cargo test --test corpus '{name}'"
                );
                trials.push(Trial::test(name, move || Err(message.into())));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn case_trials(loaded: LoadedCase) -> Vec<Trial> {
    let triage = loaded.is_triage();
    let names: Vec<String> = loaded
        .case
        .requests
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let shared = Arc::new(SharedCase {
        loaded,
        outcomes: OnceLock::new(),
    });
    names
        .into_iter()
        .enumerate()
        .map(|(index, request)| {
            let shared = Arc::clone(&shared);
            let test_name = format!("{}::{request}", shared.loaded.name);
            Trial::ignorable_test(test_name, move || run_request(&shared, index, triage))
        })
        .collect()
}

fn run_request(shared: &SharedCase, index: usize, triage: bool) -> Result<Completion, Failed> {
    let outcomes = shared.outcomes.get_or_init(|| {
        let mut oracle = ReferenceOracle;
        let judged = judge_case(&mut oracle, &shared.loaded.case, ComparisonMode::Full);
        let _ = oracle.finish();
        judged
    });
    let Some((answer, verdict)) = outcomes.get(index) else {
        return Err(format!("the oracle gave no answer for request {index}").into());
    };
    if triage {
        return Ok(Completion::ignored_with(format!(
            "triage: not conformance ({})",
            one_line(verdict)
        )));
    }
    let request = &shared.loaded.case.requests[index].name;
    match (verdict, verdict.outcome()) {
        (Verdict::Passed, _) => Ok(Completion::Completed),
        (Verdict::NotAnswered(c), Outcome::Skipped) => {
            Ok(Completion::ignored_with(format!("skipped: {}", c.message)))
        }
        (Verdict::Failed(reasons), _) => {
            Err(report(shared, request, answer, "failed", reasons).into())
        }
        (Verdict::NotAnswered(c), _) => Err(report(
            shared,
            request,
            answer,
            "cannot be run",
            std::slice::from_ref(&c.to_string()),
        )
        .into()),
    }
}

fn one_line(verdict: &Verdict) -> String {
    let text = verdict.to_string();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// A failure report: first one line that says which request and how to re-run it, then each
/// broken expectation, then the evaluator's whole answer.
fn report(
    shared: &SharedCase,
    request: &str,
    answer: &Answer,
    what: &str,
    reasons: &[String],
) -> String {
    let name = &shared.loaded.name;
    let mut text = format!(
        "corpus/{name} request `{request}` {what}; reproduce: cargo test --test corpus '{name}::{request}' -- --exact\n"
    );
    for reason in reasons {
        text.push_str("  - ");
        text.push_str(reason);
        text.push('\n');
    }
    if !matches!(answer, Answer::CouldNot(_)) {
        let json = serde_json::to_string(&answer.to_value())
            .unwrap_or_else(|e| format!("(unprintable: {e})"));
        text.push_str("  answer: ");
        text.push_str(&json);
        text.push('\n');
    }
    text
}
