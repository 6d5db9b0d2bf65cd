//! The differential loop against fake other sides, offline and fast: an in-process oracle that
//! answers `allowed` to everything (so the loop finds disagreements), one that cannot answer,
//! and the `iamspec diff` binary driving a shell-script evaluator through the process client.
//!
//! Checked: the raw case is on disk before the first shrink step; shrunk cases are smaller;
//! written cases load with the corpus loader, are triage, and reproduce; duplicates are merged
//! (within a run and across runs); `--resume` continues where an interrupted run stopped and
//! ends with the counts of an uninterrupted run; non-answers are never disagreements.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use iamspec_format::load::{load_case_file, load_dir};
use iamspec_format::protocol::{Decision, DecisionMode, DecisionResult};
use iamspec_format::{Case, SourceKind};
use iamspec_generators::Settings;
use iamspec_harness::diff::disagreement::Comparator;
use iamspec_harness::diff::run::{run_diff, DiffConfig, Findings, RunState, Shard};
use iamspec_harness::diff::sides::Sides;
use iamspec_harness::diff::store::Store;
use iamspec_harness::diff::summary::{Filed, Summary};
use iamspec_harness::oracle::reference::ReferenceOracle;
use iamspec_harness::oracle::{Answer, CaseAnswers, CouldNotAnswer, NoAnswer, Oracle, OracleInfo};
use iamspec_harness::run::compare::ComparisonMode;
use indicatif::ProgressBar;

/// Answers `allowed` to every request, and notes for each call how many raw cases were on disk.
struct AlwaysAllowed {
    raw_dir: PathBuf,
    calls: Vec<(String, usize)>,
}

impl AlwaysAllowed {
    fn new(raw_dir: PathBuf) -> AlwaysAllowed {
        AlwaysAllowed {
            raw_dir,
            calls: Vec::new(),
        }
    }
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.filter_map(Result::ok).count())
}

impl Oracle for AlwaysAllowed {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "always-allowed".into(),
            version: "1".into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        self.calls
            .push((case.description.clone(), files_in(&self.raw_dir)));
        Ok(case
            .requests
            .iter()
            .map(|_| Answer::Decided(DecisionResult::new(Decision::Allowed)))
            .collect())
    }
}

/// Skips every case.
struct Skips;

impl Oracle for Skips {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "skips".into(),
            version: "1".into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, _: &Case) -> CaseAnswers {
        Err(CouldNotAnswer::new(NoAnswer::Skipped, "cannot express it"))
    }
}

/// Another oracle that, at each call, reads the run's saved state: which case the call is about
/// (from the generated description, `None` for other cases) and the saved `next_index`.
struct WatchesState<O> {
    inner: O,
    state_path: PathBuf,
    seen: Vec<(Option<usize>, usize)>,
}

impl<O: Oracle> Oracle for WatchesState<O> {
    fn info(&self) -> OracleInfo {
        self.inner.info()
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let index = case
            .description
            .strip_prefix("Generated case 7/")
            .and_then(|rest| rest.split(':').next())
            .and_then(|i| i.parse().ok());
        let text = std::fs::read_to_string(&self.state_path).expect("the state is saved first");
        let state: RunState = serde_json::from_str(&text).unwrap();
        self.seen.push((index, state.next_index));
        self.inner.decide(case)
    }
}

fn config(count: usize) -> DiffConfig {
    DiffConfig {
        oracle_spec: "test:always-allowed".into(),
        seed: 7,
        count,
        preset: "identity-only".into(),
        settings: Settings::identity_only(),
        mode: ComparisonMode::Decision,
        max_shrink_steps: 200,
        resume: false,
        date: "2026-11-23".into(),
        stop_after: None,
        shard: None,
        findings: Findings::Triage,
        prepare: None,
        jobs: 2,
        save_every: Duration::from_secs(1),
    }
}

fn run(config: &DiffConfig, other: &mut dyn Oracle, store: &Store) -> Summary {
    let mut reference = ReferenceOracle;
    let mut sides = Sides {
        reference: &mut reference,
        comparator: Comparator {
            mode: config.mode,
            other_decision_mode: other.info().decision_mode,
        },
        other,
        calls: 0,
    };
    run_diff(config, &mut sides, store, &ProgressBar::hidden()).unwrap()
}

fn triage_files(store: &Store) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(store.triage_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn disagreements_are_written_raw_shrunk_deduplicated_and_reproduced() {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "always-allowed").unwrap();
    let mut other = AlwaysAllowed::new(store.raw_dir());
    let summary = run(&config(150), &mut other, &store);

    assert_eq!(summary.cases_run, 150);
    assert!(summary.disagreed > 0, "{summary:?}");
    assert_eq!(summary.agreed + summary.disagreed, summary.requests);
    let written: Vec<_> = summary.filed(Filed::Written).collect();
    assert!(!written.is_empty());
    assert!(
        summary.filed(Filed::Duplicate).count() > 0,
        "150 cases against `allowed` for everything give duplicate signatures"
    );
    assert_eq!(summary.filed(Filed::NotReproduced).count(), 0);

    // The raw case is on disk before the first shrink step of its case: every later call for
    // the same generated case (`Generated case SEED/INDEX:` opens its description) saw more raw
    // files than the first call.
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut shrink_calls = 0;
    for (description, raw_files) in &other.calls {
        let Some((case_id, _)) = description.split_once(": ") else {
            continue;
        };
        match first_seen.get(case_id) {
            None => {
                first_seen.insert(case_id, *raw_files);
            }
            Some(before) => {
                shrink_calls += 1;
                assert!(
                    raw_files > before,
                    "a shrink step of `{case_id}` ran before its raw case was written"
                );
            }
        }
    }
    assert!(shrink_calls > 0);
    for s in &summary.shrinks {
        assert!(Path::new(&s.raw).is_file(), "{}", s.raw);
        assert!(s.size_after < s.size_before, "{s:?}");
        // A step costs one call when the reference rules the candidate out, two otherwise; the
        // confirmation of a new signature adds two calls per attempt (three attempts at most).
        assert!(s.oracle_calls >= s.steps, "{s:?}");
        assert!(s.oracle_calls <= 2 * s.steps + 6, "{s:?}");
    }

    // One file per new signature, each loading with the corpus loader as triage and showing
    // the disagreement again.
    let files = triage_files(&store);
    assert_eq!(files.len(), written.len());
    for path in &files {
        let loaded = load_case_file(path).unwrap_or_else(|e| panic!("{e}"));
        let case = loaded.case;
        assert_eq!(case.source.kind, SourceKind::Triage);
        assert_eq!(case.source.oracle.as_deref(), Some("test:always-allowed"));
        assert_eq!(case.source.seed, Some(7));
        assert!(case.source.generator.is_some() && case.source.date.is_some());
        let notes = case.source.notes.as_deref().unwrap();
        assert!(notes.contains("never counts as conformance"), "{notes}");
        assert!(notes.contains("DISAGREE"), "{notes}");
        let reference = ReferenceOracle.decide(&case).unwrap();
        assert!(
            reference
                .iter()
                .any(|a| a.decision() != Some(Decision::Allowed)),
            "{} no longer disagrees with `allowed`",
            path.display()
        );
    }
    // The raw cases are out of the corpus loader's sight; the triage cases are in it.
    let loaded: Vec<_> = load_dir(out.path()).into_iter().collect();
    assert_eq!(loaded.len(), files.len());
    assert!(loaded
        .iter()
        .all(|l| l.as_ref().is_ok_and(|l| l.name.starts_with("triage/"))));

    // A second run of the same batch writes nothing new: every signature is known.
    let mut again = AlwaysAllowed::new(store.raw_dir());
    let second = run(&config(30), &mut again, &store);
    assert_eq!(second.filed(Filed::Written).count(), 0);
    assert_eq!(triage_files(&store), files);
}

/// With `save_every` an hour, the state is saved only before the first case, after each case
/// with a disagreement and at the end: while case k runs, the saved state says to resume right
/// after the last case before k that disagreed (so a kill loses no finding), and no later.
#[test]
fn the_state_is_saved_after_every_finding_and_otherwise_at_most_every_save_every() {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "always-allowed").unwrap();
    let hourly = DiffConfig {
        save_every: Duration::from_secs(3600),
        ..config(40)
    };
    let mut other = WatchesState {
        inner: AlwaysAllowed::new(store.raw_dir()),
        state_path: store.state_path(),
        seen: Vec::new(),
    };
    let summary = run(&hourly, &mut other, &store);
    assert_eq!(summary.cases_run, 40);
    let disagreed: Vec<usize> = summary.shrinks.iter().map(|r| r.index).collect();
    assert!(
        disagreed.len() >= 3 && disagreed.len() < 40,
        "the batch must mix cases with and without disagreements: {disagreed:?}"
    );
    let mut first_calls = 0;
    for k in 0..40 {
        let Some(&(_, saved)) = other.seen.iter().find(|(i, _)| *i == Some(k)) else {
            continue;
        };
        first_calls += 1;
        let expected = disagreed
            .iter()
            .filter(|&&d| d < k)
            .max()
            .map_or(0, |d| d + 1);
        assert_eq!(saved, expected, "case {k}: saved next_index");
    }
    assert_eq!(first_calls, 40, "the other side is asked about every case");
    let state: RunState = store.read_json(&store.state_path()).unwrap().unwrap();
    assert_eq!(state.next_index, 40);
    assert_eq!(state.summary.cases_run, 40);

    // A run without disagreements saves before its first case and at its end only.
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "reference").unwrap();
    let mut same = WatchesState {
        inner: ReferenceOracle,
        state_path: store.state_path(),
        seen: Vec::new(),
    };
    let summary = run(&hourly, &mut same, &store);
    assert_eq!((summary.cases_run, summary.cases_disagreed), (40, 0));
    assert_eq!(same.seen.len(), 40);
    assert!(same.seen.iter().all(|&(_, saved)| saved == 0));
    let state: RunState = store.read_json(&store.state_path()).unwrap().unwrap();
    assert_eq!(state.next_index, 40);
}

#[test]
fn an_interrupted_run_resumes_where_it_stopped() {
    let straight_dir = tempfile::tempdir().unwrap();
    let straight_store = Store::open(straight_dir.path(), "always-allowed").unwrap();
    let straight = run(
        &config(12),
        &mut AlwaysAllowed::new(straight_store.raw_dir()),
        &straight_store,
    );

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), "always-allowed").unwrap();
    let interrupted = DiffConfig {
        stop_after: Some(5),
        ..config(12)
    };
    let first = run(
        &interrupted,
        &mut AlwaysAllowed::new(store.raw_dir()),
        &store,
    );
    assert_eq!(first.cases_run, 5);
    let state: RunState = store.read_json(&store.state_path()).unwrap().unwrap();
    assert_eq!(state.next_index, 5);
    let written_before = triage_files(&store);

    let resumed_config = DiffConfig {
        resume: true,
        ..config(12)
    };
    let mut other = AlwaysAllowed::new(store.raw_dir());
    let resumed = run(&resumed_config, &mut other, &store);
    assert_eq!(resumed.cases_run, 12);
    // Cases 0..5 were not asked again.
    let first_case = "Generated case 7/0:";
    assert!(!other.calls.iter().any(|(d, _)| d.starts_with(first_case)));
    // The same counts and the same files as the uninterrupted run.
    let strip = |s: &Summary| Summary {
        seconds: 0.0,
        shrinks: s
            .shrinks
            .iter()
            .cloned()
            .map(|mut r| {
                r.raw = Path::new(&r.raw)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into();
                r
            })
            .collect(),
        ..s.clone()
    };
    assert_eq!(strip(&resumed), strip(&straight));
    let names = |files: Vec<PathBuf>| -> Vec<String> {
        files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(triage_files(&store)),
        names(triage_files(&straight_store))
    );
    for f in written_before {
        assert!(f.is_file());
    }

    // A state file of another run is refused.
    let other_seed = DiffConfig {
        seed: 8,
        ..resumed_config
    };
    let mut reference = ReferenceOracle;
    let mut fake = AlwaysAllowed::new(store.raw_dir());
    let mut sides = Sides {
        reference: &mut reference,
        other: &mut fake,
        comparator: Comparator {
            mode: ComparisonMode::Decision,
            other_decision_mode: DecisionMode::Exact,
        },
        calls: 0,
    };
    let err = run_diff(&other_seed, &mut sides, &store, &ProgressBar::hidden()).unwrap_err();
    assert!(err.to_string().contains("--seed 7"), "{err}");
}

#[test]
fn an_other_side_that_cannot_answer_is_never_a_disagreement() {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "skips").unwrap();
    let summary = run(&config(10), &mut Skips, &store);
    assert_eq!(summary.disagreed, 0);
    assert_eq!(summary.cases_disagreed, 0);
    assert_eq!(
        summary.other_could_not.get("skipped"),
        Some(&summary.requests)
    );
    assert!(triage_files(&store).is_empty());
}

#[test]
fn decision_class_mode_merges_the_two_denials() {
    // `allowed` for everything disagrees with every denial in any mode; a class-only other side
    // that always denies disagrees only with the reference's `allowed`.
    struct AlwaysImplicitDeny;
    impl Oracle for AlwaysImplicitDeny {
        fn info(&self) -> OracleInfo {
            OracleInfo {
                name: "deny".into(),
                version: "1".into(),
                decision_mode: DecisionMode::Class,
                implementation: None,
            }
        }
        fn decide(&mut self, case: &Case) -> CaseAnswers {
            Ok(case
                .requests
                .iter()
                .map(|_| Answer::Decided(DecisionResult::new(Decision::ImplicitDeny)))
                .collect())
        }
    }
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "deny").unwrap();
    let summary = run(&config(20), &mut AlwaysImplicitDeny, &store);
    assert!(summary.disagreed > 0);
    // Its denials are one class: the reference's `allowed` against it is a missed match when
    // no policy of the shrunk case can deny (the denial must be implicit), and `allowed` vs
    // `denied` otherwise — never an added match.
    let names: Vec<String> = triage_files(&store)
        .iter()
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            name.contains("-decision-allowed-vs-denied-")
                || name.contains("-decision-other-misses-"),
            "{name}"
        );
    }
}

/// A protocol evaluator in a few lines of POSIX shell: answers `allowed` to every request of a
/// case (counting requests by their `"name":` members after `"requests":`).
const SH_ALLOWED: &str = r#"while IFS= read -r line; do
  case "$line" in
    *'"cmd":"start"'*) echo '{"version":1,"implementation":{"name":"sh-allowed","version":"1","language":"sh","homepage":"-","issues":"-"}}' ;;
    *'"cmd":"run"'*)
      seq=$(printf '%s\n' "$line" | sed 's/^{"cmd":"run","seq":\([0-9]*\).*/\1/')
      n=$(printf '%s\n' "$line" | sed 's/.*"requests"://' | grep -o '"name":' | wc -l)
      out=""; i=0
      while [ "$i" -lt "$n" ]; do out="$out${out:+,}{\"decision\":\"allowed\"}"; i=$((i+1)); done
      echo "{\"seq\":$seq,\"results\":[$out]}" ;;
    *'"cmd":"stop"'*) exit 0 ;;
  esac
done"#;

#[test]
fn the_binary_runs_a_protocol_evaluator_and_resumes() {
    let out = tempfile::tempdir().unwrap();
    let iamspec = |extra: &[&str]| {
        let mut args = vec![
            "diff".to_string(),
            "--oracle".to_string(),
            format!("command:{SH_ALLOWED}"),
            "--seed".into(),
            "3".into(),
            "--preset".into(),
            "identity-only".into(),
            "--max-shrink-steps".into(),
            "60".into(),
            "--out".into(),
            out.path().display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        Command::new(env!("CARGO_BIN_EXE_iamspec"))
            .args(&args)
            .output()
            .unwrap()
    };
    let first = iamspec(&["--count", "4"]);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("sh-allowed"), "{stdout}");
    assert!(stdout.contains("disagreed"), "{stdout}");
    let triage = out.path().join("triage/sh-allowed");
    let written = files_in(&triage);
    assert!(written > 0, "{stdout}");
    assert!(out.path().join(".diff/sh-allowed/state.json").is_file());

    let resumed = iamspec(&["--count", "8", "--resume"]);
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert!(stdout.contains("cases run: 8 "), "{stdout}");
    assert!(files_in(&triage) >= written);

    let bad = iamspec(&["--count", "1", "--oracle", "nonsense"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_recorded_run_replays_offline_with_its_shrinking() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("sh-allowed.jsonl");
    let diff = |oracle: String, out: &str, extra: &[&str]| {
        let mut args = vec![
            "diff".to_string(),
            "--oracle".into(),
            oracle,
            "--seed".into(),
            "5".into(),
            "--count".into(),
            "5".into(),
            "--preset".into(),
            "identity-only".into(),
            "--max-shrink-steps".into(),
            "40".into(),
            "--out".into(),
            dir.path().join(out).display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let output = Command::new(env!("CARGO_BIN_EXE_iamspec"))
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        // The counts, without the timing and the raw cases' folder.
        let summary = dir.path().join(out).join(".diff/sh-allowed/summary.json");
        let mut counts: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(summary).unwrap_or_default())
                .unwrap_or_default();
        counts["seconds"] = 0.into();
        for shrink in counts["shrinks"].as_array_mut().into_iter().flatten() {
            let raw = shrink["raw"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("");
            shrink["raw"] = raw.to_string().into();
            // The notes name the oracle (the command or the recording): sizes differ.
            shrink["size_before"] = 0.into();
            shrink["size_after"] = 0.into();
        }
        (output.status.code(), counts, text)
    };
    let (code, live, text) = diff(
        format!("command:{SH_ALLOWED}"),
        "live",
        &["--record", &recording.display().to_string()],
    );
    assert_eq!(code, Some(1), "{text}");
    let (code, replayed, text) = diff(format!("replay:{}", recording.display()), "replayed", &[]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(replayed, live);
    let files = |out: &str, name: &str| files_in(&dir.path().join(out).join("triage").join(name));
    assert_eq!(files("replayed", "sh-allowed"), files("live", "sh-allowed"));
}

/// [`SH_ALLOWED`]'s twin in class mode: it only knows allowed from not allowed, and answers
/// `implicitDeny` to every request.
fn sh_class() -> String {
    SH_ALLOWED
        .replace(
            r#""name":"sh-allowed","version":"1""#,
            r#""name":"sh-class","version":"2","decision_mode":"class""#,
        )
        .replace(
            r#"{\"decision\":\"allowed\"}"#,
            r#"{\"decision\":\"implicitDeny\"}"#,
        )
}

/// Issue 13: a replay of a class-mode evaluator is judged like the live run (no
/// explicitDeny-vs-implicitDeny findings) and files under the evaluator's name, not the
/// recording's file name.
#[test]
fn a_class_mode_recording_replays_like_the_live_run() {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("recorded-answers.jsonl");
    let diff = |oracle: String, out: &str, extra: &[&str]| {
        let mut args = vec![
            "diff".to_string(),
            "--oracle".into(),
            oracle,
            "--seed".into(),
            "11".into(),
            "--count".into(),
            "12".into(),
            "--preset".into(),
            "identity-only".into(),
            "--max-shrink-steps".into(),
            "30".into(),
            "--out".into(),
            dir.path().join(out).display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let output = Command::new(env!("CARGO_BIN_EXE_iamspec"))
            .args(&args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let triage = dir.path().join(out).join("triage");
        let mut names: Vec<String> = std::fs::read_dir(&triage)
            .map(|entries| {
                entries
                    .flatten()
                    .flat_map(|folder| {
                        let folder_name = folder.file_name().to_string_lossy().into_owned();
                        std::fs::read_dir(folder.path())
                            .into_iter()
                            .flatten()
                            .flatten()
                            .map(move |f| {
                                format!("{folder_name}/{}", f.file_name().to_string_lossy())
                            })
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        (output.status.code(), names, text)
    };
    let (code, live, text) = diff(
        format!("command:{}", sh_class()),
        "live",
        &["--record", &recording.display().to_string()],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(!live.is_empty(), "{text}");
    assert!(
        live.iter().all(|n| n.starts_with("sh-class/")
            && (n.contains("-decision-allowed-vs-denied-")
                || n.contains("-decision-other-misses-"))
            && !n.contains("explicitDeny")),
        "{live:?}"
    );
    let (code, replayed, text) = diff(format!("replay:{}", recording.display()), "replayed", &[]);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(replayed, live, "{text}");
}

/// Answers `allowed` to everything, but crashes on every `n`th call.
struct CrashesEvery {
    n: usize,
    calls: usize,
}

impl Oracle for CrashesEvery {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "crashes-every".into(),
            version: "1".into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        self.calls += 1;
        if self.calls.is_multiple_of(self.n) {
            return Err(CouldNotAnswer::new(NoAnswer::Crashed, "exit status 139"));
        }
        Ok(case
            .requests
            .iter()
            .map(|_| Answer::Decided(DecisionResult::new(Decision::Allowed)))
            .collect())
    }
}

/// Issue 13 item 4: with an oracle that crashes on every 7th call, no finding is reported "did
/// not reproduce" and removed: a crash while confirming is retried, and a case still unanswered
/// stays pending; the next run confirms what a killed or crashing run left pending.
#[test]
fn a_crash_while_confirming_is_not_did_not_reproduce() {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "crashes-every").unwrap();
    let mut other = CrashesEvery { n: 7, calls: 0 };
    let summary = run(&config(60), &mut other, &store);
    assert!(summary.filed(Filed::Written).count() > 0, "{summary:?}");
    assert_eq!(
        summary.filed(Filed::NotReproduced).count(),
        0,
        "a crash is not a non-reproduction: {:?}",
        summary.filed(Filed::NotReproduced).collect::<Vec<_>>()
    );
    // Every filed signature is on disk: in triage/ when confirmed, pending/ when not yet.
    for record in summary.filed(Filed::Written) {
        assert!(
            store.triage_path(&record.signature).exists(),
            "{}",
            record.signature
        );
    }
    for record in summary.filed(Filed::Unconfirmed) {
        assert!(
            store
                .pending_dir()
                .join(format!("{}.json", record.signature))
                .exists(),
            "{}",
            record.signature
        );
    }
}

/// Issue 13 item 11: a run killed after writing a shrunk case but before confirming it (and
/// before saving its state) leaves it pending; `--resume` confirms it instead of counting it a
/// duplicate that was never confirmed.
/// Issue 13 item 11: a run killed after filing a finding in triage/ and before saving its state.
/// The resumed run redoes that case: the finding is this run's, new as in an uninterrupted run,
/// not a duplicate of an older one.
#[test]
fn a_finding_filed_just_before_a_kill_is_new_in_the_resumed_run() {
    let whole_out = tempfile::tempdir().unwrap();
    let whole_store = Store::open(whole_out.path(), "always-allowed").unwrap();
    let mut other = AlwaysAllowed::new(whole_store.raw_dir());
    let whole = run(&config(10), &mut other, &whole_store);
    let written: Vec<String> = whole
        .filed(Filed::Written)
        .map(|r| r.signature.clone())
        .collect();
    let first = whole.filed(Filed::Written).next().expect("a finding");
    // The killed run: its state was saved before the case of the first finding, whose triage
    // file was already filed.
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "always-allowed").unwrap();
    let mut killed = config(10);
    killed.stop_after = Some(first.index);
    let mut other = AlwaysAllowed::new(store.raw_dir());
    run(&killed, &mut other, &store);
    std::fs::create_dir_all(store.triage_dir()).unwrap();
    std::fs::copy(
        whole_store.triage_path(&first.signature),
        store.triage_path(&first.signature),
    )
    .unwrap();
    let mut resumed = config(10);
    resumed.resume = true;
    let mut other = AlwaysAllowed::new(store.raw_dir());
    let summary = run(&resumed, &mut other, &store);
    let resumed_written: Vec<String> = summary
        .filed(Filed::Written)
        .map(|r| r.signature.clone())
        .collect();
    assert_eq!(resumed_written, written);
    assert_eq!(triage_files(&store).len(), written.len());
}

#[test]
fn a_case_written_before_a_kill_is_confirmed_on_resume() {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "always-allowed").unwrap();
    let mut other = AlwaysAllowed::new(store.raw_dir());
    let first = run(&config(10), &mut other, &store);
    let written: Vec<String> = first
        .filed(Filed::Written)
        .map(|r| r.signature.clone())
        .collect();
    assert!(!written.is_empty());
    // Simulate the kill: the first confirmed case goes back to pending/, unconfirmed.
    let pending = store.pending_dir();
    std::fs::create_dir_all(&pending).unwrap();
    std::fs::rename(
        store.triage_path(&written[0]),
        pending.join(format!("{}.json", written[0])),
    )
    .unwrap();
    let mut resumed = config(10);
    resumed.resume = true;
    let mut other = AlwaysAllowed::new(store.raw_dir());
    run(&resumed, &mut other, &store);
    assert!(
        store.triage_path(&written[0]).exists(),
        "the pending case was confirmed and filed"
    );
    assert!(store.pending().is_empty());
}

#[test]
fn shards_are_disjoint_and_cover_the_batch() {
    let shards: Vec<Shard> = ["1/3", "2/3", "3/3"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    for i in 0..30 {
        assert_eq!(shards.iter().filter(|s| s.holds(i)).count(), 1, "case {i}");
    }
    assert!(
        "0/3".parse::<Shard>().is_err()
            && "4/3".parse::<Shard>().is_err()
            && "x".parse::<Shard>().is_err()
    );
    let mut run_in_all = 0;
    for shard in shards {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), "always-allowed").unwrap();
        let config = DiffConfig {
            shard: Some(shard),
            ..config(10)
        };
        run_in_all += run(&config, &mut AlwaysAllowed::new(store.raw_dir()), &store).cases_run;
    }
    assert_eq!(run_in_all, 10);
}
