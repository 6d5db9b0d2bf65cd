//! `iamspec check`: run case files on the reference evaluator and count the verdicts.
//!
//! Finds the case directories (explicit `--cases`, else the bundled corpus), loads every case
//! file with [`iamspec_format::load::load_dir`], runs each case with
//! [`iamspec::scenario::run_case`] (which parses the policies and compares answers with
//! expectations), and gathers one [`RequestResult`] per request. A file that does not load is
//! one errored result; a case from `triage/` is kept apart and never fails the run; an
//! evaluator panic is caught and reported as an error of that case's requests. Printing is
//! [`crate::report`]'s job.

use std::path::{Path, PathBuf};

use iamspec_format::load::{is_triage_name, load_dir, LoadError, LoadedCase};
use iamspec_format::protocol::Rejection;
use iamspec_format::{judge_case, Answer, CaseRequest, Expect, Verdict};

use crate::cli::CheckArgs;
use crate::compare::ComparisonMode;
use crate::error::CliError;
use crate::known::{KnownFailure, KnownFailures};
use crate::oracle::{OracleInfo, ReferenceOracle};
use crate::report;

/// The source tree this binary was built from (the workspace root).
pub fn source_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The corpus in the source tree this binary was built from.
pub fn built_in_corpus() -> PathBuf {
    source_root().join("corpus")
}

/// The outcome of one request (the one vocabulary of `iamspec-format`).
pub use iamspec_format::outcome::{Counts, Outcome as Status};

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

/// Runs `iamspec check`; returns the exit status (0 when nothing is a problem, else 1).
pub fn run(args: &CheckArgs) -> Result<u8, CliError> {
    let dirs = case_dirs(&args.cases)?;
    let run = match (&args.evaluator, &args.adapter) {
        (None, None) if args.replay.is_some() => check_replay(args, &dirs)?,
        (None, None) => {
            let mut run = match args.compare {
                // The scenario runner's own verdicts: everything the case states (full).
                None => check_dirs(&dirs, args.filter.as_deref()),
                Some(mode) => reference_in_mode(args, &dirs, mode)?,
            };
            if let Some(path) = &args.known_failures {
                let known = KnownFailures::load(path)?;
                let whole = args.filter.is_none() && args.cases.is_empty();
                crate::suite::attach_known(&mut run, known, whole);
            }
            run
        }
        (command, adapter) => check_evaluator(args, &dirs, command.as_deref(), adapter.as_deref())?,
    };
    report::print_check(&run, args.format)?;
    if let Some(dir) = &args.report_dir {
        crate::conformance::write_report_dir(dir, std::slice::from_ref(&run))?;
    }
    Ok(if run.succeeded() { 0 } else { 1 })
}

/// Checks answers recorded with `--record` (`--replay FILE`).
fn check_replay(args: &CheckArgs, dirs: &[PathBuf]) -> Result<CheckRun, CliError> {
    let Some(path) = &args.replay else {
        return Err(CliError::Usage("--replay FILE is needed".into()));
    };
    let info = OracleInfo {
        name: format!("replay of {}", path.display()),
        version: "-".to_string(),
        decision_mode: iamspec_format::protocol::DecisionMode::Exact,
        implementation: None,
    };
    let replay = crate::oracle::ReplayOracle::open(path, info)
        .map_err(|e| CliError::Usage(format!("--replay: {e}")))?;
    let known = args
        .known_failures
        .as_ref()
        .map(|p| KnownFailures::load(p))
        .transpose()?;
    let options = crate::suite::SuiteOptions {
        jobs: args.jobs.unwrap_or_else(crate::suite::default_jobs).max(1),
        mode: args.compare.unwrap_or_default(),
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: Some(format!(
            "--replay {}",
            shell_quote(&path.display().to_string())
        )),
    };
    crate::suite::run_suite(
        dirs,
        &|| Ok(Box::new(replay.clone()) as Box<dyn crate::oracle::Oracle>),
        &options,
        known,
    )
    .map_err(|e| CliError::Usage(e.to_string()))
}

/// Runs the reference evaluator through the [`crate::oracle::Oracle`] path, compared in `mode`.
fn reference_in_mode(
    args: &CheckArgs,
    dirs: &[PathBuf],
    mode: ComparisonMode,
) -> Result<CheckRun, CliError> {
    let options = crate::suite::SuiteOptions {
        jobs: args.jobs.unwrap_or_else(crate::suite::default_jobs).max(1),
        mode,
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: None,
    };
    crate::suite::run_suite(
        dirs,
        &|| Ok(Box::new(crate::oracle::ReferenceOracle) as Box<dyn crate::oracle::Oracle>),
        &options,
        None,
    )
    .map_err(|e| CliError::Usage(e.to_string()))
}

/// Runs the cases through a third-party evaluator (`--evaluator` or `--adapter`).
fn check_evaluator(
    args: &CheckArgs,
    dirs: &[PathBuf],
    command: Option<&str>,
    adapter: Option<&str>,
) -> Result<CheckRun, CliError> {
    let (command, flag, default_known) = match (command, adapter) {
        (Some(command), _) => (
            command.to_string(),
            format!("--evaluator {}", shell_quote(command)),
            None,
        ),
        (None, Some(name)) => {
            let adapter = crate::adapters::Adapter::find(name)?;
            let known = adapter.known_failures();
            (
                adapter.command(),
                format!("--adapter {}", shell_quote(name)),
                known.is_file().then_some(known),
            )
        }
        (None, None) => return Err(CliError::Usage("--evaluator or --adapter is needed".into())),
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(CliError::Usage(format!(
            "--timeout {}: expected a positive number of seconds",
            args.timeout
        )));
    }
    let known_path = if args.no_known_failures {
        None
    } else {
        args.known_failures.clone().or(default_known)
    };
    let known = known_path.map(|p| KnownFailures::load(&p)).transpose()?;
    let factory = crate::adapters::ProcessFactory::new(
        &command,
        std::time::Duration::from_secs_f64(args.timeout),
        args.validate_protocol,
    )?;
    let options = crate::suite::SuiteOptions {
        jobs: args.jobs.unwrap_or_else(crate::suite::default_jobs).max(1),
        mode: args.compare.unwrap_or_default(),
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: Some(flag.clone()),
    };
    let record = args.record.clone();
    let make = || -> Result<Box<dyn crate::oracle::Oracle>, String> {
        let oracle = factory.make()?;
        match &record {
            Some(path) => crate::oracle::RecordingOracle::new(oracle, path)
                .map(|r| Box::new(r) as Box<dyn crate::oracle::Oracle>)
                .map_err(|e| e.to_string()),
            None => Ok(oracle),
        }
    };
    crate::suite::run_suite(dirs, &make, &options, known).map_err(|e| {
        CliError::EvaluatorDidNotStart {
            flag,
            message: e.to_string(),
        }
    })
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
    // The reference is judged on everything each case states.
    let judged = judge_case(&mut ReferenceOracle, &case, ComparisonMode::Full);
    for (request, (answer, verdict)) in case.requests.iter().zip(judged) {
        let mut result = RequestResult::new(
            dir,
            bundled,
            &loaded.name,
            loaded.is_triage(),
            &case.features,
            request,
        );
        result.record(&answer, &verdict);
        results.push(result);
    }
}

impl RequestResult {
    /// The result of `request` before it is run: errored, with nothing recorded.
    pub fn new(
        dir: &Path,
        bundled: bool,
        file: &str,
        triage: bool,
        features: &[String],
        request: &CaseRequest,
    ) -> RequestResult {
        RequestResult {
            dir: dir.to_path_buf(),
            bundled,
            file: file.to_string(),
            request: Some(request.name.clone()),
            triage,
            features: features.to_vec(),
            status: Status::Errored,
            messages: Vec::new(),
            decision: None,
            rejected: None,
            expected: Some(request.expect.clone()),
            known: None,
            evaluator_flag: None,
            answer: None,
            detail: None,
        }
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
        triage: is_triage_name(&file),
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

/// True when `dir` lies inside the bundled corpus (`corpus`, canonical): its cases keep the
/// corpus test names, so the corpus test runner reproduces their results.
pub(crate) fn in_bundled_corpus(dir: &Path, corpus: Option<&Path>) -> bool {
    match (corpus, dir.canonicalize()) {
        (Some(corpus), Ok(dir)) => dir.starts_with(corpus),
        _ => false,
    }
}

/// The file a load error is about.
pub(crate) fn load_error_path(error: &LoadError) -> &Path {
    match error {
        LoadError::Io { path, .. } | LoadError::Invalid { path, .. } => path,
    }
}

/// `path` relative to `dir`, `/`-separated (the path as given when it is not under `dir`).
/// The path of `path` relative to `dir`, with `/` separators (a test-name prefix).
pub(crate) fn relative_name(dir: &Path, path: &Path) -> String {
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
/// True when a file's tests may match `filter` (or there is no filter).
pub(crate) fn selected_file(file: &str, filter: Option<&str>) -> bool {
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
