//! Conformance reports: per implementation and per feature tag, the counts of passed, failed,
//! skipped, errored, crashed and timed-out requests — as JSON ([`Report`], the machine form that
//! `iamspec report diff` reads), as Markdown, and as a self-contained static HTML page with a
//! feature × implementation matrix (no script, no external resource).
//!
//! This module turns finished [`CheckRun`]s into reports and compares two reports; running the
//! cases is [`crate::check`]'s and [`crate::suite`]'s job.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::{CheckRun, Counts, Status};
use crate::error::CliError;

/// The JSON report: what ran, and per implementation its counts, per-feature counts and the
/// status of every test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The iamspec version that made the report.
    pub iamspec_version: String,
    /// The case directories.
    pub corpus: Vec<String>,
    /// One entry per implementation, in run order.
    pub implementations: Vec<ImplementationReport>,
}

/// One implementation's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImplementationReport {
    /// Its name (`iamspec` for the reference evaluator).
    pub name: String,
    /// Its version.
    pub version: String,
    /// The language it is written in, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Its home page, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// `exact` or `class`.
    pub decision_mode: String,
    /// The comparison mode its answers were checked in.
    pub comparison: String,
    /// The flag that runs it (`--adapter NAME`, `--evaluator '...'`), none for the reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Counts over every test outside triage.
    pub totals: Counts,
    /// The known-failures summary, when a list was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_failures: Option<KnownSummary>,
    /// Counts per feature tag.
    pub features: BTreeMap<String, Counts>,
    /// The status of every test (`<corpus path>::<request>`), outside triage.
    pub tests: BTreeMap<String, TestResult>,
}

/// The known-failures summary of one implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownSummary {
    /// Entries in the list.
    pub listed: usize,
    /// Listed tests that still fail (or error).
    pub still_failing: usize,
    /// Failures and errors not in the list.
    pub new_problems: usize,
    /// Listed tests that pass now, or are skipped.
    pub no_longer_failing: usize,
    /// Listed tests the corpus does not have.
    pub stale: usize,
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestResult {
    /// `passed`, `failed`, `skipped`, `errored`, `crashed` or `timed-out`.
    pub status: Status,
    /// The known-failures reason, when listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known: Option<String>,
    /// The first message (what failed, why skipped...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ImplementationReport {
    /// The report of one run. A run without an oracle is the reference evaluator's.
    pub fn from_run(run: &CheckRun) -> ImplementationReport {
        let (name, version, language, homepage, decision_mode) = match &run.oracle {
            Some(info) => (
                info.name.clone(),
                info.version.clone(),
                info.implementation.as_ref().map(|i| i.language.clone()),
                info.implementation.as_ref().map(|i| i.homepage.clone()),
                match info.decision_mode {
                    iamspec_format::protocol::DecisionMode::Exact => "exact",
                    iamspec_format::protocol::DecisionMode::Class => "class",
                },
            ),
            None => (
                "iamspec".to_string(),
                env!("CARGO_PKG_VERSION").to_string(),
                Some("rust".to_string()),
                None,
                "exact",
            ),
        };
        let comparison = run.mode.map_or("full", |m| m.name()).to_string();
        let command = run.results.iter().find_map(|r| r.evaluator_flag.clone());
        let tests = run
            .results
            .iter()
            .filter(|r| !r.triage)
            .map(|r| {
                (
                    r.test_id(),
                    TestResult {
                        status: r.status,
                        known: r.known.as_ref().map(|k| k.reason.clone()),
                        message: r.messages.first().cloned(),
                    },
                )
            })
            .collect();
        ImplementationReport {
            name,
            version,
            language,
            homepage,
            decision_mode: decision_mode.to_string(),
            comparison,
            command,
            totals: run.counts(),
            known_failures: run.known.as_ref().map(|k| KnownSummary {
                listed: k.len(),
                still_failing: run.known_failures().count(),
                new_problems: run.new_failures().count(),
                no_longer_failing: run.no_longer_failing().count(),
                stale: run.stale_known.len(),
            }),
            features: run.features().into_iter().collect(),
            tests,
        }
    }

    /// The label used in tables: `name version`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

impl Report {
    /// The report of several runs over the same cases.
    pub fn from_runs(runs: &[CheckRun]) -> Report {
        let mut corpus: Vec<String> = Vec::new();
        for run in runs {
            for d in &run.dirs {
                let shown = crate::adapters::display_path(d);
                if !corpus.contains(&shown) {
                    corpus.push(shown);
                }
            }
        }
        Report {
            iamspec_version: env!("CARGO_PKG_VERSION").to_string(),
            corpus,
            implementations: runs.iter().map(ImplementationReport::from_run).collect(),
        }
    }

    /// Every feature tag any implementation has, sorted.
    pub fn feature_tags(&self) -> Vec<String> {
        let tags: BTreeSet<&String> = self
            .implementations
            .iter()
            .flat_map(|i| i.features.keys())
            .collect();
        tags.into_iter().cloned().collect()
    }

    /// Reads a JSON report.
    pub fn load(path: &Path) -> Result<Report, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::ReportFile {
            path: path.to_path_buf(),
            message: format!("cannot read: {e}"),
        })?;
        serde_json::from_str(&text).map_err(|e| CliError::ReportFile {
            path: path.to_path_buf(),
            message: format!("not an iamspec JSON report: {e}"),
        })
    }
}

/// A cell of the matrix: `P/N` (passed of answered) and what else there was.
fn cell_text(c: &Counts) -> String {
    let answered = c.passed + c.failed;
    let mut parts = vec![format!("{}/{}", c.passed, answered)];
    for (n, what) in [
        (c.skipped, "skipped"),
        (c.errored, "errored"),
        (c.crashed, "crashed"),
        (c.timed_out, "timed out"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.join(", ")
}

/// The feature tag of cases whose decision (or error) rests on a decision where AWS's
/// documentation is silent (ARCHITECTURE.md); docs/case-format.md, "Basis".
pub const OUR_READING_TAG: &str = "basis:our-reading";
/// The feature tag of cases whose explanation (matched statements, missing keys, positions)
/// rests on such a decision.
pub const OUR_READING_EXPLANATION_TAG: &str = "basis:our-reading-explanation";

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

/// The "Documented and our reading" table: per implementation, the requests whose decision the
/// documentation settles apart from those resting on our reading of it.
fn basis_section(s: &mut String, report: &Report) {
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
    basis_section(&mut s, report);
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
            .filter(|(_, t)| !matches!(t.status, Status::Passed | Status::Skipped))
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

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn cell_class(c: &Counts) -> &'static str {
    if c.failed + c.errored + c.crashed + c.timed_out > 0 {
        "bad"
    } else if c.passed > 0 {
        "good"
    } else {
        "none"
    }
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}\
th{background:#f3f3f3}td.feature,th.feature{text-align:left;font-family:monospace}\
td.good{background:#e6f4ea}td.bad{background:#fde7e9}td.none{background:#f5f5f5;color:#888}\
.p{font-weight:bold}.muted{color:#666;font-size:.9em}";

/// The static HTML page: summary table (`id="summary"`) and feature × implementation matrix
/// (`id="matrix"`), every count in a `span` whose class names the status (`passed`, `failed`,
/// `skipped`, `errored`, `crashed`, `timed-out`), every cell tagged with `data-impl` and
/// `data-feature`. Self-contained: inline CSS, no script, no external resource.
pub fn html(report: &Report, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>{CSS}</style></head><body>\n<h1>{t}</h1>\n<p class=\"muted\">Cases: {c}. iamspec {v}. \
         Each matrix cell: passed / failed / skipped / errored / crashed / timed out.</p>\n",
        t = escape(title),
        c = escape(&report.corpus.join(", ")),
        v = escape(&report.iamspec_version)
    );
    s.push_str("<h2>Summary</h2>\n<table id=\"summary\"><thead><tr><th class=\"feature\">implementation</th>\
        <th>comparison</th><th>passed</th><th>failed</th><th>skipped</th><th>errored</th><th>crashed</th>\
        <th>timed out</th></tr></thead><tbody>\n");
    for i in &report.implementations {
        let _ = write!(
            s,
            "<tr data-impl=\"{n}\"><td class=\"feature\">{l}</td><td>{m}</td>",
            n = escape(&i.name),
            l = escape(&i.label()),
            m = escape(&i.comparison)
        );
        for status in Status::ALL {
            let _ = write!(
                s,
                "<td><span class=\"{}\">{}</span></td>",
                status.name(),
                i.totals.get(*status)
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n<h2>By feature</h2>\n<table id=\"matrix\"><thead><tr><th class=\"feature\">feature</th>");
    for i in &report.implementations {
        let _ = write!(s, "<th>{}</th>", escape(&i.label()));
    }
    s.push_str("</tr></thead><tbody>\n");
    for tag in report.feature_tags() {
        let _ = write!(s, "<tr><td class=\"feature\">{}</td>", escape(&tag));
        for i in &report.implementations {
            match i.features.get(&tag) {
                Some(c) => {
                    let _ = write!(
                        s,
                        "<td class=\"{}\" data-impl=\"{}\" data-feature=\"{}\">",
                        cell_class(c),
                        escape(&i.name),
                        escape(&tag)
                    );
                    let spans: Vec<String> = Status::ALL
                        .iter()
                        .map(|st| format!("<span class=\"{}\">{}</span>", st.name(), c.get(*st)))
                        .collect();
                    s.push_str(&spans.join(" / "));
                    s.push_str("</td>");
                }
                None => {
                    let _ = write!(
                        s,
                        "<td class=\"none\" data-impl=\"{}\" data-feature=\"{}\">—</td>",
                        escape(&i.name),
                        escape(&tag)
                    );
                }
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n</body></html>\n");
    s
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::ReportFile {
        path: path.to_path_buf(),
        message: format!("cannot write: {e}"),
    })
}

/// Writes `report.json`, `report.md` and `report.html` for the runs into `dir` (created if
/// needed).
pub fn write_report_dir(dir: &Path, runs: &[CheckRun]) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::ReportFile {
        path: dir.to_path_buf(),
        message: format!("cannot create the directory: {e}"),
    })?;
    let report = Report::from_runs(runs);
    write_reports(dir, &report, "iamspec conformance report", "")
}

/// Writes the three forms of `report` into `dir`.
pub fn write_reports(
    dir: &Path,
    report: &Report,
    title: &str,
    intro: &str,
) -> Result<(), CliError> {
    let json = serde_json::to_string_pretty(report)?;
    write_file(&dir.join("report.json"), &format!("{json}\n"))?;
    write_file(&dir.join("report.md"), &markdown(report, title, intro))?;
    write_file(&dir.join("report.html"), &html(report, title))?;
    Ok(())
}

/// What changed for one implementation between two reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImplementationDiff {
    /// The implementation's name.
    pub name: String,
    /// `old version -> new version`, when it changed.
    pub version_change: Option<(String, String)>,
    /// Tests that did not pass and pass now.
    pub fixed: Vec<(String, Status, Status)>,
    /// Tests that passed (or were skipped) and now fail, error, crash or time out.
    pub broke: Vec<(String, Status, Status)>,
    /// Other status changes (for instance passed -> skipped).
    pub changed: Vec<(String, Status, Status)>,
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

fn is_bad(s: Status) -> bool {
    matches!(s, Status::Failed) || s.is_error()
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
                    if nt.status == Status::Passed {
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

    fn implementation(name: &str, tests: &[(&str, Status)]) -> ImplementationReport {
        let mut totals = Counts::default();
        let mut features: BTreeMap<String, Counts> = BTreeMap::new();
        for (_, s) in tests {
            totals.add(*s);
            features.entry("effect:allow".into()).or_default().add(*s);
        }
        ImplementationReport {
            name: name.into(),
            version: "1".into(),
            language: Some("rust".into()),
            homepage: None,
            decision_mode: "exact".into(),
            comparison: "decision".into(),
            command: None,
            totals,
            known_failures: None,
            features,
            tests: tests
                .iter()
                .map(|(t, s)| {
                    (
                        t.to_string(),
                        TestResult {
                            status: *s,
                            known: None,
                            message: None,
                        },
                    )
                })
                .collect(),
        }
    }

    fn report(implementations: Vec<ImplementationReport>) -> Report {
        Report {
            iamspec_version: "0.1.0".into(),
            corpus: vec!["corpus".into()],
            implementations,
        }
    }

    #[test]
    fn a_diff_shows_what_got_fixed_and_what_broke() {
        let old = report(vec![implementation(
            "x",
            &[
                ("a::1", Status::Failed),
                ("a::2", Status::Passed),
                ("a::3", Status::Passed),
                ("a::4", Status::Skipped),
            ],
        )]);
        let new = report(vec![
            implementation(
                "x",
                &[
                    ("a::1", Status::Passed),
                    ("a::2", Status::Crashed),
                    ("a::3", Status::Skipped),
                    ("a::5", Status::Passed),
                ],
            ),
            implementation("y", &[]),
        ]);
        let d = diff(&old, &new);
        let x = &d.implementations[0];
        assert_eq!(
            x.fixed,
            vec![("a::1".into(), Status::Failed, Status::Passed)]
        );
        assert_eq!(
            x.broke,
            vec![("a::2".into(), Status::Passed, Status::Crashed)]
        );
        assert_eq!(
            x.changed,
            vec![("a::3".into(), Status::Passed, Status::Skipped)]
        );
        assert_eq!(x.added, vec!["a::5".to_string()]);
        assert_eq!(x.removed, vec!["a::4".to_string()]);
        assert_eq!(d.only_new, vec!["y 1".to_string()]);
        assert!(d.anything_broke());
        let text = diff_text(&d);
        assert!(text.contains("broke   a::2: passed -> crashed"), "{text}");
        assert!(text.ends_with("1 fixed, 1 broke\n"), "{text}");
    }

    #[test]
    fn the_basis_table_puts_documented_decisions_apart_from_our_reading() {
        let mut i = implementation(
            "x",
            &[
                ("a::1", Status::Passed),
                ("a::2", Status::Failed),
                ("b::1", Status::Passed),
            ],
        );
        let mut ours = Counts::default();
        ours.add(Status::Failed);
        i.features.insert(OUR_READING_TAG.into(), ours);
        let md = markdown(&report(vec![i]), "T", "");
        assert!(md.contains("## Documented and our reading"), "{md}");
        assert!(md.contains("| x 1 | 2/2 | 0/1 | 0/0 |"), "{md}");
    }

    #[test]
    fn reports_round_trip_and_render() {
        let r = report(vec![
            implementation(
                "x<y>",
                &[("a::1", Status::Passed), ("a::2", Status::Failed)],
            ),
            implementation("z", &[("a::1", Status::TimedOut)]),
        ]);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        let md = markdown(&r, "T", "");
        assert!(
            md.contains("| `effect:allow` | 1/2 | 0/0, 1 timed out |"),
            "{md}"
        );
        let page = html(&r, "T");
        assert!(page.contains("x&lt;y&gt;"));
        assert!(!page.contains("<script"));
        assert!(page.contains(
            "data-impl=\"z\" data-feature=\"effect:allow\"><span class=\"passed\">0</span>"
        ));
    }
}
