//! `iamspec report diff` (what got fixed and what broke between two JSON reports) and
//! `iamspec report conformance` (the reference evaluator and the bundled adapters over the
//! corpus, written as docs/CONFORMANCE.md and, with `--report-dir`, JSON and HTML).
//!
//! The report formats themselves are [`crate::report`]'s.

use std::io::Write;

use crate::cli::{ConformanceArgs, ReportCommand};
use crate::error::CliError;
use crate::known::KnownFailures;
use crate::oracle::adapters::{adapter_names, Adapter, ProcessFactory};
use crate::paths::{built_in_corpus, case_dirs, shell_quote};
use crate::report::conformance::Report;
use crate::report::diff::{diff, diff_text};
use crate::report::markdown::markdown;
use crate::report::write_reports;
use crate::run::compare::ComparisonMode;
use crate::run::results::CheckRun;
use crate::run::suite::check_dirs;
use crate::run::suite::{default_jobs, run_suite, SuiteOptions};

/// Runs `iamspec report ...`; returns the exit status.
pub fn run(command: &ReportCommand) -> Result<u8, CliError> {
    match command {
        ReportCommand::Diff { old, new } => {
            let d = diff(&Report::load(old)?, &Report::load(new)?);
            let mut out = std::io::stdout().lock();
            out.write_all(diff_text(&d).as_bytes())?;
            Ok(if d.anything_broke() { 1 } else { 0 })
        }
        ReportCommand::Conformance(args) => conformance(args),
        ReportCommand::Shards { summaries, json } => shards(summaries, json.as_deref()),
    }
}

/// `iamspec report shards`: the merged report of several `--shard` runs — the summaries of
/// `iamspec diff --shard` (`OUT/.diff/<oracle>/summary.json`) or the JSON reports of `iamspec
/// check --shard` (`--report-dir`'s `report.json`), not a mix of both.
fn shards(paths: &[std::path::PathBuf], json: Option<&std::path::Path>) -> Result<u8, CliError> {
    let mut values = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("{}: cannot read: {e}", path.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CliError::Usage(format!("{}: not JSON: {e}", path.display())))?;
        values.push((path, value));
    }
    let checks = values
        .iter()
        .filter(|(_, v)| v.get("implementations").is_some())
        .count();
    if checks > 0 && checks < values.len() {
        return Err(CliError::Usage(
            "report shards: give either diff summaries (summary.json) or check reports (report.json), not both".into(),
        ));
    }
    if checks > 0 {
        let mut merged: Option<Report> = None;
        for (path, value) in values {
            let report: Report = serde_json::from_value(value).map_err(|e| {
                CliError::Usage(format!(
                    "{}: not an iamspec JSON report: {e}",
                    path.display()
                ))
            })?;
            match &mut merged {
                None => merged = Some(report),
                Some(m) => crate::report::shards::merge_report(m, &report)
                    .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?,
            }
        }
        let Some(merged) = merged else {
            return Ok(0);
        };
        write_json(json, &merged)?;
        std::io::stdout()
            .lock()
            .write_all(crate::report::shards::merged_text(&merged, paths.len()).as_bytes())?;
        return Ok(u8::from(crate::report::shards::has_problems(&merged)));
    }
    let mut merged = crate::diff::summary::Summary::default();
    for (path, value) in values {
        let summary: crate::diff::summary::Summary = serde_json::from_value(value)
            .map_err(|e| CliError::Usage(format!("{}: not a diff summary: {e}", path.display())))?;
        merged.merge(&summary);
    }
    write_json(json, &merged)?;
    let header = format!("iamspec diff: {} shards merged", paths.len());
    std::io::stdout()
        .lock()
        .write_all(merged.text(&header, "regressions/ or triage/").as_bytes())?;
    Ok(u8::from(merged.cases_disagreed > 0))
}

/// Writes `value` as pretty JSON to `path`, when given.
fn write_json<T: serde::Serialize>(
    path: Option<&std::path::Path>,
    value: &T,
) -> Result<(), CliError> {
    let Some(out) = path else { return Ok(()) };
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Usage(format!("cannot serialise the report: {e}")))?;
    std::fs::write(out, text + "\n")
        .map_err(|e| CliError::Usage(format!("{}: cannot write: {e}", out.display())))
}

const INTRO: &str = "How third-party IAM policy evaluators answer the iamspec corpus. Generated \
by `iamspec report conformance --out docs/CONFORMANCE.md --report-dir docs/reports` (after \
`harness/adapters/install-all.sh`); do not edit by hand. The reference evaluator (iamspec) is \
checked on everything each case states (decision, matched statements with positions, missing \
context, error kinds); each adapter in `decision` mode (`decision-class` for an evaluator that \
only knows allowed vs not allowed), against its `known-failures.json` \
(`harness/adapters/<name>/`), where every expected disagreement has a reason. Triage cases are \
not counted. The same data is in `docs/reports/report.json` (compare two runs with \
`iamspec report diff OLD.json NEW.json`) and `docs/reports/report.html` (the matrix as a static \
page).\n\n\
To check an evaluator of your own, wrap it in the evaluator protocol (docs/protocol/README.md) \
and run `iamspec check --oracle 'command:COMMAND' --report-dir DIR` (add `--validate-protocol` while \
writing the wrapper, `--compare matched` or `--compare full` if it reports matched statements \
and missing context keys).";

/// Runs every implementation over the bundled corpus and writes the reports.
fn conformance(args: &ConformanceArgs) -> Result<u8, CliError> {
    let dirs = case_dirs(&[])?;
    let names = if args.adapters.is_empty() {
        adapter_names()
    } else {
        args.adapters.clone()
    };
    let mut runs: Vec<CheckRun> = vec![check_dirs(&dirs, None)];
    eprintln!("iamspec: {}", crate::report::summary_line(&runs[0]));
    for name in &names {
        let adapter = Adapter::find(name)?;
        if !adapter.installed() {
            return Err(CliError::Usage(format!(
                "adapter `{name}` is not installed: run harness/adapters/install-all.sh first"
            )));
        }
        let known = adapter.known_failures();
        let known = known
            .is_file()
            .then(|| KnownFailures::load(&known))
            .transpose()?;
        let factory = ProcessFactory::new(&adapter.command(), args.timeout.duration(), false)?;
        let flag = format!("--oracle {}", shell_quote(&format!("adapter:{name}")));
        let options = SuiteOptions {
            jobs: args.jobs.unwrap_or_else(default_jobs).max(1),
            mode: ComparisonMode::Decision,
            filter: None,
            progress: true,
            evaluator_flag: Some(flag.clone()),
            shard: None,
        };
        let run = run_suite(&dirs, &|| factory.make(), &options, known).map_err(|e| {
            CliError::EvaluatorDidNotStart {
                flag,
                message: e.to_string(),
            }
        })?;
        eprintln!("{name}: {}", crate::report::summary_line(&run));
        runs.push(run);
    }
    let mut report = Report::from_runs(&runs);
    // Paths in the page are the corpus as the repository names it, wherever this runs.
    if dirs == vec![built_in_corpus()] {
        report.corpus = vec!["corpus/".to_string()];
    }
    let text = markdown(&report, "Conformance of IAM policy evaluators", INTRO);
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| CliError::ReportFile {
            path: parent.to_path_buf(),
            message: format!("cannot create the directory: {e}"),
        })?;
    }
    std::fs::write(&args.out, text).map_err(|e| CliError::ReportFile {
        path: args.out.clone(),
        message: format!("cannot write: {e}"),
    })?;
    if let Some(dir) = &args.report_dir {
        std::fs::create_dir_all(dir).map_err(|e| CliError::ReportFile {
            path: dir.clone(),
            message: format!("cannot create the directory: {e}"),
        })?;
        write_reports(dir, &report, "Conformance of IAM policy evaluators", INTRO)?;
    }
    eprintln!("wrote {}", args.out.display());
    Ok(0)
}
