//! The HTML form of a conformance [`Report`] (`report.html`): a static, self-contained page
//! with the summary and the feature × implementation matrix (inline CSS, no script, no
//! external resource).

use std::fmt::Write as _;

use crate::report::conformance::Report;
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
    s.push_str("</tbody></table>\n</body></html>\n");
    s
}
