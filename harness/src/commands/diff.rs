//! `iamspec diff`: opens the other side (`--oracle`), runs the differential loop
//! ([`crate::diff`]) against the reference evaluator, prints the summary. The exit status is 0
//! when the sides never disagreed, 1 when they did.

use std::io::IsTerminal;
use std::path::PathBuf;

use iamspec_generators::Settings;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::DiffArgs;
use crate::diff::disagreement::Comparator;
use crate::diff::run::{run_diff, DiffConfig, Findings, Prepare, RunError};
use crate::diff::sides::Sides;
use crate::diff::store::{Store, StoreError};
use crate::error::CliError;
use crate::oracle::process::client::ProcessOptions;
use crate::oracle::recorder::RecordingOracle;
use crate::oracle::reference::ReferenceOracle;
use crate::oracle::replay::ReplayError;
use crate::oracle::spec::{OracleSpec, OracleSpecError};
use crate::oracle::{CaseAnswers, Oracle, OracleInfo};
use crate::paths::source_root;
use crate::run::compare::ComparisonMode;

/// Why `iamspec diff` could not run.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The `--oracle` value.
    #[error(transparent)]
    Oracle(#[from] OracleSpecError),
    /// A file of the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The loop.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The recording cannot be opened.
    #[error("--record: {0}")]
    Record(#[from] ReplayError),
    /// `--into-corpus` without a corpus to write into.
    #[error("--into-corpus: no corpus to write into (neither {} nor ./corpus has features.json); give --out DIR", .0.display())]
    NoCorpus(PathBuf),
    /// `--account-snapshot` cannot be used.
    #[error("--account-snapshot: {0}")]
    Snapshot(String),
    /// Unknown preset (clap checks it first; kept for library callers).
    #[error("--preset `{0}`: not a preset (realistic, well-formed, adversarial, identity-only)")]
    Preset(String),
}

/// Runs `iamspec diff`; the exit status is 0 without disagreements, 1 with.
pub fn run(args: &DiffArgs) -> Result<u8, CliError> {
    diff(args).map_err(|e| CliError::Diff(Box::new(e)))
}

/// [`run`], with the loop's own error.
fn diff(args: &DiffArgs) -> Result<u8, DiffError> {
    let spec: &OracleSpec = &args.oracle;
    let settings =
        Settings::preset(&args.preset).ok_or_else(|| DiffError::Preset(args.preset.clone()))?;
    let options = ProcessOptions::with_timeout(args.timeout.duration());
    let date = today();
    let out = match &args.out {
        Some(out) => out.clone(),
        None => default_out(args.into_corpus)?,
    };
    let mut findings = Findings::Triage;
    let mut settings = settings;
    let mut prepare = None;
    let mut other: Box<dyn Oracle> = match spec {
        OracleSpec::Aws => {
            let (oracle, filing) = open_aws(&args.aws, &out, &date)?;
            findings = filing;
            // One call decides a whole batch: larger worlds, reshaped by `aws_prepare`.
            settings = settings.oracle_batch();
            prepare = aws_prepare(&args.aws)?;
            oracle
        }
        _ => spec.open(options)?,
    };
    if let Some(path) = &args.record {
        other = Box::new(RecordingOracle::new(Boxed(other), path)?);
    }
    let info = other.info();
    let store = match findings {
        Findings::Triage => Store::open(&out, &spec.folder_name(&info))?,
        Findings::Regressions { .. } => {
            Store::open_filing_in(&out, &spec.folder_name(&info), &out.join("regressions"))?
        }
    };
    let config = DiffConfig {
        oracle_spec: spec.to_string(),
        seed: args.seed,
        count: args.count,
        preset: args.preset.clone(),
        settings,
        mode: args.compare,
        max_shrink_steps: args.max_shrink_steps,
        resume: args.resume,
        date,
        stop_after: None,
        shard: args.shard,
        prepare,
        findings,
        jobs: args
            .jobs
            .unwrap_or_else(crate::run::suite::default_jobs)
            .max(1),
        save_every: std::time::Duration::from_secs(1),
    };
    let mut reference = ReferenceOracle;
    let comparator = Comparator {
        mode: args.compare,
        other_decision_mode: info.decision_mode,
    };
    let progress = progress_bar();
    let mut sides = Sides {
        reference: &mut reference,
        other: other.as_mut(),
        comparator,
        calls: 0,
    };
    let summary = run_diff(&config, &mut sides, &store, &progress);
    progress.finish_and_clear();
    let finished = other.finish();
    let summary = summary?;
    if let Err(e) = finished {
        eprintln!("iamspec diff: {}: {e}", info.name);
    }
    let header = format!(
        "iamspec diff: iamspec {} vs {} {} ({}), seed {}, {} cases, preset {}, mode {}{}",
        env!("CARGO_PKG_VERSION"),
        info.name,
        info.version,
        config.oracle_spec,
        config.seed,
        config.count,
        config.preset,
        config.mode.name(),
        if comparator.by_class() && config.mode != ComparisonMode::DecisionClass {
            " (decisions by class: the other side only tells allowed from not allowed)"
        } else {
            ""
        }
    );
    print!(
        "{}",
        summary.text(&header, &store.triage_dir().display().to_string())
    );
    Ok(u8::from(summary.cases_disagreed > 0))
}

/// The AWS oracle from `--oracle aws`'s options: the cache defaults to `OUT/.diff/aws/cache`.
#[cfg(feature = "aws")]
fn open_aws(
    args: &crate::cli::AwsArgs,
    out: &std::path::Path,
    date: &str,
) -> Result<(Box<dyn Oracle>, Findings), OracleSpecError> {
    use crate::oracle::aws::client::ClientSettings;
    use crate::oracle::aws::request::Target;
    use crate::oracle::aws::{AwsOracle, AwsSettings};
    let settings = AwsSettings {
        client: ClientSettings {
            region: args.aws_region.clone(),
            endpoint_url: args.aws_endpoint.clone(),
            replay: args.aws_replay.clone(),
            record: args.aws_record.clone(),
            ..ClientSettings::default()
        },
        target: match (&args.principal, &args.account_snapshot) {
            (Some(arn), Some(_)) => Target::PrincipalOwn { arn: arn.clone() },
            (Some(arn), None) => Target::Principal { arn: arn.clone() },
            (None, _) => Target::Custom,
        },
        cache: (!args.no_aws_cache).then(|| {
            args.aws_cache
                .clone()
                .unwrap_or_else(|| out.join(".diff").join("aws").join("cache"))
        }),
        max_calls: args.max_calls,
        min_interval: if args.aws_rate > 0.0 {
            std::time::Duration::from_secs_f64(1.0 / args.aws_rate)
        } else {
            std::time::Duration::ZERO
        },
        date: date.to_string(),
    };
    let oracle = AwsOracle::new(settings).map_err(|e| OracleSpecError::Aws(e.to_string()))?;
    let findings = Findings::Regressions {
        api: oracle.api().to_string(),
        region: oracle.region().to_string(),
    };
    Ok((Box::new(oracle), findings))
}

/// Without the `aws` feature, `--oracle aws` says how to get it.
#[cfg(not(feature = "aws"))]
fn open_aws(
    _: &crate::cli::AwsArgs,
    _: &std::path::Path,
    _: &str,
) -> Result<(Box<dyn Oracle>, Findings), OracleSpecError> {
    Err(OracleSpecError::Aws(
        "this iamspec was built without the `aws` feature (build it with default features)".into(),
    ))
}

/// AWS runs oracle-friendly cases (one call decides a case's requests); with
/// `--account-snapshot`, cases about the `--principal`'s own policies, read from the snapshot.
#[cfg(feature = "aws")]
fn aws_prepare(args: &crate::cli::AwsArgs) -> Result<Option<Prepare>, DiffError> {
    use crate::oracle::aws::batch::batch_friendly;
    use crate::oracle::aws::own::OwnPolicies;
    let (Some(path), Some(arn)) = (&args.account_snapshot, &args.principal) else {
        return Ok(Some(Prepare(std::sync::Arc::new(batch_friendly))));
    };
    let found = crate::snapshot::load(path, arn).map_err(|e| DiffError::Snapshot(e.to_string()))?;
    if found.role_arn.as_deref().is_some_and(|role| role != arn) {
        return Err(DiffError::Snapshot(format!(
            "--principal `{arn}`: give the role's ARN ({}), not a session of it: SimulatePrincipalPolicy simulates users and roles",
            found.role_arn.as_deref().unwrap_or("")
        )));
    }
    let own = OwnPolicies {
        arn: arn.clone(),
        identity: found.identity,
        boundary: found.boundary,
    };
    Ok(Some(Prepare(std::sync::Arc::new(move |case| {
        own.apply(&batch_friendly(case))
    }))))
}

#[cfg(not(feature = "aws"))]
fn aws_prepare(_: &crate::cli::AwsArgs) -> Result<Option<Prepare>, DiffError> {
    Ok(None)
}

/// A boxed oracle as a sized one (for [`RecordingOracle`]).
struct Boxed(Box<dyn Oracle>);

impl Oracle for Boxed {
    fn info(&self) -> OracleInfo {
        self.0.info()
    }

    fn decide(&mut self, case: &iamspec_format::Case) -> CaseAnswers {
        self.0.decide(case)
    }

    fn finish(&mut self) -> Result<(), String> {
        self.0.finish()
    }

    fn api_calls(&self) -> Option<usize> {
        self.0.api_calls()
    }
}

/// Where findings go when no `--out` is given: `./iamspec-findings/`, so a run writes nothing
/// into a checkout by surprise; with `--into-corpus`, the corpus of the source tree this binary
/// was built from, else `./corpus` (never the compiled-in copy under the cache directory).
pub fn default_out(into_corpus: bool) -> Result<PathBuf, DiffError> {
    if !into_corpus {
        return Ok(PathBuf::from(DEFAULT_FINDINGS));
    }
    let source = source_root().join("corpus");
    if source.join("features.json").is_file() {
        return Ok(source);
    }
    let here = PathBuf::from("corpus");
    if here.join("features.json").is_file() {
        return Ok(here);
    }
    Err(DiffError::NoCorpus(source))
}

/// The folder `iamspec diff` writes findings into without `--out` or `--into-corpus`.
pub const DEFAULT_FINDINGS: &str = "iamspec-findings";

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Timestamp::now()
        .to_string()
        .chars()
        .take(10)
        .collect()
}

/// A progress bar on stderr when it is a terminal, else a hidden one.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {elapsed} (eta {eta}) {msg}")
    {
        bar.set_style(style);
    }
    bar
}
