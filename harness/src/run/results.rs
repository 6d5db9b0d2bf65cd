//! The results of a run: the verdict on each request ([`Status`]), its details
//! ([`RequestResult`], with the line that reproduces it), counts ([`Counts`]) and everything a
//! run found ([`CheckRun`]): per feature, triage apart, known failures attached.
//!
//! Running cases is [`crate::run::direct`]'s and [`crate::run::suite`]'s job; printing is
//! [`crate::report`]'s.

use std::path::{Path, PathBuf};

use iamspec_format::Expect;

use crate::known::{KnownFailure, KnownFailures};
use crate::oracle::OracleInfo;
use crate::paths::{built_in_corpus, relative_name, shell_quote, source_root};
use crate::run::compare::ComparisonMode;

/// The verdict on one request, without its details.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The answer met every expectation.
    Passed,
    /// The answer broke an expectation.
    Failed,
    /// The evaluator does not decide (or cannot express) this kind of request.
    Skipped,
    /// The case could not be run (unloadable file, bad case, evaluator panic, an evaluator that
    /// errored, answered garbage or was unavailable).
    Errored,
    /// The evaluator process died without answering.
    Crashed,
    /// The evaluator gave no answer within the per-case timeout.
    TimedOut,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: &'static [Status] = &[
        Status::Passed,
        Status::Failed,
        Status::Skipped,
        Status::Errored,
        Status::Crashed,
        Status::TimedOut,
    ];

    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Errored => "errored",
            Status::Crashed => "crashed",
            Status::TimedOut => "timed-out",
        }
    }

    /// Looks a status up by its name.
    pub fn from_name(name: &str) -> Option<Status> {
        Self::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// True for the statuses where the evaluator gave no usable answer (errored, crashed,
    /// timed out).
    pub fn is_error(self) -> bool {
        matches!(self, Status::Errored | Status::Crashed | Status::TimedOut)
    }
}

/// Counts of verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Requests whose answer met every expectation.
    pub passed: usize,
    /// Requests whose answer broke an expectation (known failures included).
    pub failed: usize,
    /// Requests the evaluator does not decide yet.
    pub skipped: usize,
    /// Requests (or files) that could not be run.
    pub errored: usize,
    /// Requests whose evaluator process died.
    #[serde(default)]
    pub crashed: usize,
    /// Requests whose evaluator did not answer in time.
    #[serde(default)]
    pub timed_out: usize,
}

impl Counts {
    /// Adds one verdict.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::Errored => self.errored += 1,
            Status::Crashed => self.crashed += 1,
            Status::TimedOut => self.timed_out += 1,
        }
    }

    /// The count of one status.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Passed => self.passed,
            Status::Failed => self.failed,
            Status::Skipped => self.skipped,
            Status::Errored => self.errored,
            Status::Crashed => self.crashed,
            Status::TimedOut => self.timed_out,
        }
    }

    /// The number of verdicts counted.
    pub fn total(&self) -> usize {
        Status::ALL.iter().map(|s| self.get(*s)).sum()
    }

    /// The summary line: `N passed, N failed, N skipped, N errored`, then `, N crashed, N timed
    /// out` when either is not zero.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} passed, {} failed, {} skipped, {} errored",
            self.passed, self.failed, self.skipped, self.errored
        );
        if self.crashed + self.timed_out > 0 {
            s.push_str(&format!(
                ", {} crashed, {} timed out",
                self.crashed, self.timed_out
            ));
        }
        s
    }
}

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
    pub status: Status,
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
}

impl RequestResult {
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
            (Status::Passed, None) | (Status::Skipped, None) => false,
            (Status::Failed, Some(_)) => false,
            (status, Some(_)) if status.is_error() => false,
            (Status::Passed, Some(_)) | (Status::Skipped, Some(_)) => true,
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

    fn result(status: Status, triage: bool, features: &[&str]) -> RequestResult {
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
                result(Status::Passed, false, &["a", "b"]),
                result(Status::Skipped, false, &["b"]),
                result(Status::Failed, true, &["a"]),
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
            Status::Failed,
            Status::Errored,
            Status::Crashed,
            Status::TimedOut,
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
        let mut r = result(Status::Failed, false, &[]);
        assert_eq!(r.reproduction(), "cargo test --test corpus docs/a.json::r");
        r.bundled = false;
        r.dir = PathBuf::from("my cases");
        assert_eq!(
            r.reproduction(),
            "iamspec check --cases 'my cases' --filter docs/a.json::r"
        );
    }
}
