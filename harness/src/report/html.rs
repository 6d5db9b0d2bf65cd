//! The HTML form of a conformance [`Report`] (`report.html`): a static, self-contained page
//! with the summary and the feature × implementation matrix (inline CSS, no script, no
//! external resource). Each cell shows the share of answered requests that passed, coloured on
//! a red-to-green scale, and links to its drill-down: the failing requests of that
//! implementation and feature, each with its case file, expected and answered, and the command
//! that reruns it.

use std::fmt::Write as _;

use crate::report::conformance::{ImplementationReport, Report, TestResult};
use crate::run::results::{Counts, Outcome};

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
.p{font-weight:bold}.muted{color:#666;font-size:.9em}\
.pct{display:block;font-weight:bold;font-size:1.05em}a.drill{color:inherit}\
.drill-down{margin:1.5em 0;border-top:2px solid #ccc}.drill-down:target{background:#fffbe6}\
.drill-down td{text-align:left;vertical-align:top;font-family:monospace;font-size:.85em;max-width:40em;word-break:break-word}";

/// The share of answered requests (all but skipped) that passed, in percent; `None` when none
/// was answered.
pub fn pass_percent(c: &Counts) -> Option<u32> {
    let answered = c.passed + c.failed + c.errored + c.crashed + c.timed_out;
    (answered > 0).then(|| {
        let share = (c.passed as f64) * 100.0 / (answered as f64);
        share.floor() as u32
    })
}

/// The cell's background on a red (0 %) to green (100 %) scale.
fn cell_colour(percent: u32) -> String {
    format!("background:hsl({},70%,85%)", percent.min(100) * 120 / 100)
}

/// The failing (failed or erroring) tests of one implementation that carry `feature`.
pub fn failing_in<'r>(
    implementation: &'r ImplementationReport,
    feature: &str,
) -> Vec<(&'r String, &'r TestResult)> {
    implementation
        .tests
        .iter()
        .filter(|(_, t)| t.is_failing())
        .filter(|(_, t)| {
            t.failure
                .as_ref()
                .is_some_and(|f| f.features.iter().any(|x| x == feature))
        })
        .collect()
}

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
        for status in Outcome::ALL {
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
    let mut drill_downs = String::new();
    for (row, tag) in report.feature_tags().into_iter().enumerate() {
        let _ = write!(s, "<tr><td class=\"feature\">{}</td>", escape(&tag));
        for (column, i) in report.implementations.iter().enumerate() {
            match i.features.get(&tag) {
                Some(c) => {
                    let percent = pass_percent(c);
                    let _ = write!(
                        s,
                        "<td class=\"{}\" data-impl=\"{}\" data-feature=\"{}\"{}>",
                        cell_class(c),
                        escape(&i.name),
                        escape(&tag),
                        percent.map_or(String::new(), |p| format!(
                            " data-percent=\"{p}\" style=\"{}\"",
                            cell_colour(p)
                        ))
                    );
                    let failing = failing_in(i, &tag);
                    let pct = percent.map_or("—".to_string(), |p| format!("{p}%"));
                    if failing.is_empty() {
                        let _ = write!(s, "<span class=\"pct\">{pct}</span>");
                    } else {
                        let id = format!("drill-{row}-{column}");
                        let _ = write!(
                            s,
                            "<a class=\"drill\" href=\"#{id}\" title=\"the {} failing requests\"><span class=\"pct\">{pct}</span></a>",
                            failing.len()
                        );
                        push_drill_down(&mut drill_downs, &id, i, &tag, &failing);
                    }
                    let spans: Vec<String> = Outcome::ALL
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
    s.push_str("</tbody></table>\n");
    if !drill_downs.is_empty() {
        s.push_str("<h2>Failing requests by cell</h2>\n");
        s.push_str(&drill_downs);
    }
    s.push_str("</body></html>\n");
    s
}

/// One cell's drill-down: a section (`id`, `data-impl`, `data-feature`) with a table of its
/// failing requests, one `tr class="failing" data-test` each: test, status, case file,
/// expected, answered, reproduce.
fn push_drill_down(
    s: &mut String,
    id: &str,
    implementation: &ImplementationReport,
    feature: &str,
    failing: &[(&String, &TestResult)],
) {
    let _ = writeln!(
        s,
        "<section class=\"drill-down\" id=\"{id}\" data-impl=\"{}\" data-feature=\"{}\">\
         <h3>{} — <code>{}</code>: {} failing</h3>\n<table><thead><tr><th>test</th><th>status</th>\
         <th>case file</th><th>expected</th><th>answered</th><th>reproduce</th></tr></thead><tbody>",
        escape(&implementation.name),
        escape(feature),
        escape(&implementation.label()),
        escape(feature),
        failing.len()
    );
    for (test, result) in failing {
        let Some(f) = &result.failure else { continue };
        let status = match &result.known {
            Some(reason) => format!("{} (known: {})", result.status.name(), reason),
            None => result.status.name().to_string(),
        };
        let _ = writeln!(
            s,
            "<tr class=\"failing\" data-test=\"{t}\"><td class=\"test\">{t}</td><td class=\"status\">{}</td>\
             <td class=\"file\">{}</td><td class=\"expected\">{}</td><td class=\"answered\">{}</td>\
             <td class=\"reproduce\"><code>{}</code></td></tr>",
            escape(&status),
            escape(&f.file),
            escape(&f.expected),
            why_cell(&f.answered, &f.why),
            escape(&f.reproduce),
            t = escape(test)
        );
    }
    s.push_str("</tbody></table></section>\n");
}

/// The "answered" cell: the answer, then the reference evaluator's "why (not)" folded under a
/// `<details>` when the report has one.
fn why_cell(answered: &str, why: &[String]) -> String {
    if why.is_empty() {
        return escape(answered);
    }
    format!(
        "{}<details class=\"why\"><summary>why (not), from the reference evaluator</summary><pre>{}</pre></details>",
        escape(answered),
        escape(&why.join("\n"))
    )
}
