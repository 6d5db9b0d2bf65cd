//! `iamspec report diff`: what changed between two conformance reports, per implementation —
//! fixed, broke, otherwise changed, added, removed.

use std::fmt::Write as _;

use crate::report::conformance::{ImplementationReport, Report};
use crate::run::results::Outcome;

/// What changed for one implementation between two reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImplementationDiff {
    /// The implementation's name.
    pub name: String,
    /// `old version -> new version`, when it changed.
    pub version_change: Option<(String, String)>,
    /// Tests that did not pass and pass now.
    pub fixed: Vec<(String, Outcome, Outcome)>,
    /// Tests that passed (or were skipped) and now fail, error, crash or time out.
    pub broke: Vec<(String, Outcome, Outcome)>,
    /// Other status changes (for instance passed -> skipped).
    pub changed: Vec<(String, Outcome, Outcome)>,
    /// Tests only in the new report.
    pub added: Vec<String>,
    /// Tests only in the old report.
    pub removed: Vec<String>,
}

/// What changed between two reports, per implementation (matched by name); implementations in
/// one report only are listed apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportDiff {
    /// Per implementation in both.
    pub implementations: Vec<ImplementationDiff>,
    /// Implementations only in the old report.
    pub only_old: Vec<String>,
    /// Implementations only in the new report.
    pub only_new: Vec<String>,
}

impl ReportDiff {
    /// True when a test broke.
    pub fn anything_broke(&self) -> bool {
        self.implementations.iter().any(|i| !i.broke.is_empty())
    }
}

fn is_bad(s: Outcome) -> bool {
    matches!(s, Outcome::Failed) || s.is_error()
}

/// Compares two reports.
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    let mut out = ReportDiff::default();
    for o in &old.implementations {
        let Some(n) = new.implementations.iter().find(|n| n.name == o.name) else {
            out.only_old.push(o.label());
            continue;
        };
        let mut d = ImplementationDiff {
            name: o.name.clone(),
            version_change: (o.version != n.version)
                .then(|| (o.version.clone(), n.version.clone())),
            ..ImplementationDiff::default()
        };
        for (test, ot) in &o.tests {
            match n.tests.get(test) {
                None => d.removed.push(test.clone()),
                Some(nt) if nt.status == ot.status => {}
                Some(nt) => {
                    let change = (test.clone(), ot.status, nt.status);
                    if nt.status == Outcome::Passed {
                        d.fixed.push(change);
                    } else if is_bad(nt.status) && !is_bad(ot.status) {
                        d.broke.push(change);
                    } else {
                        d.changed.push(change);
                    }
                }
            }
        }
        d.added = n
            .tests
            .keys()
            .filter(|t| !o.tests.contains_key(*t))
            .cloned()
            .collect();
        out.implementations.push(d);
    }
    out.only_new = new
        .implementations
        .iter()
        .filter(|n| !old.implementations.iter().any(|o| o.name == n.name))
        .map(ImplementationReport::label)
        .collect();
    out
}

/// The text of a diff.
pub fn diff_text(d: &ReportDiff) -> String {
    let mut s = String::new();
    for i in &d.implementations {
        let _ = write!(s, "{}", i.name);
        if let Some((a, b)) = &i.version_change {
            let _ = write!(s, " ({a} -> {b})");
        }
        let _ = writeln!(
            s,
            ": {} fixed, {} broke, {} changed, {} added, {} removed",
            i.fixed.len(),
            i.broke.len(),
            i.changed.len(),
            i.added.len(),
            i.removed.len()
        );
        for (title, list) in [
            ("fixed", &i.fixed),
            ("broke", &i.broke),
            ("changed", &i.changed),
        ] {
            for (test, a, b) in list.iter() {
                let _ = writeln!(s, "  {title:<7} {test}: {} -> {}", a.name(), b.name());
            }
        }
        for t in &i.added {
            let _ = writeln!(s, "  added   {t}");
        }
        for t in &i.removed {
            let _ = writeln!(s, "  removed {t}");
        }
    }
    for n in &d.only_old {
        let _ = writeln!(s, "{n}: only in the old report");
    }
    for n in &d.only_new {
        let _ = writeln!(s, "{n}: only in the new report");
    }
    let broke: usize = d.implementations.iter().map(|i| i.broke.len()).sum();
    let fixed: usize = d.implementations.iter().map(|i| i.fixed.len()).sum();
    let _ = writeln!(s, "{fixed} fixed, {broke} broke");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::conformance::test_reports::{implementation, report};

    #[test]
    fn a_diff_shows_what_got_fixed_and_what_broke() {
        let old = report(vec![implementation(
            "x",
            &[
                ("a::1", Outcome::Failed),
                ("a::2", Outcome::Passed),
                ("a::3", Outcome::Passed),
                ("a::4", Outcome::Skipped),
            ],
        )]);
        let new = report(vec![
            implementation(
                "x",
                &[
                    ("a::1", Outcome::Passed),
                    ("a::2", Outcome::Crashed),
                    ("a::3", Outcome::Skipped),
                    ("a::5", Outcome::Passed),
                ],
            ),
            implementation("y", &[]),
        ]);
        let d = diff(&old, &new);
        let x = &d.implementations[0];
        assert_eq!(
            x.fixed,
            vec![("a::1".into(), Outcome::Failed, Outcome::Passed)]
        );
        assert_eq!(
            x.broke,
            vec![("a::2".into(), Outcome::Passed, Outcome::Crashed)]
        );
        assert_eq!(
            x.changed,
            vec![("a::3".into(), Outcome::Passed, Outcome::Skipped)]
        );
        assert_eq!(x.added, vec!["a::5".to_string()]);
        assert_eq!(x.removed, vec!["a::4".to_string()]);
        assert_eq!(d.only_new, vec!["y 1".to_string()]);
        assert!(d.anything_broke());
        let text = diff_text(&d);
        assert!(text.contains("broke   a::2: passed -> crashed"), "{text}");
        assert!(text.ends_with("1 fixed, 1 broke\n"), "{text}");
    }
}
