//! The differential loop: generate (seeded), decide on both sides, compare, and for each
//! disagreement write the raw case at once, shrink it, deduplicate by signature, write the
//! triage case, re-load and re-run it; save the run state after every case with a
//! disagreement, at most [`DiffConfig::save_every`] apart otherwise, and at the end.
//!
//! Only the first disagreeing request of a case is shrunk (the others are in the raw case).
//! This module neither parses arguments nor prints: see [`crate::diff`].

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use iamspec_format::load::load_case_file;
use iamspec_format::{Case, Expect, ExpectedDecision, MatchedStatement, Source, SourceKind};
use iamspec_generators::serialise::{self, GENERATOR_VERSION};
use iamspec_generators::{generate_case_at, GeneratedCase, Settings};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};

use crate::diff::disagreement::ComparisonMode;
use crate::diff::shrink::shrink;
use crate::diff::sides::{Probe, Sides};
use crate::diff::signature::{signature, Finding};
use crate::diff::store::{Store, StoreError};
use crate::diff::summary::{Filed, ShrinkRecord, Summary};
use crate::oracle::reference::ReferenceOracle;
use crate::oracle::{Answer, Oracle, OracleInfo};
use crate::run::ordered::for_each_ordered;

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
    /// Run only this shard of the batch (`--shard I/N`).
    pub shard: Option<Shard>,
    /// Where findings go and whose answer they expect.
    pub findings: Findings,
    /// Reshapes each generated case before it is run (AWS: oracle-friendly cases that one call
    /// decides, cases about a principal's own policies); `None` runs the cases as generated.
    pub prepare: Option<Prepare>,
    /// Threads generating cases and deciding them on the reference side (the in-process
    /// reference evaluator); everything else runs one case at a time, in index order.
    pub jobs: usize,
    /// The longest time between two saves of the run state while no case disagrees (`iamspec
    /// diff`: one second). A case with a disagreement is always saved at once, after it is
    /// filed, and so is the end of the run: a kill loses at most this long of cases without
    /// findings, which `--resume` runs again.
    pub save_every: Duration,
}

pub use crate::shard::Shard;

/// A reshaping of generated cases ([`DiffConfig::prepare`]), called from the reference side's
/// threads.
#[derive(Clone)]
pub struct Prepare(pub std::sync::Arc<dyn Fn(&GeneratedCase) -> GeneratedCase + Send + Sync>);

impl std::fmt::Debug for Prepare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prepare(..)")
    }
}

/// Where a run's findings go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Findings {
    /// `triage/<oracle>/`: the reference's answer as the expectation, unconfirmed (a peer).
    Triage,
    /// `regressions/`: the other side is AWS, whose answer is the expectation.
    Regressions {
        /// The API that answered.
        api: String,
        /// The region it was called in.
        region: String,
    },
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
    /// The signatures already in `triage/` when the run began (absent in state files written
    /// before it was kept): a signature filed since then is this run's finding, even when the
    /// run was killed after filing it and before saving this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_at_start: Option<BTreeSet<String>>,
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
    let (mut next, mut summary, known_at_start) = match config.resume {
        false => (0, Summary::default(), None),
        true => match store.read_json::<RunState>(&state_path)? {
            None => (0, Summary::default(), None),
            Some(state) => {
                let theirs = describe(&state.oracle, state.seed, &state.preset, state.mode);
                if theirs != ours {
                    return Err(RunError::StateMismatch {
                        path: state_path.display().to_string(),
                        theirs,
                        ours,
                    });
                }
                (state.next_index, state.summary, state.known_at_start)
            }
        },
    };
    let previous_seconds = summary.seconds;
    let mut known: BTreeSet<String> = store.known_signatures()?;
    let known_at_start = known_at_start.unwrap_or_else(|| known.clone());
    for signature in confirm_pending(sides, store, &mut known, progress)? {
        // A finding this run left unconfirmed, confirmed now.
        for record in &mut summary.shrinks {
            if record.signature == signature && record.filed == Filed::Unconfirmed {
                record.filed = Filed::Written;
            }
        }
    }
    let other_info = sides.other.info();
    progress.set_length(config.count as u64);
    progress.set_position(next as u64);
    let api_base = summary.api_calls.unwrap_or(0);
    let state = |next_index: usize, summary: &Summary| RunState {
        oracle: config.oracle_spec.clone(),
        seed: config.seed,
        count: config.count,
        preset: config.preset.clone(),
        mode: config.mode,
        max_shrink_steps: config.max_shrink_steps,
        next_index,
        summary: summary.clone(),
        known_at_start: Some(known_at_start.clone()),
    };
    // Saved before the first case too, so that a run killed before its first save still tells
    // its own findings from those it found in triage/.
    store.write_json(&state_path, &state(next, &summary))?;
    let mut last_save = Instant::now();
    // Case `i` is generated alone and decided by the in-process reference evaluator on
    // `config.jobs` threads, a window at a time; the other side, the comparison, the shrinking
    // and the filing take the cases one by one in index order, so that nothing depends on the
    // number of jobs and memory holds one window whatever `count`.
    let indices = (next..config.count)
        .filter(|&i| config.shard.is_none_or(|s| s.holds(i)))
        .take(config.stop_after.unwrap_or(usize::MAX));
    let reference_side = |index: usize| {
        let mut generated = generate_case_at(&config.settings, config.seed, index);
        if let Some(prepare) = &config.prepare {
            generated = (prepare.0)(&generated);
        }
        let decided = serialise::to_case(&generated).map(|case| {
            let answers = ReferenceOracle.decide(&case);
            (case, answers)
        });
        (generated, decided)
    };
    let stopped = for_each_ordered(indices, config.jobs, reference_side, |index, made| {
        let (generated, decided) = made;
        let calls_before = sides.calls;
        let disagreed_before = summary.cases_disagreed;
        let step = (|| -> Result<(), RunError> {
            match decided {
                Err(_) => summary.cases_undecidable += 1,
                Ok((case, reference)) => {
                    let probe = sides.probe_with_reference(case, reference);
                    for c in &probe.comparisons {
                        summary.count(c);
                    }
                    summary.decisions += decided_resources(&probe);
                    if let Some((_, finding)) = probe.findings().into_iter().next() {
                        summary.cases_disagreed += 1;
                        let mut record = file_disagreement(
                            config,
                            &other_info,
                            sides,
                            store,
                            &mut known,
                            &generated,
                            probe,
                            finding,
                        )?;
                        if record.filed == Filed::Duplicate
                            && !known_at_start.contains(&record.signature)
                            && !summary
                                .filed(Filed::Written)
                                .any(|r| r.signature == record.signature)
                        {
                            // Filed by this run (or confirmed from pending/ at its start) after
                            // its last saved state: a kill came between filing and saving.
                            record.filed = Filed::Written;
                        }
                        progress.println(format!(
                            "case {index}: {} ({})",
                            record.signature,
                            match record.filed {
                                Filed::Written => "new",
                                Filed::Duplicate => "duplicate",
                                Filed::NotReproduced => "did not reproduce",
                                Filed::Unconfirmed => "unconfirmed: could not answer",
                            }
                        ));
                        summary.shrinks.push(record);
                    }
                }
            }
            summary.cases_run += 1;
            summary.oracle_calls += sides.calls - calls_before;
            summary.api_calls = sides.other.api_calls().map(|n| api_base + n);
            next = index + 1;
            if summary.cases_disagreed > disagreed_before
                || last_save.elapsed() >= config.save_every
            {
                summary.seconds = previous_seconds + started.elapsed().as_secs_f64();
                store.write_json(&state_path, &state(next, &summary))?;
                last_save = Instant::now();
            }
            progress.set_position(next as u64);
            Ok(())
        })();
        match step {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => ControlFlow::Break(e),
        }
    });
    if let Some(error) = stopped {
        // The state stays as last saved: the cases after it had no finding and run again.
        return Err(error);
    }
    summary.seconds = previous_seconds + started.elapsed().as_secs_f64();
    store.write_json(&state_path, &state(next, &summary))?;
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
    let api_before = sides.other.api_calls();
    let raw_signature = signature(&finding, &probe.case);
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
    // The shrunk case shows the finding the same way, maybe with other decisions: it is filed
    // (and confirmed) with the decisions it shows.
    let finding = shrunk.finding.clone();
    let sig = signature(&finding, &shrunk.probe.case);
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
        api_calls: None,
        size_before,
        size_after: case_size(&triage),
        detail: first_difference(&shrunk.probe, &finding),
    };
    if !known.contains(&sig) {
        // Written under pending/ first: only a confirmed case becomes a triage case, so a run
        // killed before confirming leaves no unconfirmed file in triage/ for the next run to
        // take for a duplicate (it confirms pending/ first).
        let path = store.write_pending(&sig, &triage)?;
        record.filed = confirm(
            sides,
            store,
            known,
            &sig,
            &path,
            &finding,
            &mut record.detail,
        )?;
    }
    record.oracle_calls = sides.calls - calls_before;
    record.api_calls = sides
        .other
        .api_calls()
        .zip(api_before)
        .map(|(after, before)| after - before);
    Ok(record)
}

/// How many times a written case is re-run when a side cannot answer it.
const CONFIRM_ATTEMPTS: usize = 3;

/// Re-runs the pending case at `path`: shown again → moved to `triage/` (Written); answered
/// without the disagreement → removed (NotReproduced); a side could not answer in every
/// attempt → kept pending (Unconfirmed), since "could not answer" is not "did not reproduce".
fn confirm(
    sides: &mut Sides<'_>,
    store: &Store,
    known: &mut BTreeSet<String>,
    signature: &str,
    path: &std::path::Path,
    finding: &Finding,
    detail: &mut String,
) -> Result<Filed, RunError> {
    let case = match load_case_file(path) {
        Ok(loaded) => loaded.case,
        Err(e) => {
            *detail = format!("the written case does not load: {e}");
            store.remove(path)?;
            return Ok(Filed::NotReproduced);
        }
    };
    for _ in 0..CONFIRM_ATTEMPTS {
        let probe = sides.probe(case.clone());
        if probe.holds(finding) {
            store.publish(signature, path)?;
            known.insert(signature.to_string());
            return Ok(Filed::Written);
        }
        if !probe.could_not_answer() {
            store.remove(path)?;
            return Ok(Filed::NotReproduced);
        }
    }
    *detail = format!(
        "unconfirmed: a side could not answer the written case {CONFIRM_ATTEMPTS} times; kept in {}",
        path.display()
    );
    Ok(Filed::Unconfirmed)
}

/// Confirms the cases a previous run left pending (killed before confirming, or unconfirmed);
/// returns the signatures that became triage cases.
fn confirm_pending(
    sides: &mut Sides<'_>,
    store: &Store,
    known: &mut BTreeSet<String>,
    progress: &ProgressBar,
) -> Result<Vec<String>, RunError> {
    let mut published = Vec::new();
    for (signature, path) in store.pending() {
        if known.contains(&signature) {
            store.remove(&path)?;
            continue;
        }
        let Ok(loaded) = load_case_file(&path) else {
            store.remove(&path)?;
            continue;
        };
        let probe = sides.probe(loaded.case);
        let Some((_, finding)) = probe
            .findings()
            .into_iter()
            .find(|(_, f)| signature_matches(f, &probe, &signature))
        else {
            if !probe.could_not_answer() {
                store.remove(&path)?;
            }
            continue;
        };
        let mut detail = String::new();
        if confirm(
            sides,
            store,
            known,
            &signature,
            &path,
            &finding,
            &mut detail,
        )? == Filed::Written
        {
            progress.println(format!("pending {signature}: confirmed"));
            published.push(signature);
        }
    }
    Ok(published)
}

/// True when `finding` of `probe` has the signature `wanted`.
fn signature_matches(finding: &Finding, probe: &Probe, wanted: &str) -> bool {
    signature(finding, &probe.case) == wanted
}

/// Request × resource decisions the other side answered in a probe.
fn decided_resources(probe: &Probe) -> usize {
    let Ok(answers) = &probe.other else {
        return 0;
    };
    probe
        .case
        .requests
        .iter()
        .zip(answers)
        .filter(|(_, a)| matches!(a, Answer::Decided(_)))
        .map(|(r, _)| r.resources.as_ref().map_or(1, Vec::len))
        .sum()
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
    if let Findings::Regressions { api, region } = &config.findings {
        as_regression(&mut case, config, probe, api, region);
    }
    case
}

/// Turns a finding against AWS into a regression case: AWS's answer is the expectation of each
/// request AWS decided (requests it did not decide are dropped: their expectation would not be
/// AWS's), with the API and region as provenance.
fn as_regression(case: &mut Case, config: &DiffConfig, probe: &Probe, api: &str, region: &str) {
    let Ok(answers) = &probe.other else {
        return;
    };
    let requests = std::mem::take(&mut case.requests);
    for (mut request, answer) in requests.into_iter().zip(answers) {
        let Answer::Decided(d) = answer else {
            continue;
        };
        request.expect = expectation(d, config.mode);
        if let (Some(resources), Some(per)) = (request.resources.as_mut(), d.resources.as_ref()) {
            for (resource, answer) in resources.iter_mut().zip(per) {
                resource.expect = match answer {
                    iamspec_format::protocol::RequestAnswer::Decision(r) => {
                        Some(expectation(r, config.mode))
                    }
                    _ => None,
                };
            }
        }
        case.requests.push(request);
    }
    case.description =
        case.description
            .replacen("Differential triage", "Differential regression", 1);
    case.source.kind = SourceKind::Regressions;
    case.source.api = Some(api.to_string());
    case.source.region = Some(region.to_string());
    if let Some(notes) = case.source.notes.as_mut() {
        *notes = notes.replace(
            "The expectations in this file are the reference evaluator's own answer, unconfirmed by AWS: a triage \
case never counts as conformance. Confirm it against AWS before moving it to regressions/ (or listing \
it as a known failure of aws).",
            &format!(
                "The expectations in this file are AWS's answer ({api} in {region} on {}), recorded by the \
differential loop; requests AWS did not decide were dropped.",
                config.date
            ),
        );
    }
}

/// An expectation from an answer: the decision, and what the comparison mode compared.
fn expectation(d: &iamspec_format::protocol::DecisionResult, mode: ComparisonMode) -> Expect {
    Expect::Decision(ExpectedDecision {
        decision: d.decision,
        matched: (mode >= ComparisonMode::Matched)
            .then(|| {
                d.matched.as_ref().map(|list| {
                    list.iter()
                        .map(|s| MatchedStatement::new(s.policy.clone(), s.statement))
                        .collect()
                })
            })
            .flatten(),
        missing_context: (mode == ComparisonMode::Full)
            .then(|| d.missing_context.clone())
            .flatten(),
    })
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
