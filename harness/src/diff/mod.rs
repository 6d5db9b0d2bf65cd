//! `iamspec diff`: the differential loop of DESIGN.md against any other side — a bundled
//! adapter, a command speaking the protocol, or a replay of recorded answers.
//!
//! Generated cases (seeded) are decided by the reference evaluator and by the other side and
//! compared under a named [`compare::ComparisonMode`]; "the other side could not answer" is
//! counted apart from "the two sides disagree". Each disagreement is written raw at once,
//! shrunk while it holds ([`shrink`]), deduplicated by [`signature`], written as a triage case
//! and confirmed by re-loading and re-running it ([`run`](mod@run), [`store`]). This file holds the
//! arguments and the thin entry point; the loop is in [`run`](mod@run).

pub mod compare;
pub mod oracle_spec;
pub mod run;
pub mod shrink;
pub mod sides;
pub mod signature;
pub mod store;
pub mod summary;
pub mod wire;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use iamspec_generators::Settings;
use indicatif::{ProgressBar, ProgressStyle};

use crate::diff::compare::{Comparator, ComparisonMode};
use crate::diff::oracle_spec::{OracleSpec, OracleSpecError};
use crate::diff::run::{run_diff, DiffConfig, RunError};
use crate::diff::sides::Sides;
use crate::diff::store::{Store, StoreError};
use crate::oracle::{
    CaseAnswers, Oracle, OracleInfo, RecordingOracle, ReferenceOracle, ReplayError,
};
use crate::process::ProcessOptions;

/// Arguments of `iamspec diff`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Findings go to OUT/triage/<oracle>/<signature>.json (OUT = the corpus by default); \
raw cases and the run state to OUT/.diff/<oracle>/.\n\
Exit status: 0 when the sides never disagreed, 1 when they did, 2 for unusable input or a failed write."
)]
pub struct DiffArgs {
    /// The other side: `adapter:NAME` (harness/adapters/NAME/run.sh), `command:CMD` (run with
    /// `sh -c`), or `replay:FILE` (a recording).
    #[arg(long, value_name = "adapter:NAME|command:CMD|replay:FILE")]
    pub oracle: String,
    /// How many cases to generate.
    #[arg(long, default_value_t = 100)]
    pub count: usize,
    /// The generator seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The generator preset.
    #[arg(long, default_value = "well-formed", value_parser = PossibleValuesParser::new(Settings::PRESETS))]
    pub preset: String,
    /// How strictly answers must match (a class-only evaluator is compared by class anyway).
    #[arg(long, value_parser = crate::cli::comparison_mode(), default_value_t = ComparisonMode::Decision)]
    pub mode: ComparisonMode,
    /// Where findings go (default: the corpus).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// At most this many shrink candidates tried per disagreement.
    #[arg(long, default_value_t = 400)]
    pub max_shrink_steps: usize,
    /// Continue an interrupted run from `OUT/.diff/<oracle>/state.json`.
    #[arg(long)]
    pub resume: bool,
    /// Seconds the other side may take per case.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Append every answer of the other side (shrink steps included) to this JSON-lines
    /// recording, which `--oracle replay:FILE` replays offline.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
}

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
    /// Unknown preset (clap checks it first; kept for library callers).
    #[error("--preset `{0}`: not a preset (well-formed, adversarial, identity-only)")]
    Preset(String),
}

/// `iamspec diff`, for `main`: prints the summary, or the error with exit status 2.
pub fn main(args: &DiffArgs) -> ExitCode {
    match run(args) {
        Ok(status) => ExitCode::from(status),
        Err(e) => {
            eprintln!("iamspec diff: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs `iamspec diff`; the exit status is 0 without disagreements, 1 with.
pub fn run(args: &DiffArgs) -> Result<u8, DiffError> {
    let spec: OracleSpec = args.oracle.parse()?;
    let settings =
        Settings::preset(&args.preset).ok_or_else(|| DiffError::Preset(args.preset.clone()))?;
    let options = ProcessOptions {
        timeout: Duration::from_secs(args.timeout.max(1)),
        ..ProcessOptions::default()
    };
    let mut other = spec.open(options)?;
    if let Some(path) = &args.record {
        other = Box::new(RecordingOracle::new(Boxed(other), path)?);
    }
    let info = other.info();
    let out = args.out.clone().unwrap_or_else(default_out);
    let store = Store::open(&out, &spec.folder_name(&info))?;
    let config = DiffConfig {
        oracle_spec: spec.to_string(),
        seed: args.seed,
        count: args.count,
        preset: args.preset.clone(),
        settings,
        mode: args.mode,
        max_shrink_steps: args.max_shrink_steps,
        resume: args.resume,
        date: today(),
        stop_after: None,
    };
    let mut reference = ReferenceOracle;
    let comparator = Comparator {
        mode: args.mode,
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
}

/// The corpus of the source tree this binary was built from, else `./corpus`.
fn default_out() -> PathBuf {
    let built = crate::check::built_in_corpus();
    if built.is_dir() {
        built
    } else {
        PathBuf::from("corpus")
    }
}

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
