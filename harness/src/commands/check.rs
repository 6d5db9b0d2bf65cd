//! `iamspec check`: run case files on the reference evaluator or a third-party evaluator,
//! count the verdicts, print them and write the report pages.
//!
//! Every run goes case -> oracle -> answer -> the one checker -> outcome
//! ([`crate::run::suite`]): the reference evaluator (in process) unless `--oracle` (or
//! `--evaluator`, `--adapter`, `--replay`) names another. Without `--compare` the reference is
//! judged on everything each case states (`full`), once. Printing is [`crate::report`]'s job.

use std::path::PathBuf;

use crate::cli::CheckArgs;
use crate::error::CliError;
use crate::known::KnownFailures;
use crate::oracle::OracleInfo;
use crate::paths::{case_dirs, shell_quote};
use crate::report;
use crate::run::compare::ComparisonMode;
use crate::run::results::CheckRun;

/// Runs `iamspec check`; returns the exit status (0 when nothing is a problem, else 1).
pub fn run(args: &CheckArgs) -> Result<u8, CliError> {
    if matches!(args.oracle, Some(crate::oracle::spec::OracleSpec::Aws)) {
        return Err(CliError::Usage(
            "--oracle aws: `iamspec check` does not run the corpus against AWS; use `iamspec diff --oracle aws`".into(),
        ));
    }
    let args = &args.resolved();
    let dirs = case_dirs(&args.cases)?;
    let run = match (&args.evaluator, &args.adapter) {
        (None, None) if args.replay.is_some() => check_replay(args, &dirs)?,
        (None, None) => {
            let mut run = match args.compare {
                // The reference's own run: everything each case states (full).
                None => crate::run::suite::check_reference(
                    &dirs,
                    &reference_options(args, ComparisonMode::Full),
                ),
                Some(mode) => reference_in_mode(args, &dirs, mode)?,
            };
            if let Some(path) = &args.known_failures {
                let known = KnownFailures::load(path)?;
                let whole = args.filter.is_none() && args.cases.is_empty() && args.shard.is_none();
                crate::run::suite::attach_known(&mut run, known, whole);
            }
            run
        }
        (command, adapter) => check_evaluator(args, &dirs, command.as_deref(), adapter.as_deref())?,
    };
    let mut run = run;
    crate::run::why_not::attach(&mut run);
    let text = report::console::TextOptions {
        verbose: args.verbose,
        failures_only: args.failures_only,
        color: report::console::stdout_color(args.color),
    };
    report::console::print_check_with(&run, args.format, &text)?;
    if let Some(dir) = &args.report_dir {
        crate::report::write_report_dir(dir, std::slice::from_ref(&run))?;
    }
    // A filter that selects nothing is a mistake (a typo in a test name), not a green run.
    if let Some(filter) = &args.filter {
        if run.results.is_empty() {
            eprintln!("--filter `{filter}` matches no request: nothing was checked");
            return Ok(1);
        }
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
    let replay = crate::oracle::replay::ReplayOracle::open(path, info)
        .map_err(|e| CliError::Usage(format!("--replay: {e}")))?;
    let known = args
        .known_failures
        .as_ref()
        .map(|p| KnownFailures::load(p))
        .transpose()?;
    let options = crate::run::suite::SuiteOptions {
        jobs: args
            .jobs
            .unwrap_or_else(crate::run::suite::default_jobs)
            .max(1),
        mode: args.compare.unwrap_or_default(),
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: Some(format!(
            "--oracle {}",
            shell_quote(&format!("replay:{}", path.display()))
        )),
        shard: args.shard,
    };
    crate::run::suite::run_suite(
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
    crate::run::suite::run_suite(
        dirs,
        &|| {
            Ok(Box::new(crate::oracle::reference::ReferenceOracle)
                as Box<dyn crate::oracle::Oracle>)
        },
        &reference_options(args, mode),
        None,
    )
    .map_err(|e| CliError::Usage(e.to_string()))
}

/// The suite options of a reference run in `mode`, from the flags.
fn reference_options(args: &CheckArgs, mode: ComparisonMode) -> crate::run::suite::SuiteOptions {
    crate::run::suite::SuiteOptions {
        jobs: args
            .jobs
            .unwrap_or_else(crate::run::suite::default_jobs)
            .max(1),
        mode,
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: None,
        shard: args.shard,
    }
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
            format!("--oracle {}", shell_quote(&format!("command:{command}"))),
            None,
        ),
        (None, Some(name)) => {
            let adapter = crate::oracle::adapters::Adapter::find(name)?;
            let known = adapter.known_failures();
            (
                adapter.command(),
                format!("--oracle {}", shell_quote(&format!("adapter:{name}"))),
                known.is_file().then_some(known),
            )
        }
        (None, None) => return Err(CliError::Usage("--evaluator or --adapter is needed".into())),
    };
    let known_path = if args.no_known_failures {
        None
    } else {
        args.known_failures.clone().or(default_known)
    };
    let known = known_path.map(|p| KnownFailures::load(&p)).transpose()?;
    let factory = crate::oracle::adapters::ProcessFactory::new(
        &command,
        args.timeout.duration(),
        args.validate_protocol,
    )?;
    let options = crate::run::suite::SuiteOptions {
        jobs: args
            .jobs
            .unwrap_or_else(crate::run::suite::default_jobs)
            .max(1),
        mode: args.compare.unwrap_or_default(),
        filter: args.filter.clone(),
        progress: !args.no_progress,
        evaluator_flag: Some(flag.clone()),
        shard: args.shard,
    };
    let record = args.record.clone();
    if let Some(path) = &record {
        crate::oracle::recorder::check_writable(path)
            .map_err(|e| CliError::Usage(format!("--record {e}")))?;
    }
    let make = || -> Result<Box<dyn crate::oracle::Oracle>, String> {
        let oracle = factory.make()?;
        match &record {
            Some(path) => crate::oracle::recorder::RecordingOracle::new(oracle, path)
                .map(|r| Box::new(r) as Box<dyn crate::oracle::Oracle>)
                .map_err(|e| e.to_string()),
            None => Ok(oracle),
        }
    };
    let run = crate::run::suite::run_suite(dirs, &make, &options, known).map_err(|e| {
        CliError::EvaluatorDidNotStart {
            flag,
            message: e.to_string(),
        }
    })?;
    if let Some(schemas) = &factory.schemas {
        eprintln!("{}", protocol_verdict(schemas.tally()));
    }
    Ok(run)
}

/// What `--validate-protocol` found over a run: "protocol OK" with the number of messages
/// checked, or how many broke the schemas (each is reported with its case).
fn protocol_verdict((checked, broken): (usize, usize)) -> String {
    if broken == 0 {
        format!(
            "protocol OK: all {checked} messages from the evaluator match docs/protocol/*.schema.json"
        )
    } else {
        format!(
            "protocol: {broken} of {checked} messages from the evaluator break docs/protocol/*.schema.json (each is reported with its case)"
        )
    }
}
