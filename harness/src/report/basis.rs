//! Documented apart from our reading: the counts of requests whose expectations rest on a
//! decision where AWS's documentation is silent (ARCHITECTURE.md), marked in the case by the
//! feature tags `basis:our-reading` (the decision or error) and
//! `basis:our-reading-explanation` (matched statements, missing keys, positions); see
//! docs/case-format.md, "Basis".

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::report::conformance::Report;
use crate::report::counts::{cell_text, counts_json};
use crate::run::results::{CheckRun, Counts};

/// The feature tag of cases whose decision (or error) rests on our reading.
pub const OUR_READING_TAG: &str = "basis:our-reading";
/// The feature tag of cases whose explanation rests on our reading.
pub const OUR_READING_EXPLANATION_TAG: &str = "basis:our-reading-explanation";

/// The requests outside triage as (decision documented, decision on our reading, explanation on
/// our reading); the third overlaps the first two.
pub fn basis_counts(run: &CheckRun) -> (Counts, Counts, Counts) {
    let (mut documented, mut ours, mut explanation) =
        (Counts::default(), Counts::default(), Counts::default());
    for r in run.results.iter().filter(|r| !r.triage) {
        if r.features.iter().any(|f| f == OUR_READING_TAG) {
            ours.add(r.status);
        } else {
            documented.add(r.status);
        }
        if r.features.iter().any(|f| f == OUR_READING_EXPLANATION_TAG) {
            explanation.add(r.status);
        }
    }
    (documented, ours, explanation)
}

/// `check`'s text line: `basis: decision documented: ...; decision on our reading: ...;
/// explanation on our reading: ...`.
pub fn basis_line(run: &CheckRun) -> String {
    let (documented, ours, explanation) = basis_counts(run);
    format!(
        "basis: decision documented: {}; decision on our reading: {}; explanation on our reading: {}",
        documented.summary(),
        ours.summary(),
        explanation.summary()
    )
}

/// `check`'s JSON member `basis`.
pub fn basis_json(run: &CheckRun) -> Value {
    let (documented, ours, explanation) = basis_counts(run);
    json!({
        "decision_documented": counts_json(&documented),
        "decision_our_reading": counts_json(&ours),
        "explanation_our_reading": counts_json(&explanation),
    })
}

/// `total` minus `part`, status by status (never below zero).
fn counts_minus(total: &Counts, part: &Counts) -> Counts {
    Counts {
        passed: total.passed.saturating_sub(part.passed),
        failed: total.failed.saturating_sub(part.failed),
        skipped: total.skipped.saturating_sub(part.skipped),
        errored: total.errored.saturating_sub(part.errored),
        crashed: total.crashed.saturating_sub(part.crashed),
        timed_out: total.timed_out.saturating_sub(part.timed_out),
    }
}

/// The Markdown section "Documented and our reading": per implementation, the requests whose
/// decision the documentation settles apart from those resting on our reading of it.
pub fn basis_section(s: &mut String, report: &Report) {
    let _ = writeln!(s, "## Documented and our reading\n");
    let _ = writeln!(
        s,
        "Cases tagged `{OUR_READING_TAG}` expect a decision (or error) that rests on \
         ARCHITECTURE.md's \"Decisions where AWS's documentation is silent\"; cases tagged \
         `{OUR_READING_EXPLANATION_TAG}` expect matched statements, missing context keys or \
         positions that do. Both wait for an AWS observation; each case's `source.notes` says \
         which decision it rests on. Each cell as in \"By feature\".\n"
    );
    let _ = writeln!(
        s,
        "| implementation | decision documented | decision: our reading | explanation: our reading |\n| --- | --- | --- | --- |"
    );
    let none = Counts::default();
    for i in &report.implementations {
        let ours = i.features.get(OUR_READING_TAG).unwrap_or(&none);
        let explanation = i.features.get(OUR_READING_EXPLANATION_TAG).unwrap_or(&none);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            i.label(),
            cell_text(&counts_minus(&i.totals, ours)),
            cell_text(ours),
            cell_text(explanation)
        );
    }
    let _ = writeln!(s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::conformance::test_reports::{implementation, report};
    use crate::run::results::Outcome;

    #[test]
    fn the_basis_table_puts_documented_decisions_apart_from_our_reading() {
        let mut i = implementation(
            "x",
            &[
                ("a::1", Outcome::Passed),
                ("a::2", Outcome::Failed),
                ("b::1", Outcome::Passed),
            ],
        );
        let mut ours = Counts::default();
        ours.add(Outcome::Failed);
        i.features.insert(OUR_READING_TAG.into(), ours);
        let mut md = String::new();
        basis_section(&mut md, &report(vec![i]));
        assert!(md.contains("## Documented and our reading"), "{md}");
        assert!(md.contains("| x 1 | 2/2 | 0/1 | 0/0 |"), "{md}");
    }
}
