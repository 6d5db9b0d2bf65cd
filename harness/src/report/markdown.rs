//! The Markdown form of a conformance [`Report`] (`report.md`, `docs/CONFORMANCE.md`): a summary
//! table, the feature × implementation matrix, and per implementation its known failures grouped
//! by reason and its other problems.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::conformance::{Report, TestResult};
use crate::report::counts::cell_text;
use crate::run::results::Outcome;

/// The Markdown report: a summary table, the feature × implementation matrix, and per
/// implementation its known failures grouped by reason and its other problems.
pub fn markdown(report: &Report, title: &str, intro: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {title}\n");
    if !intro.is_empty() {
        let _ = writeln!(s, "{intro}\n");
    }
    let _ = writeln!(
        s,
        "Cases: {}. iamspec {}.\n",
        report.corpus.join(", "),
        report.iamspec_version
    );
    let _ = writeln!(s, "## Summary\n");
    let _ = writeln!(
        s,
        "| implementation | language | comparison | passed | failed | skipped | errored | crashed | timed out | known failures |"
    );
    let _ = writeln!(
        s,
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for i in &report.implementations {
        let t = &i.totals;
        let known = match &i.known_failures {
            Some(k) => format!(
                "{} listed, {} still failing, {} new, {} no longer failing",
                k.listed, k.still_failing, k.new_problems, k.no_longer_failing
            ),
            None => "—".to_string(),
        };
        let name = match &i.homepage {
            Some(h) => format!("[{}]({h})", i.label()),
            None => i.label(),
        };
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {known} |",
            i.language.as_deref().unwrap_or("—"),
            i.comparison,
            t.passed,
            t.failed,
            t.skipped,
            t.errored,
            t.crashed,
            t.timed_out
        );
    }
    let _ = writeln!(
        s,
        "\nA request *passes* when the answer agrees with the case's expectation under the \
         comparison mode; *skipped* means the implementation cannot express it (never a \
         failure); *errored*, *crashed* and *timed out* mean it gave no usable answer.\n"
    );
    crate::report::basis::basis_section(&mut s, report);
    let _ = writeln!(s, "## By feature\n");
    let _ = writeln!(
        s,
        "Each cell: passed/answered (answered = passed + failed), then what was skipped or \
         not answered.\n"
    );
    let mut header = String::from("| feature |");
    let mut rule = String::from("| --- |");
    for i in &report.implementations {
        let _ = write!(header, " {} |", i.name);
        rule.push_str(" --- |");
    }
    let _ = writeln!(s, "{header}\n{rule}");
    for tag in report.feature_tags() {
        let mut row = format!("| `{tag}` |");
        for i in &report.implementations {
            match i.features.get(&tag) {
                Some(c) => {
                    let _ = write!(row, " {} |", cell_text(c));
                }
                None => row.push_str(" — |"),
            }
        }
        let _ = writeln!(s, "{row}");
    }
    for i in &report.implementations {
        let failing: Vec<(&String, &TestResult)> = i
            .tests
            .iter()
            .filter(|(_, t)| !matches!(t.status, Outcome::Passed | Outcome::Skipped))
            .collect();
        if failing.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n## {}\n", i.label());
        let mut by_reason: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
        let mut unlisted = Vec::new();
        for (test, t) in &failing {
            match &t.known {
                Some(reason) => by_reason.entry(reason.as_str()).or_default().push(test),
                None => unlisted.push((test, t)),
            }
        }
        if !by_reason.is_empty() {
            let _ = writeln!(s, "Known failures, by reason:\n");
            for (reason, tests) in by_reason {
                let _ = writeln!(s, "- {reason}");
                for t in tests {
                    let _ = writeln!(s, "  - `{t}`");
                }
            }
        }
        if !unlisted.is_empty() {
            let _ = writeln!(s, "\nNot in the known failures:\n");
            for (test, t) in unlisted {
                let _ = writeln!(
                    s,
                    "- `{test}` ({}): {}",
                    t.status.name(),
                    t.message.as_deref().unwrap_or("").replace('\n', " ")
                );
            }
        }
    }
    s
}
