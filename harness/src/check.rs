//! `iamspec check`: run case files on the reference evaluator and count the verdicts.
//!
//! Finds the case directories (explicit `--cases`, else the bundled corpus), loads every case
//! file with [`iamspec_format::load::load_dir`], runs each case with
//! [`iamspec::scenario::run_case`] (which parses the policies and compares answers with
//! expectations), and gathers one [`RequestResult`] per request. A file that does not load is
//! one errored result; a case from `triage/` is kept apart and never fails the run; an
//! evaluator panic is caught and reported as an error of that case's requests. Printing is
//! [`crate::report`]'s job.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use iamspec::scenario::{run_case, Answer, RequestOutcome, Verdict};
use iamspec_format::load::{load_dir, LoadError, LoadedCase};
use iamspec_format::{Expect, SourceKind};

use crate::cli::CheckArgs;
use crate::error::CliError;
use crate::report;

/// The corpus in the source tree this binary was built from.
pub fn built_in_corpus() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).join("corpus")
}

/// The verdict on one request, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The answer met every expectation.
    Passed,
    /// The answer broke an expectation.
    Failed,
    /// The evaluator does not decide this kind of request yet.
    Skipped,
    /// The case could not be run (unloadable file, bad case, evaluator panic).
    Errored,
}

impl Status {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
            Status::Errored => "errored",
        }
    }
}

/// Counts of verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Requests whose answer met every expectation.
    pub passed: usize,
    /// Requests whose answer broke an expectation.
    pub failed: usize,
    /// Requests the evaluator does not decide yet.
    pub skipped: usize,
    /// Requests (or files) that could not be run.
    pub errored: usize,
}

impl Counts {
    /// Adds one verdict.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Passed => self.passed += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::Errored => self.errored += 1,
        }
    }

    /// The number of verdicts counted.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped + self.errored
    }

    /// The summary line: `N passed, N failed, N skipped, N errored`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped, {} errored",
            self.passed, self.failed, self.skipped, self.errored
        )
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
}

impl RequestResult {
    /// The test name, `<file>::<request>` (just `<file>` for a file that did not load).
    pub fn name(&self) -> String {
        match &self.request {
            Some(request) => format!("{}::{}", self.file, request),
            None => self.file.clone(),
        }
    }

    /// One shell command that reruns just this result.
    pub fn reproduction(&self) -> String {
        let name = shell_quote(&self.name());
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

    /// True when nothing outside triage failed or errored.
    pub fn succeeded(&self) -> bool {
        let c = self.counts();
        c.failed == 0 && c.errored == 0
    }
}

/// Runs `iamspec check`; returns the exit status (0 when nothing failed or errored, else 1).
pub fn run(args: &CheckArgs) -> Result<u8, CliError> {
    let dirs = case_dirs(&args.cases)?;
    let run = check_dirs(&dirs, args.filter.as_deref());
    report::print_check(&run, args.format)?;
    Ok(if run.succeeded() { 0 } else { 1 })
}

/// The directories to search: the `--cases` ones (each must exist), else the bundled corpus,
/// else `./corpus`.
pub fn case_dirs(explicit: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    if !explicit.is_empty() {
        return explicit
            .iter()
            .map(|dir| {
                if dir.is_dir() {
                    Ok(dir.clone())
                } else {
                    Err(CliError::NoCasesDir { path: dir.clone() })
                }
            })
            .collect();
    }
    let tried = vec![built_in_corpus(), PathBuf::from("corpus")];
    match tried.iter().find(|d| d.is_dir()) {
        Some(dir) => Ok(vec![dir.clone()]),
        None => Err(CliError::NoCorpus { tried }),
    }
}

/// Loads and runs every case under `dirs`, keeping only requests whose test name contains
/// `filter` (when given).
pub fn check_dirs(dirs: &[PathBuf], filter: Option<&str>) -> CheckRun {
    let bundled_corpus = built_in_corpus().canonicalize().ok();
    let mut run = CheckRun {
        dirs: dirs.to_vec(),
        results: Vec::new(),
    };
    for dir in dirs {
        // A directory inside the bundled corpus keeps the corpus test names, so the corpus
        // test runner reproduces its results too.
        let bundled = match (&bundled_corpus, dir.canonicalize()) {
            (Some(corpus), Ok(dir)) => dir.starts_with(corpus),
            _ => false,
        };
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

/// Runs a case, turning an evaluator panic into an error message instead of a crash.
fn run_catching_panics(case: &iamspec_format::Case) -> Result<Vec<RequestOutcome>, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_case(case)));
    panic::set_hook(previous);
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string())
    })
}

fn load_failure(dir: &Path, bundled: bool, file: String, error: &LoadError) -> RequestResult {
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
    }
}

fn load_error_path(error: &LoadError) -> &Path {
    match error {
        LoadError::Io { path, .. } | LoadError::Invalid { path, .. } => path,
    }
}

/// `path` relative to `dir`, `/`-separated (the path as given when it is not under `dir`).
fn relative_name(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn selected(test_name: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| test_name.contains(f))
}

/// A file that did not load is selected when its name matches the filter, or when the filter
/// names one of its requests (`<file>::...`).
fn selected_file(file: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| file.contains(f) || f.starts_with(&format!("{file}::")))
}

/// Quotes a string for a POSIX shell when it needs it.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
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
        }
    }

    #[test]
    fn the_summary_line_has_the_fixed_form() {
        let c = Counts {
            passed: 3,
            failed: 1,
            skipped: 2,
            errored: 0,
        };
        assert_eq!(c.summary(), "3 passed, 1 failed, 2 skipped, 0 errored");
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
        for status in [Status::Failed, Status::Errored] {
            let run = CheckRun {
                dirs: vec![],
                results: vec![result(status, false, &[])],
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

    #[test]
    fn filters_select_by_test_name() {
        assert!(selected("docs/a.json::r", None));
        assert!(selected("docs/a.json::r", Some("a.json::")));
        assert!(!selected("docs/a.json::r", Some("b.json")));
        assert!(selected_file("docs/a.json", Some("docs/a.json::r")));
        assert!(selected_file("docs/a.json", Some("docs/")));
        assert!(!selected_file("docs/a.json", Some("::r")));
    }

    #[test]
    fn quoting_is_shell_safe() {
        assert_eq!(shell_quote("seeds/x.json::y"), "seeds/x.json::y");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn names_are_relative_and_slash_separated() {
        assert_eq!(
            relative_name(Path::new("corpus"), Path::new("corpus/seeds/ec2/x.json")),
            "seeds/ec2/x.json"
        );
        assert_eq!(
            relative_name(Path::new("c"), Path::new("other/x.json")),
            "other/x.json"
        );
    }

    #[test]
    fn a_missing_cases_dir_is_an_error() {
        let err = case_dirs(&[PathBuf::from("/nonexistent/iamspec-cases")]).unwrap_err();
        assert!(err
            .to_string()
            .contains("--cases /nonexistent/iamspec-cases"));
    }

    #[test]
    fn the_bundled_corpus_is_found() {
        let dirs = case_dirs(&[]).unwrap();
        assert_eq!(dirs, vec![built_in_corpus()]);
    }
}
