//! Snapshot tests of the evaluator's explanations: for every request of every `corpus/seeds/**`
//! case, the full answer (decision, matched statements with positions, missing context,
//! per-resource decisions and policy-type decisions; or the rejection) is compared with a
//! reviewed insta JSON snapshot in `tests/snapshots/explanations__<case>--<request>.snap`.
//!
//! A missing or changed snapshot fails the test (under `CI=true` nothing is written). To write
//! or update them: `INSTA_UPDATE=always cargo test --test explanations`, then review the diff
//! (or `cargo insta review`). A snapshot whose request no longer exists also fails the test.
//!
//! The expectations of a case are not looked at here: the corpus runner checks those. These
//! snapshots catch changes in everything the cases do not pin down (positions, Sids, policy-type
//! decisions, the order of missing keys).

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use iamspec::scenario::{decide_case, ReferenceAnswer};
use iamspec_format::{load_dir, CouldNotAnswer, NoAnswer};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// insta prepends this test file's module name to every snapshot file name.
const SNAPSHOT_PREFIX: &str = "explanations__";

/// The snapshot name of a request: the case path without `.json`, `/` as `__`, then `--` and
/// the request name; any other character outside `[A-Za-z0-9._-]` becomes `_`.
fn snapshot_name(case: &str, request: &str) -> String {
    let case = case
        .strip_suffix(".json")
        .unwrap_or(case)
        .replace('/', "__");
    format!("{case}--{request}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What is snapshotted for one request: the evaluator's own answer, or why there is none.
fn answer_json(answer: &Result<ReferenceAnswer, CouldNotAnswer>) -> serde_json::Value {
    match answer {
        Ok(answer) => answer.to_json(),
        Err(c) if c.why == NoAnswer::Unsupported => serde_json::json!({ "skipped": c.message }),
        Err(c) if c.why == NoAnswer::Errored => serde_json::json!({ "errored": c.message }),
        Err(c) => serde_json::json!({ "no_answer": c.to_string() }),
    }
}

#[test]
fn snapshot_names_are_file_safe() {
    assert_eq!(
        snapshot_name("seeds/ec2/tagged-ami.json", "prod-tagged-ami"),
        "seeds__ec2__tagged-ami--prod-tagged-ami"
    );
    assert_eq!(snapshot_name("seeds/a b.json", "x"), "seeds__a_b--x");
}

#[test]
fn seed_explanations_match_their_snapshots() {
    let seeds = corpus_dir().join("seeds");
    assert!(
        seeds.is_dir(),
        "{} is missing: the seed explanations cannot be checked",
        seeds.display()
    );
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    let mut count = 0;
    // insta reports each difference itself, then panics; the panics are caught and listed at
    // the end, so the default hook's message and backtrace for each would only be noise.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for result in load_dir(&seeds) {
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(e) => {
                failures.push(format!("case file does not load: {e}"));
                continue;
            }
        };
        let case_name = format!("seeds/{}", loaded.name);
        let answers = decide_case(&loaded.case);
        for (request, answer) in loaded.case.requests.iter().zip(&answers) {
            count += 1;
            let name = snapshot_name(&case_name, &request.name);
            if !names.insert(name.clone()) {
                failures.push(format!(
                    "{case_name}::{}: snapshot name `{name}` is taken by another request",
                    request.name
                ));
                continue;
            }
            let value = answer_json(answer);
            let mut settings = insta::Settings::clone_current();
            settings.set_description(format!("{case_name}::{}", request.name));
            settings.set_omit_expression(true);
            settings.set_snapshot_path(snapshot_dir());
            let checked = settings.bind(|| {
                catch_unwind(AssertUnwindSafe(|| {
                    insta::assert_json_snapshot!(name.as_str(), value);
                }))
            });
            if checked.is_err() {
                failures.push(format!(
                    "{case_name}::{}: the answer differs from tests/snapshots/{SNAPSHOT_PREFIX}{name}.snap (or it is missing)",
                    request.name
                ));
            }
        }
    }
    std::panic::set_hook(default_hook);
    assert!(
        count > 0,
        "no seed request was found under {}",
        seeds.display()
    );
    failures.extend(orphaned_snapshots(&names));
    assert!(
        failures.is_empty(),
        "{} of {count} seed requests (and orphaned snapshots) fail:\n{}\n\
         write or update snapshots with: INSTA_UPDATE=always cargo test --test explanations \
         (then review the diff)",
        failures.len(),
        failures.join("\n")
    );
}

/// Snapshot files of this test whose request no longer exists.
fn orphaned_snapshots(names: &BTreeSet<String>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(snapshot_dir()) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|file| {
            file.strip_prefix(SNAPSHOT_PREFIX)
                .and_then(|rest| rest.strip_suffix(".snap"))
                .is_some_and(|name| !names.contains(name))
        })
        .map(|file| format!("tests/snapshots/{file}: no seed request has this snapshot; delete it"))
        .collect();
    out.sort();
    out
}
