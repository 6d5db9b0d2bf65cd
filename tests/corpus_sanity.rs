//! Sanity checks over the whole corpus, in the manner of JSON-Schema-Test-Suite's: the feature
//! vocabulary is closed and fully used, descriptions are unique, expected errors are documented
//! kinds, the documented kinds are exactly the evaluator's, `docs` cases cite a page, and the
//! corpus is big enough to mean something.
//!
//! Case files that do not load are left to the corpus runner (`tests/corpus.rs`), which reports
//! each one; they are skipped here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use iamspec::policy::PolicyErrorKind;
use iamspec_format::{load_dir, ErrorKinds, Features, LoadedCase, SourceKind};

/// The fewest requests the `seeds` and `docs` cases together must hold.
const MIN_CONFORMANCE_REQUESTS: usize = 150;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn cases() -> Vec<LoadedCase> {
    load_dir(&corpus_dir())
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

fn features() -> Features {
    Features::load(&corpus_dir().join("features.json")).unwrap_or_else(|e| panic!("{e}"))
}

fn error_kinds() -> ErrorKinds {
    ErrorKinds::load(&corpus_dir().join("error-kinds.json")).unwrap_or_else(|e| panic!("{e}"))
}

fn fail_listing(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_feature_tag_used_is_in_features_json() {
    let features = features();
    let problems: Vec<String> = cases()
        .iter()
        .filter_map(|c| {
            let unknown = features.unknown_tags(&c.case);
            (!unknown.is_empty()).then(|| format!("{}: {}", c.name, unknown.join(", ")))
        })
        .collect();
    fail_listing(
        "case files use feature tags that corpus/features.json does not list",
        &problems,
    );
}

#[test]
fn every_tag_in_features_json_is_used_by_a_case() {
    let used: BTreeSet<String> = cases()
        .iter()
        .flat_map(|c| c.case.features.iter().cloned())
        .collect();
    let unused: Vec<String> = features()
        .tags()
        .filter(|tag| !used.contains(*tag))
        .map(str::to_string)
        .collect();
    fail_listing(
        "tags of corpus/features.json are used by no case (add a case or remove the tag)",
        &unused,
    );
}

#[test]
fn descriptions_are_unique_across_the_corpus() {
    let mut by_description: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in cases() {
        by_description
            .entry(c.case.description.trim().to_string())
            .or_default()
            .push(c.name);
    }
    let problems: Vec<String> = by_description
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(description, files)| format!("\"{description}\": {}", files.join(", ")))
        .collect();
    fail_listing("descriptions are shared by several case files", &problems);
}

#[test]
fn every_expected_error_is_a_documented_kind() {
    let kinds = error_kinds();
    let mut problems = Vec::new();
    for c in cases() {
        for request in &c.case.requests {
            for (_, expect) in request.expectations() {
                if let Some(kind) = expect.expected_error() {
                    if !kinds.contains(kind) {
                        problems.push(format!("{}::{}: `{kind}`", c.name, request.name));
                    }
                }
            }
        }
    }
    fail_listing(
        "requests expect error kinds that corpus/error-kinds.json does not list",
        &problems,
    );
}

#[test]
fn error_kinds_json_lists_exactly_the_evaluator_s_kinds() {
    let documented: Vec<String> = error_kinds().kinds().map(str::to_string).collect();
    let evaluator: Vec<String> = PolicyErrorKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect();
    let mut problems = Vec::new();
    for kind in &evaluator {
        if !documented.contains(kind) {
            problems.push(format!(
                "`{kind}` is a PolicyErrorKind but not in corpus/error-kinds.json"
            ));
        }
    }
    for kind in &documented {
        if !evaluator.contains(kind) {
            problems.push(format!(
                "`{kind}` is in corpus/error-kinds.json but not a PolicyErrorKind"
            ));
        }
    }
    if problems.is_empty() && documented != evaluator {
        problems.push(format!(
            "same kinds, different order: error-kinds.json has {documented:?}, PolicyErrorKind::ALL has {evaluator:?}"
        ));
    }
    fail_listing(
        "differences between corpus/error-kinds.json and PolicyErrorKind::ALL",
        &problems,
    );
}

#[test]
fn docs_cases_cite_a_url() {
    let problems: Vec<String> = cases()
        .iter()
        .filter(|c| c.case.source.kind == SourceKind::Docs)
        .filter(|c| {
            c.case
                .source
                .url
                .as_deref()
                .is_none_or(|url| !url.starts_with("https://"))
        })
        .map(|c| c.name.clone())
        .collect();
    fail_listing(
        "docs cases have no source.url (an https:// address of the cited page)",
        &problems,
    );
}

#[test]
fn seeds_and_docs_hold_enough_requests() {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases() {
        *by_kind.entry(c.case.source.kind.name()).or_default() += c.case.requests.len();
    }
    let conformance =
        by_kind.get("seeds").copied().unwrap_or(0) + by_kind.get("docs").copied().unwrap_or(0);
    assert!(
        conformance >= MIN_CONFORMANCE_REQUESTS,
        "seeds + docs hold {conformance} requests, fewer than {MIN_CONFORMANCE_REQUESTS} \
         (requests by provenance: {by_kind:?})"
    );
}
