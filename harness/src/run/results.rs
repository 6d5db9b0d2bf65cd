//! The results of a run: the outcome of each request ([`Outcome`], the one vocabulary of
//! `iamspec-format`), its details ([`RequestResult`], with the line that reproduces it), counts
//! ([`Counts`]) and everything a run found ([`CheckRun`]): per feature, triage apart, known
//! failures attached.
//!
//! Running cases is [`crate::run::suite`]'s job; printing is
//! [`crate::report`]'s.

use std::path::{Path, PathBuf};

use iamspec_format::load::{is_triage_name, LoadError};
use iamspec_format::protocol::Rejection;
use iamspec_format::{Answer, CaseRequest, Expect, Verdict};

use crate::known::{KnownFailure, KnownFailures};
use crate::oracle::OracleInfo;
use crate::paths::{built_in_corpus, relative_name, shell_quote, source_root};
use crate::run::compare::ComparisonMode;

pub use iamspec_format::outcome::{Counts, Outcome};

/// A policy the evaluator rejected while running a case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RejectedPolicy {
    /// The policy's id in the case.
    pub policy: String,
    /// The error kind (`malformed-json`, ...).
    pub kind: String,
    /// The parser's message.
    pub message: String,
    /// 1-based line in the policy text.
    pub line: u32,
    /// 1-based column in the policy text.
    pub column: u32,
}

/// The result of one request of one case file (or of a file that did not load).
#[derive(Debug, Clone)]
pub struct RequestResult {
    /// The directory the file was found under.
    pub dir: PathBuf,
    /// True when `dir` is the bundled corpus (so `cargo test --test corpus` reproduces it).
    pub bundled: bool,
    /// The file's path relative to `dir`, `/`-separated.
    pub file: String,
    /// The request's name; `None` when the file did not load.
    pub request: Option<String>,
    /// True for cases from `triage/` (differences with a peer, not yet confirmed).
    pub triage: bool,
    /// The case's feature tags.
    pub features: Vec<String>,
    /// The verdict.
    pub status: Outcome,
    /// What failed, why it was skipped, or what the error was.
    pub messages: Vec<String>,
    /// The evaluator's decision, when it decided.
    pub decision: Option<String>,
    /// The policy the evaluator rejected, when it did.
    pub rejected: Option<RejectedPolicy>,
    /// What the case expects, when the file loaded.
    pub expected: Option<Expect>,
    /// The known-failures entry for this test, when listed.
    pub known: Option<KnownFailure>,
    /// The `--evaluator '...'` or `--adapter NAME` flag that reproduces it, for a third-party
    /// evaluator's result.
    pub evaluator_flag: Option<String>,
    /// The evaluator's answer as JSON (for third-party evaluators).
    pub answer: Option<serde_json::Value>,
    /// More detail about an error: the evaluator's stderr tail or traceback.
    pub detail: Option<String>,
    /// For a failure: the reference evaluator's "why (not)" for each resource of the request
    /// (the rule of the flow that decided, every statement and what in it did not match);
    /// attached after the run by [`crate::run::why_not::attach`].
    pub why: Vec<iamspec::why_not::ResourceExplanation>,
}

impl RejectedPolicy {
    /// The rejected policy of an answer that names it and says where (the reference does).
    pub fn from_rejection(r: &Rejection) -> Option<RejectedPolicy> {
        let (policy, position) = (r.policy.as_ref()?, r.error_position?);
        Some(RejectedPolicy {
            policy: policy.clone(),
            kind: r.error.clone(),
            message: r.message.clone().unwrap_or_default(),
            line: position.line,
            column: position.column,
        })
    }
}

impl RequestResult {
    /// The result of `request` before it is judged: errored, with nothing recorded. The one
    /// place a result is built field by field.
    pub fn new(
        dir: &Path,
        bundled: bool,
        file: &str,
        triage: bool,
        features: &[String],
        request: Option<&CaseRequest>,
    ) -> RequestResult {
        RequestResult {
            dir: dir.to_path_buf(),
            bundled,
            file: file.to_string(),
            request: request.map(|r| r.name.clone()),
            triage,
            features: features.to_vec(),
            status: Outcome::Errored,
            messages: Vec::new(),
            decision: None,
            rejected: None,
            expected: request.map(|r| r.expect.clone()),
            known: None,
            evaluator_flag: None,
            answer: None,
            detail: None,
            why: Vec::new(),
        }
    }

    /// The result that stands for a case file that did not load: one error, named after the
    /// file (triage when the file is under `triage/`).
    pub fn load_failure(dir: &Path, bundled: bool, file: String, error: &LoadError) -> Self {
        let mut r = RequestResult::new(dir, bundled, &file, is_triage_name(&file), &[], None);
        r.messages.push(error.to_string());
        r
    }

    /// Records an answer and the checker's verdict on it: the outcome, the messages (what
    /// failed, or why there is no answer), the decision or error kind, the rejected policy
    /// when the answer names it, and the answer as JSON.
    pub fn record(&mut self, answer: &Answer, verdict: &Verdict) {
        self.status = verdict.outcome();
        match answer {
            Answer::Decided(d) => self.decision = Some(d.decision.name().to_string()),
            Answer::Rejected(r) => {
                self.decision = Some(format!("error {}", r.error));
                self.rejected = RejectedPolicy::from_rejection(r);
            }
            Answer::CouldNot(_) => {}
        }
        self.answer = Some(answer.to_value());
        match verdict {
            Verdict::Passed => {}
            Verdict::Failed(m) => self.messages = m.clone(),
            Verdict::NotAnswered(c) => {
                self.messages
                    .push(format!("{}: {}", c.why.name(), c.message));
                if let Some(url) = &c.issue_url {
                    self.messages.push(format!("issue: {url}"));
                }
                self.detail = c.detail.clone();
            }
        }
    }

    /// The test name, `<file>::<request>` (just `<file>` for a file that did not load).
    pub fn name(&self) -> String {
        match &self.request {
            Some(request) => format!("{}::{}", self.file, request),
            None => self.file.clone(),
        }
    }

    /// The test id used in known-failures files: the file's path from the repository root
    /// (`corpus/docs/...`) when the case directory is in the source tree, else from the case
    /// directory (like [`RequestResult::name`]), then `::<request>`.
    pub fn test_id(&self) -> String {
        let root = source_root();
        let dir = match (self.dir.canonicalize(), root.canonicalize()) {
            (Ok(dir), Ok(root)) => match dir.strip_prefix(&root) {
                Ok(inside) => inside.to_path_buf(),
                Err(_) => return self.name(),
            },
            _ => return self.name(),
        };
        let dir = relative_name(Path::new(""), &dir);
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        format!("{prefix}{}", self.name())
    }

    /// True when this result is a problem for a run with known failures: a failure or error
    /// that is not listed, or a listed test that no longer fails.
    pub fn is_problem(&self) -> bool {
        if self.triage {
            return false;
        }
        match (self.status, &self.known) {
            (Outcome::Passed, None) | (Outcome::Skipped, None) => false,
            (Outcome::Failed, Some(_)) => false,
            (status, Some(_)) if status.is_error() => false,
            (Outcome::Passed, Some(_)) | (Outcome::Skipped, Some(_)) => true,
            _ => true,
        }
    }

    /// One shell command that reruns just this result.
    pub fn reproduction(&self) -> String {
        let name = shell_quote(&self.name());
        if let Some(evaluator) = &self.evaluator_flag {
            let whole_corpus = match (self.dir.canonicalize(), built_in_corpus().canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            let cases = if whole_corpus {
                String::new()
            } else {
                format!(" --cases {}", shell_quote(&self.dir.display().to_string()))
            };
            return format!("iamspec check {evaluator}{cases} --filter {name}");
        }
        if self.bundled {
            format!("cargo test --test corpus {name}")
        } else {
            format!(
                "iamspec check --cases {} --filter {name}",
                shell_quote(&self.dir.display().to_string())
            )
        }
    }
}

/// Everything a `check` run found.
#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    /// The directories that were searched.
    pub dirs: Vec<PathBuf>,
    /// One entry per request run (and per file that did not load), in file order.
    pub results: Vec<RequestResult>,
    /// Who answered: `None` for the reference evaluator run by `check` without `--evaluator`.
    pub oracle: Option<OracleInfo>,
    /// The comparison mode, for a third-party evaluator.
    pub mode: Option<ComparisonMode>,
    /// The known failures the run was checked against.
    pub known: Option<KnownFailures>,
    /// Listed known failures that the run did not meet at all (only looked for when the whole
    /// bundled corpus ran).
    pub stale_known: Vec<KnownFailure>,
    /// How long the cases took, wall clock, without starting the evaluators.
    pub elapsed: Option<std::time::Duration>,
}

impl CheckRun {
    /// Counts over the results that are not triage.
    pub fn counts(&self) -> Counts {
        self.count(|r| !r.triage)
    }

    /// Counts over the triage results (never failing the run).
    pub fn triage_counts(&self) -> Counts {
        self.count(|r| r.triage)
    }

    fn count(&self, keep: impl Fn(&RequestResult) -> bool) -> Counts {
        let mut counts = Counts::default();
        for r in self.results.iter().filter(|r| keep(r)) {
            counts.add(r.status);
        }
        counts
    }

    /// Per feature tag, the counts of the non-triage requests of cases carrying it, sorted by tag.
    pub fn features(&self) -> Vec<(String, Counts)> {
        let mut by_tag: std::collections::BTreeMap<String, Counts> = Default::default();
        for r in self.results.iter().filter(|r| !r.triage) {
            for tag in &r.features {
                by_tag.entry(tag.clone()).or_default().add(r.status);
            }
        }
        by_tag.into_iter().collect()
    }

    /// True when nothing outside triage is a problem: without known failures, nothing failed,
    /// errored, crashed or timed out; with them, see [`RequestResult::is_problem`], and no
    /// listed test went missing.
    pub fn succeeded(&self) -> bool {
        self.stale_known.is_empty() && !self.results.iter().any(RequestResult::is_problem)
    }

    /// Failures and errors not in the known failures (outside triage).
    pub fn new_failures(&self) -> impl Iterator<Item = &RequestResult> {
        self.results
            .iter()
            .filter(|r| !r.triage && r.known.is_none() && r.is_problem())
    }

    /// Listed known failures that did not fail: they pass now, or are skipped.
    pub fn no_longer_failing(&self) -> impl Iterator<Item = &RequestResult> {
        self.results
            .iter()
            .filter(|r| !r.triage && r.known.is_some() && r.is_problem())
    }

    /// Results that failed (or errored) as their known-failures entry says.
    pub fn known_failures(&self) -> impl Iterator<Item = &RequestResult> {
        self.results
            .iter()
            .filter(|r| !r.triage && r.known.is_some() && !r.is_problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(status: Outcome, triage: bool, features: &[&str]) -> RequestResult {
        RequestResult {
            dir: PathBuf::from("corpus"),
            bundled: true,
            file: "docs/a.json".into(),
            request: Some("r".into()),
            triage,
            features: features.iter().map(|s| s.to_string()).collect(),
            status,
            messages: vec![],
            decision: None,
            rejected: None,
            expected: None,
            known: None,
            evaluator_flag: None,
            answer: None,
            detail: None,
            why: Vec::new(),
        }
    }

    #[test]
    fn the_summary_line_has_the_fixed_form() {
        let c = Counts {
            passed: 3,
            failed: 1,
            skipped: 2,
            errored: 0,
            ..Counts::default()
        };
        assert_eq!(c.summary(), "3 passed, 1 failed, 2 skipped, 0 errored");
        let c = Counts { timed_out: 1, ..c };
        assert_eq!(
            c.summary(),
            "3 passed, 1 failed, 2 skipped, 0 errored, 0 crashed, 1 timed out"
        );
    }

    #[test]
    fn triage_is_counted_apart_and_never_fails_the_run() {
        let run = CheckRun {
            dirs: vec![],
            results: vec![
                result(Outcome::Passed, false, &["a", "b"]),
                result(Outcome::Skipped, false, &["b"]),
                result(Outcome::Failed, true, &["a"]),
            ],
            ..CheckRun::default()
        };
        assert_eq!(run.counts().total(), 2);
        assert_eq!(run.triage_counts().failed, 1);
        assert!(run.succeeded());
        let features = run.features();
        assert_eq!(features.len(), 2);
        assert_eq!(features[0].0, "a");
        assert_eq!(features[0].1.passed, 1);
        assert_eq!(features[1].1.skipped, 1);
    }

    #[test]
    fn failures_and_errors_fail_the_run() {
        for status in [
            Outcome::Failed,
            Outcome::Errored,
            Outcome::Crashed,
            Outcome::TimedOut,
        ] {
            let run = CheckRun {
                dirs: vec![],
                results: vec![result(status, false, &[])],
                ..CheckRun::default()
            };
            assert!(!run.succeeded());
        }
    }

    #[test]
    fn reproductions_name_the_test() {
        let mut r = result(Outcome::Failed, false, &[]);
        assert_eq!(r.reproduction(), "cargo test --test corpus docs/a.json::r");
        r.bundled = false;
        r.dir = PathBuf::from("my cases");
        assert_eq!(
            r.reproduction(),
            "iamspec check --cases 'my cases' --filter docs/a.json::r"
        );
    }
}
