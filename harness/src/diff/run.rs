//! The differential loop: generate (seeded), decide on both sides, compare, and for each
//! disagreement write the raw case at once, shrink it, deduplicate by signature, write the
//! triage case, re-load and re-run it; save the run state after every case.
//!
//! Only the first disagreeing request of a case is shrunk (the others are in the raw case).
//! This module neither parses arguments nor prints: see [`crate::diff`].

use std::collections::BTreeSet;
use std::time::Instant;

use iamspec_format::load::load_case_file;
use iamspec_format::{Case, Source, SourceKind};
use iamspec_generators::serialise::GENERATOR_VERSION;
use iamspec_generators::{generate_cases, Settings};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};

use crate::diff::disagreement::ComparisonMode;
use crate::diff::shrink::shrink;
use crate::diff::sides::{Probe, Sides};
use crate::diff::signature::{signature, Finding};
use crate::diff::store::{Store, StoreError};
use crate::diff::summary::{Filed, ShrinkRecord, Summary};
use crate::oracle::{Answer, OracleInfo};

/// What a run does.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// The `--oracle` value, recorded as `source.oracle`.
    pub oracle_spec: String,
    /// The generator seed.
    pub seed: u64,
    /// How many cases the batch holds.
    pub count: usize,
    /// The generator preset's name.
    pub preset: String,
    /// The generator settings (of the preset).
    pub settings: Settings,
    /// The comparison mode.
    pub mode: ComparisonMode,
    /// At most this many candidates tried per shrink.
    pub max_shrink_steps: usize,
    /// Continue from the state file when it matches.
    pub resume: bool,
    /// The date written as `source.date` (YYYY-MM-DD).
    pub date: String,
    /// Stop after this many cases in this run (as if interrupted); `None` runs to `count`.
    pub stop_after: Option<usize>,
}

/// The state file: the run's settings and how far it got.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunState {
    /// The `--oracle` value.
    pub oracle: String,
    /// The seed.
    pub seed: u64,
    /// The batch size asked for.
    pub count: usize,
    /// The preset.
    pub preset: String,
    /// The mode.
    pub mode: ComparisonMode,
    /// The shrink budget.
    pub max_shrink_steps: usize,
    /// The next case to run.
    pub next_index: usize,
    /// The counts so far.
    pub summary: Summary,
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A file could not be written or read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `--resume` with a state file of another run.
    #[error("{path}: --resume: the state file is for {theirs}, this run is {ours}; use another --out or drop --resume")]
    StateMismatch {
        /// The state file.
        path: String,
        /// The state's run.
        theirs: String,
        /// This run.
        ours: String,
    },
}

fn describe(oracle: &str, seed: u64, preset: &str, mode: ComparisonMode) -> String {
    format!(
        "--oracle {oracle} --seed {seed} --preset {preset} --compare {}",
        mode.name()
    )
}

/// Runs the loop over `sides`, filing into `store`. Returns the summary (of the whole run,
/// resumed parts included).
pub fn run_diff(
    config: &DiffConfig,
    sides: &mut Sides<'_>,
    store: &Store,
    progress: &ProgressBar,
) -> Result<Summary, RunError> {
    let started = Instant::now();
    let state_path = store.state_path();
    let ours = describe(
        &config.oracle_spec,
        config.seed,
        &config.preset,
        config.mode,
    );
    let (mut next, mut summary) = match config.resume {
        false => (0, Summary::default()),
        true => match store.read_json::<RunState>(&state_path)? {
            None => (0, Summary::default()),
            Some(state) => {
                let theirs = describe(&state.oracle, state.seed, &state.preset, state.mode);
                if theirs != ours {
                    return Err(RunError::StateMismatch {
                        path: state_path.display().to_string(),
                        theirs,
                        ours,
                    });
                }
                (state.next_index, state.summary)
            }
        },
    };
    let previous_seconds = summary.seconds;
    let mut known: BTreeSet<String> = store.known_signatures()?;
    let other_info = sides.other.info();
    let cases = generate_cases(&config.settings, config.seed, config.count);
    progress.set_length(config.count as u64);
    progress.set_position(next as u64);
    let mut ran_now = 0;
    while next < cases.len() {
        if config.stop_after.is_some_and(|n| ran_now >= n) {
            break;
        }
        let generated = &cases[next];
        let calls_before = sides.calls;
        match sides.probe_generated(generated) {
            Err(_) => summary.cases_undecidable += 1,
            Ok(probe) => {
                for c in &probe.comparisons {
                    summary.count(c);
                }
                if let Some((_, finding)) = probe.findings().into_iter().next() {
                    summary.cases_disagreed += 1;
                    let record = file_disagreement(
                        config,
                        &other_info,
                        sides,
                        store,
                        &mut known,
                        generated,
                        probe,
                        finding,
                    )?;
                    progress.println(format!(
                        "case {next}: {} ({})",
                        record.signature,
                        match record.filed {
                            Filed::Written => "new",
                            Filed::Duplicate => "duplicate",
                            Filed::NotReproduced => "did not reproduce",
                        }
                    ));
                    summary.shrinks.push(record);
                }
            }
        }
        summary.cases_run += 1;
        summary.oracle_calls += sides.calls - calls_before;
        next += 1;
        ran_now += 1;
        summary.seconds = previous_seconds + started.elapsed().as_secs_f64();
        store.write_json(
            &state_path,
            &RunState {
                oracle: config.oracle_spec.clone(),
                seed: config.seed,
                count: config.count,
                preset: config.preset.clone(),
                mode: config.mode,
                max_shrink_steps: config.max_shrink_steps,
                next_index: next,
                summary: summary.clone(),
            },
        )?;
        progress.set_position(next as u64);
    }
    summary.seconds = previous_seconds + started.elapsed().as_secs_f64();
    store.write_json(&store.summary_path(), &summary)?;
    Ok(summary)
}

/// Writes the raw case, shrinks, deduplicates, writes and confirms the triage case.
#[allow(clippy::too_many_arguments)]
fn file_disagreement(
    config: &DiffConfig,
    other: &OracleInfo,
    sides: &mut Sides<'_>,
    store: &Store,
    known: &mut BTreeSet<String>,
    generated: &iamspec_generators::GeneratedCase,
    probe: Probe,
    finding: Finding,
) -> Result<ShrinkRecord, RunError> {
    let calls_before = sides.calls;
    let raw_signature = signature(&finding, &probe.case.features);
    let raw_case = dress(
        config,
        other,
        &probe,
        &finding,
        generated.index,
        "raw",
        &raw_signature,
    );
    let raw_name = format!("{raw_signature}-{}-{:05}", config.seed, generated.index);
    let raw_path = store.write_raw(&raw_name, &raw_case)?;
    let size_before = case_size(&raw_case);
    let shrunk = shrink(
        sides,
        generated.clone(),
        probe,
        &finding,
        config.max_shrink_steps,
    );
    let sig = signature(&finding, &shrunk.probe.case.features);
    let triage = dress(
        config,
        other,
        &shrunk.probe,
        &finding,
        generated.index,
        "triage",
        &sig,
    );
    let mut record = ShrinkRecord {
        index: generated.index,
        raw: raw_path.display().to_string(),
        signature: sig.clone(),
        filed: Filed::Duplicate,
        steps: shrunk.steps,
        taken: shrunk.taken,
        oracle_calls: 0,
        size_before,
        size_after: case_size(&triage),
        detail: first_difference(&shrunk.probe, &finding),
    };
    if !known.contains(&sig) {
        let path = store.write_triage(&sig, &triage)?;
        let reproduced = match load_case_file(&path) {
            Ok(loaded) => sides.probe(loaded.case).holds(&finding),
            Err(e) => {
                record.detail = format!("the written case does not load: {e}");
                false
            }
        };
        if reproduced {
            known.insert(sig);
            record.filed = Filed::Written;
        } else {
            store.remove(&path)?;
            record.filed = Filed::NotReproduced;
        }
    }
    record.oracle_calls = sides.calls - calls_before;
    Ok(record)
}

fn case_size(case: &Case) -> usize {
    iamspec_generators::serialise::case_json(case).map_or(0, |t| t.len())
}

fn first_difference(probe: &Probe, finding: &Finding) -> String {
    probe
        .findings()
        .into_iter()
        .find(|(_, f)| f.same_as(finding))
        .map(|(i, f)| {
            let action = probe.case.requests.get(i).map_or("", |r| r.action.as_str());
            format!("{action}: {}", f.difference.detail)
        })
        .unwrap_or_default()
}

/// The case file of a finding: the probe's case, with a unique description and the triage
/// provenance, and both sides' answers in `source.notes`. The expectations stay the
/// reference's answer.
fn dress(
    config: &DiffConfig,
    other: &OracleInfo,
    probe: &Probe,
    finding: &Finding,
    index: usize,
    what: &str,
    sig: &str,
) -> Case {
    let mut case = probe.case.clone();
    let d = &finding.difference;
    case.description = format!(
        "Differential {what} vs {}: {sig} (reference {}, {} {}; {} difference)",
        other.name,
        d.reference,
        other.name,
        d.other,
        d.aspect.name()
    );
    let mut notes = format!(
        "iamspec diff: the reference evaluator (iamspec {}) and {} {} disagree under comparison mode `{}`. \
The expectations in this file are the reference evaluator's own answer, unconfirmed by AWS: a triage \
case never counts as conformance. Confirm it against AWS before moving it to regressions/ (or listing \
it as a known failure of {}). Answers per request:",
        env!("CARGO_PKG_VERSION"),
        other.name,
        other.version,
        config.mode.name(),
        other.name
    );
    for (i, request) in probe.case.requests.iter().enumerate() {
        let answer = |a: &crate::oracle::CaseAnswers| match a {
            Ok(list) => list.get(i).map_or("none".to_string(), compact),
            Err(c) => format!("could not answer ({c})"),
        };
        let verdict = match probe.comparisons.get(i) {
            Some(crate::diff::disagreement::RequestComparison::Disagree(d)) => {
                format!("DISAGREE ({})", d.detail)
            }
            Some(crate::diff::disagreement::RequestComparison::Agree) => "agree".to_string(),
            _ => "not compared".to_string(),
        };
        notes.push_str(&format!(
            " [{}] {} on {}: {verdict}; reference: {}; {}: {}.",
            request.name,
            request.action,
            request
                .resource
                .as_ref()
                .map(|r| r.arn.clone())
                .unwrap_or_else(|| "several resources".to_string()),
            answer(&probe.reference),
            other.name,
            answer(&probe.other)
        ));
    }
    case.source = Source {
        kind: SourceKind::Triage,
        reference: format!(
            "iamspec diff {} --count {}: generated case {index}",
            describe(
                &config.oracle_spec,
                config.seed,
                &config.preset,
                config.mode
            ),
            config.count
        ),
        url: None,
        date: Some(config.date.clone()),
        api: None,
        region: None,
        oracle: Some(config.oracle_spec.clone()),
        seed: Some(config.seed),
        generator: Some(GENERATOR_VERSION.to_string()),
        notes: Some(notes),
    };
    case
}

fn compact(answer: &Answer) -> String {
    let mut value = answer.to_value();
    // Positions make the notes long and say nothing a reader needs here.
    if let Some(list) = value.get_mut("matched").and_then(|m| m.as_array_mut()) {
        for s in list {
            if let Some(obj) = s.as_object_mut() {
                obj.remove("start");
                obj.remove("end");
            }
        }
    }
    value.to_string()
}
