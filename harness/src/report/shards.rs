//! Merging the JSON reports of `iamspec check --shard I/N` runs (each run's `--report-dir`
//! `report.json`) into the report of the whole run, for `iamspec report shards`.
//!
//! Shards are disjoint parts of one case list: an implementation's tests are the union of the
//! shards' tests (a test in two shards is an error: the inputs are not shards of one run), its
//! counts and per-feature counts are the sums, and its known-failures summary adds up (the list
//! is the same in every shard; "stale" entries are only found by an unsharded run).

use std::collections::btree_map::Entry;

use crate::report::conformance::{ImplementationReport, KnownSummary, Report};
use crate::run::results::Counts;

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The same test is in two inputs.
    #[error("test `{0}` is in two of the reports: they are not disjoint shards of one run")]
    Overlap(String),
}

/// Adds `shard` (the report of another shard of the same run) to `merged`.
pub fn merge_report(merged: &mut Report, shard: &Report) -> Result<(), MergeError> {
    for dir in &shard.corpus {
        if !merged.corpus.contains(dir) {
            merged.corpus.push(dir.clone());
        }
    }
    for implementation in &shard.implementations {
        let same = merged.implementations.iter_mut().find(|m| {
            m.name == implementation.name
                && m.version == implementation.version
                && m.comparison == implementation.comparison
        });
        match same {
            Some(m) => merge_implementation(m, implementation)?,
            None => merged.implementations.push(implementation.clone()),
        }
    }
    Ok(())
}

fn merge_implementation(
    merged: &mut ImplementationReport,
    shard: &ImplementationReport,
) -> Result<(), MergeError> {
    for (test, result) in &shard.tests {
        match merged.tests.entry(test.clone()) {
            Entry::Occupied(_) => return Err(MergeError::Overlap(test.clone())),
            Entry::Vacant(v) => {
                v.insert(result.clone());
            }
        }
    }
    add_counts(&mut merged.totals, &shard.totals);
    for (tag, counts) in &shard.features {
        add_counts(merged.features.entry(tag.clone()).or_default(), counts);
    }
    merged.known_failures = match (merged.known_failures.take(), &shard.known_failures) {
        (Some(a), Some(b)) => Some(KnownSummary {
            listed: a.listed.max(b.listed),
            still_failing: a.still_failing + b.still_failing,
            new_problems: a.new_problems + b.new_problems,
            no_longer_failing: a.no_longer_failing + b.no_longer_failing,
            stale: a.stale + b.stale,
        }),
        (a, b) => a.or_else(|| b.clone()),
    };
    if merged.command.is_none() {
        merged.command = shard.command.clone();
    }
    Ok(())
}

fn add_counts(into: &mut Counts, other: &Counts) {
    into.passed += other.passed;
    into.failed += other.failed;
    into.skipped += other.skipped;
    into.errored += other.errored;
    into.crashed += other.crashed;
    into.timed_out += other.timed_out;
}

/// The merged report as text: one line per implementation.
pub fn merged_text(report: &Report, shards: usize) -> String {
    let mut out = format!(
        "iamspec check: {shards} shards merged ({})\n",
        report.corpus.join(", ")
    );
    for i in &report.implementations {
        out.push_str(&format!(
            "{} ({}): {} tests: {}",
            i.label(),
            i.comparison,
            i.tests.len(),
            i.totals.summary()
        ));
        if let Some(k) = &i.known_failures {
            out.push_str(&format!(
                "; known failures: {} still failing, {} new problems, {} no longer failing",
                k.still_failing, k.new_problems, k.no_longer_failing
            ));
        }
        out.push('\n');
    }
    out
}

/// True when the merged run has a problem: a failure or an error that is not a known failure.
pub fn has_problems(report: &Report) -> bool {
    report
        .implementations
        .iter()
        .any(|i| match &i.known_failures {
            Some(k) => k.new_problems > 0,
            None => i.totals.failed + i.totals.errored + i.totals.crashed + i.totals.timed_out > 0,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::conformance::test_reports::{implementation, report};
    use crate::run::results::Outcome;

    #[test]
    fn shards_merge_into_the_union_and_overlaps_are_refused() {
        let mut merged = report(vec![implementation(
            "x",
            &[("a::r", Outcome::Passed), ("b::r", Outcome::Failed)],
        )]);
        let other = report(vec![implementation("x", &[("c::r", Outcome::Passed)])]);
        merge_report(&mut merged, &other).unwrap();
        let x = &merged.implementations[0];
        assert_eq!(x.tests.len(), 3);
        assert_eq!((x.totals.passed, x.totals.failed), (2, 1));
        assert_eq!(x.features["effect:allow"].passed, 2);
        assert!(has_problems(&merged));
        assert!(matches!(
            merge_report(&mut merged, &other),
            Err(MergeError::Overlap(t)) if t == "c::r"
        ));
    }
}
