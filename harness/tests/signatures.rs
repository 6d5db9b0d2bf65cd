//! Signatures stand for causes: the differential loop against other sides with one planted
//! difference each (the reference evaluator deciding an edited copy of every case) files the
//! disagreements of one planted cause under one signature per way it shows (whether the other
//! side misses a match or adds one), and three planted causes under signatures of their own.
//!
//! The planted causes: an evaluator that ignores `Deny` statements in identity-based policies
//! (the same cause shows as `explicitDeny` vs `allowed` next to an `Allow`, and as
//! `explicitDeny` vs `implicitDeny` without one; the `Allow` may sit in a resource-based policy
//! and the caller may be a role session or a federated user, the request same- or
//! cross-account), and one that ignores `Deny` statements in resource-based policies (the same
//! direction — the other side misses a match — in another policy type: another cause, which
//! must keep a signature of its own; the `Deny` may name the caller by its ARN, its account or
//! `"*"`, and the caller may be an AWS service or an anonymous caller). The generated cases are
//! the realistic preset's, cross-account requests and service and anonymous callers included:
//! shrinking moves a cross-account caller into its resources' account and replaces a service or
//! anonymous caller by an IAM user of that account when the difference does not need them
//! (`iamspec_generators::same_account`, `iamspec_generators::plain_caller`), and the test checks
//! that the raw disagreements do include such cases.
//!
//! A third planted cause ignores permissions boundaries: the boundary that does not allow the
//! request must stay (a policy keeps one statement), and what made its statement not apply — a
//! condition's operator, a `NotAction`, a pattern — used to split this cause by those tags
//! (seven signatures in a measured run); shrinking now puts such a statement in its idle form
//! (`iamspec_generators::plain_statement`). Ignoring a boundary shows two ways — a boundary's
//! `Deny` missed, a request the boundary does not allow allowed — and a peer may have either
//! without the other, so the test asks for one signature per way.
//!
//! A fourth planted cause is pmapper's misread `Null` (a JSON `true` read as `false`): it misses
//! a match on a key the request lacks and adds one on a key it carries, and shrinking moves the
//! test to a present key, so the raw disagreements of both ways end in one signature.
//!
//! What shrinking cannot remove still splits a cause, and is left out of the test on purpose
//! (known splits, see README "differential testing"): requests whose service imposes a
//! resource-based policy that the signature counts as a mechanism — a KMS key's key policy and
//! a role's trust policy (a realistic case always keeps them) — set apart by service.

use std::collections::BTreeSet;

use iamspec_format::protocol::DecisionMode;
use iamspec_format::Case;
use iamspec_generators::Settings;
use iamspec_harness::diff::disagreement::Comparator;
use iamspec_harness::diff::run::{run_diff, DiffConfig, Findings};
use iamspec_harness::diff::sides::Sides;
use iamspec_harness::diff::store::Store;
use iamspec_harness::diff::summary::Summary;
use iamspec_harness::oracle::reference::ReferenceOracle;
use iamspec_harness::oracle::{CaseAnswers, Oracle, OracleInfo};
use iamspec_harness::run::compare::ComparisonMode;
use indicatif::ProgressBar;
use serde_json::value::RawValue;
use serde_json::Value;

/// A planted difference: what the other side ignores in a case before deciding it as the
/// reference does.
#[derive(Clone, Copy)]
enum Planted {
    /// `Deny` statements of identity-based policies are ignored.
    IdentityDeny,
    /// `Deny` statements of resource-based policies are ignored.
    ResourceDeny,
    /// Permissions boundaries are ignored.
    Boundary,
    /// A `Null` condition's JSON boolean `true` is read as `false` (a test that the key is
    /// present), the way pmapper 1.1.5 compares it with the text `'true'`.
    NullTrueAsFalse,
}

impl Oracle for Planted {
    fn info(&self) -> OracleInfo {
        OracleInfo {
            name: "planted".into(),
            version: "1".into(),
            decision_mode: DecisionMode::Exact,
            implementation: None,
        }
    }

    fn decide(&mut self, case: &Case) -> CaseAnswers {
        let mut edited = case.clone();
        match self {
            Planted::IdentityDeny => {
                edited.policies.identity.retain_mut(|p| {
                    let Some(kept) = p.text().ok().and_then(|t| without_deny(&t)) else {
                        return true;
                    };
                    match kept {
                        Some(text) => {
                            p.document = RawValue::from_string(text).unwrap();
                            true
                        }
                        None => false,
                    }
                });
            }
            Planted::ResourceDeny => {
                if let Some(p) = &mut edited.policies.resource {
                    match p.text().ok().and_then(|t| without_deny(&t)) {
                        Some(Some(text)) => p.document = RawValue::from_string(text).unwrap(),
                        Some(None) => edited.policies.resource = None,
                        None => {}
                    }
                }
            }
            Planted::Boundary => edited.policies.permissions_boundary = None,
            Planted::NullTrueAsFalse => {
                for p in edited.policies.all_mut() {
                    if let Some(text) = p.text().ok().and_then(|t| null_true_as_false(&t)) {
                        p.document = RawValue::from_string(text).unwrap();
                    }
                }
            }
        }
        ReferenceOracle.decide(&edited)
    }
}

/// The policy text without its `Deny` statements: `None` when the text is not a JSON object
/// with statements (left as it is), `Some(None)` when no statement is left.
fn without_deny(text: &str) -> Option<Option<String>> {
    let mut doc: Value = serde_json::from_str(text).ok()?;
    let statements = match doc.get("Statement")? {
        Value::Array(items) => items.clone(),
        single @ Value::Object(_) => vec![single.clone()],
        _ => return None,
    };
    let kept: Vec<Value> = statements
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) != Some("Deny"))
        .collect();
    if kept.is_empty() {
        return Some(None);
    }
    doc["Statement"] = Value::Array(kept);
    Some(Some(doc.to_string()))
}

/// The policy text with the JSON boolean `true` of its `Null` conditions written `false`:
/// `None` when the text is not JSON or has no such value.
fn null_true_as_false(text: &str) -> Option<String> {
    let mut doc: Value = serde_json::from_str(text).ok()?;
    let mut changed = false;
    let statements: Vec<&mut Value> = match doc.get_mut("Statement")? {
        Value::Array(items) => items.iter_mut().collect(),
        single => vec![single],
    };
    for statement in statements {
        let Some(Value::Object(null)) = statement.pointer_mut("/Condition/Null") else {
            continue;
        };
        for value in null.values_mut() {
            let values: Vec<&mut Value> = match value {
                Value::Array(items) => items.iter_mut().collect(),
                single => vec![single],
            };
            for v in values {
                if *v == Value::Bool(true) {
                    *v = Value::Bool(false);
                    changed = true;
                }
            }
        }
    }
    changed.then(|| doc.to_string())
}

/// The summary of a run, and the folder holding its raw and shrunk cases (deleted when dropped).
fn run(planted: Planted, seed: u64, count: usize) -> (Summary, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let store = Store::open(out.path(), "planted").unwrap();
    let config = DiffConfig {
        oracle_spec: "test:planted".into(),
        seed,
        count,
        preset: "realistic".into(),
        settings: Settings::realistic(),
        mode: ComparisonMode::Decision,
        max_shrink_steps: 400,
        resume: false,
        date: "2026-11-26".into(),
        stop_after: None,
        shard: None,
        findings: Findings::Triage,
        prepare: None,
        jobs: 2,
        save_every: std::time::Duration::from_secs(1),
    };
    let mut reference = ReferenceOracle;
    let mut other = planted;
    let mut sides = Sides {
        reference: &mut reference,
        comparator: Comparator {
            mode: config.mode,
            other_decision_mode: DecisionMode::Exact,
        },
        other: &mut other,
        calls: 0,
    };
    let summary = run_diff(&config, &mut sides, &store, &ProgressBar::hidden()).unwrap();
    (summary, out)
}

/// Services whose requests keep a resource-based policy that shrinking cannot remove (see the
/// module documentation).
const IMPOSING: &[&str] = &["kms:", "sts:"];

/// True for a finding on a request of a service that does not impose its policy (the
/// finding's detail starts with its action).
fn counted(detail: &str) -> bool {
    let action = detail.to_ascii_lowercase();
    !IMPOSING.iter().any(|s| action.starts_with(s))
}

/// The signatures of the counted findings.
fn signatures(summary: &Summary) -> BTreeSet<String> {
    summary
        .shrinks
        .iter()
        .filter(|r| counted(&r.detail))
        .map(|r| r.signature.clone())
        .collect()
}

/// The feature tags of the raw (unshrunk) cases of the counted findings.
fn raw_features(summary: &Summary) -> BTreeSet<String> {
    summary
        .shrinks
        .iter()
        .filter(|r| counted(&r.detail))
        .flat_map(|r| {
            let text = std::fs::read_to_string(&r.raw).unwrap();
            serde_json::from_str::<Case>(&text).unwrap().features
        })
        .collect()
}

#[test]
fn one_planted_cause_is_one_signature_per_way_it_shows_and_three_are_three() {
    let (deny, _deny_dir) = run(Planted::IdentityDeny, 31, 400);
    let (resource, _resource_dir) = run(Planted::ResourceDeny, 32, 400);
    let (boundary, _boundary_dir) = run(Planted::Boundary, 33, 400);
    // The raw disagreements of each cause come in several shapes (decision pairs, callers,
    // policy types): shrinking must bring them to one.
    let raw_shapes = |s: &Summary| -> BTreeSet<String> {
        s.shrinks
            .iter()
            .map(|r| {
                let name = std::path::Path::new(&r.raw)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                // `<signature>-<seed>-<index>`: the raw case's own signature.
                name.rsplitn(3, '-').nth(2).unwrap().to_string()
            })
            .collect()
    };
    // How many ways each planted cause shows: ignoring `Deny` statements only ever misses a
    // match; ignoring boundaries misses a boundary's `Deny` and adds what the boundary does not
    // allow — two observable behaviours (a peer may have either without the other), one
    // signature each.
    for (name, summary, directions) in [
        ("identity Deny", &deny, 1),
        ("resource Deny", &resource, 1),
        ("boundary", &boundary, 2),
    ] {
        assert!(
            summary.shrinks.len() >= 3,
            "{name}: too few disagreements to tell: {:?}",
            summary.shrinks
        );
        assert!(
            raw_shapes(summary).len() >= 2,
            "{name}: the raw cases already share one signature, the test shows nothing: {:?}",
            raw_shapes(summary)
        );
        let found = signatures(summary);
        let shown: BTreeSet<&str> = found
            .iter()
            .map(|s| {
                if s.contains("-other-misses-") {
                    "misses"
                } else if s.contains("-other-adds-") {
                    "adds"
                } else {
                    "classes"
                }
            })
            .collect();
        assert_eq!(
            (found.len(), shown.len()),
            (directions, directions),
            "{name}: one planted cause, several signatures for one way it shows: {:#?}",
            summary
                .shrinks
                .iter()
                .map(|r| (&r.signature, &r.detail))
                .collect::<Vec<_>>()
        );
    }
    // The raw cases hold what shrinking must take away for the cause to be one signature.
    let has = |s: &Summary, tag: &str| raw_features(s).contains(tag);
    assert!(has(&deny, "account:cross") && has(&resource, "account:cross"));
    assert!(has(&resource, "principal:service") && has(&resource, "principal:anonymous"));
    let all: Vec<BTreeSet<String>> = [&deny, &resource, &boundary]
        .iter()
        .map(|s| signatures(s))
        .collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert!(a.is_disjoint(b), "two planted causes, one signature: {a:?}");
        }
    }
}

/// pmapper's misread `Null` (see [`Planted::NullTrueAsFalse`]) misses the match on a key the
/// request lacks and adds one on a key it carries: one bug, found on either kind of request.
/// Shrinking moves the test to a present key when the difference then holds the other way
/// (`iamspec_generators::plain_statement::present_null_keys`), so it is one signature.
#[test]
fn a_misread_null_is_one_signature_whichever_request_found_it() {
    let (null, _dir) = run(Planted::NullTrueAsFalse, 34, 1500);
    let raw: BTreeSet<&str> = null
        .shrinks
        .iter()
        .map(|r| &r.raw)
        .filter_map(|raw| {
            let name = std::path::Path::new(raw).file_name()?.to_str()?;
            if name.contains("-other-misses-") {
                Some("misses")
            } else if name.contains("-other-adds-") {
                Some("adds")
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        raw.len(),
        2,
        "the raw disagreements should show the bug both ways, or the test shows nothing: {raw:?}"
    );
    let found = signatures(&null);
    assert_eq!(
        found.len(),
        1,
        "one misread Null, several signatures: {:#?}",
        null.shrinks
            .iter()
            .map(|r| (&r.signature, &r.detail))
            .collect::<Vec<_>>()
    );
}
