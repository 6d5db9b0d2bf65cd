//! Running case files through an [`Oracle`] — a third-party evaluator, or the reference evaluator
//! in protocol terms — in parallel instances, and checking every answer against the cases'
//! expectations under a [`ComparisonMode`].
//!
//! The cases are loaded once; `jobs` workers each start their own oracle and take cases from a
//! shared queue; results come back in file order, one [`RequestResult`] per request (a file that
//! does not load is one errored result). A progress bar is drawn on stderr when it is a
//! terminal. Known failures are attached to the results here; printing is
//! [`crate::report`]'s job.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use iamspec_format::load::load_dir;
use iamspec_format::{judge_answers, Case};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::known::KnownFailures;
use crate::oracle::reference::ReferenceOracle;
use crate::oracle::{Oracle, OracleInfo};
use crate::paths::built_in_corpus;
use crate::run::compare::ComparisonMode;
use crate::run::results::{CheckRun, Outcome, RequestResult};
use crate::shard::Shard;

/// The most parallel instances `--jobs` defaults to.
pub const MAX_DEFAULT_JOBS: usize = 8;

/// The default number of parallel instances: the available cores, at most
/// [`MAX_DEFAULT_JOBS`].
pub fn default_jobs() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, MAX_DEFAULT_JOBS)
}

/// How a suite run goes.
#[derive(Debug, Clone)]
pub struct SuiteOptions {
    /// Parallel oracle instances.
    pub jobs: usize,
    /// The comparison mode asked for (an evaluator in class mode is compared in
    /// `decision-class` whatever is asked).
    pub mode: ComparisonMode,
    /// Keep only requests whose test name contains this.
    pub filter: Option<String>,
    /// Draw a progress bar (only ever on a terminal).
    pub progress: bool,
    /// The flag that reproduces a result (`--adapter NAME`, `--evaluator '...'`).
    pub evaluator_flag: Option<String>,
    /// Run only this part of the case files (`--shard I/N`, see [`load_work_shard`]).
    pub shard: Option<Shard>,
}

/// A case to run: where it came from and the requests the filter kept.
#[derive(Debug, Clone)]
pub struct Work {
    /// The directory searched.
    pub dir: PathBuf,
    /// True when `dir` is inside the bundled corpus.
    pub bundled: bool,
    /// The file's path relative to `dir`.
    pub name: String,
    /// The case, with the selected requests only.
    pub case: Case,
    /// True for `triage/` cases.
    pub triage: bool,
}

/// The cases under `dirs`, loaded, with the requests `filter` selects; files that did not load
/// come back as errored results.
pub fn load_work(dirs: &[PathBuf], filter: Option<&str>) -> (Vec<Work>, Vec<RequestResult>) {
    load_work_shard(dirs, filter, None)
}

/// [`load_work`], keeping only `shard`'s part: the selected case files (those that load and
/// those that do not, in the order the directories list them) whose position is `I-1` modulo
/// `N`. The shards of one `N` are disjoint and together hold every selected file.
pub fn load_work_shard(
    dirs: &[PathBuf],
    filter: Option<&str>,
    shard: Option<Shard>,
) -> (Vec<Work>, Vec<RequestResult>) {
    let mut position = 0usize;
    let mut mine = || {
        position += 1;
        shard.is_none_or(|s| s.holds(position - 1))
    };
    let corpus = built_in_corpus().canonicalize().ok();
    let mut work = Vec::new();
    let mut failed = Vec::new();
    let mut seen = crate::paths::SeenFiles::default();
    for dir in dirs {
        let bundled = crate::paths::in_bundled_corpus(dir, corpus.as_deref());
        for loaded in load_dir(dir) {
            match loaded {
                Ok(loaded) if !seen.first_time(&loaded.path, true) => {}
                Err(error)
                    if !seen.first_time(
                        crate::paths::load_error_path(&error),
                        crate::paths::load_error_path(&error).is_file(),
                    ) => {}
                Ok(loaded) => {
                    let triage = loaded.is_triage();
                    let (name, mut case) = (loaded.name, loaded.case);
                    case.requests.retain(|r| {
                        filter.is_none_or(|f| format!("{name}::{}", r.name).contains(f))
                    });
                    if case.requests.is_empty() || !mine() {
                        continue;
                    }
                    work.push(Work {
                        dir: dir.clone(),
                        bundled,
                        name,
                        case,
                        triage,
                    });
                }
                Err(error) => {
                    let file =
                        crate::paths::relative_name(dir, crate::paths::load_error_path(&error));
                    if crate::paths::selected_file(&file, filter) && mine() {
                        failed.push(RequestResult::load_failure(dir, bundled, file, &error));
                    }
                }
            }
        }
    }
    (work, failed)
}

/// Why no oracle could be started.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoOracle(pub String);

/// Runs the work through `jobs` oracles made by `make`, checks every answer, and attaches the
/// known failures. Fails only when no oracle could be started at all.
pub fn run_suite(
    dirs: &[PathBuf],
    make: &(dyn Fn() -> Result<Box<dyn Oracle>, String> + Sync),
    options: &SuiteOptions,
    known: Option<KnownFailures>,
) -> Result<CheckRun, NoOracle> {
    let (work, load_failures) = load_work_shard(dirs, options.filter.as_deref(), options.shard);
    let jobs = options.jobs.clamp(1, work.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Vec<RequestResult>>>> =
        work.iter().map(|_| Mutex::new(None)).collect();
    let info: Mutex<Option<OracleInfo>> = Mutex::new(None);
    let start_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let finish_errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let elapsed: Mutex<Duration> = Mutex::new(Duration::ZERO);
    let progress = progress_bar(options.progress, work.len());

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut oracle = match make() {
                    Ok(o) => o,
                    Err(e) => {
                        lock(&start_errors).push(e);
                        return;
                    }
                };
                let me = oracle.info();
                let mode = options.mode.for_evaluator(me.decision_mode);
                lock(&info).get_or_insert(me);
                let started = Instant::now();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = work.get(i) else { break };
                    let results = decide(oracle.as_mut(), item, mode, options);
                    *lock(&slots[i]) = Some(results);
                    progress.inc(1);
                }
                let took = started.elapsed();
                {
                    let mut e = lock(&elapsed);
                    *e = (*e).max(took);
                }
                if let Err(e) = oracle.finish() {
                    lock(&finish_errors).push(e);
                }
            });
        }
    });
    progress.finish_and_clear();

    let Some(info) = into_inner(info) else {
        let errors = into_inner(start_errors);
        return Err(NoOracle(if errors.is_empty() {
            "no evaluator was started".to_string()
        } else {
            distinct(&errors).join("\n")
        }));
    };
    let start_errors = into_inner(start_errors);
    if !start_errors.is_empty() {
        eprintln!(
            "warning: {} of {jobs} evaluator instances did not start; the others ran every case:\n{}",
            start_errors.len(),
            distinct(&start_errors).join("\n")
        );
    }
    for e in into_inner(finish_errors) {
        eprintln!("warning: {e}");
    }
    let mode = options.mode.for_evaluator(info.decision_mode);
    let mut results = load_failures;
    for (i, slot) in slots.into_iter().enumerate() {
        match into_inner(slot) {
            Some(r) => results.extend(r),
            // A worker died between taking the case and storing it (it cannot panic, but the
            // case is not silently lost if it ever does).
            None => results.extend(no_answer_results(
                &work[i],
                Outcome::Errored,
                "the case was not run (a harness worker stopped)",
                options,
            )),
        }
    }
    let mut run = CheckRun {
        dirs: dirs.to_vec(),
        results,
        oracle: Some(info),
        mode: Some(mode),
        known: None,
        stale_known: Vec::new(),
        elapsed: Some(into_inner(elapsed)),
    };
    if let Some(known) = known {
        attach_known(
            &mut run,
            known,
            options.filter.is_none() && options.shard.is_none() && covers_corpus(dirs),
        );
    }
    Ok(run)
}

/// Each message once, in first-seen order (parallel instances of one evaluator that fail to
/// start fail alike: the reason is said once, with how many instances it stopped).
fn distinct(messages: &[String]) -> Vec<String> {
    let mut seen: Vec<(&String, usize)> = Vec::new();
    for m in messages {
        match seen.iter_mut().find(|(s, _)| *s == m) {
            Some((_, n)) => *n += 1,
            None => seen.push((m, 1)),
        }
    }
    seen.into_iter()
        .map(|(m, n)| {
            if n > 1 {
                format!("{m}\n(the same for {n} instances)")
            } else {
                m.clone()
            }
        })
        .collect()
}

/// True when `dirs` includes the whole bundled corpus.
fn covers_corpus(dirs: &[PathBuf]) -> bool {
    let corpus = built_in_corpus().canonicalize().ok();
    dirs.iter().any(|d| {
        d.canonicalize()
            .ok()
            .is_some_and(|d| Some(&d) == corpus.as_ref())
    })
}

/// Attaches the known-failures entries to the results; with `whole_corpus`, entries that match
/// no result are stale.
pub fn attach_known(run: &mut CheckRun, known: KnownFailures, whole_corpus: bool) {
    let mut seen = std::collections::HashSet::new();
    for r in &mut run.results {
        let id = r.test_id();
        if let Some(entry) = known.get(&id) {
            r.known = Some(entry.clone());
            seen.insert(id);
        }
    }
    if whole_corpus {
        run.stale_known = known
            .entries()
            .filter(|e| !seen.contains(&e.test))
            .cloned()
            .collect();
    }
    run.known = Some(known);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn into_inner<T>(m: Mutex<T>) -> T {
    match m.into_inner() {
        Ok(v) => v,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn progress_bar(wanted: bool, len: usize) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} cases")
    {
        bar.set_style(style);
    }
    bar
}

fn base_result(
    item: &Work,
    request: &iamspec_format::CaseRequest,
    options: &SuiteOptions,
) -> RequestResult {
    let mut r = RequestResult::new(
        &item.dir,
        item.bundled,
        &item.name,
        item.triage,
        &item.case.features,
        Some(request),
    );
    r.evaluator_flag = options.evaluator_flag.clone();
    r
}

fn no_answer_results(
    item: &Work,
    status: Outcome,
    message: &str,
    options: &SuiteOptions,
) -> Vec<RequestResult> {
    item.case
        .requests
        .iter()
        .map(|request| {
            let mut r = base_result(item, request, options);
            r.status = status;
            r.messages.push(message.to_string());
            r
        })
        .collect()
}

/// Case -> oracle -> answers -> the one checker -> one result per request.
fn decide(
    oracle: &mut dyn Oracle,
    item: &Work,
    mode: ComparisonMode,
    options: &SuiteOptions,
) -> Vec<RequestResult> {
    let answers = oracle.decide(&item.case);
    judge_answers(&item.case, answers, mode)
        .into_iter()
        .zip(&item.case.requests)
        .map(|((answer, verdict), request)| {
            let mut r = base_result(item, request, options);
            r.record(&answer, &verdict);
            r
        })
        .collect()
}

/// The reference evaluator on every case under `dirs` (the requests `filter` selects), judged
/// on everything each case states (`full`), in parallel: what `iamspec check` runs by default
/// (see [`check_reference`]).
pub fn check_dirs(dirs: &[PathBuf], filter: Option<&str>) -> CheckRun {
    check_reference(
        dirs,
        &SuiteOptions {
            jobs: default_jobs(),
            mode: ComparisonMode::Full,
            filter: filter.map(str::to_string),
            progress: false,
            evaluator_flag: None,
            shard: None,
        },
    )
}

/// The reference evaluator's own run: [`run_suite`] with the in-process reference oracle under
/// `options` (its `evaluator_flag` is ignored); the run names no oracle, no mode and no
/// elapsed time, as the reference's own run always has.
pub fn check_reference(dirs: &[PathBuf], options: &SuiteOptions) -> CheckRun {
    let options = SuiteOptions {
        evaluator_flag: None,
        ..options.clone()
    };
    let make = || Ok(Box::new(ReferenceOracle) as Box<dyn Oracle>);
    let mut run = match run_suite(dirs, &make, &options, None) {
        Ok(run) => run,
        // The reference always starts; if it ever did not, nothing ran, and the run says so by
        // its empty results.
        Err(NoOracle(message)) => {
            eprintln!("warning: {message}");
            CheckRun {
                dirs: dirs.to_vec(),
                ..CheckRun::default()
            }
        }
    };
    run.oracle = None;
    run.mode = None;
    run.elapsed = None;
    run
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::reference::ReferenceOracle;

    #[test]
    fn the_reference_oracle_passes_the_bundled_corpus_in_every_mode() {
        for mode in [ComparisonMode::Decision, ComparisonMode::Full] {
            let options = SuiteOptions {
                jobs: 4,
                mode,
                filter: None,
                progress: false,
                evaluator_flag: None,
                shard: None,
            };
            let run = run_suite(
                &[built_in_corpus()],
                &|| Ok(Box::new(ReferenceOracle) as Box<dyn Oracle>),
                &options,
                None,
            )
            .unwrap();
            let bad: Vec<String> = run
                .results
                .iter()
                .filter(|r| !r.triage && !matches!(r.status, Outcome::Passed | Outcome::Skipped))
                .map(|r| format!("{} {}: {:?}", r.status.name(), r.name(), r.messages))
                .collect();
            assert!(bad.is_empty(), "{mode}: {bad:#?}");
            assert!(run.counts().passed > 100);
        }
    }

    #[test]
    fn no_oracle_is_an_error() {
        let options = SuiteOptions {
            jobs: 2,
            mode: ComparisonMode::Decision,
            filter: None,
            progress: false,
            evaluator_flag: None,
            shard: None,
        };
        let err = run_suite(
            &[built_in_corpus()],
            &|| Err("cannot start".to_string()),
            &options,
            None,
        )
        .unwrap_err();
        assert!(err.to_string().contains("cannot start"));
    }
}
